// The Audit section's view of a log: verification in words, and the replay material main
// folds with the session reducer so the renderer only has to choose which moment to show.
import { z } from 'zod';
import { SessionState, SignerSummary, Verdict, VerifyReport } from './audit';

/** A verdict in words: a headline and one plain sentence (with the first bad record, if any). */
export const VerdictWords = z.object({
  verdict: Verdict,
  headline: z.string(),
  sentence: z.string(),
  tone: z.enum(['ok', 'warn', 'danger']),
});
export type VerdictWords = z.infer<typeof VerdictWords>;

/** A signer with what the workspace's trust file says about its key. */
export const SignerView = SignerSummary.extend({
  validFrom: z.string().nullable(),
  validUntil: z.string().nullable(),
  comment: z.string().nullable(),
});
export type SignerView = z.infer<typeof SignerView>;

/** One verified record as the replay shows it: the payload (output text moved to `outputs`) and a sentence. */
export const ReplayRecord = z.object({
  seq: z.number().int(),
  ts: z.string(),
  type: z.string(),
  actor: z.string(),
  keyId: z.string(),
  /** The signer's name from the trust file. */
  signer: z.string(),
  step: z.string().nullable(),
  /** The record in words, for the record list and the report's timeline. */
  summary: z.string(),
  data: z.record(z.string(), z.unknown()),
  /** Index into `frames`: the reducer's state after this record (output lives in `outputs`). */
  frame: z.number().int(),
  /** Milliseconds from the open record to this one. */
  offsetMs: z.number(),
});
export type ReplayRecord = z.infer<typeof ReplayRecord>;

/** One output chunk with its text bounded; a large blob can be fetched with audit.blob. */
export const ReplayOutput = z.object({
  seq: z.number().int(),
  ts: z.string(),
  cmd: z.string(),
  stream: z.enum(['stdout', 'stderr']),
  bytes: z.number().int(),
  sha256: z.string(),
  text: z.string().nullable(),
  /** Why no text is shown (binary, over the budget, blob not available), in words. */
  hidden: z.string().nullable(),
  /** The text was cut at the replay's bound. */
  truncated: z.boolean(),
  blob: z.boolean(),
  /** The blob can be loaded on demand with audit.blob. */
  lazy: z.boolean(),
});
export type ReplayOutput = z.infer<typeof ReplayOutput>;

/** Where the log came from. */
export const LogSource = z.object({
  kind: z.enum(['file', 'dropped']),
  /** Absolute path for a file; null for a dropped file. */
  path: z.string().nullable(),
  name: z.string(),
  bytes: z.number().int(),
});
export type LogSource = z.infer<typeof LogSource>;

/** What a reviewer should know about a signer's key: trusted just before the session, by the operator, or never committed (from git). */
export const KeyNote = z.object({
  keyId: z.string(),
  name: z.string(),
  tone: z.enum(['warn', 'info']),
  sentence: z.string(),
});
export type KeyNote = z.infer<typeof KeyNote>;

/** What audit.open and audit.openText answer: the verdict, the signers and the replay. */
export const AuditOpened = z.object({
  source: LogSource,
  verification: VerifyReport,
  words: VerdictWords,
  signers: z.array(SignerView),
  /** Notes on when and by whom the signers' keys were trusted (git history of keys/trusted.json). */
  keyNotes: z.array(KeyNote),
  /** A sentence when output blobs could not be checked (a dropped file), else null. */
  blobNote: z.string().nullable(),
  /** The runbook's RTO in seconds, when known. */
  rtoSeconds: z.number().nullable(),
  /** The measured time against the RTO, in words. */
  timeText: z.string(),
  records: z.array(ReplayRecord),
  /** Reducer states; command output is left out of them (see `outputs`). */
  frames: z.array(SessionState),
  outputs: z.array(ReplayOutput),
  /** A sentence when the replay was cut to stay responsive, else null. */
  limitNote: z.string().nullable(),
});
export type AuditOpened = z.infer<typeof AuditOpened>;

/** A .jsonl log in the open workspace's audit/ folder. */
export const WorkspaceLog = z.object({
  name: z.string(),
  path: z.string(),
  bytes: z.number().int(),
  modified: z.string(),
});
export type WorkspaceLog = z.infer<typeof WorkspaceLog>;
