// The reviewer's recipe in docs/audit-format.md, run as written with bash, jq and openssl.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { signDocument } from '../approvals/envelope';
import { buildRequest } from '../approvals/request';
import { signResponse } from '../approvals/respond';
import { canonicalize } from './canonical-json';
import { sign } from 'node:crypto';
import { encodeLine } from './records';
import { buildTrust } from './trust';
import { verifyLog } from './verify';
import { createLog } from './writer';
import {
  linesOf,
  payloadOf,
  person,
  tempDir,
  tickingClock,
  writeLines,
  writeTestLog,
} from './test-helpers';

const doc = readFileSync(path.join(__dirname, '../../docs/audit-format.md'), 'utf8');
const recipe =
  /<!-- recipe:start -->\n```bash\n([\s\S]*?)```\n<!-- recipe:end -->/.exec(doc)?.[1] ?? '';
const approvalsDoc = readFileSync(path.join(__dirname, '../../docs/approvals.md'), 'utf8');
const approvalsRecipe =
  /<!-- approvals-recipe:start -->\n```bash\n([\s\S]*?)```\n<!-- approvals-recipe:end -->/.exec(
    approvalsDoc,
  )?.[1] ?? '';

function runRecipe(dir: string, script = recipe): { code: number; out: string } {
  try {
    const out = execFileSync('bash', ['-c', script], {
      cwd: dir,
      env: { ...process.env, LOG: 'session.jsonl', TRUST: 'trusted.json' },
      encoding: 'utf8',
    });
    return { code: 0, out };
  } catch (error) {
    const e = error as { status: number; stdout: string };
    return { code: e.status, out: e.stdout };
  }
}

describe('the openssl recipe in docs/audit-format.md', () => {
  it('verifies a real log with jq, base64 and openssl pkeyutl -rawin, and catches a tampered one', async () => {
    expect(recipe).toContain('openssl pkeyutl -verify -pubin');
    const dir = tempDir();
    const alice = person('Alice Operator');
    const bob = person('Bob Approvér “quotes” \\ and \u00e9');
    const file = path.join(dir, 'session.jsonl');
    await writeTestLog(file, alice, bob, { commands: 1 });
    writeFileSync(
      path.join(dir, 'trusted.json'),
      JSON.stringify({ v: 1, keys: [alice.entry, bob.entry] }),
    );
    expect(runRecipe(dir)).toEqual({
      code: 0,
      out: '8 records: signatures and chain OK; last record: seal\n',
    });

    const lines = await linesOf(file);
    lines[3] = (lines[3] as string).replace('copied file 0', 'copied filf 0');
    await writeLines(file, lines);
    expect(runRecipe(dir)).toEqual({ code: 1, out: 'line 4: the signature does not verify\n' });
  });
});

describe('the approvers’ openssl recipe in docs/approvals.md', () => {
  it('verifies the approver’s own signature kept in an approval by response, and catches a changed statement', async () => {
    expect(approvalsRecipe).toContain('openssl pkeyutl -verify -pubin');
    const dir = tempDir();
    const alice = person('Alice Operator');
    const bob = person('Bob Approvér');
    const file = path.join(dir, 'session.jsonl');
    const clock = tickingClock();
    const writer = await createLog(
      { file, signer: alice.signer, clock, checkpoint: null },
      {
        workspace: 'shop',
        runbook: {
          name: 'Shop restore',
          path: 'runbooks/shop-restore.yaml',
          sha256: 'a'.repeat(64),
          rtoSeconds: 3600,
          steps: [
            {
              id: 'approve',
              title: 'Approve',
              kind: 'approval',
              approvers: ['Bob Approvér'],
              approvals: 1,
            },
          ],
        },
        mode: 'drill',
        target: 'sandbox',
        host: 'h',
        appVersion: 't',
      },
    );
    await writer.append('step.start', { step: 'approve', attempt: 1 });
    const plan = {
      file: 'runbooks/shop-restore.yaml',
      title: 'Shop restore',
      description: '',
      rtoSeconds: 3600,
      params: [],
      steps: [],
      rollback: [],
    };
    const request = await signDocument(
      'request',
      buildRequest({
        workspace: 'shop',
        log: writer.logId,
        logFile: 'session.jsonl',
        step: { id: 'approve', title: 'Approve', attempt: 1 },
        approvers: ['Bob Approvér'],
        approvals: 1,
        runbook: {
          title: 'Shop restore',
          path: 'runbooks/shop-restore.yaml',
          version: '1',
          sha256: 'a'.repeat(64),
        },
        plan,
        cut: null,
        target: { name: 'sandbox', environment: 'sandbox' },
        mode: 'drill',
        operator: { keyId: alice.pair.keyId, name: 'Alice Operator' },
        now: clock(),
        validMs: 30 * 60_000,
      }),
      alice.signer,
    );
    const { sha256, payload, envelope } = request;
    await writer.append('approval.request', {
      step: 'approve',
      attempt: 1,
      sha256,
      nonce: payload.nonce,
      expires: payload.expires,
      document: envelope,
    });
    const response = await signResponse(
      { doc: request, operatorName: 'Alice Operator', expired: false },
      bob.pair,
      'Bob Approvér',
      {
        decision: 'approved',
        statement: 'Cut “02:00” and the sandbox checked — ok.',
        now: clock(),
      },
    );
    await writer.append('approval', {
      step: 'approve',
      approver: 'Bob Approvér',
      decision: 'approved',
      statement: response.payload.statement,
      via: 'response',
      keyId: bob.pair.keyId,
      request: sha256,
      nonce: response.payload.nonce,
      document: response.envelope,
    });
    await writer.append('step.end', { step: 'approve', attempt: 1, state: 'done', error: null });
    await writer.seal('completed');
    writeFileSync(
      path.join(dir, 'trusted.json'),
      JSON.stringify({ v: 1, keys: [alice.entry, bob.entry] }),
    );
    const trusted = buildTrust({ v: 1, keys: [alice.entry, bob.entry] }, 'the test trust file');
    expect((await verifyLog(file, { trusted })).verdict).toBe('VALID');
    expect(runRecipe(dir).code).toBe(0);
    expect(runRecipe(dir, approvalsRecipe)).toEqual({
      code: 0,
      out: `line 4: Bob Approvér approved (signed by key ${bob.pair.keyId.slice(0, 16)}…)\n1 approvals by signed document: approver signatures OK\n`,
    });

    // The operator rewrites the approver's statement and signs the line again: every line still
    // verifies, but the approver's own signature does not.
    const lines = await linesOf(file);
    const p = payloadOf(lines[3] as string);
    const d = p.data as { statement: string; document: { payload: string } };
    d.statement = 'Approved anything.';
    d.document.payload = d.document.payload.replace(
      /"statement":"[^"]*"/,
      '"statement":"Approved anything."',
    );
    const text = canonicalize(p as never);
    lines[3] = encodeLine(
      text,
      sign(null, Buffer.from(text, 'utf8'), alice.pair.privateKey),
      alice.pair.keyId,
    );
    await writeLines(file, lines);
    expect(runRecipe(dir, approvalsRecipe)).toEqual({
      code: 1,
      out: "line 4: the approver's signature does not verify\n",
    });
    expect((await verifyLog(file, { trusted })).firstError?.reason).toBe(
      "the approver's signature on the response does not verify",
    );
  });
});
