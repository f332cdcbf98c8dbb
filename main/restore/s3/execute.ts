// Running planned S3 work: each action (copy the version at T, hide with a delete marker, or
// download) through the bounded, throttle-aware pool; every change and every failure (named by
// key and version) handed to `record` in pages; progress after each key; Cancel stops it.
import type { RecordData } from '../../audit/record-data';
import { copyVersion, hideKey } from './copy';
import { downloadVersion } from './download';
import { keyPath, type FolderGuard } from './download-paths';
import { isAbort, isRetryable, keyFailure } from './errors';
import type { Action, Place } from './plan';
import { runPool } from './pool';

type Item = RecordData<'s3.batch'>['items'][number];
type Failure = RecordData<'s3.batch'>['failed'][number];

/** What running needs. */
export type ExecuteInput = {
  source: Place;
  /** Where keys are written: the source itself in place, another prefix for a copy. */
  dest: Place;
  /** The download folder, or null. */
  folder: FolderGuard | null;
  actions: AsyncIterable<Action>;
  concurrency: number;
  thresholdBytes: number;
  /** The destination bucket has Object Lock enabled. */
  locked?: boolean;
  signal?: AbortSignal;
  /** Append one page of changes and failures to the log. */
  record: (items: Item[], failed: Failure[]) => Promise<void>;
  progress?: (done: { keys: number; bytes: number; failed: number }) => void;
  onThrottle?: (window: number) => void;
  /** A page is recorded once it holds this many keys or is this old (default 500 keys / 1 s). */
  page?: { keys: number; ms: number };
  /** Throttled tries after the first (default 8). */
  maxRetries?: number;
  baseDelayMs?: number;
};

/** How the run went. */
export type ExecuteOutcome = {
  keys: number;
  bytes: number;
  failed: number;
  firstFailures: Failure[];
  cancelled: boolean;
};

const KEEP_FAILURES = 20;

/** The download path of an action's key (one "/" kept by a prefix without a trailing one is dropped). */
function downloadPath(source: Place, rel: string) {
  const shown =
    source.prefix !== '' && !source.prefix.endsWith('/') && rel.startsWith('/')
      ? rel.slice(1)
      : rel;
  return { shown, kp: keyPath(shown, 0) };
}

/** Run every action; resolves with the counts (never rejects for one key's failure). */
export async function executeS3(input: ExecuteInput): Promise<ExecuteOutcome> {
  const outcome: ExecuteOutcome = {
    keys: 0,
    bytes: 0,
    failed: 0,
    firstFailures: [],
    cancelled: false,
  };
  const page = input.page ?? { keys: 500, ms: 1000 };
  let items: Item[] = [];
  let failures: Failure[] = [];
  let pageStarted = performance.now();
  let chain: Promise<void> = Promise.resolve();
  const flush = () => {
    if (items.length === 0 && failures.length === 0) return;
    const [i, f] = [items, failures];
    items = [];
    failures = [];
    pageStarted = performance.now();
    chain = chain.then(() => input.record(i, f));
  };
  const maybeFlush = () => {
    if (items.length + failures.length >= page.keys || performance.now() - pageStarted >= page.ms)
      flush();
    input.progress?.({ keys: outcome.keys, bytes: outcome.bytes, failed: outcome.failed });
  };
  const { source, dest } = input;

  const run = async (action: Action): Promise<void> => {
    const destKey = dest.prefix + action.rel;
    if (input.folder) {
      const { shown, kp } = downloadPath(source, action.rel);
      const entry = action.source;
      if (typeof kp === 'string' || !entry) throw new Error(`${shown} ${String(kp)}`);
      const bytes = await downloadVersion({
        backend: source.backend,
        bucket: source.bucket,
        key: source.prefix + action.rel,
        entry,
        guard: input.folder,
        path: kp,
        ...(input.signal ? { signal: input.signal } : {}),
      });
      items.push({
        key: shown,
        kind: action.kind,
        from: null,
        version: entry.versionId,
        to: null,
        marker: false,
        bytes,
      });
      outcome.bytes += bytes;
    } else if (action.kind === 'hide') {
      const marker = await hideKey(dest.backend, dest.bucket, destKey, input.signal);
      items.push({
        key: destKey,
        kind: 'hide',
        from: action.from,
        version: null,
        to: marker,
        marker: true,
        bytes: action.bytes,
      });
    } else {
      const entry = action.source;
      if (!entry) throw new Error(`no version to copy for ${destKey}`);
      const to = await copyVersion({
        backend: dest.backend,
        sourceBucket: source.bucket,
        sourceKey: source.prefix + action.rel,
        entry,
        destBucket: dest.bucket,
        destKey,
        thresholdBytes: input.thresholdBytes,
        locked: input.locked === true,
        ...(input.signal ? { signal: input.signal } : {}),
      });
      items.push({
        key: destKey,
        kind: action.kind,
        from: action.from,
        version: entry.versionId,
        to,
        marker: false,
        bytes: entry.size,
      });
      outcome.bytes += entry.size;
    }
    outcome.keys++;
    maybeFlush();
  };

  const failed = (action: Action, error: unknown) => {
    // A key stopped by Cancel is neither done nor failed: the next run plans it again.
    if (isAbort(error) || input.signal?.aborted) return;
    const written = input.folder
      ? downloadPath(source, action.rel).shown
      : dest.prefix + action.rel;
    const version = action.source?.versionId ?? action.from;
    const where = input.folder || action.kind !== 'hide' ? source : dest;
    const call = input.folder
      ? 's3:GetObjectVersion'
      : action.kind === 'hide'
        ? 's3:DeleteObject'
        : 's3:PutObject';
    const sentence = keyFailure(
      error,
      where.backend,
      call,
      where.bucket,
      input.folder ? source.prefix + action.rel : written,
      version,
    );
    const failure = { key: written, version, error: `${sentence.message} ${sentence.hint}`.trim() };
    failures.push(failure);
    outcome.failed++;
    if (outcome.firstFailures.length < KEEP_FAILURES) outcome.firstFailures.push(failure);
    maybeFlush();
  };

  await runPool(input.actions, {
    concurrency: input.concurrency,
    ...(input.signal ? { signal: input.signal } : {}),
    run,
    retryable: isRetryable,
    failed,
    ...(input.maxRetries !== undefined ? { maxRetries: input.maxRetries } : {}),
    ...(input.baseDelayMs !== undefined ? { baseDelayMs: input.baseDelayMs } : {}),
    ...(input.onThrottle ? { onThrottle: input.onThrottle } : {}),
  });
  flush();
  await chain;
  outcome.cancelled = input.signal?.aborted === true;
  return outcome;
}
