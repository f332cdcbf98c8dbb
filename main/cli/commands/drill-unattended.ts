// `dapple drill --unattended`: a scheduled drill (cron, a systemd timer, CI) with nobody at the
// terminal. Manual steps marked `unattended: ok` are recorded as done by the schedule; approvals
// come only from standing approvals (--approval FILE); anything else stops the drill as "needs a
// person". The summary is JSON, and the exit code says how it went.
import type { SessionMode } from '../../../preload/schemas/session';
import { toAppError, UserError } from '../../ground/errors';
import { loadTrust } from '../../audit/trust';
import { verifyLog } from '../../audit/verify';
import type { RestoreSession } from '../../restore/session';
import type { PointChoice } from './drill-point';

/** Exit codes of `dapple drill`, documented in its help and the README. */
export const EXIT = {
  withinRto: 0,
  failed: 1,
  usage: 2,
  overRto: 3,
  needsPerson: 4,
} as const;

/** Why an unattended drill stopped before its end. */
export type Stop = { kind: 'needs-a-person' | 'failed'; step: string; reason: string } | null;

/** Drive the session to its seal with no person; returns why it stopped early (null: it did not). */
export async function driveUnattended(
  session: RestoreSession,
  standing: string[],
  out: (t: string) => void,
): Promise<Stop> {
  const offered = new Set<number>();
  for (;;) {
    const view = session.view();
    const next = view.next;
    if (view.state.sealed || !next) return null;
    const step = view.plan.steps.find((s) => s.id === next.step);
    const title = step?.title ?? next.step;
    let stop: Stop = null;
    try {
      if (next.need === 'checklist' || (next.need === 'confirm' && step?.kind === 'manual')) {
        out(`${title}: ${'done by the schedule (unattended: ok)'}\n`);
        await session.act({ type: 'unattended', step: next.step });
      } else if (next.need === 'approval') {
        const index = standing.findIndex((_t, i) => !offered.has(i));
        if (index < 0) {
          stop = {
            kind: 'needs-a-person',
            step: next.step,
            reason: `"${title}" needs an approval, and no standing approval is left to use (--approval FILE).`,
          };
        } else {
          offered.add(index);
          out(`${title}: offering the standing approval ${index + 1}\n`);
          await session.act({
            type: 'respond',
            step: next.step,
            text: standing[index] as string,
            source: 'standing',
          });
        }
      } else if (next.need === 'run') {
        out(`${title}: running\n`);
        await session.act({ type: 'run', step: next.step });
      } else if (next.need === 'retry') {
        stop = { kind: 'failed', step: next.step, reason: next.message };
      } else {
        stop = { kind: 'needs-a-person', step: next.step, reason: next.message };
      }
      await session.idle();
    } catch (error) {
      const e = toAppError(error);
      const person = e.code === 'NEEDS_A_PERSON' || next.need === 'approval';
      stop = { kind: person ? 'needs-a-person' : 'failed', step: next.step, reason: e.message };
    }
    if (stop) {
      out(`Stopped at "${title}": ${stop.reason}\n`);
      const words = stop.kind === 'needs-a-person' ? 'Needs a person' : 'Failed';
      await session.act({ type: 'abort', reason: `${words}: ${stop.reason}` });
      await session.idle();
      return stop;
    }
  }
}

/** The JSON summary of a drill, and its exit code. */
export async function drillSummary(
  session: RestoreSession,
  stop: Stop,
  point: (PointChoice & { how: string; time: string | null }) | null,
  trustFile: string,
  /** How this dapple was started, for the line that checks the log. */
  self = 'dapple',
) {
  const view = session.view();
  const state = view.state;
  const rtoMs = view.plan.rtoSeconds === null ? null : view.plan.rtoSeconds * 1000;
  const totalMs = state.elapsedMs ?? 0;
  const completed = state.outcome === 'completed';
  const over = completed && rtoMs !== null && totalMs > rtoMs;
  const outcome = completed
    ? over
      ? 'completed-over-rto'
      : 'completed'
    : stop?.kind === 'needs-a-person'
      ? 'needs-a-person'
      : 'failed';
  const exitCode = completed
    ? over
      ? EXIT.overRto
      : EXIT.withinRto
    : outcome === 'needs-a-person'
      ? EXIT.needsPerson
      : EXIT.failed;
  const trusted = await loadTrust(trustFile).catch(() => new Map());
  const report = await verifyLog(view.logPath, { trusted });
  return {
    exitCode,
    summary: {
      outcome,
      exitCode,
      mode: state.mode as SessionMode,
      runbook: view.plan.file,
      point,
      stoppedAt: stop,
      steps: state.steps.map((s) => ({
        id: s.id,
        title: s.title,
        kind: s.kind,
        status: s.state,
        durationMs: s.durationMs ?? 0,
      })),
      totalMs,
      rtoMs,
      logPath: view.logPath,
      verdict: report.verdict,
      verifyError: report.firstError?.reason ?? null,
      verify: `${self} audit verify ${view.logPath}`,
    },
  };
}

/** Refuse what an unattended run cannot be. */
export function checkUnattended(mode: SessionMode, resume: boolean): void {
  if (mode !== 'drill' || resume) {
    throw new UserError(
      'BAD_ARGS',
      resume
        ? '--unattended starts a new drill; it cannot resume a session.'
        : `--unattended runs drills only, not a ${mode === 'live' ? 'live restore' : mode}: a person runs those.`,
      'Drop --mode, or run it with a person at the terminal.',
    );
  }
}
