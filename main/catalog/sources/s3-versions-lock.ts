// Object Lock for a versioned prefix: the bucket's default retention and each sampled version's
// retention and legal hold, folded into the weakest guarantee the whole window can count on.
import {
  GetObjectLegalHoldCommand,
  GetObjectLockConfigurationCommand,
  GetObjectRetentionCommand,
  HeadObjectCommand,
  type ObjectLockConfiguration,
} from '@aws-sdk/client-s3';
import type { Immutability } from '../../../preload/schemas/catalog';
import { UserError } from '../../ground/errors';
import type { S3Backend } from '../backends/s3';
import { describeS3Error } from '../backends/s3-errors';
import type { SampledVersion } from './s3-versions-scan';

/** The bucket's lock setting: null when Object Lock is not enabled on the bucket. */
export type BucketLock = {
  enabled: boolean;
  defaultRetention: {
    mode: 'GOVERNANCE' | 'COMPLIANCE';
    days: number | null;
    years: number | null;
  } | null;
} | null;

/** One sampled version's lock, as S3 reported it. */
export type VersionLock = {
  key: string;
  versionId: string;
  mode: 'GOVERNANCE' | 'COMPLIANCE' | null;
  retainUntil: string | null;
  legalHold: boolean;
};

/** What the check found: the window's immutability and the evidence behind it. */
export type LockReport = {
  immutable: Immutability | null;
  checked: number;
  unprotected: number;
  versions: VersionLock[];
  /** A sentence when the lock state could not be read (missing permission, say). */
  error: string | null;
};

const NOT_FOUND = new Set([
  'ObjectLockConfigurationNotFoundError',
  'NoSuchObjectLockConfiguration',
  'InvalidRequest',
]);

const codeOf = (error: unknown): string => {
  const e = error as { Code?: string; name?: string } | null;
  return e?.Code ?? e?.name ?? '';
};

/**
 * Some S3-compatible servers (moto among them) answer "200, empty body" for a version without
 * retention; AWS answers NoSuchObjectLockConfiguration. Both mean: no retention on this version.
 */
const emptyAnswer = (error: unknown): boolean => {
  const e = error as { $metadata?: { httpStatusCode?: number }; message?: string } | null;
  return (
    e?.$metadata?.httpStatusCode === 200 &&
    /Deserialization error|parse error/i.test(e.message ?? '')
  );
};

/** Read the bucket's Object Lock configuration; null when the bucket has none. */
export async function readBucketLock(
  backend: S3Backend,
  bucket: string,
  signal?: AbortSignal,
): Promise<BucketLock> {
  let config: ObjectLockConfiguration | undefined;
  try {
    const answer = await backend.client.send(
      new GetObjectLockConfigurationCommand({ Bucket: bucket }),
      signal ? { abortSignal: signal } : {},
    );
    config = answer.ObjectLockConfiguration;
  } catch (error) {
    if (NOT_FOUND.has(codeOf(error))) return null;
    throw describeS3Error(error, backend.place('s3:GetBucketObjectLockConfiguration', bucket));
  }
  if (config?.ObjectLockEnabled !== 'Enabled') return null;
  const rule = config.Rule?.DefaultRetention;
  // AWS sets exactly one of Days and Years; some servers send 0 for the other.
  return {
    enabled: true,
    defaultRetention:
      rule?.Mode === 'GOVERNANCE' || rule?.Mode === 'COMPLIANCE'
        ? { mode: rule.Mode, days: rule.Days || null, years: rule.Years || null }
        : null,
  };
}

/** Run tasks with at most `limit` in flight. */
async function mapLimit<T, R>(
  items: T[],
  limit: number,
  run: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      out[index] = await run(items[index] as T);
    }
  });
  await Promise.all(workers);
  return out;
}

/** Ask GetObjectRetention and GetObjectLegalHold directly (HeadObject omits lock headers without those permissions). */
async function askLockApis(
  backend: S3Backend,
  bucket: string,
  v: SampledVersion,
  signal?: AbortSignal,
) {
  const input = { Bucket: bucket, Key: v.key, VersionId: v.versionId };
  const options = signal ? { abortSignal: signal } : {};
  return Promise.all([
    backend.client.send(new GetObjectRetentionCommand(input), options).then(
      (r) => r.Retention ?? null,
      (error: unknown) => {
        if (NOT_FOUND.has(codeOf(error)) || emptyAnswer(error)) return null;
        throw describeS3Error(error, backend.place('s3:GetObjectRetention', bucket, v.key));
      },
    ),
    backend.client.send(new GetObjectLegalHoldCommand(input), options).then(
      (r) => r.LegalHold?.Status === 'ON',
      (error: unknown) => {
        if (NOT_FOUND.has(codeOf(error)) || emptyAnswer(error)) return false;
        throw describeS3Error(error, backend.place('s3:GetObjectLegalHold', bucket, v.key));
      },
    ),
  ]);
}

/** One version's lock: HeadObject first (one call answers mode, date and hold), then the lock APIs. */
async function readVersionLock(
  backend: S3Backend,
  bucket: string,
  v: SampledVersion,
  signal?: AbortSignal,
): Promise<VersionLock> {
  const head = await backend.call(
    's3:GetObjectVersion',
    bucket,
    () =>
      backend.client.send(
        new HeadObjectCommand({ Bucket: bucket, Key: v.key, VersionId: v.versionId }),
        signal ? { abortSignal: signal } : {},
      ),
    v.key,
  );
  let mode: string | undefined = head.ObjectLockMode;
  let until: Date | undefined = head.ObjectLockRetainUntilDate;
  let hold = head.ObjectLockLegalHoldStatus === 'ON';
  if (!mode && !hold) {
    const [retention, held] = await askLockApis(backend, bucket, v, signal);
    mode = retention?.Mode;
    until = retention?.RetainUntilDate;
    hold = held;
  }
  return {
    key: v.key,
    versionId: v.versionId,
    mode: mode === 'GOVERNANCE' || mode === 'COMPLIANCE' ? mode : null,
    retainUntil: until ? until.toISOString() : null,
    legalHold: hold,
  };
}

const RANK = { LEGAL_HOLD: 0, GOVERNANCE: 1, COMPLIANCE: 2 } as const;

/** Fold version locks into the window's guarantee: the weakest mode and the earliest expiry. */
export function foldLocks(
  locks: VersionLock[],
  now: Date,
): Pick<LockReport, 'immutable' | 'unprotected'> {
  let unprotected = 0;
  let weakest: keyof typeof RANK | null = null;
  let earliest: string | null = null;
  let allHeld = locks.length > 0;
  for (const lock of locks) {
    const retained =
      lock.mode !== null &&
      lock.retainUntil !== null &&
      Date.parse(lock.retainUntil) > now.getTime();
    if (!lock.legalHold) allHeld = false;
    if (!retained && !lock.legalHold) {
      unprotected++;
      continue;
    }
    const mode: keyof typeof RANK = retained
      ? (lock.mode as 'GOVERNANCE' | 'COMPLIANCE')
      : 'LEGAL_HOLD';
    if (weakest === null || RANK[mode] < RANK[weakest]) weakest = mode;
    // A version under legal hold alone has no end date; one with retention ends at its date.
    if (
      retained &&
      !lock.legalHold &&
      (earliest === null || (lock.retainUntil as string) < earliest)
    )
      earliest = lock.retainUntil;
  }
  if (unprotected > 0 || weakest === null) return { immutable: null, unprotected };
  return {
    immutable: { mode: weakest, retainUntil: allHeld ? null : earliest, legalHold: allHeld },
    unprotected,
  };
}

/** Check the sampled versions' locks (only worth asking when the bucket has Object Lock). */
export async function checkLocks(
  backend: S3Backend,
  bucket: string,
  sample: SampledVersion[],
  options: { concurrency: number; now: Date; signal?: AbortSignal },
): Promise<LockReport> {
  try {
    const versions = await mapLimit(sample, options.concurrency, (v) =>
      readVersionLock(backend, bucket, v, options.signal),
    );
    return { ...foldLocks(versions, options.now), checked: versions.length, versions, error: null };
  } catch (error) {
    // Without s3:GetObjectRetention the window is still restorable; only its lock is unknown.
    return {
      immutable: null,
      checked: 0,
      unprotected: 0,
      versions: [],
      error: error instanceof UserError ? error.message : String(error),
    };
  }
}
