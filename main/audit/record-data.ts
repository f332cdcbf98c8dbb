// The `data` of each record type: what a session writes, what verify checks and what the
// reducer folds. Extra fields are allowed (newer writers), missing or mistyped ones are not.
import { z } from 'zod';
import { IsoTime } from '../../preload/schemas/common';
import { Cut } from '../../preload/schemas/groups';
import type { RecordType } from './records';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const id = z.string().min(1).max(200);
const count = z.number().int().min(0);

/** Where checkpoints are anchored, named in the `open` record so verify knows where to look. */
export const AnchorRef = z.object({
  kind: z.literal('s3'),
  bucket: z.string().min(1),
  prefix: z.string(),
  region: z.string().nullable(),
  endpoint: z.string().nullable(),
});
export type AnchorRef = z.infer<typeof AnchorRef>;

/** A receipt of one anchored checkpoint: the object version that holds it. */
export const AnchorReceipt = z.object({ seq: count, objectKey: z.string(), versionId: z.string() });
export type AnchorReceipt = z.infer<typeof AnchorReceipt>;

/**
 * One runbook step as announced by `open`, so replay can list steps not yet started. Approval
 * steps also carry who may approve and how many must, so verify checks each approval against
 * the runbook as it was when the session began (absent in logs written before they were kept).
 */
export const OpenStep = z.object({
  id,
  title: z.string(),
  kind: z.string(),
  approvers: z.array(z.string()).optional(),
  approvals: z.number().int().min(1).optional(),
});

/** A signed approval document as it travelled: payload text, signature (base64) and key id. */
export const SignedEnvelope = z.object({ payload: z.string(), sig: z.string(), key: hex64 });

/** How an approval reached the session. */
export const ApprovalVia = z.enum(['in-person', 'response', 'standing']);

/** One kind of change in an S3 step's blast radius: keys, bytes, the first keys. */
const RadiusPart = z.object({ count, bytes: count, first: z.array(z.string()) });

/** An S3 step's blast radius, computed from a listing when the attempt begins. */
export const S3Radius = z.object({
  action: z.enum(['restore-to-instant', 'copy', 'download', 'prefix-equals-instant']),
  where: z.string(),
  at: z.string(),
  overwrite: RadiusPart,
  bringBack: RadiusPart,
  create: RadiusPart,
  hide: RadiusPart,
  leave: RadiusPart,
  listed: count,
  keysAtInstant: count,
  warnings: z.array(z.string()),
});

/**
 * One key an S3 step changed: the key written (or the file's path under a download folder), its
 * previous current version (or delete marker) there, the source version copied, the new version
 * or delete marker, and the bytes. From these an undo plan can be derived.
 */
export const S3Item = z.object({
  key: z.string(),
  kind: z.enum(['overwrite', 'bringBack', 'create', 'hide']),
  from: z.string().nullable(),
  version: z.string().nullable(),
  to: z.string().nullable(),
  marker: z.boolean(),
  bytes: count,
});

/** A key an S3 step could not change, named with its version, and why. */
export const S3Failure = z.object({
  key: z.string(),
  version: z.string().nullable(),
  error: z.string(),
});

/** The data schema of every record type. */
export const recordData = {
  open: z.object({
    workspace: z.string(),
    runbook: z.object({
      name: z.string(),
      path: z.string(),
      sha256: hex64,
      rtoSeconds: z.number().nullable(),
      steps: z.array(OpenStep),
      /** The runbook's `version` field, when it has one. */
      version: z.string().nullable().optional(),
    }),
    mode: z.enum(['live', 'drill', 'rehearsal']),
    target: z.string().nullable(),
    operator: z.object({ name: z.string(), keyId: hex64 }),
    host: z.string(),
    appVersion: z.string(),
    anchor: AnchorRef.nullable(),
    /** The bound parameters (written since target choice; older logs lack it). */
    params: z.array(z.object({ name: z.string(), value: z.string().nullable() })).optional(),
    /** The cut the plan is bound to: what the session restores to (absent in older logs). */
    cut: Cut.nullable().optional(),
    /** When the incident began, as the operator set it (absent in older logs). */
    incident: IsoTime.nullable().optional(),
  }),
  'step.start': z.object({ step: id, attempt: z.number().int().min(1) }),
  'cmd.start': z.object({ cmd: id, step: id, host: z.string(), argv: z.array(z.string()) }),
  /**
   * The running command's process group, once it has started: `machine` is this machine's host
   * name (local commands) or user@host:port (ssh); `started` tells a reused id apart (local:
   * the kernel's start time of the group leader), null when unknown.
   */
  'cmd.pid': z.object({
    cmd: id,
    machine: z.string(),
    pgid: z.number().int().min(1),
    started: z.string().nullable(),
  }),
  output: z.object({
    cmd: id,
    stream: z.enum(['stdout', 'stderr']),
    bytes: count,
    sha256: hex64,
    text: z.string().optional(),
    b64: z.string().optional(),
    blob: z.literal(true).optional(),
  }),
  /** `cmd` is null in a rehearsal: the radius was listed, nothing ran. */
  's3.plan': z.object({ cmd: id.nullable(), step: id, radius: S3Radius }),
  's3.batch': z.object({ cmd: id, step: id, items: z.array(S3Item), failed: z.array(S3Failure) }),
  'cmd.end': z.object({
    cmd: id,
    exitCode: z.number().int().nullable(),
    signal: z.string().nullable(),
    durationMs: count,
  }),
  /** Countable work of a running step (preload/schemas/audit.ts StepProgress, minus ts). */
  progress: z.object({
    step: id,
    unit: z.enum(['files', 'objects', 'bytes']),
    done: count,
    total: count.nullable(),
    bytesDone: count.nullable(),
    bytesTotal: count.nullable(),
    etaSeconds: count.nullable(),
    detail: z.string().max(500).nullable(),
  }),
  confirm: z.object({ step: id, prompt: z.string(), expected: z.string(), typed: z.string() }),
  /** The operator's signed request for an approval, as sent to the approvers. */
  'approval.request': z.object({
    step: id,
    attempt: z.number().int().min(1),
    sha256: hex64,
    nonce: z.string(),
    expires: z.string(),
    document: SignedEnvelope,
  }),
  /**
   * An approval. In person, the approver's key signs this record; by response or standing
   * approval, the operator's key signs the record and `document` keeps the approver's own
   * signed bytes. `approver` is the trust file's name for the approving key.
   */
  approval: z.object({
    step: id,
    approver: z.string(),
    decision: z.enum(['approved', 'rejected']),
    statement: z.string(),
    via: ApprovalVia.optional(),
    keyId: hex64.optional(),
    /** The request a response answers (its SHA-256). */
    request: hex64.nullable().optional(),
    /** The response's or standing approval's nonce. */
    nonce: z.string().nullable().optional(),
    document: SignedEnvelope.optional(),
  }),
  /** An approval that was offered and refused, with the sentence; nothing ran because of it. */
  'approval.refused': z.object({
    step: id,
    via: ApprovalVia,
    /** Where it came from: pasted, a file, the drop folder, a standing approval, this screen. */
    source: z.enum(['paste', 'file', 'drop', 'standing', 'in-person']),
    code: z.string(),
    reason: z.string(),
    /** SHA-256 of the offered text (or file), to tell offers apart. */
    sha256: hex64,
    keyId: hex64.nullable(),
    file: z.string().nullable(),
  }),
  note: z.object({ step: id.nullable(), text: z.string() }),
  'step.end': z.object({
    step: id,
    attempt: z.number().int().min(1),
    state: z.enum(['done', 'failed', 'skipped']),
    error: z.string().nullable(),
  }),
  /** An abort that rolls back: the rollback steps of completed steps, in the order they run. */
  rollback: z.object({
    reason: z.string(),
    steps: z.array(OpenStep.extend({ of: id })),
  }),
  checkpoint: z.object({ count, head: hex64, anchored: z.array(AnchorReceipt) }),
  seal: z.object({
    count,
    head: hex64,
    reason: z.enum(['completed', 'failed', 'aborted']),
    anchored: z.array(AnchorReceipt),
  }),
} satisfies Record<RecordType, z.ZodType>;

/** The data type of one record type. */
export type RecordData<T extends RecordType> = z.infer<(typeof recordData)[T]>;
