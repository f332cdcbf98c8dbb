// The signed approval documents as they cross into the console: a request (the operator's), a
// response (an approver's, binding the request's hash) and a standing approval (an approver's,
// for drills of one runbook). Field names are part of the format (docs/approvals.md): never
// rename them. main/approvals/ signs and reads them; the Approve dialog shows them.
import { z } from 'zod';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const nonce = z.string().regex(/^[0-9a-f]{32}$/);
const time = z.string().datetime({ offset: false });
const text = (max: number) => z.string().max(max);

/** The `kind` of each document; also the first word of its pasteable line. */
export const KINDS = {
  request: 'dapple-approval-request',
  response: 'dapple-approval-response',
  standing: 'dapple-standing-approval',
} as const;
export type DocumentKind = keyof typeof KINDS;

/** Who signed, as their key and the name the signer's side knew them by (informational). */
const Signer = z.object({ keyId: hex64, name: text(200) });

/** One step that will run after the approval, as the approver reads it. */
export const NextStep = z.object({
  id: text(200),
  title: text(500),
  kind: text(40),
  /** The exact argv (one word per item), or null for steps without a command. */
  argv: z.array(text(20_000)).max(1000).nullable(),
  /** Where it runs ("this machine" or a host), null for steps without a command. */
  where: text(1000).nullable(),
  /** An S3 operation in words (bucket, prefix, action), or null. */
  s3: text(2000).nullable(),
  destructive: z.boolean(),
  /** The target a destructive step overwrites. */
  target: text(500).nullable(),
  production: z.boolean(),
});
export type NextStep = z.infer<typeof NextStep>;

/** The request an approval step writes: everything the approver must see, signed by the operator. */
export const RequestPayload = z.object({
  kind: z.literal(KINDS.request),
  v: z.literal(1),
  workspace: text(200),
  /** The session: its log id and the log file's name. */
  session: z.object({ log: z.string().regex(/^[0-9a-f]{16,64}$/), file: text(500) }),
  step: z.object({ id: text(200), title: text(500), attempt: z.number().int().min(1) }),
  /** Names (from the workspace's keys/trusted.json) that may approve, and how many must. */
  approvers: z.array(text(200)).max(100),
  approvals: z.number().int().min(1),
  runbook: z.object({
    title: text(500),
    path: text(1000),
    version: text(100).nullable(),
    sha256: hex64,
  }),
  /** SHA-256 of the bound plan (canonical JSON): what exactly will run. */
  planSha256: hex64,
  /** The bound cut: one point per service, or null for a runbook without a cut. */
  cut: z
    .object({
      group: text(200),
      time,
      members: z
        .array(z.object({ service: text(200), pointId: text(2000).nullable(), time }))
        .max(1000),
    })
    .nullable(),
  target: z.object({ name: text(500), environment: text(40) }).nullable(),
  mode: z.enum(['live', 'drill', 'rehearsal']),
  operator: Signer,
  nonce,
  created: time,
  expires: time,
  next: z.array(NextStep).max(1000),
});
export type RequestPayload = z.infer<typeof RequestPayload>;

/** An approver's answer to one request: it binds the request's SHA-256 and repeats what it binds. */
export const ResponsePayload = z.object({
  kind: z.literal(KINDS.response),
  v: z.literal(1),
  /** SHA-256 of the request's payload bytes. */
  request: hex64,
  workspace: text(200),
  session: z.string().regex(/^[0-9a-f]{16,64}$/),
  step: text(200),
  planSha256: hex64,
  requestNonce: nonce,
  decision: z.enum(['approved', 'rejected']),
  statement: z.string().min(1).max(2000),
  approver: Signer,
  nonce,
  created: time,
});
export type ResponsePayload = z.infer<typeof ResponsePayload>;

/** An approver's standing approval: drills of one runbook on sandbox targets, until a date. */
export const StandingPayload = z.object({
  kind: z.literal(KINDS.standing),
  v: z.literal(1),
  workspace: text(200),
  runbook: z.object({ path: text(1000), title: text(500), sha256: hex64 }),
  /** Always "drill": a live restore can never use a standing approval. */
  mode: z.literal('drill'),
  /** Always "sandbox": decided where the plan's bytes land, at the gate. */
  targets: z.literal('sandbox'),
  validUntil: time,
  statement: z.string().min(1).max(2000),
  approver: Signer,
  nonce,
  created: time,
});
export type StandingPayload = z.infer<typeof StandingPayload>;

/** A request as the Approve dialog shows it: checked against this console's trust file. */
export const ApprovalRequestRead = z.object({
  /** SHA-256 of the request's payload: what a response binds. */
  sha256: z.string(),
  request: RequestPayload,
  /** The operator's name as this console's keys/trusted.json names the signing key. */
  operatorName: z.string(),
  expired: z.boolean(),
  /** Who would sign here (this console's key), or null when it has none yet. */
  me: z.object({ name: z.string(), keyId: z.string() }).nullable(),
  /** Why this console may not answer it (expired, your own, not an approver), or null. */
  problem: z.string().nullable(),
});
export type ApprovalRequestRead = z.infer<typeof ApprovalRequestRead>;

/** A signed response: the line to paste and where its file was written. */
export const ApprovalResponseMade = z.object({
  line: z.string(),
  file: z.string().nullable(),
  decision: z.enum(['approved', 'rejected']),
  approver: z.string(),
});
export type ApprovalResponseMade = z.infer<typeof ApprovalResponseMade>;

/** A request waiting in the drop folder: read, or why it cannot be used. */
export const WaitingRequest = z.object({
  file: z.string(),
  /** The request's line (null when it could not be read). */
  line: z.string().nullable(),
  read: ApprovalRequestRead.nullable(),
  problem: z.string().nullable(),
});
