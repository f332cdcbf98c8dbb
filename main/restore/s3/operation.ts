// One S3 operation from its bound description to its outcome: the refusals that come before any
// listing (an instant in the future, a bucket without versions), the plan and its blast radius,
// the refusals that come after it (an instant before the oldest version, archived versions, keys
// that would land outside a download folder), then the work. Callers decide what to record.
import { GetBucketVersioningCommand } from '@aws-sdk/client-s3';
import type { S3Operation, S3Place } from '../../../preload/schemas/runbook';
import type { BlastRadius } from '../../../preload/schemas/s3';
import { UserError } from '../../ground/errors';
import type { S3Backend } from '../../catalog/backends/s3';
import { clip } from '../../catalog/backends/s3-errors';
import { readBucketLock } from '../../catalog/sources/s3-versions-lock';
import { FolderGuard } from './download-paths';
import { executeS3, type ExecuteInput, type ExecuteOutcome } from './execute';
import { keyWords, versionWords } from './keys';
import { listVersionPages, type VersionPage } from './listing';
import { planS3, type Place, type PlanOutcome } from './plan';
import { Spool } from './spool';

/** What an operation runs with. */
export type OperationContext = {
  op: S3Operation;
  /** The S3 backend of a workspace backend name (the caller closes them). */
  backend: (name: string) => S3Backend;
  signal?: AbortSignal;
  /** List a place's versions (default: ListObjectVersions; the bench feeds a generator). */
  pages?: (place: Place) => AsyncIterable<VersionPage>;
  pageSize?: number;
  firstKeys?: number;
  /** Versions listed so far while planning. */
  onListed?: (versions: number) => void;
  now?: () => number;
};

/** A plan ready to run (its spool), or a radius only. */
export type PlannedOperation = {
  radius: BlastRadius;
  source: Place;
  dest: Place;
  folder: FolderGuard | null;
  spool: Spool | null;
  /** The bucket written to has Object Lock enabled. */
  locked: boolean;
};

const words = (place: S3Place) => `s3://${place.bucket}/${place.prefix}`;

/** Where bytes land, in words, for the radius. */
function whereWords(op: S3Operation): string {
  const src = `${words(op.source)} on backend ${op.source.backend}`;
  if (op.action === 'restore-to-instant') return src;
  if (!op.to) return `${src} (checked in place)`;
  const to =
    op.to.kind === 'folder'
      ? `folder ${op.to.path}`
      : `${words(op.to)} on backend ${op.to.backend}`;
  return `${to}, from ${src}`;
}

async function versioning(
  backend: S3Backend,
  bucket: string,
  signal?: AbortSignal,
): Promise<string> {
  const answer = await backend.call('s3:GetBucketVersioning', bucket, () =>
    backend.client.send(
      new GetBucketVersioningCommand({ Bucket: bucket }),
      signal ? { abortSignal: signal } : {},
    ),
  );
  return answer.Status ?? 'Off';
}

/** The refusals that need no listing; resolves to the radius's warnings and the written bucket's lock. */
async function preflight(
  ctx: OperationContext,
  source: Place,
  dest: Place,
  at: number,
): Promise<{ warnings: string[]; locked: boolean }> {
  const { op } = ctx;
  const now = (ctx.now ?? Date.now)();
  if (at > now) {
    throw new UserError(
      'S3_INSTANT_FUTURE',
      `The instant ${op.at} is in the future (it is now ${new Date(now).toISOString()}): a prefix cannot be restored to a state it has not had.`,
      'Choose an instant in the past, e.g. the cut’s time or the time the incident began.',
    );
  }
  const status = await versioning(source.backend, source.bucket, ctx.signal);
  if (status === 'Off') {
    throw new UserError(
      'S3_NOT_VERSIONED',
      `Bucket ${clip(source.bucket, 63)} does not keep versions, so ${words(op.source)} has no past state to restore.`,
      `Turn on versioning (aws s3api put-bucket-versioning --bucket ${clip(source.bucket, 63)} --versioning-configuration Status=Enabled); changes from then on can be restored.`,
    );
  }
  if (status === 'Suspended' && op.action === 'restore-to-instant') {
    throw new UserError(
      'S3_VERSIONING_SUSPENDED',
      `Versioning is suspended on bucket ${clip(source.bucket, 63)}: every write there replaces a key's "null" version, so restoring in place could destroy a version.`,
      'Enable versioning again on the bucket, or copy the prefix as of the instant into another bucket.',
    );
  }
  const warnings: string[] = [];
  let locked = false;
  if (
    op.action === 'copy' &&
    (await versioning(dest.backend, dest.bucket, ctx.signal)) !== 'Enabled'
  )
    warnings.push(
      `Bucket ${dest.bucket} does not keep versions: what the copy overwrites or hides there is gone for good.`,
    );
  if (op.action === 'restore-to-instant' || op.action === 'copy') {
    const lock = await readBucketLock(dest.backend, dest.bucket, ctx.signal);
    locked = lock?.enabled === true;
    if (lock?.enabled) {
      const rule = lock.defaultRetention;
      const span = rule
        ? `${rule.days ?? ''}${rule.days ? ' days' : ''}${rule.years ? `${rule.years} years` : ''}`
        : '';
      warnings.push(
        rule
          ? `Object Lock is on: each version written gets the bucket's default retention (${rule.mode}, ${span}); no locked version is deleted or changed.`
          : 'Object Lock is on (no default retention): no locked version is deleted or changed.',
      );
    }
  }
  return { warnings, locked };
}

/** The refusals that need the whole listing. */
function afterPlan(
  op: S3Operation,
  at: number,
  plan: PlanOutcome,
  folder: FolderGuard | null,
): void {
  const oldest = plan.counter.oldest;
  if (oldest !== null && at < oldest) {
    throw new UserError(
      'S3_INSTANT_TOO_OLD',
      `The instant ${op.at} is before the oldest version under ${words(op.source)} (${new Date(oldest).toISOString()}): the bucket keeps no history that far back.`,
      `Choose an instant after ${new Date(oldest).toISOString()}.`,
    );
  }
  if (plan.hostileCount > 0) {
    const list = plan.hostile.map((h) => `${keyWords(h.key)} ${h.why}`).join('; ');
    throw new UserError(
      'S3_UNSAFE_KEYS',
      `${plan.hostileCount} key${plan.hostileCount === 1 ? '' : 's'} cannot be downloaded into ${folder?.root ?? 'the folder'}, so nothing was written: ${list}${plan.hostileCount > plan.hostile.length ? ', …' : ''}.`,
      'Download a prefix without such keys, or copy it into a sandbox bucket instead; links in the folder can be removed.',
    );
  }
  if (plan.archivedCount > 0) {
    const first = plan.archived[0];
    const list = plan.archived
      .map((a) => `${keyWords(a.key)} (${versionWords(a.version)}, ${a.storageClass})`)
      .join(', ');
    throw new UserError(
      'S3_ARCHIVED',
      `${plan.archivedCount} version${plan.archivedCount === 1 ? '' : 's'} at ${op.at} ${plan.archivedCount === 1 ? 'is' : 'are'} in an archive storage class and not restored, so ${plan.archivedCount === 1 ? 'it' : 'they'} cannot be copied: ${list}${plan.archivedCount > plan.archived.length ? ', …' : ''}.`,
      `Request a restore of each first, e.g. aws s3api restore-object --bucket ${op.source.bucket} --key ${JSON.stringify(first?.key ?? '')} --version-id ${first?.version ?? ''} --restore-request Days=7 (hours for GLACIER, up to 48 h for DEEP_ARCHIVE), then run the step again.`,
    );
  }
}

/** The places of an operation as backends. */
function placesOf(ctx: OperationContext): {
  source: Place;
  dest: Place;
  folder: FolderGuard | null;
} {
  const { op } = ctx;
  const at = (p: S3Place): Place => ({
    backend: ctx.backend(p.backend),
    bucket: p.bucket,
    prefix: p.prefix,
  });
  const source = at(op.source);
  const dest = op.to?.kind === 'bucket' ? at(op.to) : source;
  const folder = op.to?.kind === 'folder' ? new FolderGuard(op.to.path) : null;
  return { source, dest, folder };
}

/** Plan an operation; with `spool`, keep its work for runOperation. Throws a sentence on any refusal. */
export async function planOperation(
  ctx: OperationContext,
  spool: boolean,
): Promise<PlannedOperation> {
  const { op } = ctx;
  if (op.problem)
    throw new UserError(
      'S3_PLAN',
      `This S3 step cannot run: ${op.problem}`,
      'Fix the runbook’s s3 block.',
    );
  const at = Date.parse(op.at);
  if (Number.isNaN(at))
    throw new UserError(
      'S3_NO_INSTANT',
      `The step's instant "${clip(op.at)}" is not bound to a time.`,
      'Choose a cut or an instant first.',
    );
  const { source, dest, folder } = placesOf(ctx);
  const { warnings, locked } = await preflight(ctx, source, dest, at);
  const pages =
    ctx.pages ??
    ((p: Place) =>
      listVersionPages(p.backend, p.bucket, p.prefix, {
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        ...(ctx.pageSize ? { pageSize: ctx.pageSize } : {}),
      }));
  const kept = spool ? await Spool.create() : null;
  try {
    const plan = await planS3({
      action: op.action,
      at,
      source,
      dest: op.to?.kind === 'bucket' ? dest : null,
      folder,
      sourcePages: pages(source),
      destPages: op.to?.kind === 'bucket' ? pages(dest) : null,
      concurrency: op.concurrency,
      headers: op.action !== 'prefix-equals-instant',
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      ...(kept ? { emit: (actions) => kept.append(actions) } : {}),
      ...(ctx.firstKeys ? { firstKeys: ctx.firstKeys } : {}),
      ...(ctx.onListed ? { onListed: ctx.onListed } : {}),
    });
    await kept?.close();
    afterPlan(op, at, plan, folder);
    if (plan.counter.listed === 0) warnings.push(`${words(op.source)} holds no versions at all.`);
    const radius = plan.counter.result(op.action, whereWords(op), op.at, warnings);
    return { radius, source, dest, folder, spool: kept, locked };
  } catch (error) {
    await kept?.remove();
    throw error;
  }
}

/** Run a planned operation's spooled work (and remove the spool). */
export async function runOperation(
  planned: PlannedOperation,
  ctx: OperationContext,
  more: Pick<
    ExecuteInput,
    'record' | 'progress' | 'onThrottle' | 'page' | 'maxRetries' | 'baseDelayMs'
  >,
): Promise<ExecuteOutcome> {
  const spool = planned.spool;
  if (!spool) throw new Error('runOperation needs a plan made with a spool');
  try {
    return await executeS3({
      source: planned.source,
      dest: planned.dest,
      folder: planned.folder,
      actions: spool.read(),
      concurrency: ctx.op.concurrency,
      thresholdBytes: ctx.op.multipartThresholdBytes,
      locked: planned.locked,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      ...more,
    });
  } finally {
    await spool.remove();
  }
}
