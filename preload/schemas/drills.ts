// Drill history as the renderer sees it: each session log of the workspace that verified VALID,
// folded into a drill record; per runbook its drills and warnings; the points those drills tested;
// and the logs that did not count, with why. Produced by main/drills/.
import { z } from 'zod';
import { IsoTime } from './common';
import { Verdict } from './audit';

/** One step of a drill: how long it was current, split into waiting for a person and running. */
export const DrillStep = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.string(),
  state: z.enum(['pending', 'running', 'done', 'failed', 'skipped']),
  attempts: z.number().int(),
  /** Milliseconds current with no command running (a person reading, ticking, approving). */
  waitingMs: z.number().min(0),
  /** Milliseconds a command of the step was running. */
  runningMs: z.number().min(0),
  /** Null for a step that never became current (the drill stopped before it). */
  totalMs: z.number().min(0).nullable(),
});
export type DrillStep = z.infer<typeof DrillStep>;

/** One point a drill restored (from its open record's cut). */
export const DrillPoint = z.object({
  service: z.string(),
  source: z.string(),
  /** The recovery point, or the continuous window that met the instant. */
  pointId: z.string(),
  /** The instant restored to. */
  time: IsoTime,
  /** The point's bytes with its chain, when the catalog still knows every size; else null. */
  bytes: z.number().nullable(),
});
export type DrillPoint = z.infer<typeof DrillPoint>;

/** How a session ended; `completed` is the only successful outcome. */
export const DrillOutcome = z.enum(['completed', 'failed', 'aborted']);
export type DrillOutcome = z.infer<typeof DrillOutcome>;

/** One sealed session log that verified VALID, folded. */
export const DrillRecord = z.object({
  logPath: z.string(),
  logName: z.string(),
  logId: z.string(),
  /** The runbook's workspace path (e.g. runbooks/shop-restore.yaml) and its title then. */
  runbook: z.string(),
  title: z.string(),
  mode: z.enum(['live', 'drill', 'rehearsal']),
  outcome: DrillOutcome,
  startedAt: IsoTime,
  endedAt: IsoTime,
  /** Wall time from the open record to the seal. */
  measuredMs: z.number().min(0),
  rtoSeconds: z.number().nullable(),
  /** Measured over the runbook's RTO (false without an RTO). */
  overRto: z.boolean(),
  /** Who ran it: the name the workspace's trust file gives the operator's key. */
  operator: z.string(),
  operatorKeyId: z.string(),
  target: z.string().nullable(),
  /** The consistency group of the cut, or null for an unbound plan. */
  group: z.string().nullable(),
  points: z.array(DrillPoint),
  /** The points' bytes together, when every one is known. */
  bytes: z.number().nullable(),
  steps: z.array(DrillStep),
  /** The first failed step and its error, for a drill that did not complete. */
  failedStep: z.object({ id: z.string(), title: z.string(), error: z.string() }).nullable(),
});
export type DrillRecord = z.infer<typeof DrillRecord>;

/** Something about a runbook's drills worth a look. */
export const DrillWarning = z.object({
  kind: z.enum(['never-drilled', 'overdue', 'trend', 'over-rto', 'failed']),
  message: z.string(),
});
export type DrillWarning = z.infer<typeof DrillWarning>;

/** One runbook and every session of it, newest first. */
export const RunbookDrills = z.object({
  runbook: z.string(),
  title: z.string(),
  rtoSeconds: z.number().nullable(),
  /** False for logs of a runbook the workspace no longer has. */
  inWorkspace: z.boolean(),
  drills: z.array(DrillRecord),
  /** When the newest completed drill ended, or null. */
  lastSuccess: IsoTime.nullable(),
  warnings: z.array(DrillWarning),
});
export type RunbookDrills = z.infer<typeof RunbookDrills>;

/** A point restored by a completed drill whose log verified VALID. */
export const TestedPoint = z.object({
  source: z.string(),
  pointId: z.string(),
  service: z.string(),
  /** When the drill ended (its seal). */
  at: IsoTime,
  /** The drill's measured time. */
  measuredMs: z.number(),
  logPath: z.string(),
  logName: z.string(),
  runbook: z.string(),
  /** Older than the workspace's drillEvery: it proved the point once, not lately. */
  stale: z.boolean(),
});
export type TestedPoint = z.infer<typeof TestedPoint>;

/** A session log that does not count, and why (tampered, unsealed, untrusted, unreadable). */
export const IgnoredLog = z.object({
  logPath: z.string(),
  logName: z.string(),
  verdict: Verdict.nullable(),
  reason: z.string(),
});
export type IgnoredLog = z.infer<typeof IgnoredLog>;

/** drills.history: the whole drill history of the open workspace. */
export const DrillHistory = z.object({
  runbooks: z.array(RunbookDrills),
  /** The newest drill per point (by source and id). */
  tested: z.array(TestedPoint),
  ignored: z.array(IgnoredLog),
  /** How often each runbook should be drilled (dapple.yaml drillEvery; 30 days when unset). */
  drillEverySeconds: z.number(),
  drillEveryDefault: z.boolean(),
  /** A sentence when the workspace has no trust file (then no log can count), else null. */
  note: z.string().nullable(),
});
export type DrillHistory = z.infer<typeof DrillHistory>;

/** drills.predict: how long a restore of this plan should take, from past drills. */
export const RestorePrediction = z.object({
  /** Null when there is no completed drill of the runbook to learn from. */
  lowMs: z.number().nullable(),
  highMs: z.number().nullable(),
  /** Completed drills it is based on. */
  drills: z.number().int(),
  rtoSeconds: z.number().nullable(),
  /** True when the high end is over the RTO. */
  overRto: z.boolean(),
  /** The prediction in words: "predicted 38–52 min; RTO 1 h", or why there is none. */
  summary: z.string(),
  /** How it was reached: which drills, and how the sizes scaled them. */
  basis: z.string(),
});
export type RestorePrediction = z.infer<typeof RestorePrediction>;
