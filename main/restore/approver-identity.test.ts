// Issue 10, items 2 and 4 (approver side): an approver is who the workspace's trust file says a
// key id is — never the `name` a key file carries about itself — and a key outside its validity
// window cannot approve. Checked at the engine's gate, and by `audit verify` on the log.
// Written with the APIs that existed before the fix, so it ran (and failed) on that code too.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Cut } from '../../preload/schemas/groups';
import type { SessionAction } from '../../preload/schemas/session';
import { activeSession, sessionHandlers } from '../api/handlers/session';
import { encryptKeyFile } from '../audit/key-store';
import { generateKeyPair, keySigner } from '../audit/keys';
import { buildTrust, TrustFile, trustEntry } from '../audit/trust';
import { verifyLog } from '../audit/verify';
import { createLog } from '../audit/writer';
import { demoConsole, shopCut, type TestConsole } from './test-setup';

let c: TestConsole;
let cut: Cut;

beforeEach(async () => {
  c = await demoConsole();
  cut = await shopCut(c.ctx);
  await sessionHandlers['session.trustOperator']({}, c.ctx);
}, 60_000);
afterEach(async () => {
  await activeSession(c.ctx)?.idle();
  await c.cleanup();
});

async function act(action: SessionAction) {
  const session = activeSession(c.ctx);
  if (!session) throw new Error('no session');
  const view = await sessionHandlers['session.act']({ id: session.id, action }, c.ctx);
  await session.idle();
  return view;
}

/** A key trusted under `trustName` whose key file calls itself `fileName`. */
async function keyOf(
  trustName: string,
  fileName: string,
  window: { from?: string; until?: string | null } = {},
) {
  const pair = generateKeyPair();
  const trustFile = join(c.dir, 'keys', 'trusted.json');
  const trust = TrustFile.parse(JSON.parse(await fs.readFile(trustFile, 'utf8')));
  trust.keys.push(
    trustEntry(
      pair.publicKey,
      trustName,
      window.from ?? '2020-01-01T00:00:00Z',
      window.until ?? null,
    ),
  );
  await fs.writeFile(trustFile, JSON.stringify(trust, null, 2));
  const file = `keys/${trustName}.key`;
  const key = { ...pair, name: fileName, createdAt: '2026-01-01T00:00:00Z' };
  await fs.writeFile(join(c.dir, file), encryptKeyFile(key, 'their pass'), { mode: 0o600 });
  return { pair, file };
}

async function atApproval() {
  await sessionHandlers['session.start'](
    { file: 'runbooks/shop-restore.yaml', cut, mode: 'drill' },
    c.ctx,
  );
  await act({
    type: 'checklist',
    step: 'announce',
    checked: [
      'Posted in #incident with the cut time and the target',
      'Checkout is paused (or this is a drill on the sandbox)',
    ],
  });
}

const approveWith = (keyFile: string): SessionAction => ({
  type: 'approve',
  step: 'approve',
  keyFile,
  passphrase: 'their pass',
  decision: 'approved',
  statement: 'Looks right.',
});

describe('who approves is what the trust file says', () => {
  it('refuses a trusted but unlisted key whose key file calls itself a listed approver', async () => {
    const { file } = await keyOf('mallory', 'demo-approver');
    await atApproval();
    await expect(act(approveWith(file))).rejects.toThrow(
      /mallory \(as keys\/trusted\.json names key [0-9a-f]{16}…\) is not an approver of "Get a second engineer's approval"; the runbook names demo-approver/,
    );
    const state = activeSession(c.ctx)?.state;
    expect(state?.approvals ?? []).toEqual([]);
    expect(state?.steps.find((s) => s.id === 'approve')?.state).not.toBe('done');
  }, 60_000);

  it('signs the approval with the trust file’s name, whatever the key file says', async () => {
    const { file } = await keyOf('demo-approver', 'someone-else');
    await atApproval();
    const view = await act(approveWith(file));
    expect(view.state.approvals[0]?.approver).toBe('demo-approver');
  }, 60_000);

  it('refuses an approver key outside its validity window at the gate, with a sentence', async () => {
    const { file } = await keyOf('demo-approver', 'demo-approver', {
      until: '2026-02-01T00:00:00Z',
    });
    await atApproval();
    await expect(act(approveWith(file))).rejects.toThrow(
      /The key of demo-approver is outside its validity window \(2020-01-01T00:00:00Z to 2026-02-01T00:00:00Z\)/,
    );
    expect(activeSession(c.ctx)?.state.approvals ?? []).toEqual([]);
  }, 60_000);
});

describe('audit verify checks each approval against the approvers the log recorded', () => {
  it('says INVALID when an approval is signed by a trusted key that is not among the runbook’s approvers', async () => {
    const operator = generateKeyPair();
    const mallory = generateKeyPair();
    const trusted = buildTrust(
      {
        v: 1,
        keys: [
          trustEntry(operator.publicKey, 'olivia', '2020-01-01T00:00:00Z', null),
          trustEntry(mallory.publicKey, 'mallory', '2020-01-01T00:00:00Z', null),
        ],
      },
      'the test trust file',
    );
    const file = join(c.dir, 'audit', 'forged.jsonl');
    const writer = await createLog(
      { file, signer: keySigner(operator, 'olivia'), checkpoint: null },
      {
        workspace: 'shop',
        runbook: {
          name: 'Restore the shop',
          path: 'runbooks/shop-restore.yaml',
          sha256: 'a'.repeat(64),
          rtoSeconds: 3600,
          steps: [
            {
              id: 'approve',
              title: 'Approve',
              kind: 'approval',
              approvers: ['demo-approver'],
              approvals: 1,
            } as never,
          ],
        },
        mode: 'drill',
        target: 'sandbox-restore',
        host: 'h',
        appVersion: 't',
      },
    );
    await writer.append('step.start', { step: 'approve', attempt: 1 });
    // Mallory's key file says "demo-approver"; the record says so too.
    await writer.append(
      'approval',
      { step: 'approve', approver: 'demo-approver', decision: 'approved', statement: 'ok' },
      keySigner(mallory, 'demo-approver'),
    );
    await writer.seal('completed');
    const report = await verifyLog(file, { trusted });
    expect(report.verdict).toBe('INVALID');
    expect(report.firstError?.reason).toMatch(
      /the approval of step approve is by mallory \(as the trust file names key [0-9a-f]{16}…\), who is not among the runbook's approvers \(demo-approver\)/,
    );
  });
});
