// The s3-versions source: a versioned bucket prefix is one continuous window, from its oldest
// version to now, because any instant in that history can be restored.
import { GetBucketVersioningCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { UserError } from '../../ground/errors';
import type { SourceConfig } from '../../workspace/types';
import type { S3Backend } from '../backends/s3';
import { clip } from '../backends/s3-errors';
import type { RecoveryPoint, SourceProgress, SourceReader } from '../types';
import { checkLocks, readBucketLock, type BucketLock, type LockReport } from './s3-versions-lock';
import { VersionScanner, type VersionScan } from './s3-versions-scan';
import { withOwnAbort } from '../backends/s3-abort';

/** The s3-versions entry of dapple.yaml's sources. */
export type S3VersionsConfig = Extract<SourceConfig, { type: 's3-versions' }>;

/** Tuning: how many versions to check for Object Lock, and how many lock calls run at once. */
export type S3VersionsOptions = {
  lockSample?: number;
  lockConcurrency?: number;
  /** Versions per ListObjectVersions page (S3's maximum is 1000). */
  pageSize?: number;
  now?: () => Date;
};

/** The raw record of the window point: everything the catalog's detail panel shows. */
export type S3WindowRaw = {
  bucket: string;
  prefix: string;
  versioning: 'Enabled' | 'Suspended';
  versions: number;
  currentObjects: number;
  deletedKeys: number;
  allVersionBytes: number;
  newestChange: string | null;
  deleteMarkers: { count: number; latest: { key: string; time: string } | null };
  /** Versions and delete markers per UTC day: the change density over the window. */
  density: { day: string; versions: number; deletes: number }[];
  objectLock: {
    enabled: boolean;
    defaultRetention: NonNullable<BucketLock>['defaultRetention'];
    checked: number;
    unprotected: number;
    error: string | null;
    versions: LockReport['versions'];
  };
};

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** Read the bucket's versioning state; a bucket that never kept versions is a sentence. */
async function readVersioning(
  backend: S3Backend,
  bucket: string,
  signal?: AbortSignal,
): Promise<'Enabled' | 'Suspended'> {
  const answer = await backend.call('s3:GetBucketVersioning', bucket, () =>
    backend.client.send(
      new GetBucketVersioningCommand({ Bucket: bucket }),
      signal ? { abortSignal: signal } : {},
    ),
  );
  if (answer.Status === 'Enabled' || answer.Status === 'Suspended') return answer.Status;
  throw new UserError(
    'S3_NOT_VERSIONED',
    `bucket ${clip(bucket, 63)} does not keep versions; enable versioning to restore past states`,
    `Turn on versioning (aws s3api put-bucket-versioning --bucket ${clip(bucket, 63)} --versioning-configuration Status=Enabled); only changes after that can be restored.`,
  );
}

/** Page through ListObjectVersions under the prefix, feeding the scanner. */
async function scanVersions(
  backend: S3Backend,
  config: S3VersionsConfig,
  scanner: VersionScanner,
  options: { pageSize: number; signal?: AbortSignal; progress?: (p: SourceProgress) => void },
): Promise<void> {
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  let seen = 0;
  for (;;) {
    const page = await backend.call('s3:ListBucketVersions', config.bucket, () =>
      withOwnAbort(options.signal, (abort) =>
        backend.client.send(
          new ListObjectVersionsCommand({
            Bucket: config.bucket,
            Prefix: config.prefix,
            MaxKeys: options.pageSize,
            ...(keyMarker !== undefined ? { KeyMarker: keyMarker } : {}),
            ...(versionMarker !== undefined ? { VersionIdMarker: versionMarker } : {}),
          }),
          abort,
        ),
      ),
    );
    scanner.add(page.Versions, page.DeleteMarkers);
    seen += (page.Versions?.length ?? 0) + (page.DeleteMarkers?.length ?? 0);
    options.progress?.({
      done: seen,
      total: null,
      message: `${seen} versions and delete markers listed`,
    });
    if (!page.IsTruncated) return;
    if (
      page.NextKeyMarker === undefined ||
      (page.NextKeyMarker === keyMarker && page.NextVersionIdMarker === versionMarker)
    ) {
      // A server that says "truncated" without moving its marker would loop forever.
      throw new UserError(
        'S3_BAD_PAGINATION',
        `S3 at ${backend.config.endpoint ?? 'AWS'} returned a truncated version listing of bucket ${clip(config.bucket, 63)} without a next marker.`,
        'This S3-compatible server does not paginate ListObjectVersions correctly; report it to its vendor.',
      );
    }
    keyMarker = page.NextKeyMarker;
    versionMarker = page.NextVersionIdMarker;
  }
}

/** Turn a scan and its lock report into the window point. */
export function windowPoint(
  config: S3VersionsConfig,
  backend: string,
  scan: VersionScan,
  versioning: 'Enabled' | 'Suspended',
  lock: BucketLock,
  report: LockReport | null,
): RecoveryPoint | null {
  if (scan.oldest === null) return null;
  const raw: S3WindowRaw = {
    bucket: config.bucket,
    prefix: config.prefix,
    versioning,
    versions: scan.versions,
    currentObjects: scan.currentObjects,
    deletedKeys: scan.deletedKeys,
    allVersionBytes: scan.allVersionBytes,
    newestChange: iso(scan.newest),
    deleteMarkers: {
      count: scan.deleteMarkers,
      latest: scan.latestDelete
        ? { key: scan.latestDelete.key, time: iso(scan.latestDelete.time) as string }
        : null,
    },
    density: scan.density,
    objectLock: {
      enabled: lock?.enabled ?? false,
      defaultRetention: lock?.defaultRetention ?? null,
      checked: report?.checked ?? 0,
      unprotected: report?.unprotected ?? 0,
      error: report?.error ?? null,
      versions: report?.versions ?? [],
    },
  };
  const tags = ['versioned'];
  if (versioning === 'Suspended') tags.push('versioning-suspended');
  if (lock?.enabled) tags.push('object-lock');
  return {
    id: `s3://${config.bucket}/${config.prefix}`,
    source: config.name,
    service: config.service,
    time: iso(scan.oldest) as string,
    endTime: null,
    kind: 'window',
    parent: null,
    sizeBytes: scan.currentBytes,
    copies: [backend],
    immutable: report?.immutable ?? null,
    lastVerified: null,
    tags,
    raw,
  };
}

/** Build the s3-versions reader for one source on an s3 backend. */
export function createS3VersionsSource(
  config: S3VersionsConfig,
  backend: S3Backend,
  options: S3VersionsOptions = {},
): SourceReader {
  return {
    name: config.name,
    async list({ signal, progress }) {
      const scanner = new VersionScanner(options.lockSample ?? 32);
      // Versioning and lock settings are read while the first pages arrive; the first failure
      // (an unversioned bucket, say) stops the listing instead of paging on for nothing.
      if (signal?.aborted)
        throw new UserError(
          'CANCELLED',
          `Reading ${config.name} was cancelled.`,
          'Refresh to read it again.',
        );
      const inner = new AbortController();
      const stop = (): void => inner.abort();
      signal?.addEventListener('abort', stop, { once: true });
      const failFast = <T>(work: Promise<T>): Promise<T> =>
        work.catch((error: unknown) => {
          inner.abort();
          throw error;
        });
      let versioning: 'Enabled' | 'Suspended';
      let lock: BucketLock;
      try {
        [versioning, lock] = await Promise.all([
          failFast(readVersioning(backend, config.bucket, inner.signal)),
          failFast(readBucketLock(backend, config.bucket, inner.signal)),
          failFast(
            scanVersions(backend, config, scanner, {
              pageSize: options.pageSize ?? 1000,
              signal: inner.signal,
              ...(progress ? { progress } : {}),
            }),
          ),
        ]);
      } finally {
        signal?.removeEventListener('abort', stop);
      }
      const scan = scanner.result();
      let report: LockReport | null = null;
      if (lock?.enabled && scan.sample.length > 0) {
        progress?.({
          done: scan.versions,
          total: scan.versions,
          message: `checking Object Lock on ${scan.sample.length} versions`,
        });
        report = await checkLocks(backend, config.bucket, scan.sample, {
          concurrency: options.lockConcurrency ?? 8,
          now: (options.now ?? (() => new Date()))(),
          ...(signal ? { signal } : {}),
        });
        if (signal?.aborted)
          throw new UserError(
            'CANCELLED',
            `Reading ${config.name} was cancelled.`,
            'Refresh to read it again.',
          );
      }
      const point = windowPoint(config, backend.name, scan, versioning, lock, report);
      return point ? [point] : [];
    },
  };
}
