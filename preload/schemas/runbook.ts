// A runbook bound to a cut, as the Restore section shows it before anything runs.
import { z } from 'zod';

/** One parameter and what it is bound to (null when the engineer still has to choose). */
export const PlanParam = z.object({
  name: z.string(),
  type: z.string(),
  description: z.string(),
  bound: z.string().nullable(),
});

/** A bucket location an S3 step reads or writes: the backend (endpoint, credentials), bucket, prefix. */
export const S3Place = z.object({
  kind: z.literal('bucket'),
  /** The workspace backend whose endpoint and credentials are used. */
  backend: z.string(),
  /** The endpoint in words: a URL, or "AWS S3". */
  endpoint: z.string(),
  bucket: z.string(),
  prefix: z.string(),
  /** The workspace target this place belongs to, when one holds it. */
  target: z.string().nullable(),
});
export type S3Place = z.infer<typeof S3Place>;

/** A folder an S3 download writes into. */
export const FolderPlace = z.object({
  kind: z.literal('folder'),
  path: z.string(),
  target: z.string().nullable(),
});

/**
 * The bucket operation of an s3 step (or of a verify step that checks a prefix), bound: the
 * source prefix and instant, where it writes, and the tuning. The preview shows exactly this.
 */
export const S3Operation = z.object({
  /**
   * restore-to-instant: make the source prefix list what it listed at `at` (in place); copy:
   * materialise the prefix as of `at` under `to`; download: into the folder `to`;
   * prefix-equals-instant (verify): check that `to` (or the source) lists what the source did at `at`.
   */
  action: z.enum(['restore-to-instant', 'copy', 'download', 'prefix-equals-instant']),
  source: S3Place,
  /** The instant as bound (ISO 8601), or the placeholder text when it is not bound yet. */
  at: z.string(),
  /** Where bytes land (copy, download) or what is checked (verify); null: the source itself. */
  to: z.discriminatedUnion('kind', [S3Place, FolderPlace]).nullable(),
  /** Requests in flight at once. */
  concurrency: z.number().int().min(1),
  /** Objects larger than this are copied with multipart UploadPartCopy. */
  multipartThresholdBytes: z.number().int().min(1),
  /** Why the operation cannot run as written (an unknown backend, a copy across endpoints), or null. */
  problem: z.string().nullable(),
});
export type S3Operation = z.infer<typeof S3Operation>;

/** One step with its command exactly as it would run (argv, never a shell string). */
export const PlanStep = z.object({
  id: z.string(),
  kind: z.enum([
    'manual',
    'approval',
    'ssh',
    's3',
    'local',
    'verify',
    'restic-restore',
    'borg-extract',
    'pgbackrest-restore',
    'manifest-restore',
  ]),
  title: z.string(),
  description: z.string(),
  checklist: z.array(z.string()),
  destructive: z.boolean(),
  /** The target the engineer must type to confirm a destructive step. */
  confirmTarget: z.string().nullable(),
  /** Production targets are marked in red and can never be used by a drill. */
  production: z.boolean(),
  argv: z.array(z.string()).nullable(),
  /** Where it runs: "this machine" or a host. */
  where: z.string().nullable(),
  cwd: z.string().nullable(),
  /** Placeholders that could not be bound yet, e.g. "orders.path". */
  unbound: z.array(z.string()),
  /** The bucket operation of an s3 step or an s3 verify step; null for the others. */
  s3: S3Operation.nullable(),
});
export type PlanStep = z.infer<typeof PlanStep>;

/** A runbook with its parameters bound to a cut. */
export const RunbookPlan = z.object({
  file: z.string(),
  title: z.string(),
  description: z.string(),
  rtoSeconds: z.number().nullable(),
  params: z.array(PlanParam),
  steps: z.array(PlanStep),
});
export type RunbookPlan = z.infer<typeof RunbookPlan>;
