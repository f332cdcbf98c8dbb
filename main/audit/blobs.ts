// Output blobs: large command output kept next to the log in a file named by its SHA-256,
// written and synced before the record that names it.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { blobDir } from './log-file';
import { sha256Hex } from './records';

/** Output up to this many bytes goes inline in the record; more goes to a blob file. */
export const INLINE_MAX = 8 * 1024;

/** Sync a folder so a new file's name survives a crash. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Write a blob for a log (idempotent: same bytes, same name) and return its SHA-256. */
export async function writeBlob(logFile: string, bytes: Buffer): Promise<string> {
  const sha = sha256Hex(bytes);
  const dir = blobDir(logFile);
  const target = path.join(dir, sha);
  const existing = await fs.readFile(target).catch(() => null);
  if (existing && sha256Hex(existing) === sha) return sha;
  await fs.mkdir(dir, { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  const handle = await fs.open(tmp, 'w', 0o644);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, target);
  await syncDir(dir);
  return sha;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The inline form of an output chunk: text when it is UTF-8, base64 otherwise. */
export function inlineOutput(bytes: Buffer): { text: string } | { b64: string } {
  try {
    return { text: utf8.decode(bytes) };
  } catch {
    return { b64: bytes.toString('base64') };
  }
}
