// The session's gates as pure decisions, without a log: what each refuses and what it lets through.
import { describe, expect, it } from 'vitest';
import type { SessionState, StepView } from '../../preload/schemas/audit';
import type { PlanStep, RunbookPlan } from '../../preload/schemas/runbook';
import { initialSession } from '../audit/reducer';
import type { Workspace } from '../workspace/types';
import { productionTargets } from './start';
import {
  checklistGate,
  confirmableGate,
  confirmationGate,
  confirmMatchGate,
  runGate,
  runningGate,
  sealedGate,
  skipGate,
  stepInTurn,
} from './gates';

const step = (over: Partial<PlanStep>): PlanStep => ({
  id: 's',
  kind: 'manual',
  title: 'S',
  description: '',
  checklist: [],
  destructive: false,
  confirmTarget: null,
  production: false,
  argv: null,
  where: null,
  cwd: null,
  unbound: [],
  point: null,
  source: null,
  work: null,
  problems: [],
  rollbackOf: null,
  s3: null,
  ...over,
});

const view = (id: string, state: StepView['state']): StepView =>
  ({ id, title: id, kind: 'local', state, attempts: 1 }) as StepView;

const withConfirmation = (s: string, matched: boolean): SessionState => ({
  ...initialSession(),
  confirmations: [{ step: s, matched } as SessionState['confirmations'][number]],
});

const plan = (steps: PlanStep[]) => ({ steps, rollback: [] }) as unknown as RunbookPlan;

describe('session gates', () => {
  it('refuse actions on a sealed session and while a command runs', () => {
    expect(sealedGate(initialSession())).toBeNull();
    expect(sealedGate({ ...initialSession(), sealed: true, outcome: 'aborted' })?.message).toBe(
      'This session ended (aborted); its log is sealed.',
    );
    expect(runningGate(null)).toBeNull();
    expect(runningGate('copy')?.code).toBe('COMMAND_RUNNING');
  });

  it('let only the first unfinished step act, and name unknown steps', () => {
    const p = plan([step({ id: 'a', title: 'A' }), step({ id: 'b', title: 'B' })]);
    const state = initialSession();
    expect(stepInTurn(p, state, 'a')).toMatchObject({ ok: true, step: { id: 'a' } });
    expect(stepInTurn(p, state, 'b')).toMatchObject({
      ok: false,
      refusal: { code: 'STEP_ORDER', message: '"B" is not the next step: "A" comes first.' },
    });
    expect(stepInTurn(p, state, 'zz')).toMatchObject({
      refusal: { message: 'The runbook has no step zz.' },
    });
    const done = { ...state, steps: [view('a', 'done'), view('b', 'skipped')] };
    expect(stepInTurn(p, done, 'a')).toMatchObject({ refusal: { code: 'SESSION_DONE' } });
  });

  it('hold a destructive step until its target is typed exactly', () => {
    const s = step({ destructive: true, confirmTarget: 'prod-db', checklist: ['x'] });
    expect(confirmationGate(s, initialSession())?.code).toBe('CONFIRM_NEEDED');
    expect(confirmationGate(s, withConfirmation('s', false))?.code).toBe('CONFIRM_NEEDED');
    expect(confirmationGate(s, withConfirmation('s', true))).toBeNull();
    expect(confirmationGate(step({}), initialSession())).toBeNull();
    expect(confirmableGate(step({}))?.code).toBe('NOT_DESTRUCTIVE');
    expect(confirmableGate(step({ destructive: true }))?.code).toBe('NO_TARGET');
    expect(confirmableGate(s)).toBeNull();
    expect(confirmMatchGate(s, 'prod-db')).toBeNull();
    expect(confirmMatchGate(s, 'prod-db ')?.code).toBe('CONFIRM_MISMATCH');
    // An invisible character in what was typed is shown, not echoed invisibly.
    expect(confirmMatchGate(s, 'prod\u200b-db\n')?.message).toBe(
      'You typed "prod\\u{200B}-db\\n", but the target is prod-db: nothing was overwritten.',
    );
  });

  it('complete a checklist only on a manual step with every item ticked', () => {
    const s = step({ checklist: ['one', 'two'] });
    expect(checklistGate(s, initialSession(), ['one', 'two'])).toBeNull();
    expect(checklistGate(s, initialSession(), ['one'])?.message).toBe(
      '"S" is not done: "two" is not ticked.',
    );
    expect(checklistGate(step({ kind: 'local' }), initialSession(), [])?.code).toBe('NOT_MANUAL');
  });

  it('run command steps, ask a failed approval again, refuse the rest', () => {
    expect(runGate(step({ kind: 'local' }), undefined, initialSession())).toEqual({ do: 'run' });
    expect(runGate(step({ kind: 'approval' }), view('s', 'failed'), initialSession())).toEqual({
      do: 'ask-again',
    });
    expect(runGate(step({}), undefined, initialSession())).toMatchObject({
      do: 'refuse',
      refusal: { code: 'NOTHING_TO_RUN' },
    });
  });

  it('skip only a failed or cut-off command step, with a reason in words', () => {
    const code = (s: PlanStep, v: StepView | undefined, reason = 'why') =>
      skipGate(s, v, reason)?.code ?? null;
    expect(code(step({ kind: 'approval' }), view('s', 'failed'))).toBe('SKIP_REFUSED');
    expect(code(step({}), undefined)).toBe('SKIP_REFUSED');
    expect(skipGate(step({ destructive: true }), undefined, 'x')?.message).toBe(
      '"S" is a checklist on a destructive step: it cannot be skipped.',
    );
    expect(code(step({ kind: 'local' }), undefined)).toBe('SKIP_REFUSED');
    expect(code(step({ kind: 'local' }), view('s', 'done'))).toBe('SKIP_REFUSED');
    expect(code(step({ kind: 'local' }), view('s', 'failed'))).toBeNull();
    expect(code(step({ kind: 'ssh' }), view('s', 'running'))).toBeNull();
    expect(code(step({ kind: 'local' }), view('s', 'failed'), ' \n')).toBe('SKIP_REASON');
  });

  it('name production by target, or by the step title, never by a step id', () => {
    const workspace = {
      targets: new Map(),
      backends: new Map(),
      root: '/',
    } as unknown as Workspace;
    const p = {
      params: [],
      steps: [step({ id: 'copy-s3', title: 'Copy the bucket', kind: 's3', production: true })],
    } as unknown as RunbookPlan;
    expect(productionTargets(workspace, p)).toEqual(['the place "Copy the bucket" writes to']);
  });
});
