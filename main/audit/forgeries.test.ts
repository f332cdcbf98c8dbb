// Forgeries by someone who holds a trusted key: every record signs, yet the log must not verify.
// Each test rewrites a real log (re-signing, and re-chaining the records after the edit when it
// says so) so that exactly one rule is broken, and pins the verdict, the line and the reason.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalize } from './canonical-json';
import { GENESIS_PREV, sha256Hex, type Payload } from './records';
import {
  linesOf,
  payloadOf,
  person,
  signedLine,
  tempDir,
  trustOf,
  writeLines,
  writeTestLog,
  type TestSigner,
} from './test-helpers';
import { verifyLog } from './verify';

const alice = person('Alice Operator');
const bob = person('Bob Approver');
const trusted = trustOf(alice, bob);
const byKey = new Map([alice, bob].map((p) => [p.pair.keyId, p]));
let dir = '';
// 0 open, 1 step.start, 2 cmd.start, 3 output, 4 cmd.end, 5 cmd.start, 6 output, 7 cmd.end,
// 8 step.end, 9 approval (Bob), 10 seal.
let good: string[] = [];
// The same with a checkpoint every 4 records.
let checkpointed: string[] = [];

type Edit = (p: Payload & Record<string, unknown>) => Record<string, unknown>;
const textOf = (line: string) => (JSON.parse(line) as { payload: string }).payload;
const keyOf = (line: string) => (JSON.parse(line) as { key: string }).key;

/**
 * Apply `edits` (by record index) and re-sign each edited record with its own signer (or `signer`).
 * With `rechain`, every record from the first edit on is re-signed with `prev` (and a checkpoint's
 * or seal's head) following the new chain, as a forger holding the keys would do.
 */
function forge(
  lines: string[],
  edits: Record<number, Edit>,
  options: { rechain?: boolean; signer?: Record<number, TestSigner> } = {},
): string[] {
  const out = [...lines];
  const first = Math.min(
    ...Object.keys(edits).map(Number),
    ...Object.keys(options.signer ?? {}).map(Number),
  );
  let prev = first === 0 ? GENESIS_PREV : sha256Hex(textOf(out[first - 1] as string));
  for (let i = first; i < out.length; i++) {
    const line = out[i] as string;
    const edit = edits[i];
    if (!options.rechain && !edit && !options.signer?.[i]) continue;
    let p = payloadOf(line) as Payload & Record<string, unknown>;
    if (options.rechain) {
      p = { ...p, prev };
      if (p.type === 'checkpoint' || p.type === 'seal')
        p = { ...p, data: { ...p.data, head: prev } };
    }
    const text = canonicalize(edit ? edit(p) : p);
    const signer = options.signer?.[i] ?? (byKey.get(keyOf(line)) as TestSigner);
    out[i] = signedLine(signer, text);
    prev = sha256Hex(text);
  }
  return out;
}

async function verdictOf(lines: string[]) {
  const file = path.join(dir, `forged-${Math.random().toString(36).slice(2)}.jsonl`);
  await writeLines(file, lines);
  return verifyLog(file, { trusted, workers: 0 });
}

beforeAll(async () => {
  dir = tempDir();
  await writeTestLog(path.join(dir, 'good.jsonl'), alice, bob);
  good = await linesOf(path.join(dir, 'good.jsonl'));
  const cp = path.join(dir, 'checkpointed.jsonl');
  await writeTestLog(cp, alice, bob, { extra: { checkpoint: { records: 4, ms: 0 } } });
  checkpointed = await linesOf(cp);
  expect(good.map((l) => payloadOf(l).type)).toEqual([
    'open',
    'step.start',
    'cmd.start',
    'output',
    'cmd.end',
    'cmd.start',
    'output',
    'cmd.end',
    'step.end',
    'approval',
    'seal',
  ]);
  expect(await verdictOf(forge(good, {}, { rechain: true, signer: { 0: alice } }))).toMatchObject({
    verdict: 'VALID',
    records: 11,
  });
});

describe('a forger holding a trusted key', () => {
  it('rewrites a middle command and re-signs it with the same seq: the next record breaks the chain', async () => {
    const lines = forge(good, {
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
    const skipped = sha256Hex(textOf(good[1] as string));
    const lines = forge(good, { 3: (p) => ({ ...p, prev: skipped }) });
    expect(await verdictOf(lines)).toMatchObject({
      verdict: 'INVALID',
      records: 3,
      firstError: { line: 4, seq: 3, reason: expect.stringMatching(/^prev does not match/) },
    });
  });

  it('appends a chained, signed record after the seal: INVALID, a record follows the seal', async () => {
    const seal = payloadOf(good[10] as string);
    const note = {
      ...seal,
      seq: 11,
      prev: sha256Hex(textOf(good[10] as string)),
      type: 'note',
      data: { step: null, text: 'one more thing' },
    };
    expect(await verdictOf([...good, signedLine(alice, canonicalize(note))])).toMatchObject({
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
        good,
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
      const at = checkpointed.findIndex((l) => payloadOf(l).type === 'checkpoint');
      expect(at).toBe(4);
      const lines = forge(
        checkpointed,
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
      good,
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
    const open = payloadOf(good[0] as string);
    const lines = forge(
      good,
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
    const lines = forge(good, {}, { rechain: true, signer: { 0: bob } });
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
      good,
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
      good,
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
    const lines = [...good];
    lines[0] = (lines[0] as string).replace(
      /"sig":"[^"]+"/,
      `"sig":"${(JSON.parse(good[1] as string) as { sig: string }).sig}"`,
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

describe('a correctly signed payload with a bad field', () => {
  const cases: [string, Edit, string][] = [
    [
      'format version 2',
      (p) => ({ ...p, v: 2 }),
      'the payload format version 2 is not one this verifier knows',
    ],
    [
      'format version "1"',
      (p) => ({ ...p, v: '1' }),
      'the payload format version 1 is not one this verifier knows',
    ],
    [
      'an upper-case log id',
      (p) => ({ ...p, log: p.log.toUpperCase() }),
      'the log id is not lowercase hex',
    ],
    [
      'a short log id',
      (p) => ({ ...p, log: p.log.slice(0, 15) }),
      'the log id is not lowercase hex',
    ],
    [
      'a log id with a newline after it',
      (p) => ({ ...p, log: `${p.log}\n` }),
      'the log id is not lowercase hex',
    ],
    [
      'a numeric log id',
      (p) => ({ ...p, log: 1234567890123456 }),
      'the log id is not lowercase hex',
    ],
    ['a negative seq', (p) => ({ ...p, seq: -1 }), 'seq is not a whole number'],
    ['a fractional seq', (p) => ({ ...p, seq: 4.5 }), 'seq is not a whole number'],
    ['seq as text', (p) => ({ ...p, seq: '4' }), 'seq is not a whole number'],
    [
      'a local time',
      (p) => ({ ...p, ts: p.ts.replace('Z', '+01:00') }),
      'ts is not a UTC ISO 8601 time',
    ],
    [
      'a time with a space',
      (p) => ({ ...p, ts: p.ts.replace('T', ' ') }),
      'ts is not a UTC ISO 8601 time',
    ],
    [
      'month 13',
      (p) => ({ ...p, ts: '2026-13-10T10:00:05.000Z' }),
      'ts is not a UTC ISO 8601 time',
    ],
    [
      'a time with text before it',
      (p) => ({ ...p, ts: `x${p.ts}` }),
      'ts is not a UTC ISO 8601 time',
    ],
    ['a numeric time', (p) => ({ ...p, ts: 1768039205000 }), 'ts is not a UTC ISO 8601 time'],
    ['an unknown type', (p) => ({ ...p, type: 'delete' }), 'the record type "delete" is unknown'],
    ['a numeric type', (p) => ({ ...p, type: 7 }), 'the record type "7" is unknown'],
    ['a numeric actor', (p) => ({ ...p, actor: 7 }), 'actor is not a string'],
    ['a short prev', (p) => ({ ...p, prev: p.prev.slice(1) }), 'prev is not a SHA-256 hex digest'],
    [
      'an upper-case prev',
      (p) => ({ ...p, prev: p.prev.toUpperCase() }),
      'prev is not a SHA-256 hex digest',
    ],
    [
      'a prev with text after it',
      (p) => ({ ...p, prev: `${p.prev}00` }),
      'prev is not a SHA-256 hex digest',
    ],
    ['data as a list', (p) => ({ ...p, data: [] }), 'data is not an object'],
    ['data as null', (p) => ({ ...p, data: null }), 'data is not an object'],
    ['data as text', (p) => ({ ...p, data: 'x' }), 'data is not an object'],
    [
      'an extra field',
      (p) => ({ ...p, why: 'because' }),
      'the payload does not have exactly the fields v, log, seq, ts, type, actor, prev, data',
    ],
    [
      'a missing field',
      ({ actor: _actor, ...p }) => p,
      'the payload does not have exactly the fields v, log, seq, ts, type, actor, prev, data',
    ],
  ];
  it.each(cases)('%s: INVALID at that record, saying which field', async (_name, edit, reason) => {
    const report = await verdictOf(forge(good, { 4: edit }, { rechain: true }));
    expect(report).toMatchObject({
      verdict: 'INVALID',
      records: 4,
      firstError: { line: 5, reason },
    });
  });

  it.each([
    ['cmd.end', 4, { exitCode: 'zero' }, /^the cmd\.end data is malformed \(exitCode: /],
    ['cmd.start', 2, { argv: 'rm -rf /' }, /^the cmd\.start data is malformed \(argv: /],
    ['approval', 9, { decision: 'maybe' }, /^the approval data is malformed \(decision: /],
    ['seal', 10, { reason: 'because' }, /^the seal data is malformed \(reason: /],
    ['open', 0, { mode: 'yolo' }, /^the open data is malformed \(mode: /],
  ])('%s data that breaks its schema: INVALID, naming the field', async (_t, at, data, reason) => {
    const lines = forge(
      good,
      { [at]: (p) => ({ ...p, data: { ...p.data, ...data } }) },
      { rechain: true },
    );
    const report = await verdictOf(lines);
    expect(report).toMatchObject({
      verdict: 'INVALID',
      records: at,
      firstError: { line: at + 1, seq: at, reason: expect.stringMatching(reason) },
    });
  });
});
