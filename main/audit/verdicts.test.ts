// Output a reviewer replays must be the output that was recorded, and when several things are
// wrong with a file, the verdict names the one that matters.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalize } from './canonical-json';
import { blobDir } from './log-file';
import { GENESIS_PREV, sha256Hex, type Payload } from './records';
import {
  linesOf,
  payloadOf,
  person,
  signedLine,
  tempDir,
  tickingClock,
  testOpen,
  trustOf,
  writeTestLog,
} from './test-helpers';
import { verifyLog } from './verify';
import { createLog } from './writer';

const alice = person('Alice Operator');
const bob = person('Bob Approver');
const trusted = trustOf(alice, bob);
let dir = '';
let good: string[] = [];
let n = 0;

async function verdictOf(lines: string[], tail = '') {
  const file = path.join(dir, `log-${n++}.jsonl`);
  await fs.writeFile(file, lines.map((l) => `${l}\n`).join('') + tail);
  return verifyLog(file, { trusted, workers: 0 });
}

/** Replace record `at` (signed by Alice) and re-sign everything after it on the new chain. */
function rewriteFrom(lines: string[], at: number, edit: (p: Payload) => Payload): string[] {
  const out = [...lines];
  let prev = at === 0 ? GENESIS_PREV : payloadOf(out[at] as string).prev;
  for (let i = at; i < out.length; i++) {
    const key = (JSON.parse(out[i] as string) as { key: string }).key;
    let p = { ...payloadOf(out[i] as string), prev };
    if (i === at) p = edit(p);
    if (p.type === 'seal') p = { ...p, data: { ...p.data, head: prev } };
    const text = canonicalize(p);
    out[i] = signedLine(key === bob.pair.keyId ? bob : alice, text);
    prev = sha256Hex(text);
  }
  return out;
}

beforeAll(async () => {
  dir = tempDir();
  await writeTestLog(path.join(dir, 'good.jsonl'), alice, bob);
  good = await linesOf(path.join(dir, 'good.jsonl'));
  expect(payloadOf(good[3] as string).data).toMatchObject({ text: 'copied file 0\n', bytes: 14 });
});

const data = (p: Payload) => p.data as Record<string, unknown>;

describe('recorded output', () => {
  async function blobLog(name: string) {
    const file = path.join(dir, name);
    const writer = await createLog(
      { file, signer: alice.signer, clock: tickingClock(), checkpoint: null },
      testOpen,
    );
    const out = await writer.output('c1', 'stdout', Buffer.alloc(20_000, 'y'));
    await writer.seal('completed');
    return { file, blob: path.join(blobDir(file), out.payload.data.sha256 as string) };
  }

  it('a blob changed in place, same length: INVALID at its output record', async () => {
    const { file, blob } = await blobLog('same-length.jsonl');
    const bytes = await fs.readFile(blob);
    bytes[10_000] = 'n'.charCodeAt(0);
    await fs.writeFile(blob, bytes);
    expect(await verifyLog(file, { trusted })).toMatchObject({
      verdict: 'INVALID',
      records: 1,
      firstError: {
        line: 2,
        seq: 1,
        reason: expect.stringMatching(
          /^the output blob [0-9a-f]{12}… was changed after it was written$/,
        ),
      },
    });
  });

  it('a blob record that also carries inline text: INVALID, even with its blob intact', async () => {
    const { file } = await blobLog('blob-and-text.jsonl');
    const lines = await linesOf(file);
    const forged = rewriteFrom(lines, 1, (p) => ({
      ...p,
      data: { ...data(p), text: 'all good\n' },
    }));
    await fs.writeFile(file, forged.map((l) => `${l}\n`).join(''));
    expect(await verifyLog(file, { trusted })).toMatchObject({
      verdict: 'INVALID',
      records: 1,
      firstError: {
        line: 2,
        seq: 1,
        reason: 'an output record holds both a blob and inline output',
      },
    });
  });

  it('a log dropped without its blob folder still verifies signatures and chain', async () => {
    const { file, blob } = await blobLog('dropped.jsonl');
    await fs.rm(blob);
    expect(await verifyLog(file, { trusted, blobs: 'unavailable' })).toMatchObject({
      verdict: 'VALID',
      records: 3,
    });
    expect((await verifyLog(file, { trusted })).firstError?.reason).toMatch(
      /^the output blob [0-9a-f]{12}… is missing from dropped\.blobs\/$/,
    );
  });

  it.each([
    [
      'text changed, same length',
      (p: Payload) => ({ ...p, data: { ...data(p), text: 'copied file 9\n' } }),
      'the output text does not match its recorded size and SHA-256',
    ],
    [
      'a size that is not the text’s',
      (p: Payload) => ({ ...p, data: { ...data(p), bytes: 15 } }),
      'the output text does not match its recorded size and SHA-256',
    ],
    [
      'a SHA-256 that is not the text’s',
      (p: Payload) => ({ ...p, data: { ...data(p), sha256: sha256Hex('other') } }),
      'the output text does not match its recorded size and SHA-256',
    ],
    [
      'base64 output that does not match',
      (p: Payload) => {
        const { text: _t, ...rest } = data(p);
        return { ...p, data: { ...rest, b64: Buffer.from('copied file 9\n').toString('base64') } };
      },
      'the output text does not match its recorded size and SHA-256',
    ],
    [
      'both text and base64',
      (p: Payload) => ({
        ...p,
        data: { ...data(p), b64: Buffer.from('copied file 0\n').toString('base64') },
      }),
      'an output record needs exactly one of text or b64',
    ],
    [
      'neither text nor base64',
      (p: Payload) => {
        const { text: _t, ...rest } = data(p);
        return { ...p, data: rest };
      },
      'an output record needs exactly one of text or b64',
    ],
    [
      'a blob and inline text',
      (p: Payload) => ({ ...p, data: { ...data(p), blob: true } }),
      'an output record holds both a blob and inline output',
    ],
  ])('inline output with %s: INVALID at that record', async (_name, edit, reason) => {
    expect(await verdictOf(rewriteFrom(good, 3, edit as (p: Payload) => Payload))).toMatchObject({
      verdict: 'INVALID',
      records: 3,
      firstError: { line: 4, seq: 3, reason },
    });
  });

  it('inline base64 output that matches verifies', async () => {
    const lines = rewriteFrom(good, 3, (p) => {
      const { text: _t, ...rest } = data(p);
      return { ...p, data: { ...rest, b64: Buffer.from('copied file 0\n').toString('base64') } };
    });
    expect(await verdictOf(lines)).toMatchObject({ verdict: 'VALID', records: 11 });
  });
});

describe('which verdict wins', () => {
  it('an empty file is INVALID: it holds no records', async () => {
    expect(await verdictOf([])).toEqual({
      verdict: 'INVALID',
      records: 0,
      sealed: false,
      firstError: { line: null, seq: null, reason: 'the file holds no records' },
      signers: [],
    });
  });

  it('a file holding only a torn line is TORN_TAIL with no records, not empty', async () => {
    expect(await verdictOf([], (good[0] as string).slice(0, 30))).toMatchObject({
      verdict: 'TORN_TAIL',
      records: 0,
      firstError: { line: 1 },
    });
  });

  it('bytes after the seal are INVALID, not a torn tail', async () => {
    expect(await verdictOf(good, '{"payload":')).toMatchObject({
      verdict: 'INVALID',
      records: 11,
      sealed: true,
      firstError: { line: 12, seq: null, reason: 'bytes follow the seal' },
    });
  });

  it('a tampered record beats a torn tail: INVALID at the record', async () => {
    const lines = good.slice(0, 6);
    lines[2] = (lines[2] as string).replace('src/0', 'src/9');
    expect(await verdictOf(lines, (good[6] as string).slice(0, 40))).toMatchObject({
      verdict: 'INVALID',
      records: 2,
      firstError: { line: 3, reason: 'the signature does not verify' },
    });
  });

  it('a bad signature before a fork is what is reported: INVALID, not FORKED', async () => {
    const forked = {
      ...payloadOf(good[4] as string),
      data: { step: null, text: 'another history' },
      type: 'note',
    };
    const lines = [...good.slice(0, 5), signedLine(alice, canonicalize(forked)), ...good.slice(5)];
    lines[1] = (lines[1] as string).replace('copy', 'copx');
    expect(lines[1]).not.toBe(good[1]);
    expect(await verdictOf(lines)).toMatchObject({
      verdict: 'INVALID',
      records: 1,
      firstError: { line: 2, seq: 1, reason: 'the signature does not verify' },
    });
  });

  it('a bad signature before a line that is not UTF-8 is what is reported', async () => {
    const lines = good.slice(0, 4);
    lines[1] = (lines[1] as string).replace('copy', 'copx');
    expect(lines[1]).not.toBe(good[1]);
    const file = path.join(dir, 'sig-then-utf8.jsonl');
    await fs.writeFile(
      file,
      Buffer.concat([
        Buffer.from(lines.map((l) => `${l}\n`).join('')),
        Buffer.from([0xc3, 0x28, 0x0a]),
      ]),
    );
    expect(await verifyLog(file, { trusted, workers: 0 })).toMatchObject({
      verdict: 'INVALID',
      records: 1,
      firstError: { line: 2, reason: 'the signature does not verify' },
    });
  });

  it('counts each signer’s records and approvals', async () => {
    const report = await verdictOf(good);
    expect(report.signers).toEqual([
      { keyId: alice.pair.keyId, name: 'Alice Operator', records: 10, approvals: 0 },
      { keyId: bob.pair.keyId, name: 'Bob Approver', records: 1, approvals: 1 },
    ]);
  });
});
