// For approval tests: two machines as two data folders. The operator's console runs a session on
// a copy of the demo workspace; the approver has their own data folder with their own key (the
// demo approver's) and answers with the real `dapple approve`. Keys for the refusals are made
// here and added to the workspace trust file as a reviewer would.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Cut } from '../../preload/schemas/groups';
import type { SessionAction, SessionMode } from '../../preload/schemas/session';
import { activeSession, operatorKey, pointLookup, sessionHandlers } from '../api/handlers/session';
import { readRunbook, runbookHandlers } from '../api/handlers/runbook';
import { DEMO_KEY_PASSPHRASE } from '../audit/demo-log';
import { decryptKeyFile, encryptKeyFile, type OperatorKey } from '../audit/key-store';
import { generateKeyPair, keySigner, type KeyPair } from '../audit/keys';
import { TrustFile, trustEntry } from '../audit/trust';
import type { ResponsePayload } from '../approvals/documents';
import { readDocument, signDocument } from '../approvals/envelope';
import { approveCommandWith } from '../cli/commands/approve';
import { runbookPolicy, stepRules } from './rules';
import type { RestoreSession } from './session';
import { startSession } from './start';
import { demoConsole, shopCut, type TestConsole } from './test-setup';

/** The operator's console, the approver's data folder, and a clock the test can move. */
export type TwoMachines = TestConsole & {
  cut: Cut;
  approverData: string;
  clock: { offsetMs: number; now: () => Date };
  cleanupAll: () => Promise<void>;
};

/** An operator console (key trusted) and an approver data folder holding the demo approver's key. */
export async function twoMachines(): Promise<TwoMachines> {
  const c = await demoConsole();
  const cut = await shopCut(c.ctx);
  await sessionHandlers['session.trustOperator']({}, c.ctx);
  const approverData = await fs.mkdtemp(join(c.data, '..', 'dapple-approver-data-'));
  await fs.mkdir(join(approverData, 'keys'), { recursive: true, mode: 0o700 });
  await fs.copyFile(
    join(c.dir, 'keys', 'demo-approver.key'),
    join(approverData, 'keys', 'operator.key'),
  );
  await fs.chmod(join(approverData, 'keys', 'operator.key'), 0o600);
  const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };
  return {
    ...c,
    cut,
    approverData,
    clock,
    cleanupAll: async () => {
      await activeSession(c.ctx)?.idle();
      await c.cleanup();
      await fs.rm(approverData, { recursive: true, force: true });
    },
  };
}

/** Start a session as the console does, with the test's clock. */
export async function startWithClock(
  m: TwoMachines,
  mode: SessionMode,
  file = 'runbooks/shop-restore.yaml',
): Promise<RestoreSession> {
  const workspace = m.ctx.workspace;
  if (!workspace) throw new Error('no workspace');
  const runbook = await readRunbook(m.ctx, file);
  const plan = await runbookHandlers['runbook.plan']({ file, cut: m.cut }, m.ctx);
  const { key } = await operatorKey(m.ctx);
  return startSession({
    workspace,
    plan,
    cut: m.cut,
    rules: stepRules(runbook),
    policy: runbookPolicy(runbook),
    runbookBytes: await fs.readFile(join(workspace.root, file)),
    mode,
    operator: key,
    appVersion: 'test',
    clock: m.clock.now,
    points: pointLookup(m.ctx, workspace),
  });
}

/** Do one thing and wait for it to settle. */
export async function act(session: RestoreSession, action: SessionAction) {
  const view = await session.act(action);
  await session.idle();
  return view;
}

/** Tick the announce checklist and make the approval request; its line and file. */
export async function toApproval(session: RestoreSession) {
  await act(session, {
    type: 'checklist',
    step: 'announce',
    checked: [
      'Posted in #incident with the cut time and the target',
      'Checkout is paused (or this is a drill on the sandbox)',
    ],
  });
  const view = await act(session, { type: 'request', step: 'approve' });
  const request = view.approval?.request;
  if (!request) throw new Error('no request was made');
  return request;
}

/** Run `dapple approve` in the approver's data folder (their own machine). */
export async function approveCli(
  m: TwoMachines,
  args: string[],
  options: { stdin?: string; data?: string; passphrase?: string } = {},
) {
  let stdout = '';
  let stderr = '';
  const command = approveCommandWith(() => Readable.from([options.stdin ?? '']));
  const code = await command
    .run(args, {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      env: {
        DAPPLE_DATA_DIR: options.data ?? m.approverData,
        DAPPLE_KEY_PASSPHRASE: options.passphrase ?? DEMO_KEY_PASSPHRASE,
      },
      cwd: m.dir,
    })
    .catch((error: Error) => {
      stderr += error.message;
      return 1;
    });
  return { code, stdout, stderr, line: /dapple-approval-response:v1:\S+/.exec(stdout)?.[0] ?? '' };
}

/** A key of someone, added to the workspace's trust file under `name` (or not, untrusted). */
export async function person(
  m: TwoMachines,
  name: string,
  options: { trusted?: boolean; validFrom?: string; validUntil?: string | null } = {},
): Promise<KeyPair & { name: string }> {
  const pair = generateKeyPair();
  if (options.trusted !== false) {
    const file = join(m.dir, 'keys', 'trusted.json');
    const trust = TrustFile.parse(JSON.parse(await fs.readFile(file, 'utf8')));
    trust.keys.push(
      trustEntry(
        pair.publicKey,
        name,
        options.validFrom ?? '2020-01-01T00:00:00Z',
        options.validUntil ?? null,
      ),
    );
    await fs.writeFile(file, JSON.stringify(trust, null, 2));
  }
  return { ...pair, name };
}

/** Save a person's key as a key file (for in-person approvals), under the name the file claims. */
export async function keyFileOf(m: TwoMachines, who: KeyPair, claimedName: string, file: string) {
  const key: OperatorKey = { ...who, name: claimedName, createdAt: '2026-01-01T00:00:00Z' };
  await fs.writeFile(join(m.dir, file), encryptKeyFile(key, 'their pass'), { mode: 0o600 });
}

/** A response to a request line signed by `who`, with fields changed as a hostile signer could. */
export async function craftResponse(
  requestLine: string,
  who: KeyPair & { name: string },
  change: Partial<ResponsePayload> = {},
) {
  const req = readDocument('request', requestLine);
  const payload: ResponsePayload = {
    kind: 'dapple-approval-response',
    v: 1,
    request: req.sha256,
    workspace: req.payload.workspace,
    session: req.payload.session.log,
    step: req.payload.step.id,
    planSha256: req.payload.planSha256,
    requestNonce: req.payload.nonce,
    decision: 'approved',
    statement: 'Checked.',
    approver: { keyId: who.keyId, name: who.name },
    nonce: randomBytes(16).toString('hex'),
    created: new Date().toISOString(),
    ...change,
  };
  return (await signDocument('response', payload, keySigner(who, who.name))).line;
}

/** The demo approver's own key pair (from their key file), to craft responses as they could. */
export async function demoApprover(m: TwoMachines): Promise<KeyPair & { name: string }> {
  const text = await fs.readFile(join(m.approverData, 'keys', 'operator.key'), 'utf8');
  const key = decryptKeyFile(text, DEMO_KEY_PASSPHRASE, 'the demo approver key');
  return { ...key, name: 'demo-approver' };
}
