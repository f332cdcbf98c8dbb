// A verified session log folded into a drill record: the session reducer's state read for what
// the Drills section, the catalog and the prediction need. Pure: no I/O, no clock.
import path from 'node:path';
import type { SessionState } from '../../preload/schemas/audit';
import type { DrillPoint, DrillRecord, DrillStep } from '../../preload/schemas/drills';
import { stepTimes } from '../../preload/schemas/step-times';

/** Why a sealed, VALID log still yields no record (an older log without an open record's data). */
export type FoldRefusal = { reason: string };

/**
 * The drill record of a sealed session. `operatorName` is what the trust file calls the operator's
 * key (never the name the log gives itself). Points carry no bytes yet: see withSizes.
 */
export function foldDrill(
  file: string,
  session: SessionState,
  operatorName: string,
): DrillRecord | FoldRefusal {
  const { runbook, mode, operator, startedAt, lastTs, logId } = session;
  if (!runbook || !mode || !operator || !startedAt || !lastTs || !logId)
    return { reason: 'the log has no complete open record' };
  if (!session.sealed || session.outcome === 'running')
    return { reason: 'the log is not sealed: the session is still running or was interrupted' };
  const endMs = Date.parse(lastTs);
  const measuredMs = Math.max(0, endMs - Date.parse(startedAt));
  const steps: DrillStep[] = session.steps.map((s) => {
    const t = stepTimes(s, session.commands, endMs);
    return {
      id: s.id,
      title: s.title,
      kind: s.kind,
      state: s.state,
      attempts: s.attempts,
      waitingMs: t?.waitingMs ?? 0,
      runningMs: t?.runningMs ?? 0,
      totalMs: t ? t.waitingMs + t.runningMs : null,
    };
  });
  const failed = session.steps.find((s) => s.state === 'failed');
  const points: DrillPoint[] = (session.cut?.members ?? []).flatMap((m) => {
    const id = m.pointId ?? m.windowId;
    return id
      ? [{ service: m.service, source: m.source, pointId: id, time: m.time, bytes: null }]
      : [];
  });
  const rto = runbook.rtoSeconds;
  return {
    logPath: file,
    logName: path.basename(file),
    logId,
    runbook: runbook.path,
    title: runbook.name,
    mode,
    outcome: session.outcome,
    startedAt,
    endedAt: lastTs,
    measuredMs,
    rtoSeconds: rto,
    overRto: session.outcome === 'completed' && rto !== null && measuredMs > rto * 1000,
    operator: operatorName,
    operatorKeyId: operator.keyId,
    target: session.target,
    group: session.cut?.group ?? null,
    points,
    bytes: null,
    steps,
    failedStep:
      failed && session.outcome !== 'completed'
        ? { id: failed.id, title: failed.title, error: failed.error ?? 'it failed' }
        : null,
  };
}

/** Whether a fold gave a record. */
export const isRecord = (x: DrillRecord | FoldRefusal): x is DrillRecord => 'logPath' in x;

/**
 * The record with its points' sizes from the catalog (a point with its chain); the total only
 * when every point's size is known. `sizeOf` returns null for a point the catalog lacks.
 */
export function withSizes(
  record: DrillRecord,
  sizeOf: (source: string, pointId: string) => number | null,
): DrillRecord {
  const points = record.points.map((p) => ({ ...p, bytes: sizeOf(p.source, p.pointId) }));
  const known = points.length > 0 && points.every((p) => p.bytes !== null);
  return {
    ...record,
    points,
    bytes: known ? points.reduce((sum, p) => sum + (p.bytes ?? 0), 0) : null,
  };
}

/** A drill that proves its points restore: a completed drill (the log was VALID to get here). */
export const provesPoints = (d: DrillRecord): boolean =>
  d.mode === 'drill' && d.outcome === 'completed';
