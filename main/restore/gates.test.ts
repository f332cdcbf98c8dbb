// The session's gates as pure decisions, without a log: what each refuses and what it lets through.
import { describe, expect, it } from 'vitest';
import type { SessionState, StepView } from '../../preload/schemas/audit';
import type { PlanStep, RunbookPlan } from '../../preload/schemas/runbook';
import { initialSession } from '../audit/reducer';
import type { Workspace } from '../workspace/types';
import { productionTargets } from './start';
import { buildTrust, trustEntry } from '../audit/trust';
import { generateKeyPair } from '../audit/keys';
import {
  checklistGate,
  confirmableGate,
  confirmationGate,
  confirmMatchGate,
  operatorWindowGate,
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

  // What the console and the CLI show for each refusal: the code a client branches on, what
  // happened, and what to do next. An empty or swapped hint leaves the operator without a way on.
  it('say for each refusal what happened and what to do next', () => {
    const words = (r: { code: string; message: string; hint: string } | null) =>
      r && [r.code, r.message, r.hint];
    expect(words(sealedGate({ ...initialSession(), sealed: true, outcome: 'completed' }))).toEqual([
      'SESSION_SEALED',
      'This session ended (completed); its log is sealed.',
      'Start a new session to run the runbook again.',
    ]);
    expect(words(runningGate('copy'))).toEqual([
      'COMMAND_RUNNING',
      'A command of step copy is running.',
      'Wait for it to finish, or cancel it first.',
    ]);
    const p = plan([step({ id: 'a', title: 'A' })]);
    const finished = { ...initialSession(), steps: [view('a', 'done')] };
    expect(stepInTurn(p, finished, 'a')).toEqual({
      ok: false,
      refusal: {
        code: 'SESSION_DONE',
        message: 'Every step is finished.',
        hint: 'The log is being sealed.',
      },
    });
    const unknown = stepInTurn(p, initialSession(), `x${'y'.repeat(300)}`);
    expect(unknown.ok ? null : words(unknown.refusal)).toEqual([
      'STEP_ORDER',
      `The runbook has no step x${'y'.repeat(99)}.`,
      'Steps run in the runbook’s order.',
    ]);
    const wipe = step({ title: 'Wipe', destructive: true, confirmTarget: 'prod-db' });
    expect(words(confirmationGate(wipe, initialSession()))).toEqual([
      'CONFIRM_NEEDED',
      '"Wipe" overwrites prod-db: type its name to confirm first.',
      'Type prod-db exactly.',
    ]);
    expect(words(confirmationGate(step({ destructive: true }), initialSession()))).toEqual([
      'CONFIRM_NEEDED',
      '"S" overwrites its target: type its name to confirm first.',
      'Type the target name exactly.',
    ]);
    expect(words(checklistGate(step({ checklist: ['a', 'b'] }), initialSession(), []))).toEqual([
      'CHECKLIST_INCOMPLETE',
      '"S" is not done: "a", "b" are not ticked.',
      'Tick every item once it is true.',
    ]);
    expect(words(confirmableGate(step({})))).toEqual([
      'NOT_DESTRUCTIVE',
      '"S" does not overwrite anything, so it needs no typed confirmation.',
      'Go on with the step.',
    ]);
    expect(words(confirmableGate(step({ destructive: true, confirmTarget: '' })))).toEqual([
      'NO_TARGET',
      '"S" names no target to confirm.',
      'Bind the runbook’s target parameter, then start the session again.',
    ]);
    expect(words(confirmMatchGate(wipe, `${'p'.repeat(150)}`))).toEqual([
      'CONFIRM_MISMATCH',
      `You typed "${'p'.repeat(100)}", but the target is prod-db: nothing was overwritten.`,
      'Check the target, then type prod-db exactly.',
    ]);
  });

  it('say why a step cannot be skipped, and what to do instead', () => {
    const words = (r: { code: string; message: string; hint: string } | null) =>
      r && [r.code, r.message, r.hint];
    expect(words(skipGate(step({ kind: 'approval' }), undefined, 'why'))).toEqual([
      'SKIP_REFUSED',
      '"S" is an approval: it cannot be skipped.',
      'Get the approval, or abort the session.',
    ]);
    expect(words(skipGate(step({}), undefined, 'why'))).toEqual([
      'SKIP_REFUSED',
      '"S" is a checklist: it cannot be skipped.',
      'Tick every item once it is true, or abort the session.',
    ]);
    expect(words(skipGate(step({ destructive: true }), undefined, 'why'))?.[2]).toBe(
      'Type the target’s name and tick every item once it is true, or abort the session.',
    );
    expect(words(skipGate(step({ kind: 'local' }), view('s', 'done'), 'why'))).toEqual([
      'SKIP_REFUSED',
      '"S" has not failed: only a failed command can be skipped.',
      'Run it; if it fails, skip it with a reason.',
    ]);
    expect(words(skipGate(step({ kind: 'local' }), view('s', 'failed'), ''))).toEqual([
      'SKIP_REASON',
      'Skipping "S" needs a reason in words.',
      'Say why it is safe to go on without this step.',
    ]);
  });

  it('say what a step without a command needs instead of a run; an approval is asked again only after it failed', () => {
    const refusalOf = (s: PlanStep, v?: StepView) => {
      const d = runGate(s, v, initialSession());
      return d.do === 'refuse' ? [d.refusal.code, d.refusal.message, d.refusal.hint] : d.do;
    };
    expect(refusalOf(step({}))).toEqual([
      'NOTHING_TO_RUN',
      '"S" is a manual step: it has no command.',
      'Tick its checklist.',
    ]);
    expect(refusalOf(step({ kind: 'approval' }))).toEqual([
      'NOTHING_TO_RUN',
      '"S" is an approval step: it has no command.',
      'It needs an approval.',
    ]);
    expect(refusalOf(step({ kind: 'approval' }), view('s', 'running'))).toEqual([
      'NOTHING_TO_RUN',
      '"S" is an approval step: it has no command.',
      'It needs an approval.',
    ]);
    expect(refusalOf(step({ kind: 'approval' }), view('s', 'failed'))).toBe('ask-again');
    // Only an approval is asked again; a checklist stays a checklist whatever its view says.
    expect(refusalOf(step({}), view('s', 'failed'))).toEqual([
      'NOTHING_TO_RUN',
      '"S" is a manual step: it has no command.',
      'Tick its checklist.',
    ]);
    const confirmFirst = runGate(
      step({ kind: 'local', destructive: true, confirmTarget: 'db' }),
      undefined,
      initialSession(),
    );
    expect(confirmFirst).toMatchObject({ do: 'refuse', refusal: { code: 'CONFIRM_NEEDED' } });
    expect(checklistGate(step({ kind: 'approval' }), initialSession(), [])?.hint).toBe(
      'It needs an approval.',
    );
    expect(checklistGate(step({ kind: 'local' }), initialSession(), [])).toMatchObject({
      message: '"S" is a local step, not a checklist.',
      hint: 'Run it.',
    });
    expect(checklistGate(step({ kind: 'ssh' }), initialSession(), [])?.message).toBe(
      '"S" is an ssh step, not a checklist.',
    );
    expect(checklistGate(step({ kind: 's3' }), initialSession(), [])?.message).toBe(
      '"S" is an s3 step, not a checklist.',
    );
    expect(checklistGate(step({ kind: 'restic-restore' }), initialSession(), [])?.message).toBe(
      '"S" is a restic-restore step, not a checklist.',
    );
  });

  it('refuse to sign with the operator key outside its trust-file window, naming the window', () => {
    const pair = generateKeyPair();
    const trust = buildTrust(
      {
        keys: [trustEntry(pair.publicKey, 'Alice', '2026-01-01T00:00:00Z', '2026-06-01T00:00:00Z')],
      },
      'keys/trusted.json',
    );
    const entry = trust.get(pair.keyId) ?? null;
    expect(operatorWindowGate(null, new Date('2030-01-01T00:00:00Z'))).toBeNull();
    expect(operatorWindowGate(entry, new Date('2026-03-01T00:00:00Z'))).toBeNull();
    const late = operatorWindowGate(entry, new Date('2026-07-01T00:00:00Z'));
    expect(late && [late.code, late.message, late.hint]).toEqual([
      'OPERATOR_KEY_WINDOW',
      `Your signing key ${pair.keyId.slice(0, 16)}… (Alice in keys/trusted.json) is valid from 2026-01-01T00:00:00Z until 2026-06-01T00:00:00Z, and it is now 2026-07-01T00:00:00.000Z: Dapple will not sign with a key outside its window.`,
      'Renew your key’s entry in keys/trusted.json through review (or sign with a key whose window is open), then try again.',
    ]);
    expect(operatorWindowGate(entry, new Date('2025-12-31T23:59:59Z'))?.code).toBe(
      'OPERATOR_KEY_WINDOW',
    );
    const open = buildTrust(
      { keys: [trustEntry(pair.publicKey, 'Alice', '2026-01-01T00:00:00Z', null)] },
      'keys/trusted.json',
    ).get(pair.keyId);
    expect(operatorWindowGate(open ?? null, new Date('2025-01-01T00:00:00Z'))?.message).toContain(
      'until no end',
    );
  });
});
