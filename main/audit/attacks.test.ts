// Each way someone could tamper with a log, and the verdict a reviewer must see for it.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalize } from './canonical-json';
import { blobDir } from './log-file';
import {
  linesOf,
  memoryAnchor,
  payloadOf,
  person,
  signedLine,
  tempDir,
  testOpen,
  tickingClock,
  trustOf,
  writeLines,
  writeTestLog,
} from './test-helpers';
import { verifyLog } from './verify';
import { createLog } from './writer';

const alice = person('Alice Operator');
const bob = person('Bob Approver');
const mallory = person('Mallory (not trusted)');
const trusted = trustOf(alice, bob);
let good: string[] = [];
let dir = '';

/** Write `lines` as a log and verify it. */
async function verdictOf(lines: string[], name = 'tampered.jsonl') {
  const file = path.join(dir, name);
  await writeLines(file, lines);
  return verifyLog(file, { trusted });
}

beforeAll(async () => {
  dir = tempDir();
  const file = path.join(dir, 'good.jsonl');
  await writeTestLog(file, alice, bob);
  good = await linesOf(file);
  expect(good).toHaveLength(11);
});

describe('attacks on a sealed log, each with its verdict', () => {
  it('the untouched log is VALID', async () => {
    expect(await verdictOf(good)).toMatchObject({
      verdict: 'VALID',
      records: 11,
      sealed: true,
      firstError: null,
    });
  });

  it('flipping one byte of a payload: INVALID at that line, signature', async () => {
    const lines = [...good];
    lines[3] = (lines[3] as string).replace('copied file 0', 'copied filf 0');
    expect(lines[3]).not.toBe(good[3]);
    expect(await verdictOf(lines)).toMatchObject({
      verdict: 'INVALID',
      records: 3,
      firstError: { line: 4, reason: 'the signature does not verify' },
    });
  });

  it('changing a signature: INVALID at that line', async () => {
    const lines = [...good];
    const sig = (JSON.parse(good[4] as string) as { sig: string }).sig;
    lines[5] = (lines[5] as string).replace(/"sig":"[^"]+"/, `"sig":"${sig}"`);
    expect(await verdictOf(lines)).toMatchObject({
      verdict: 'INVALID',
      records: 5,
      firstError: { line: 6, reason: 'the signature does not verify' },
    });
  });

  it('deleting a middle record: INVALID where the gap is', async () => {
    const lines = good.filter((_, i) => i !== 4);
    const report = await verdictOf(lines);
    expect(report).toMatchObject({
      verdict: 'INVALID',
      records: 4,
      firstError: { line: 5, seq: 5 },
    });
    expect(report.firstError?.reason).toMatch(/expected record 4, found record 5/);
  });

  it('swapping two records: INVALID at the first of them', async () => {
    const lines = [...good];
    [lines[2], lines[3]] = [lines[3] as string, lines[2] as string];
    expect(await verdictOf(lines)).toMatchObject({
      verdict: 'INVALID',
      records: 2,
      firstError: { line: 3, seq: 3 },
    });
  });

  it('duplicating a record: INVALID, "appears twice"', async () => {
    const lines = [...good.slice(0, 5), good[4] as string, ...good.slice(5)];
    const report = await verdictOf(lines);
    expect(report).toMatchObject({ verdict: 'INVALID', records: 5, firstError: { line: 6 } });
    expect(report.firstError?.reason).toMatch(/record 4 appears twice/);
  });

  it('two different records with one seq under one log id: FORKED', async () => {
    const forged = {
      ...payloadOf(good[4] as string),
      data: { step: null, text: 'another history' },
      type: 'note',
    };
    const lines = [...good.slice(0, 5), signedLine(alice, canonicalize(forged)), ...good.slice(5)];
    expect(await verdictOf(lines)).toMatchObject({
      verdict: 'FORKED',
      records: 5,
      firstError: { line: 6, seq: 4 },
    });
  });

  it('dropping the tail with the seal: UNSEALED, the prefix verifies', async () => {
    expect(await verdictOf(good.slice(0, 8))).toMatchObject({
      verdict: 'UNSEALED',
      records: 8,
      sealed: false,
      firstError: null,
    });
  });

  it('appending a record signed by an untrusted key: INVALID, names the key', async () => {
    const last = payloadOf(good[9] as string);
    const prev = (await import('./records')).sha256Hex(
      Buffer.from(JSON.parse(good[9] as string).payload as string),
    );
    const extra = {
      ...last,
      seq: 10,
      prev,
      type: 'note',
      data: { step: null, text: 'all fine, nothing to see' },
    };
    const report = await verdictOf([
      ...good.slice(0, 10),
      signedLine(mallory, canonicalize(extra)),
    ]);
    expect(report).toMatchObject({ verdict: 'INVALID', records: 10, firstError: { line: 11 } });
    expect(report.firstError?.reason).toMatch(/trust file does not list/);
  });

  it('re-signing the whole log with another key: INVALID from the first line', async () => {
    const lines = good.map((l) =>
      signedLine(mallory, (JSON.parse(l) as { payload: string }).payload),
    );
    const report = await verdictOf(lines);
    expect(report).toMatchObject({ verdict: 'INVALID', records: 0, firstError: { line: 1 } });
    expect(report.signers).toEqual([]);
  });

  it('a record signed after its key expired: INVALID, outside the validity window', async () => {
    const shortLived = person(
      'Carol (left the team)',
      '2020-01-01T00:00:00Z',
      '2026-01-10T10:00:05Z',
    );
    const file = path.join(dir, 'window.jsonl');
    await writeTestLog(file, shortLived, bob);
    const report = await verifyLog(file, { trusted: trustOf(shortLived, bob) });
    expect(report).toMatchObject({
      verdict: 'INVALID',
      records: 4,
      firstError: { line: 5, seq: 4 },
    });
    expect(report.firstError?.reason).toMatch(/outside that key's validity window/);
  });

  const noncanonical: [string, (text: string) => string, RegExp][] = [
    ['whitespace', (t) => t.replace('"seq":', '"seq": '), /not in canonical JSON/],
    ['a duplicate key', (t) => t.replace('"seq":', '"seq":3,"seq":'), /not in canonical JSON/],
    [
      'a number beyond 2^53',
      (t) => t.replace(/"durationMs":\d+/, '"durationMs":9007199254740993'),
      /beyond 2\^53/,
    ],
    [
      'an escaped lone surrogate',
      (t) => t.replace('"cmd":"c0"', '"cmd":"c\\ud800"'),
      /lone surrogate/,
    ],
  ];
  it.each(noncanonical)(
    'a properly signed payload with %s: INVALID, not canonical',
    async (_name, edit, reason) => {
      const lines = [...good];
      const original = (JSON.parse(good[4] as string) as { payload: string }).payload;
      const text = edit(original);
      lines[4] = signedLine(alice, text);
      expect(text).not.toBe(original);
      const report = await verdictOf(lines);
      expect(report).toMatchObject({ verdict: 'INVALID', records: 4, firstError: { line: 5 } });
      expect(report.firstError?.reason).toMatch(reason);
    },
  );

  it.each([
    ['an extra field', (l: string) => l.replace('{"payload":', '{"note":"hi","payload":')],
    ['a space', (l: string) => l.replace('","sig":', '", "sig":')],
    ['an unneeded escape', (l: string) => l.replace('actor', '\\u0061ctor')],
  ])(
    'a line respelled with %s (same payload, same signature): INVALID, not the record form',
    async (_name, edit) => {
      const lines = [...good];
      lines[2] = edit(lines[2] as string);
      expect(lines[2]).not.toBe(good[2]);
      expect(await verdictOf(lines)).toMatchObject({
        verdict: 'INVALID',
        records: 2,
        firstError: { line: 3, reason: expect.stringMatching(/not in the exact record form/) },
      });
    },
  );

  it('a line copied from another log: INVALID, another log', async () => {
    const other = path.join(dir, 'other.jsonl');
    await writeTestLog(other, alice, bob);
    const lines = [...good];
    lines[4] = (await linesOf(other))[4] as string;
    const report = await verdictOf(lines);
    expect(report).toMatchObject({
      verdict: 'INVALID',
      records: 4,
      firstError: { line: 5, seq: 4 },
    });
    expect(report.firstError?.reason).toMatch(/belongs to another log/);
  });

  it('an edited or missing output blob: INVALID at the output record', async () => {
    const file = path.join(dir, 'blob.jsonl');
    const writer = await createLog(
      { file, signer: alice.signer, clock: tickingClock(), checkpoint: null },
      testOpen,
    );
    const out = await writer.output('c1', 'stdout', Buffer.alloc(20_000, 'y'));
    await writer.seal('completed');
    const blob = path.join(blobDir(file), out.payload.data.sha256 as string);
    expect((await verifyLog(file, { trusted })).verdict).toBe('VALID');
    await fs.appendFile(blob, 'z');
    expect(await verifyLog(file, { trusted })).toMatchObject({
      verdict: 'INVALID',
      records: 1,
      firstError: { line: 2, reason: expect.stringMatching(/was changed/) },
    });
    await fs.rm(blob);
    expect(await verifyLog(file, { trusted })).toMatchObject({
      verdict: 'INVALID',
      records: 1,
      firstError: { line: 2, reason: expect.stringMatching(/is missing/) },
    });
  });

  it('a torn last line: TORN_TAIL, the complete records verify', async () => {
    const file = path.join(dir, 'torn.jsonl');
    await writeLines(file, good.slice(0, 6));
    await fs.appendFile(file, (good[6] as string).slice(0, 40));
    expect(await verifyLog(file, { trusted })).toMatchObject({
      verdict: 'TORN_TAIL',
      records: 6,
      sealed: false,
      firstError: { line: 7 },
    });
  });

  it('bytes that are not UTF-8: INVALID at their line', async () => {
    const file = path.join(dir, 'utf8.jsonl');
    await fs.writeFile(
      file,
      Buffer.concat([
        Buffer.from(`${good.slice(0, 3).join('\n')}\n`),
        Buffer.from([0xc3, 0x28, 0x0a]),
      ]),
    );
    expect(await verifyLog(file, { trusted })).toMatchObject({
      verdict: 'INVALID',
      records: 3,
      firstError: { line: 4, reason: 'the line is not valid UTF-8' },
    });
  });

  it('a bad signature deep in a long log is found by the worker threads too', async () => {
    const file = path.join(dir, 'long.jsonl');
    await writeTestLog(file, alice, bob, { commands: 30 });
    const lines = await linesOf(file);
    lines[80] = (lines[80] as string).replace(
      /"sig":"[^"]+"/,
      `"sig":"${(JSON.parse(lines[79] as string) as { sig: string }).sig}"`,
    );
    await writeLines(file, lines);
    const report = await verifyLog(file, { trusted, workers: 1 });
    expect(report).toMatchObject({
      verdict: 'INVALID',
      records: 80,
      firstError: { line: 81, reason: 'the signature does not verify' },
    });
  });
});

describe('attacks that only anchors reveal', () => {
  async function anchoredLog(name: string) {
    const anchor = memoryAnchor();
    const file = path.join(dir, name);
    await writeTestLog(file, alice, bob, {
      commands: 6,
      extra: { anchor, checkpoint: { records: 5, ms: 0 } },
    });
    return { anchor, file, lines: await linesOf(file) };
  }

  it('an intact anchored log is VALID with its anchors', async () => {
    const { anchor, file } = await anchoredLog('anchored.jsonl');
    expect(anchor.objects.length).toBeGreaterThanOrEqual(4);
    expect(await verifyLog(file, { trusted, anchors: anchor })).toMatchObject({
      verdict: 'VALID',
      firstError: null,
    });
  });

  it('dropping the tail after a checkpoint: UNSEALED alone, TRUNCATED against the anchors', async () => {
    const { anchor, lines } = await anchoredLog('cut.jsonl');
    const firstCheckpoint = lines.findIndex((l) => payloadOf(l).type === 'checkpoint');
    const file = path.join(dir, 'cut-tampered.jsonl');
    await writeLines(file, lines.slice(0, firstCheckpoint + 1));
    expect(await verifyLog(file, { trusted })).toMatchObject({
      verdict: 'UNSEALED',
      records: firstCheckpoint + 1,
    });
    const report = await verifyLog(file, { trusted, anchors: anchor });
    expect(report.verdict).toBe('TRUNCATED');
    expect(report.firstError?.reason).toMatch(/its tail was cut off/);
  });

  it('dropping the tail with the seal: TRUNCATED against the anchors (the seal is anchored too)', async () => {
    const { anchor, lines } = await anchoredLog('noseal.jsonl');
    const file = path.join(dir, 'noseal-tampered.jsonl');
    await writeLines(file, lines.slice(0, -1));
    expect((await verifyLog(file, { trusted, anchors: anchor })).verdict).toBe('TRUNCATED');
  });

  it('re-writing the log under the same id with another trusted key: FORKED against the anchors', async () => {
    const { anchor, lines } = await anchoredLog('rewrite.jsonl');
    const file = path.join(dir, 'rewrite-tampered.jsonl');
    const logId = payloadOf(lines[0] as string).log;
    const carol = person('Carol Operator');
    const writer = await createLog(
      { file, signer: carol.signer, clock: tickingClock(), checkpoint: null },
      testOpen,
      logId,
    );
    for (let i = 0; i < lines.length; i++)
      await writer.append('note', { step: null, text: 'nothing happened today' });
    await writer.seal('completed');
    const both = trustOf(alice, bob, carol);
    expect((await verifyLog(file, { trusted: both })).verdict).toBe('VALID');
    const report = await verifyLog(file, { trusted: both, anchors: anchor });
    expect(report.verdict).toBe('FORKED');
    expect(report.firstError?.reason).toMatch(/differs from its anchored copy/);
  });

  it('an anchor that disagrees with the log: FORKED', async () => {
    const { anchor, file } = await anchoredLog('disagree.jsonl');
    const target = anchor.objects[1];
    if (!target) throw new Error('expected anchors');
    const edited = { ...payloadOf(target.line), ts: '2026-01-10T09:59:00.000Z' };
    target.line = signedLine(alice, canonicalize(edited));
    const report = await verifyLog(file, { trusted, anchors: anchor });
    expect(report.verdict).toBe('FORKED');
  });
});
