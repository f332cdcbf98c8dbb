// The interactive driver of `dapple drill`: one question per line on stdin for what the next
// step needs (tick, type the target, retry / skip / abort); approvals wait for a real approver.
import type { LiveSession, SessionAction } from '../../../preload/schemas/session';
import { toAppError } from '../../ground/errors';
import type { RestoreSession } from '../../restore/session';
import type { CliIo } from '../command';
import { awaitApproval } from './drill-approval';
import { commandLine } from './drill-words';
import type { LineReader } from './drill-io';

/** Ask what the next action needs; null means stdin ended (the session is aborted). */
async function answer(
  view: LiveSession,
  lines: LineReader,
  out: (t: string) => void,
): Promise<SessionAction | null> {
  const next = view.next;
  if (!next) return null;
  const step = view.plan.steps.find((s) => s.id === next.step);
  if (!step) return null;
  switch (next.need) {
    case 'checklist': {
      const checked: string[] = [];
      for (const item of step.checklist) {
        for (;;) {
          const a = await lines.ask(`  [ ] ${item} — done? (y/abort) `);
          if (a === null || a === 'abort') return null;
          if (a.toLowerCase() === 'y' || a.toLowerCase() === 'yes') break;
          out('    Tick it only once it is true.\n');
        }
        checked.push(item);
      }
      return { type: 'checklist', step: step.id, checked };
    }
    case 'confirm': {
      const typed = await lines.ask(`  ${next.message} `);
      return typed === null ? null : { type: 'confirm', step: step.id, typed };
    }
    case 'approval':
      // Answered by awaitApproval in drive(): never by this terminal inventing one.
      return null;
    case 'run':
      out(commandLine(step, view.state.mode ?? 'drill'));
      return { type: 'run', step: step.id };
    case 'retry': {
      out(`  ${next.message}\n`);
      for (;;) {
        const a = (await lines.ask('  retry, skip or abort? (r/s/a) '))?.toLowerCase();
        if (a === undefined || a === 'a' || a === 'abort') return null;
        if (a === 'r' || a === 'retry') return { type: 'run', step: step.id };
        if (a === 's' || a === 'skip') {
          const reason = await lines.ask('  Why is it safe to skip? ');
          if (!reason) return null;
          return { type: 'skip', step: step.id, reason };
        }
      }
    }
  }
}

/** A command runs (one left by a crash, after --resume): wait for it, or stop it. */
async function whileRunning(
  view: LiveSession,
  session: RestoreSession,
  lines: LineReader,
  out: (t: string) => void,
): Promise<SessionAction | 'waited' | null> {
  const step = view.next?.step ?? '';
  out(`  ${view.next?.message ?? 'A command is running.'}\n`);
  for (;;) {
    const a = (await lines.ask('  wait for it, or stop it? (w/s/abort) '))?.toLowerCase();
    if (a === undefined || a === 'abort') return null;
    if (a === 'w' || a === 'wait') {
      await session.idle();
      return 'waited';
    }
    if (a === 's' || a === 'stop') return { type: 'cancel', step };
  }
}

/** Ask and act until the log is sealed (or stdin ends: the session is aborted). */
export async function drive(
  session: RestoreSession,
  lines: LineReader,
  io: CliIo,
  out: (t: string) => void,
  standing: string[] = [],
): Promise<void> {
  const offered = new Set<string>();
  let shown = '';
  for (;;) {
    const view = session.view();
    if (view.state.sealed || !view.next) break;
    const step = view.plan.steps.find((s) => s.id === view.next?.step);
    if (step && step.id !== shown) {
      shown = step.id;
      const index = view.plan.steps.indexOf(step) + 1;
      const marks = `${step.destructive ? ' [destructive]' : ''}${step.production ? ' [PRODUCTION]' : ''}`;
      out(`\nStep ${index}/${view.plan.steps.length}: ${step.title} (${step.kind})${marks}\n`);
      if (step.description) out(`  ${step.description}\n`);
    }
    if (view.next.need === 'approval') {
      const step = view.next.step;
      // Standing approvals given with --approval are offered first (the gate decides).
      for (const text of standing.filter((t) => !offered.has(`${step}:${t}`))) {
        offered.add(`${step}:${text}`);
        try {
          await session.act({ type: 'respond', step, text, source: 'standing' });
        } catch (error) {
          out(`  Refused the standing approval: ${toAppError(error).message}\n`);
        }
      }
      if (session.view().next?.need !== 'approval') continue;
      if (await awaitApproval(session, step, lines, io, out)) continue;
      await session.act({ type: 'abort', reason: 'Aborted at the terminal.' });
      break;
    }
    const action = view.running
      ? await whileRunning(view, session, lines, out)
      : await answer(view, lines, out);
    if (action === 'waited') continue;
    if (action === null) {
      await session.act({ type: 'abort', reason: 'Aborted at the terminal.' });
      break;
    }
    try {
      await session.act(action);
      await session.idle();
    } catch (error) {
      const e = toAppError(error);
      out(`  ${e.message}${e.hint ? ` ${e.hint}` : ''}\n`);
    }
  }
}
