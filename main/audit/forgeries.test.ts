// Forgeries by someone who holds a trusted key: every record signs, yet the log must not verify.
// Each test rewrites a real log (re-signing, and re-chaining the records after the edit when it
// says so) so that exactly one rule is broken, and pins the verdict, the line and the reason.
// Payloads with a bad field: forgeries-fields.test.ts.
import { describe, expect, it } from 'vitest';
import { canonicalize } from './canonical-json';
import { alice, bob, forge, logs, textOf, useForgeryLogs, verdictOf } from './forge-kit';
import { sha256Hex } from './records';
import { payloadOf, signedLine } from './test-helpers';

useForgeryLogs();

describe('a forger holding a trusted key', () => {
  it('rewrites a middle command and re-signs it with the same seq: the next record breaks the chain', async () => {
    const lines = forge(logs.good, {
      2: (p) => ({ ...p, data: { ...p.data, argv: ['rm', '-rf', '/'] } }),
    });
    expect(await verdictOf(lines)).toMatchObject({
      verdict: 'INVALID',
      records: 3,
      firstError: {
        line: 4,
        seq: 3,
        reason: 'prev does not match the SHA-256 of the previous payload: the chain is broken',
      },
    });
  });

  it('re-signs a record with a prev that skips the one before it: INVALID there', async () => {
    const skipped = sha256Hex(textOf(logs.good[1] as string));
    const lines = forge(logs.good, { 3: (p) => ({ ...p, prev: skipped }) });
    expect(await verdictOf(lines)).toMatchObject({
      verdict: 'INVALID',
      records: 3,
      firstError: { line: 4, seq: 3, reason: expect.stringMatching(/^prev does not match/) },
    });
  });

  it('appends a chained, signed record after the seal: INVALID, a record follows the seal', async () => {
    const seal = payloadOf(logs.good[10] as string);
    const note = {
      ...seal,
      seq: 11,
      prev: sha256Hex(textOf(logs.good[10] as string)),
      type: 'note',
      data: { step: null, text: 'one more thing' },
    };
    expect(await verdictOf([...logs.good, signedLine(alice, canonicalize(note))])).toMatchObject({
      verdict: 'INVALID',
      records: 11,
      sealed: false,
      firstError: { line: 12, seq: null, reason: 'a record follows the seal' },
    });
  });

  it.each([
    ['count', { count: 9 }, /^the seal does not match the chain \(count 9, head [0-9a-f]{12}…\)$/],
    [
      'head',
      { head: 'f'.repeat(64) },
      /^the seal does not match the chain \(count 10, head ffffffffffff…\)$/,
    ],
  ])(
    'writes a seal whose %s disagrees with the chain: INVALID at the seal',
    async (_n, data, reason) => {
      const lines = forge(
        logs.good,
        { 10: (p) => ({ ...p, data: { ...p.data, ...data } }) },
        { rechain: true },
      );
      expect(await verdictOf(lines)).toMatchObject({
        verdict: 'INVALID',
        records: 10,
        sealed: false,
        firstError: { line: 11, seq: 10, reason: expect.stringMatching(reason) },
      });
    },
  );

  it.each([
    ['count', (c: number) => ({ count: c + 1 }), /\(count 5, head /],
    ['head', () => ({ head: '0'.repeat(64) }), /\(count 4, head 000000000000…\)$/],
  ])(
    'writes a checkpoint whose %s disagrees with the chain: INVALID there',
    async (_n, data, reason) => {
      const at = logs.checkpointed.findIndex((l) => payloadOf(l).type === 'checkpoint');
      expect(at).toBe(4);
      const lines = forge(
        logs.checkpointed,
        { [at]: (p) => ({ ...p, data: { ...p.data, ...data(p.data.count as number) } }) },
        { rechain: true },
      );
      expect(await verdictOf(lines)).toMatchObject({
        verdict: 'INVALID',
        records: at,
        firstError: {
          line: at + 1,
          seq: at,
          reason: expect.stringMatching(
            new RegExp(`^the checkpoint does not match the chain ${reason.source}`),
          ),
        },
      });
    },
  );

  it('starts the log with something other than open: INVALID at line 1', async () => {
    const lines = forge(
      logs.good,
      { 0: (p) => ({ ...p, type: 'note', data: { step: null, text: 'hi' } }) },
      { rechain: true },
    );
    expect(await verdictOf(lines)).toMatchObject({
      verdict: 'INVALID',
      records: 0,
      firstError: { line: 1, seq: 0, reason: 'the first record is not an open record' },
    });
  });

  it('writes a second open record in the middle: INVALID there', async () => {
    const open = payloadOf(logs.good[0] as string);
    const lines = forge(
      logs.good,
      { 5: (p) => ({ ...p, type: 'open', data: open.data }) },
      { rechain: true },
    );
    expect(await verdictOf(lines)).toMatchObject({
      verdict: 'INVALID',
      records: 5,
      firstError: { line: 6, seq: 5, reason: 'a second open record' },
    });
  });

  it('signs the open record with another trusted key than the operator it names: INVALID at line 1', async () => {
    const lines = forge(logs.good, {}, { rechain: true, signer: { 0: bob } });
    expect(await verdictOf(lines)).toMatchObject({
      verdict: 'INVALID',
      records: 0,
      firstError: {
        line: 1,
        seq: 0,
        reason: 'the open record is not signed by the operator key it names',
      },
    });
  });

  it('approves a step as someone the runbook the log recorded does not name: INVALID at the approval', async () => {
    const lines = forge(
      logs.good,
      {
        0: (p) => {
          const runbook = p.data.runbook as { steps: Record<string, unknown>[] };
          const steps = runbook.steps.map((s) =>
            s.id === 'approve' ? { ...s, approvers: ['Carol'] } : s,
          );
          return { ...p, data: { ...p.data, runbook: { ...runbook, steps } } };
        },
      },
      { rechain: true },
    );
    expect(await verdictOf(lines)).toMatchObject({
      verdict: 'INVALID',
      records: 9,
      firstError: {
        line: 10,
        seq: 9,
        reason: expect.stringMatching(
          /^the approval of step approve is by Bob Approver \(as the trust file names key [0-9a-f]{16}…\), who is not among the runbook's approvers \(Carol\)$/,
        ),
      },
    });
  });

  it('writes an in-person approval naming another key than the one that signed it: INVALID there', async () => {
    const lines = forge(
      logs.good,
      { 9: (p) => ({ ...p, data: { ...p.data, via: 'in-person', keyId: alice.pair.keyId } }) },
      { rechain: true },
    );
    expect(await verdictOf(lines)).toMatchObject({
      verdict: 'INVALID',
      records: 9,
      firstError: {
        line: 10,
        seq: 9,
        reason: 'an in-person approval names another key than the one that signed it',
      },
    });
  });

  it('breaks the signature of the first record: INVALID at line 1, nothing verifies', async () => {
    const lines = [...logs.good];
    lines[0] = (lines[0] as string).replace(
      /"sig":"[^"]+"/,
      `"sig":"${(JSON.parse(logs.good[1] as string) as { sig: string }).sig}"`,
    );
    expect(await verdictOf(lines)).toMatchObject({
      verdict: 'INVALID',
      records: 0,
      sealed: false,
      firstError: { line: 1, seq: 0, reason: 'the signature does not verify' },
      signers: [],
    });
  });
});
