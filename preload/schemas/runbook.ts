// A runbook bound to a cut, as the Restore section shows it before anything runs.
import { z } from 'zod';

/** A target a target parameter may be bound to (the console's target picker lists these). */
export const TargetChoice = z.object({
  name: z.string(),
  environment: z.enum(['production', 'sandbox']),
  kind: z.enum(['host', 'bucket', 'folder']),
  /** Where it writes, in words: a folder, host:folder or bucket. */
  location: z.string(),
});
export type TargetChoice = z.infer<typeof TargetChoice>;

/** How much a bound point brings along: its chain (full → incrementals) and their bytes. */
export const PointChain = z.object({
  /** Sets restored for this point, itself included (1 for a full or a snapshot). */
  sets: z.number().int().min(1),
  /** Their bytes together, when the catalog knows every size. */
  bytes: z.number().nullable(),
  /** In words, e.g. "1 full + 13 incr, 2.4 MB". */
  summary: z.string(),
});
export type PointChain = z.infer<typeof PointChain>;

/** One parameter and what it is bound to (null when the engineer still has to choose). */
export const PlanParam = z.object({
  name: z.string(),
  type: z.string(),
  description: z.string(),
  bound: z.string().nullable(),
  /** Target parameters: the targets it allows, production first. Empty for other types. */
  choices: z.array(TargetChoice),
  /** Recovery-point parameters: the chain the bound point needs; null otherwise. */
  chain: PointChain.nullable(),
  /** String parameters: the regular expression a value must match, or null. */
  pattern: z.string().nullable(),
});
export type PlanParam = z.infer<typeof PlanParam>;

/** Every kind of step: people (manual, approval), argv (ssh, local, verify), s3, backup tools. */
export const StepKind = z.enum([
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
]);
export type StepKind = z.infer<typeof StepKind>;

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

/** What a tool-aware step will restore, from the catalog. */
export const StepWork = z.object({
  sets: z.number().int().min(1),
  files: z.number().int().nullable(),
  bytes: z.number().nullable(),
  /** In words, e.g. "3 sets (1 full + 2 incr): 14 files, 23 KB". */
  summary: z.string(),
});
export type StepWork = z.infer<typeof StepWork>;

/** One step with its command exactly as it would run (argv, never a shell string). */
export const PlanStep = z.object({
  id: z.string(),
  kind: StepKind,
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
  /** Tool-aware steps: the recovery-point parameter they restore, and its catalog source. */
  point: z.string().nullable(),
  source: z.string().nullable(),
  /** Tool-aware steps: what they will restore (sets, files, bytes); null when not known. */
  work: StepWork.nullable(),
  /** Why this step cannot run as bound, in sentences (a session refuses to start on them). */
  problems: z.array(z.string()),
  /** A rollback step: the id of the step it undoes; null for the runbook's own steps. */
  rollbackOf: z.string().nullable(),
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
  /** The rollback steps of every step, run in reverse order when a session is aborted after them. */
  rollback: z.array(PlanStep),
});
export type RunbookPlan = z.infer<typeof RunbookPlan>;

/** What the engineer chose before binding: the target, other parameters, the files to restore. */
export const PlanChoice = z
  .object({
    /** The target for the runbook's target parameter (its only one, or the first). */
    target: z.string().min(1).max(200).nullable().optional(),
    /** Values by parameter name: instants (ISO 8601), strings, targets. */
    params: z.record(z.string().max(64), z.string().max(4096)).optional(),
    /** The Catalog file browser's selection: paths inside one restic or borg point. */
    selection: z
      .object({
        source: z.string().min(1).max(200),
        pointId: z.string().min(1).max(200),
        paths: z.array(z.string().min(1).max(4096)).max(1000),
      })
      .nullable()
      .optional(),
  })
  .strict();
export type PlanChoice = z.infer<typeof PlanChoice>;
