// The notes a session writes into its log in words, for the reviewer who replays it.
import type { RunbookPlan } from '../../preload/schemas/runbook';
import { quoteArgv } from '../runbook/quote';

type PlanStep = RunbookPlan['steps'][number];

/** A rehearsed command step: exactly what a real run would execute, and where. */
export function rehearsalNote(step: PlanStep): string {
  if (step.s3) {
    const op = step.s3;
    const to = op.to
      ? ` into ${op.to.kind === 'folder' ? op.to.path : `s3://${op.to.bucket}/${op.to.prefix}`}`
      : ' in place';
    return `rehearsal: would ${op.action === 'prefix-equals-instant' ? 'check' : 'run'} ${op.action} of s3://${op.source.bucket}/${op.source.prefix} as at ${op.at}${op.action === 'prefix-equals-instant' ? '' : to} through backend ${op.source.backend}; the blast radius below is listed, nothing is written`;
  }
  const argv = step.argv ?? [];
  if (argv.length === 0 && step.work)
    return `rehearsal: would restore ${step.work.summary} into ${step.cwd ?? 'the target'} (${step.kind})`;
  const shown = argv.length > 0 ? quoteArgv(argv) : `the ${step.kind} step`;
  const where = step.where ?? 'this machine';
  return `rehearsal: would run ${shown} on ${where}${step.cwd ? ` in ${step.cwd}` : ''}`;
}

/** A completed drill's measure: wall time from open to the last step against the RTO. */
export function drillMeasureNote(elapsedMs: number, rtoSeconds: number): string {
  const took = Math.round(elapsedMs / 1000);
  const words = (s: number) => (s >= 120 ? `${Math.round(s / 60)} min` : `${s} s`);
  const over = took > rtoSeconds ? ': over the RTO' : '';
  return `Drill measured ${words(took)} against an RTO of ${words(rtoSeconds)}${over}.`;
}

/** The note before the seal of an aborted session whose rollback ran to its end. */
export function rolledBackNote(n: number): string {
  return `Rolled back: ${n} rollback step${n === 1 ? '' : 's'} ended.`;
}
