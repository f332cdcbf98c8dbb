// For gate tests through session.* on a copy of the demo workspace: runbooks made for the gates
// (a checklist, two approvals, a destructive command, a failing command, a target nobody chose),
// a second approver with a key file the workspace trusts, and helpers that act as a client does.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { LiveSession, SessionAction, SessionMode } from '../../preload/schemas/session';
import { activeSession, sessionHandlers } from '../api/handlers/session';
import { openWorkspace } from '../api/handlers/workspace';
import { DEMO_KEY_PASSPHRASE } from '../audit/demo-log';
import { encryptKeyFile } from '../audit/key-store';
import { generateKeyPair } from '../audit/keys';
import type { Payload } from '../audit/records';
import { TrustFile, trustEntry } from '../audit/trust';
import { demoConsole, type TestConsole } from './test-setup';

/** Every gate in turn; `nowhere` can never be confirmed, so a session of it never completes. */
export const GATES = `title: Gates
version: 1
params:
  target:
    type: target
    kind: folder
    default: sandbox-restore
  spare:
    type: target
    kind: folder
steps:
  - id: check
    kind: manual
    title: Check two things
    checklist: [First thing, Second thing]
  - id: ok
    kind: approval
    title: Two approvals
    approvers: [demo-approver, second-approver]
    approvals: 2
  - id: wipe
    kind: local
    title: Wipe the target
    destructive: true
    target: target
    run: ['true']
  - id: flaky
    kind: local
    title: Fail
    run: ['false']
  - id: nowhere
    kind: manual
    title: Overwrite a target nobody chose
    destructive: true
    target: spare
    checklist: [Sure]
`;

/** Two steps and an RTO: a session that completes. */
export const SHORT = `title: Short
version: 1
rto: 1h
steps:
  - id: tick
    kind: manual
    title: Tick
    checklist: [Ready]
  - id: go
    kind: local
    title: Go
    run: [echo, gone]
`;

/** A command that waits, and no RTO: to act while it runs. */
export const WAIT = `title: Wait
version: 1
steps:
  - id: wait
    kind: local
    title: Wait
    run: [sleep, '30']
  - id: tick
    kind: manual
    title: Tick
    checklist: [Ready]
`;

const SECOND_PASSPHRASE = 'second pass';

// The second approver's key is made once per test process (scrypt is slow, and mutation testing
// runs these tests again for each mutant).
let secondKey: { entry: ReturnType<typeof trustEntry>; file: string } | null = null;
function secondApprover() {
  if (!secondKey) {
    const pair = generateKeyPair();
    const key = { ...pair, name: 'second-approver', createdAt: '2026-01-01T00:00:00Z' };
    secondKey = {
      entry: trustEntry(pair.publicKey, 'second-approver', '2020-01-01T00:00:00Z', null),
      file: encryptKeyFile(key, SECOND_PASSPHRASE),
    };
  }
  return secondKey;
}

/** A console with the gate runbooks and a session of one of them started. */
export type GatesConsole = TestConsole & {
  id: string;
  act: (action: SessionAction) => Promise<LiveSession>;
  now: () => LiveSession;
  step: (id: string) => LiveSession['state']['steps'][number] | undefined;
  /** The payloads in the session's log, in order. */
  payloads: () => Promise<Payload[]>;
  done: () => Promise<void>;
};

/** A session of runbooks/<file>.yaml: one of the three above, or one of `more` (name → text). */
export async function gatesConsole(
  file: string = 'gates',
  mode: SessionMode = 'drill',
  more: Record<string, string> = {},
): Promise<GatesConsole> {
  const c = await demoConsole();
  const runbooks = { gates: GATES, short: SHORT, wait: WAIT, ...more };
  for (const [name, text] of Object.entries(runbooks))
    await fs.writeFile(join(c.dir, 'runbooks', `${name}.yaml`), text);
  const second = secondApprover();
  const trustFile = join(c.dir, 'keys', 'trusted.json');
  const trust = TrustFile.parse(JSON.parse(await fs.readFile(trustFile, 'utf8')));
  trust.keys.push(second.entry);
  await fs.writeFile(trustFile, JSON.stringify(trust, null, 2));
  await fs.writeFile(join(c.dir, 'keys', 'second-approver.key'), second.file, { mode: 0o600 });
  await openWorkspace(c.dir, c.ctx);
  await sessionHandlers['session.trustOperator']({}, c.ctx);
  const started = await sessionHandlers['session.start'](
    { file: `runbooks/${file}.yaml`, cut: null, mode },
    c.ctx,
  );
  const now = () => activeSession(c.ctx)?.view() as LiveSession;
  return {
    ...c,
    id: started.id,
    now,
    step: (s) => now().state.steps.find((v) => v.id === s),
    act: async (action) => {
      const view = await sessionHandlers['session.act']({ id: started.id, action }, c.ctx);
      await activeSession(c.ctx)?.idle();
      return activeSession(c.ctx)?.view() ?? view;
    },
    payloads: async () =>
      (await fs.readFile(started.logPath, 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse((JSON.parse(l) as { payload: string }).payload) as Payload),
    done: async () => {
      const session = activeSession(c.ctx);
      await session?.idle();
      if (session && !session.state.sealed)
        await session.act({ type: 'abort', reason: 'test over' });
      await c.cleanup();
    },
  };
}

/** Tick the first step of the gates runbook. */
export const tick = (checked = ['First thing', 'Second thing']): SessionAction => ({
  type: 'checklist',
  step: 'check',
  checked,
});

/** An in-person approval of the gates runbook's `ok` step by one of its two approvers. */
export const approveAs = (
  who: 'demo-approver' | 'second-approver',
  decision: 'approved' | 'rejected' = 'approved',
  step = 'ok',
): SessionAction => ({
  type: 'approve',
  step,
  keyFile: `keys/${who}.key`,
  passphrase: who === 'demo-approver' ? DEMO_KEY_PASSPHRASE : SECOND_PASSPHRASE,
  decision,
  statement: `${decision} by ${who}`,
});
