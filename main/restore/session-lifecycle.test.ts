// A session's life beyond the happy path, through session.act and the engine's own entry points:
// what the console hears as records are written, an abort whose completed steps have rollbacks, a
// step a crash left started, a command a resume adopts, and the drill's measure against the RTO.
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveSession } from '../../preload/schemas/session';
import { activeSession } from '../api/handlers/session';
import type { RestoreSession } from './session';
import { gatesConsole, type GatesConsole } from './test-setup-gates';

/** A step with a rollback, a destructive manual step, a step that takes a second. */
const undoable = (rto: string | null) => `title: Undo
version: 1
${rto ? `rto: ${rto}\n` : ''}params:
  target:
    type: target
    kind: folder
    default: sandbox-restore
steps:
  - id: make
    kind: local
    title: Make something
    run: ['true']
    rollback:
      - id: unmake
        kind: local
        title: Remove what was made
        run: ['true']
  - id: sure
    kind: manual
    title: Overwrite the target
    destructive: true
    target: target
    checklist: [Sure]
  - id: slow
    kind: local
    title: Take a second
    run: [sleep, '1.2']
`;
const RUNBOOKS = { undo: undoable('1h'), 'undo-no-rto': undoable(null) };

let g: GatesConsole | null = null;
afterEach(async () => {
  await g?.done();
  g = null;
});

const start = async (file: string) => {
  g = await gatesConsole(file, 'drill', RUNBOOKS);
  return g;
};
const sessionOf = (c: GatesConsole) => activeSession(c.ctx) as RestoreSession;
/** The records after the first `from`, as [type, data] pairs. */
const written = async (c: GatesConsole, from: number) =>
  (await c.payloads()).slice(from).map((p) => [p.type, p.data]);
const sessionEvents = (c: GatesConsole) =>
  c.events.filter((e) => e.name === 'session.changed').map((e) => e.payload as LiveSession);

describe('an abort after a step with a rollback', () => {
  it('writes the rollback steps and waits for them; they run through the gates, then the seal', async () => {
    const c = await start('undo');
    await c.act({ type: 'run', step: 'make' });
    const before = (await c.payloads()).length;
    await c.act({ type: 'abort', reason: 'Wrong cut.' });
    expect(await written(c, before)).toEqual([
      ['note', { step: null, text: 'Aborted: Wrong cut.' }],
      [
        'rollback',
        {
          reason: 'Wrong cut.',
          steps: [{ id: 'unmake', title: 'Remove what was made', kind: 'local', of: 'make' }],
        },
      ],
    ]);
    expect(c.now().state.sealed).toBe(false);
    expect(c.now().next).toMatchObject({ step: 'unmake', need: 'run' });
    await c.act({ type: 'run', step: 'unmake' });
    const payloads = await c.payloads();
    expect(payloads.slice(-2).map((p) => [p.type, p.data])).toEqual([
      ['note', { step: null, text: 'Rolled back: 1 rollback step ended.' }],
      ['seal', expect.objectContaining({ reason: 'aborted' })],
    ]);
    expect(c.now().state).toMatchObject({ sealed: true, outcome: 'aborted' });
  });

  it('an abort of the rollback itself seals the log as aborted at once', async () => {
    const c = await start('undo');
    await c.act({ type: 'run', step: 'make' });
    await c.act({ type: 'abort', reason: 'Wrong cut.' });
    const before = (await c.payloads()).length;
    await c.act({ type: 'abort', reason: 'Leave it as it is.' });
    expect(await written(c, before)).toEqual([
      ['note', { step: null, text: 'Aborted: Leave it as it is.' }],
      ['seal', expect.objectContaining({ reason: 'aborted' })],
    ]);
  });
});

describe('a drill that completes', () => {
  it('starts a destructive manual step with its typed confirmation, and notes its measure against the RTO', async () => {
    const c = await start('undo');
    await c.act({ type: 'run', step: 'make' });
    const before = (await c.payloads()).length;
    await c.act({ type: 'confirm', step: 'sure', typed: 'sandbox-restore' });
    expect(await written(c, before)).toEqual([
      ['step.start', { step: 'sure', attempt: 1 }],
      [
        'confirm',
        {
          step: 'sure',
          prompt: 'Type sandbox-restore to confirm it will be overwritten',
          expected: 'sandbox-restore',
          typed: 'sandbox-restore',
        },
      ],
    ]);
    await c.act({ type: 'checklist', step: 'sure', checked: ['Sure'] });
    await c.act({ type: 'run', step: 'slow' });
    const last = (await c.payloads()).slice(-2);
    expect(last[0]?.data).toEqual({
      step: null,
      text: expect.stringMatching(/^Drill measured [1-9]\d* s against an RTO of 60 min\.$/),
    });
    expect(last[1]?.type).toBe('seal');
  });

  it('of a runbook without an RTO seals with no measure', async () => {
    const c = await start('undo-no-rto');
    await c.act({ type: 'run', step: 'make' });
    await c.act({ type: 'confirm', step: 'sure', typed: 'sandbox-restore' });
    await c.act({ type: 'checklist', step: 'sure', checked: ['Sure'] });
    const before = (await c.payloads()).length;
    await c.act({ type: 'run', step: 'slow' });
    const after = (await written(c, before)).map(([type]) => type);
    expect(after.slice(-2)).toEqual(['step.end', 'seal']);
    expect(c.now().state).toMatchObject({ sealed: true, outcome: 'completed' });
  });
});

describe('what the console hears', () => {
  it('a change for every record, and a last one once a command has ended and nothing runs', async () => {
    const c = await start('wait');
    expect(c.now().id).toBe((await c.payloads())[0]?.log);
    const heard = sessionEvents(c).length;
    await c.act({ type: 'note', step: null, text: 'Starting now.' });
    expect(sessionEvents(c).slice(heard).at(-1)?.state.notes.at(-1)?.text).toBe('Starting now.');
    const session = sessionOf(c);
    await session.act({ type: 'run', step: 'wait' });
    expect(sessionEvents(c).at(-1)?.running).toBe(true);
    const view = await session.act({ type: 'cancel', step: 'wait' });
    expect(view.running).toBe(false);
    expect(sessionEvents(c).at(-1)).toMatchObject({
      running: false,
      state: {
        steps: expect.arrayContaining([expect.objectContaining({ id: 'wait', state: 'failed' })]),
      },
    });
  });

  it('a listener that stopped listening hears nothing more', async () => {
    const c = await start('wait');
    const session = sessionOf(c);
    const heard: (string | null)[] = [];
    const stop = session.onChange((_s, record) => heard.push(record?.payload.type ?? null));
    await c.act({ type: 'note', step: null, text: 'one' });
    stop();
    await c.act({ type: 'note', step: null, text: 'two' });
    expect(heard).toEqual(['note']);
  });

  it('a cancel with nothing running says so, with the step named (at most 100 characters) and what to do', async () => {
    const c = await start('wait');
    const step = 'x'.repeat(300);
    await expect(sessionOf(c).act({ type: 'cancel', step })).rejects.toMatchObject({
      code: 'NOTHING_RUNNING',
      message: `No command of step ${'x'.repeat(100)} is running.`,
      hint: 'There is nothing to cancel.',
    });
  });
});

describe('after a crash', () => {
  it('a step left started with no command ends failed as interrupted, and Run opens a new attempt', async () => {
    const c = await start('short');
    await c.act({ type: 'checklist', step: 'tick', checked: ['Ready'] });
    // What a console that died between starting the step and starting its command leaves behind.
    await sessionOf(c).writer.append('step.start', { step: 'go', attempt: 1 });
    const before = (await c.payloads()).length;
    await c.act({ type: 'run', step: 'go' });
    const after = await written(c, before);
    expect(after.slice(0, 2)).toEqual([
      [
        'step.end',
        {
          step: 'go',
          attempt: 1,
          state: 'failed',
          error: 'Interrupted before its command finished.',
        },
      ],
      ['step.start', { step: 'go', attempt: 2 }],
    ]);
    expect(c.step('go')).toMatchObject({ state: 'done', attempts: 2 });
  });

  it('a command a resume found still running is held: its words show, and its end is recorded when it ends', async () => {
    const c = await start('wait');
    const session = sessionOf(c);
    // The log a crashed console left: the step and its command started, no end.
    await session.writer.append('step.start', { step: 'wait', attempt: 1 });
    await session.writer.append('cmd.start', {
      cmd: 'c1',
      step: 'wait',
      host: 'localhost',
      argv: ['sleep', '30'],
    });
    const words = 'sleep (c1) still runs as process group 4242 on this machine.';
    let end: (error: string) => void = () => undefined;
    const ended = new Promise<string>((resolve) => (end = resolve));
    const step = session.ctx.plan.steps.find((s) => s.id === 'wait');
    if (!step) throw new Error('the wait runbook has a wait step');
    const startedAt = new Date(Date.now() - 2000).toISOString();
    session.adoptRunning(
      step,
      'c1',
      startedAt,
      { controller: new AbortController(), ended },
      words,
    );
    expect(c.now()).toMatchObject({ running: true, next: { step: 'wait', message: words } });
    expect(sessionEvents(c).at(-1)?.running).toBe(true);
    const before = (await c.payloads()).length;
    // Its exit status is not known (it is not our child): the step ends failed, with why.
    const unknown = 'sleep finished while Dapple was not watching, so its exit status is unknown.';
    end(unknown);
    await session.idle();
    const after = await written(c, before);
    expect(after).toEqual([
      ['cmd.end', { cmd: 'c1', exitCode: null, signal: null, durationMs: expect.any(Number) }],
      ['step.end', { step: 'wait', attempt: 1, state: 'failed', error: unknown }],
    ]);
    const durationMs = (after[0]?.[1] as { durationMs: number }).durationMs;
    expect(durationMs).toBeGreaterThanOrEqual(2000);
    expect(durationMs).toBeLessThan(60_000);
    expect(c.now()).toMatchObject({ running: false, next: { step: 'wait', need: 'retry' } });
  });
});
