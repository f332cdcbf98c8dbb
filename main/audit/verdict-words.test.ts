// What a verdict says, word for word and place for place: a reviewer acts on the reason, the line
// and the seq it names, so each must be the one that matters, and a valid log must not be refused
// for the way its times are written.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { forge, logs, useForgeryLogs, verdictOf, alice, bob } from './forge-kit';
import { canonicalize } from './canonical-json';
import {
  linesOf,
  memoryAnchor,
  payloadOf,
  person,
  signedLine,
  tempDir,
  trustOf,
  writeLines,
  writeTestLog,
} from './test-helpers';
import { verifyLog } from './verify';

useForgeryLogs();
const dir = tempDir('dapple-verdict-words-');
const trusted = trustOf(alice, bob);

describe("the forger's kit", () => {
  it('forges nothing by itself: its logs, untouched or re-signed unchanged, verify VALID', async () => {
    expect(await verdictOf(logs.good)).toMatchObject({ verdict: 'VALID', records: 11 });
    expect(await verdictOf(logs.checkpointed)).toMatchObject({ verdict: 'VALID', sealed: true });
    expect(
      await verdictOf(forge(logs.good, {}, { rechain: true, signer: { 0: alice } })),
    ).toMatchObject({ verdict: 'VALID', records: 11 });
  });
});

describe('the times and log ids a payload may carry', () => {
  it('accepts a time written without fractions of a second', async () => {
    const lines = forge(logs.good, { 4: (p) => ({ ...p, ts: p.ts.replace(/\.\d+Z$/, 'Z') }) });
    expect(payloadOf(lines[4] as string).ts).toMatch(/T\d\d:\d\d:\d\dZ$/);
    expect(
      await verdictOf(forge(lines, {}, { rechain: true, signer: { 0: alice } })),
    ).toMatchObject({ verdict: 'VALID', records: 11 });
  });

  it('refuses a time with an expanded year, which Date.parse would read as the same instant', async () => {
    const lines = forge(logs.good, { 4: (p) => ({ ...p, ts: `+00${p.ts}` }) }, { rechain: true });
    expect(Number.isFinite(Date.parse(payloadOf(lines[4] as string).ts))).toBe(true);
    expect(await verdictOf(lines)).toMatchObject({
      verdict: 'INVALID',
      records: 4,
      firstError: { line: 5, seq: 4, reason: 'ts is not a UTC ISO 8601 time' },
    });
  });

  it('refuses a log id with a letter before the hex, even when every record carries it', async () => {
    const everyRecord = Object.fromEntries(
      logs.good.map((_, i) => [i, (p: { log: string }) => ({ ...p, log: `g${p.log}` })]),
    );
    expect(await verdictOf(forge(logs.good, everyRecord, { rechain: true }))).toMatchObject({
      verdict: 'INVALID',
      records: 0,
      firstError: { line: 1, seq: 0, reason: 'the log id is not lowercase hex' },
    });
  });

  it('names the seq of a record with a bad field when it has one, and none when seq is the bad field', async () => {
    const badVersion = await verdictOf(forge(logs.good, { 4: (p) => ({ ...p, v: 2 }) }));
    expect(badVersion.firstError).toMatchObject({ line: 5, seq: 4 });
    const textSeq = await verdictOf(forge(logs.good, { 4: (p) => ({ ...p, seq: '4' }) }));
    expect(textSeq.firstError).toEqual({
      line: 5,
      seq: null,
      reason: 'seq is not a whole number',
    });
  });

  it('quotes at most 40 characters of an unknown record type', async () => {
    const type = `drop-${'x'.repeat(60)}`;
    const report = await verdictOf(forge(logs.good, { 4: (p) => ({ ...p, type }) }));
    expect(report.firstError?.reason).toBe(`the record type "${type.slice(0, 40)}" is unknown`);
  });

  it('names the broken field of record data and what is wrong with it', async () => {
    const lines = forge(
      logs.good,
      { 4: (p) => ({ ...p, data: { ...p.data, exitCode: 'zero' } }) },
      { rechain: true },
    );
    expect((await verdictOf(lines)).firstError?.reason).toBe(
      'the cmd.end data is malformed (exitCode: Invalid input: expected number, received string)',
    );
  });
});

describe('records out of place', () => {
  it('names an untrusted key by its first 16 characters', async () => {
    const mallory = person('Mallory (not trusted)');
    const lines = [...logs.good];
    lines[3] = signedLine(mallory, JSON.parse(lines[3] as string).payload as string);
    const key = mallory.pair.keyId;
    expect((await verdictOf(lines)).firstError).toEqual({
      line: 4,
      seq: null,
      reason: `the record is signed by key ${key.slice(0, 16)}…, which the trust file does not list`,
    });
  });

  it('calls two different records with one seq a fork of this log, in those words', async () => {
    const other = forge(logs.good, { 4: (p) => ({ ...p, data: { ...p.data, durationMs: 99 } }) });
    const lines = [...logs.good.slice(0, 5), other[4] as string, ...logs.good.slice(5)];
    expect(await verdictOf(lines)).toMatchObject({
      verdict: 'FORKED',
      firstError: {
        line: 6,
        seq: 4,
        reason: 'a second, different record 4 of this log: two histories under one log id',
      },
    });
  });

  it('calls an earlier record of ANOTHER log a record out of place, not a fork', async () => {
    const file = path.join(dir, 'other.jsonl');
    await writeTestLog(file, alice, bob);
    const stranger = (await linesOf(file))[2] as string;
    const lines = [...logs.good.slice(0, 5), stranger, ...logs.good.slice(5)];
    expect(await verdictOf(lines)).toMatchObject({
      verdict: 'INVALID',
      records: 5,
      firstError: {
        line: 6,
        seq: 2,
        reason: 'expected record 5, found record 2 (records missing, moved or copied)',
      },
    });
  });

  it('names the other log by the first 12 characters of its id', async () => {
    const file = path.join(dir, 'another.jsonl');
    await writeTestLog(file, alice, bob);
    const theirs = await linesOf(file);
    const lines = [...logs.good];
    lines[4] = theirs[4] as string;
    const otherId = payloadOf(theirs[0] as string).log;
    expect((await verdictOf(lines)).firstError?.reason).toBe(
      `the record belongs to another log (${otherId.slice(0, 12)}…)`,
    );
  });
});

describe('which problem the verdict names', () => {
  it('a broken line before a line that is not UTF-8 is what is reported', async () => {
    const file = path.join(dir, 'broken-then-utf8.jsonl');
    const lines = logs.good.slice(0, 3);
    lines[1] = '{"this is": "not a record"}';
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
      firstError: { line: 2, seq: null },
    });
  });

  it('a torn last line is reported with its size, and the prefix verifies', async () => {
    const file = path.join(dir, 'torn.jsonl');
    await writeLines(file, logs.good.slice(0, 6));
    await fs.appendFile(file, (logs.good[6] as string).slice(0, 40));
    expect((await verifyLog(file, { trusted, workers: 0 })).firstError).toEqual({
      line: 7,
      seq: null,
      reason: 'the last line is torn (40 bytes without a newline): the prefix verifies',
    });
  });

  it('an anchored log that is already INVALID stays INVALID at its record, not TRUNCATED', async () => {
    const anchor = memoryAnchor();
    const file = path.join(dir, 'anchored.jsonl');
    await writeTestLog(file, alice, bob, {
      commands: 6,
      extra: { anchor, checkpoint: { records: 5, ms: 0 } },
    });
    const lines = (await linesOf(file)).slice(0, 4);
    lines[2] = signedLine(alice, canonicalize({ ...payloadOf(lines[2] as string), v: 2 }));
    await writeLines(file, lines);
    expect(await verifyLog(file, { trusted, anchors: anchor, workers: 0 })).toMatchObject({
      verdict: 'INVALID',
      records: 2,
      firstError: { line: 3, reason: expect.stringMatching(/format version 2/) },
    });
  });
});

describe('the threads that check signatures', () => {
  const threadsDuring = async (workers: number) => {
    let started = 0;
    const count = () => (started += 1);
    process.on('worker', count);
    try {
      const file = path.join(dir, `threads-${workers}.jsonl`);
      await writeLines(file, logs.good);
      const report = await verifyLog(file, { trusted, workers });
      return { started, verdict: report.verdict };
    } finally {
      process.off('worker', count);
    }
  };
  const running = () =>
    (process.report.getReport() as unknown as { workers: unknown[] }).workers.length;

  it('starts as many as asked, and none are left running when the verdict is given', async () => {
    const before = running();
    expect(await threadsDuring(2)).toEqual({ started: 2, verdict: 'VALID' });
    expect(running()).toBe(before);
    expect(await threadsDuring(0)).toEqual({ started: 0, verdict: 'VALID' });
  });
});
