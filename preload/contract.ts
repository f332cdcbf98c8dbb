// The one contract between main and renderer. Every call and every event is here, with a
// zod schema for what crosses and a one-line comment. Ids travel inside messages, never in
// channel names, so the type system sees every channel.
import { z } from 'zod';
import { AppError, Section } from './schemas/common';
import { IsoTime } from './schemas/common';
import { Cut, Finding, Timeline } from './schemas/groups';
import { BlastRadius } from './schemas/s3';
import { PlanChoice, RunbookPlan } from './schemas/runbook';
import { CatalogView, RecoveryPoint, SnapshotEntry, SourceStatus } from './schemas/catalog';
import { WorkspaceView } from './schemas/workspace';
import { AuditOpened, WorkspaceLog } from './schemas/audit-replay';
import { LiveSession, OperatorKeyView, SessionAction, SessionMode } from './schemas/session';
import { DrillHistory, RestorePrediction } from './schemas/drills';
import { ApprovalRequestRead, ApprovalResponseMade, WaitingRequest } from './schemas/approvals';

export { AppError, Section, WorkspaceView };
export type { Result } from './schemas/common';

const none = z.object({}).strict();

/** A question main asks the person (an SSH host key to trust, a key passphrase). */
export const PromptQuestion = z.object({
  id: z.string(),
  kind: z.enum(['host-key', 'passphrase']),
  host: z.string(),
  keyType: z.string().optional(),
  fingerprint: z.string().optional(),
  keyFile: z.string().optional(),
  message: z.string(),
  /** Unanswered after this long, the question counts as "no". */
  timeoutSeconds: z.number().int().positive(),
});

/** Calls from renderer to main: request and response schemas. */
export const calls = {
  /** Version, transport and platform, for the status bar and About. */
  'app.info': {
    request: none,
    response: z.object({
      version: z.string(),
      transport: z.enum(['electron', 'browser']),
      platform: z.string(),
    }),
  },
  /** The workspace loaded now, or null when none is open. */
  'workspace.get': { request: none, response: WorkspaceView.nullable() },
  /** Open the workspace folder at a path (typed or from the folder dialog). */
  'workspace.open': {
    request: z.object({ path: z.string().min(1).max(4096) }).strict(),
    response: WorkspaceView,
  },
  /** Load the current workspace again from disk. */
  'workspace.reload': { request: none, response: WorkspaceView },
  /** Ask main to show a folder picker (Electron only); null when cancelled. */
  'workspace.choose': { request: none, response: z.string().nullable() },
  /** One group's lanes and candidate cuts (newest first), from the cached catalog. */
  'groups.timeline': {
    request: z
      .object({
        group: z.string().min(1).max(200),
        limit: z.number().int().min(1).max(2000).default(200),
        /** Lanes alone (cuts empty), cuts alone (timeline null), or both: lanes can be drawn first. */
        parts: z.enum(['all', 'lanes', 'cuts']).default('all'),
      })
      .strict(),
    response: z.object({
      timeline: Timeline.nullable(),
      cuts: z.array(Cut),
      asOf: IsoTime.nullable(),
    }),
  },
  /** The newest consistent cut strictly before an instant ("the last good state before the incident"). */
  'groups.bestCut': {
    request: z.object({ group: z.string().min(1).max(200), before: IsoTime }).strict(),
    response: z.object({ cut: Cut.nullable(), reason: z.string() }),
  },
  /** Every finding for the workspace, most severe first. */
  'health.findings': {
    request: none,
    response: z.object({ findings: z.array(Finding), asOf: IsoTime.nullable() }),
  },
  /** A runbook of the workspace bound to a cut: every step's argv exactly as it would run. */
  'runbook.plan': {
    request: z
      .object({ file: z.string().min(1).max(1024), cut: Cut.nullable(), ...PlanChoice.shape })
      .strict(),
    response: RunbookPlan,
  },
  /** What an S3 step of the bound runbook would change, counted from a listing now (nothing is written). */
  'runbook.blastRadius': {
    request: z
      .object({
        file: z.string().min(1).max(1024),
        cut: Cut.nullable(),
        step: z.string().min(1).max(200),
        ...PlanChoice.shape,
      })
      .strict(),
    response: BlastRadius,
  },
  /** The cached catalog at once (no cache: a first read starts); with `first`, see its `total`. */
  'catalog.get': {
    request: z
      .object({
        service: z.string().min(1).max(200).optional(),
        first: z.number().int().min(1).max(1000).optional(),
      })
      .strict(),
    response: CatalogView,
  },
  /** Start reading the sources in the background (all, or the named ones); returns at once. */
  'catalog.refresh': {
    request: z
      .object({ sources: z.array(z.string().min(1).max(200)).max(1000).optional() })
      .strict(),
    response: z.object({ started: z.boolean(), sources: z.array(SourceStatus) }),
  },
  /** One point with its raw record, as its source reported it (catalog.get leaves raw out). */
  'catalog.point': {
    request: z
      .object({ source: z.string().min(1).max(200), id: z.string().min(1).max(20_000) })
      .strict(),
    response: RecoveryPoint,
  },
  /** One folder level of a restic or borg snapshot's files. */
  'catalog.files': {
    request: z
      .object({
        source: z.string().min(1).max(200),
        pointId: z.string().min(1).max(200),
        path: z.string().max(4096),
      })
      .strict(),
    response: z.array(SnapshotEntry),
  },
  /** Verify a log file against the open workspace's trusted keys and return its replay. */
  'audit.open': {
    request: z.object({ path: z.string().min(1).max(4096) }).strict(),
    response: AuditOpened,
  },
  /** The same for a log dropped into the console (its blobs are not available). */
  'audit.openText': {
    request: z
      .object({ name: z.string().min(1).max(255), text: z.string().max(2_000_000) })
      .strict(),
    response: AuditOpened,
  },
  /** The .jsonl logs in the open workspace's audit/ folder, newest name first. */
  'audit.demoLogs': { request: none, response: z.array(WorkspaceLog) },
  /** Ask main to show a file picker for a log (Electron only); null when cancelled. */
  'audit.choose': { request: none, response: z.string().nullable() },
  /** One output blob of a log, loaded on demand (text bounded). */
  'audit.blob': {
    request: z
      .object({ path: z.string().min(1).max(4096), sha256: z.string().regex(/^[0-9a-f]{64}$/) })
      .strict(),
    response: z.object({
      bytes: z.number().int(),
      text: z.string().nullable(),
      truncated: z.boolean(),
      hidden: z.string().nullable(),
    }),
  },
  /** A review report of a log (verified again): HTML or Markdown text, or a PDF (desktop app only) as base64. */
  'audit.report': {
    request: z
      .object({
        format: z.enum(['html', 'markdown', 'pdf']),
        path: z.string().min(1).max(4096).optional(),
        name: z.string().min(1).max(255).optional(),
        text: z.string().max(2_000_000).optional(),
      })
      .strict(),
    response: z.object({
      filename: z.string(),
      mime: z.string(),
      encoding: z.enum(['utf8', 'base64']),
      content: z.string(),
    }),
  },
  /** Every session log of the workspace that verified VALID, folded per runbook; the points drills tested; the logs that do not count. */
  'drills.history': { request: none, response: DrillHistory },
  /** How long a restore of this runbook and cut should take, from its past drills scaled by size, against the RTO. */
  'drills.predict': {
    request: z.object({ file: z.string().min(1).max(1024), cut: Cut.nullable() }).strict(),
    response: RestorePrediction,
  },
  /** Who signs: the operator's key without unlocking it; null when there is none yet. `create` makes it now (may ask for a passphrase). */
  'session.operator': {
    request: z.object({ create: z.boolean().optional() }).strict(),
    response: OperatorKeyView.nullable(),
  },
  /** Add the operator's public key to the open workspace's keys/trusted.json (a file meant for review in git). */
  'session.trustOperator': { request: none, response: OperatorKeyView },
  /** Start a session of a workspace runbook bound to a cut: opens its audit log. A drill refuses production targets. */
  'session.start': {
    request: z
      .object({
        file: z.string().min(1).max(1024),
        cut: Cut.nullable(),
        mode: SessionMode,
        /** When the incident began, as set on the Timeline: kept in the log for the review. */
        incident: IsoTime.nullable().optional(),
        ...PlanChoice.shape,
      })
      .strict(),
    response: LiveSession,
  },
  /** The session running in this console, or null (it survives a reload of the page). */
  'session.active': { request: none, response: LiveSession.nullable() },
  /** Do one thing in a session (tick a checklist, confirm, approve, run, skip, note, abort). */
  'session.act': {
    request: z.object({ id: z.string().min(1).max(100), action: SessionAction }).strict(),
    response: LiveSession,
  },
  /** What an S3 step of the running session would change now: shown in its typed confirmation. */
  'session.blastRadius': {
    request: z
      .object({ id: z.string().min(1).max(100), step: z.string().min(1).max(200) })
      .strict(),
    response: BlastRadius,
  },
  /** The approver's side: read a request, its signature checked against this workspace's trust file. */
  'approvals.read': {
    request: z.object({ text: z.string().min(1).max(1_000_000) }).strict(),
    response: ApprovalRequestRead,
  },
  /** Approve or reject a request with this console's own key: the signed response's line and file. */
  'approvals.sign': {
    request: z
      .object({
        text: z.string().min(1).max(1_000_000),
        decision: z.enum(['approved', 'rejected']),
        statement: z.string().min(1).max(2000),
      })
      .strict(),
    response: ApprovalResponseMade,
  },
  /** Requests waiting in the open workspace's approvals drop folder, newest first. */
  'approvals.waiting': {
    request: none,
    response: z.object({ dropFolder: z.string().nullable(), requests: z.array(WaitingRequest) }),
  },
  /** Answer a question main asked with prompt.show (a host key to trust, a key passphrase). */
  'prompt.answer': {
    request: z
      .object({
        id: z.string().min(1).max(100),
        accept: z.boolean().optional(),
        passphrase: z.string().max(1024).optional(),
      })
      .strict(),
    response: z.object({ ok: z.literal(true) }),
  },
  /** Questions main is waiting on now (a console that opened after prompt.show still sees them). */
  'prompt.pending': { request: none, response: z.array(PromptQuestion) },
} as const;

/** Events from main to renderer: payload schemas. */
export const events = {
  /** The workspace was opened or reloaded. */
  'workspace.changed': WorkspaceView,
  /** The application menu (or a global shortcut) asks to show a section. */
  'menu.navigate': z.object({ section: Section }),
  /** A source's state while a catalog refresh runs (loading with progress, then ok or error). */
  'catalog.progress': SourceStatus,
  /** A catalog refresh finished: fetch catalog.get again. */
  'catalog.changed': z.object({ asOf: IsoTime.nullable(), sources: z.array(SourceStatus) }),
  /** Main asks the person something (trust an unknown SSH host key, type a key passphrase); answer with prompt.answer. */
  'prompt.show': PromptQuestion,
  /** A session changed (a record was appended, a command printed output): the whole view, throttled. */
  'session.changed': LiveSession,
  /** A question is no longer waiting (answered, or timed out): close its dialog. */
  'prompt.closed': z.object({ id: z.string() }),
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type EventName = keyof typeof events;
export type CallRequest<K extends CallName> = z.input<Calls[K]['request']>;
export type CallResponse<K extends CallName> = z.output<Calls[K]['response']>;
export type EventPayload<K extends EventName> = z.output<(typeof events)[K]>;

/** The IPC channel name of a call: one channel per call, prefixed so it cannot collide. */
export const callChannel = (name: CallName): string => `dapple:${name}`;
/** The IPC channel name of an event. */
export const eventChannel = (name: EventName): string => `dapple:event:${name}`;

/** An error built in one place so that every side speaks the same shape. */
export const appError = (code: string, message: string, hint = ''): AppError => ({
  code,
  message,
  hint,
});
