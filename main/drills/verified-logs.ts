// The workspace's session logs, each verified against its trusted keys and folded, with the
// results kept per file: a log is verified again only when its bytes, its blobs or the trust file
// changed (size and times first, then the SHA-256 of its bytes), so the console can ask for the
// history on every visit. Only a VALID log yields a drill record; every other one says why not.
import { createHash } from 'node:crypto';
import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import type { DrillRecord, IgnoredLog } from '../../preload/schemas/drills';
import { blobDir } from '../audit/log-file';
import { replaySession } from '../audit/reducer';
import { verdictWords } from '../audit/report-words';
import type { Trust } from '../audit/trust';
import { verifyLogDetailed } from '../audit/verify';
import { foldDrill, isRecord } from './fold';

/** A session log's name: <mode>-<date>[-<id>].jsonl (the demo's older log has no id). */
export const SESSION_LOG = /^(live|drill|rehearsal)-\d{4}-\d{2}-\d{2}(-[0-9a-f]{4,64})?\.jsonl$/;

/** Logs larger than this are left to `dapple audit verify` (the console's limit for a log). */
export const MAX_DRILL_LOG_BYTES = 64 * 1024 * 1024;

/** One log's result: its drill record, or why it does not count. */
export type LogResult = { record: DrillRecord } | { ignored: IgnoredLog };

type Entry = {
  /** Size, mtime, ctime and inode of the log: unchanged means the same bytes. */
  stat: string;
  /** SHA-256 of the log's bytes. */
  hash: string;
  /** The blob folder's names, sizes and times. */
  blobs: string;
  /** The trust file's fingerprint the result was reached with. */
  trust: string;
  result: LogResult;
};

/** Results per log file; `verified` counts real verifications (tests read it). */
export type LogCache = { entries: Map<string, Entry>; verified: number };

/** An empty cache (the console keeps one per context). */
export const newLogCache = (): LogCache => ({ entries: new Map(), verified: 0 });

const statKey = (s: Stats): string => `${s.size}:${s.mtimeMs}:${s.ctimeMs}:${s.ino}`;

async function blobsKey(file: string): Promise<string> {
  const dir = blobDir(file);
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const parts = await Promise.all(
    names.sort().map(async (n) => {
      const s = await fs.stat(path.join(dir, n)).catch(() => null);
      return s ? `${n}:${statKey(s)}` : n;
    }),
  );
  return parts.join('|');
}

/** A fingerprint of a trust: every key id with its name and window. */
export function trustKey(trust: Trust): string {
  const keys = [...trust.values()].map(
    (k) => `${k.keyId}:${k.name}:${k.validFrom}:${k.validUntil ?? ''}`,
  );
  return createHash('sha256').update(keys.sort().join('\n')).digest('hex');
}

const ignored = (file: string, verdict: IgnoredLog['verdict'], reason: string): LogResult => ({
  ignored: { logPath: file, logName: path.basename(file), verdict, reason },
});

async function verifyAndFold(file: string, trust: Trust): Promise<LogResult> {
  const { report, records } = await verifyLogDetailed(file, { trusted: trust });
  if (report.verdict !== 'VALID')
    return ignored(file, report.verdict, verdictWords(report).sentence);
  const session = replaySession(records);
  const keyId = session.operator?.keyId ?? '';
  const folded = foldDrill(file, session, trust.get(keyId)?.name ?? 'unknown');
  return isRecord(folded)
    ? { record: folded }
    : ignored(file, report.verdict, `It verifies, but ${folded.reason}.`);
}

/** One log's result, from the cache when nothing it depends on changed. */
export async function logResult(file: string, trust: Trust, cache: LogCache): Promise<LogResult> {
  const before = await fs.stat(file).catch(() => null);
  if (!before?.isFile()) return ignored(file, null, 'The file cannot be read.');
  if (before.size > MAX_DRILL_LOG_BYTES)
    return ignored(
      file,
      null,
      `The log is ${Math.round(before.size / 1024 / 1024)} MiB, more than the console verifies; check it with dapple audit verify.`,
    );
  const trustFp = trustKey(trust);
  const blobs = await blobsKey(file);
  const known = cache.entries.get(file);
  const fresh = (e: Entry | undefined): e is Entry =>
    e !== undefined && e.trust === trustFp && e.blobs === blobs;
  if (fresh(known) && known.stat === statKey(before)) return known.result;
  const hash = createHash('sha256')
    .update(await fs.readFile(file))
    .digest('hex');
  // Touched or copied back, same bytes: the earlier verdict stands.
  if (fresh(known) && known.hash === hash) {
    cache.entries.set(file, { ...known, stat: statKey(before) });
    return known.result;
  }
  const result = await verifyAndFold(file, trust);
  cache.verified += 1;
  const after = await fs.stat(file).catch(() => null);
  // A log that changed while it was verified (a running session) is verified again next time.
  if (after && statKey(after) === statKey(before))
    cache.entries.set(file, { stat: statKey(before), hash, blobs, trust: trustFp, result });
  return result;
}

/** The session logs in a workspace's audit/ folder, by name. */
export async function sessionLogs(root: string): Promise<string[]> {
  const dir = path.join(root, 'audit');
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  return names
    .filter((n) => SESSION_LOG.test(n))
    .sort()
    .map((n) => path.join(dir, n));
}

/** Every session log of the workspace, verified (two at a time) and folded. */
export async function workspaceLogResults(
  root: string,
  trust: Trust,
  cache: LogCache,
): Promise<LogResult[]> {
  const files = await sessionLogs(root);
  const results = new Array<LogResult>(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const i = next++;
      results[i] = await logResult(files[i] as string, trust, cache);
    }
  };
  await Promise.all([worker(), worker()]);
  // Files gone since they were listed leave the cache.
  for (const key of cache.entries.keys()) if (!files.includes(key)) cache.entries.delete(key);
  return results;
}
