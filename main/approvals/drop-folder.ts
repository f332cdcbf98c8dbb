// The approvals drop folder (`approvals:` in dapple.yaml): a folder in the workspace repository
// or on a share where sessions write their requests and approvers their responses. Both sides
// scan it; what is in it is data from anyone who can write there, so every file is read as text,
// bounded, and judged by the same reader as a pasted line.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { sha256Hex } from '../audit/records';

/** The suffix of request files; everything else in the folder is offered as a response. */
export const REQUEST_SUFFIX = '.approval-request';
/** The suffix of response files the approver side writes. */
export const RESPONSE_SUFFIX = '.approval-response';
/** The suffix of standing approval files. */
export const STANDING_SUFFIX = '.standing-approval';

const MAX_FILE = 1_000_000;
const MAX_FILES = 200;

/** The step and attempt as a file name part ("approve-a1"). */
export function stepFilePart(step: string, attempt: number): string {
  return `${step.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 80)}-a${attempt}`;
}

/** The file name of a request: the log's short id, the step and the attempt. */
export function requestFileName(log: string, step: string, attempt: number): string {
  return `${log.slice(0, 8)}-${stepFilePart(step, attempt)}${REQUEST_SUFFIX}`;
}

/** The file name of a response: its request's name plus the approver's short key id. */
export function responseFileName(
  log: string,
  step: string,
  attempt: number,
  approverKey: string,
): string {
  return `${log.slice(0, 8)}-${stepFilePart(step, attempt)}-${approverKey.slice(0, 8)}${RESPONSE_SUFFIX}`;
}

/** Write a file whole or not at all (a watcher never reads half a line). */
export async function writeWhole(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  await fs.writeFile(tmp, text, { mode: 0o644 });
  await fs.rename(tmp, file);
}

/** One file found in the drop folder. */
export type DropFile = {
  name: string;
  file: string;
  /** The text, or null when the file is too large or not readable (then `problem` says why). */
  text: string | null;
  problem: string | null;
  sha256: string;
  mtimeMs: number;
};

/** What to look for. */
export type DropScan = {
  /** Requests (the approver's side) or everything else (the operator's side). */
  want: 'requests' | 'responses';
  /** Only files changed at or after this instant (older files belong to earlier sessions). */
  sinceMs?: number;
  /** `name:sha256` of files already handled: each file is offered once. */
  seen?: Set<string>;
};

/** The new files of the drop folder, oldest first; a missing folder holds nothing. */
export async function scanDrop(dir: string, scan: DropScan): Promise<DropFile[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  const found: DropFile[] = [];
  for (const entry of entries) {
    if (found.length >= MAX_FILES) break;
    // Hidden files are the writers' temporary files; links could point anywhere.
    if (!entry.isFile() || entry.name.startsWith('.')) continue;
    const isRequest = entry.name.endsWith(REQUEST_SUFFIX);
    if ((scan.want === 'requests') !== isRequest) continue;
    const file = path.join(dir, entry.name);
    const stat = await fs.lstat(file).catch(() => null);
    if (!stat?.isFile() || stat.mtimeMs < (scan.sinceMs ?? 0)) continue;
    let text: string | null = null;
    let problem: string | null = null;
    let bytes = Buffer.alloc(0);
    if (stat.size > MAX_FILE)
      problem = `it is ${stat.size} bytes, larger than any approval document`;
    else {
      bytes = await fs.readFile(file).catch(() => Buffer.alloc(0));
      text = bytes.toString('utf8');
    }
    const sha256 = sha256Hex(problem ? `${entry.name}:${stat.size}:${stat.mtimeMs}` : bytes);
    const key = `${entry.name}:${sha256}`;
    if (scan.seen?.has(key)) continue;
    scan.seen?.add(key);
    found.push({ name: entry.name, file, text, problem, sha256, mtimeMs: stat.mtimeMs });
  }
  return found.sort((a, b) => a.mtimeMs - b.mtimeMs || a.name.localeCompare(b.name));
}
