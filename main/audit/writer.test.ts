import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { blobDir } from './log-file';
import { readChain } from './resume';
import {
  linesOf,
  person,
  tempDir,
  testOpen,
  tickingClock,
  trustOf,
  writeTestLog,
} from './test-helpers';
import { verifyLog } from './verify';
import { createLog, resumeLog } from './writer';

const alice = person('Alice Operator');
const bob = person('Bob Approver');
const trusted = trustOf(alice, bob);

describe('the audit writer', () => {
  it('writes a sealed log that verifies, one line per record, seq from 0 and chained', async () => {
    const file = path.join(tempDir(), 'session.jsonl');
    await writeTestLog(file, alice, bob);
    const report = await verifyLog(file, { trusted });
    expect(report).toMatchObject({ verdict: 'VALID', records: 11, sealed: true, firstError: null });
    expect(report.signers).toEqual([
      { keyId: alice.pair.keyId, name: 'Alice Operator', records: 10, approvals: 0 },
      { keyId: bob.pair.keyId, name: 'Bob Approver', records: 1, approvals: 1 },
    ]);
    const chain = await readChain(file).catch((e: Error) => e);
    expect(String(chain)).toMatch(/is sealed/);
  });

  it('keeps appends in call order even when they are not awaited one by one (batched fsync)', async () => {
    const file = path.join(tempDir(), 'batch.jsonl');
    const writer = await createLog(
      { file, signer: alice.signer, fsync: 'batch', checkpoint: null },
      testOpen,
    );
    const notes = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        writer.append('note', { step: null, text: `note ${i}` }),
      ),
    );
    expect(notes.map((r) => r.payload.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    // Every append resolved after its bytes were written: the file already holds them all.
    expect(await linesOf(file)).toHaveLength(201);
    await writer.seal('completed');
    await writer.close();
    expect((await verifyLog(file, { trusted })).verdict).toBe('VALID');
  });

  it('refuses to append after the seal, and to create over an existing log', async () => {
    const file = path.join(tempDir(), 'sealed.jsonl');
    const writer = await writeTestLog(file, alice, bob);
    await expect(writer.append('note', { step: null, text: 'late' })).rejects.toThrow(/is sealed/);
    await expect(createLog({ file, signer: alice.signer }, testOpen)).rejects.toThrow(
      /already exists/,
    );
  });

  it('resumes an unsealed log where it stopped, cutting a torn last line and saying so', async () => {
    const file = path.join(tempDir(), 'resume.jsonl');
    const first = await writeTestLog(file, alice, bob, { sealed: false });
    await first.close();
    // A crash mid-append: half a line without its newline.
    await fs.appendFile(file, '{"payload":"{\\"v\\":1,\\"log');
    expect((await verifyLog(file, { trusted })).verdict).toBe('TORN_TAIL');
    const { writer, records } = await resumeLog({
      file,
      signer: alice.signer,
      clock: tickingClock('2026-01-10T11:00:00Z'),
    });
    expect(records).toHaveLength(10);
    await writer.append('note', { step: null, text: 'carried on' });
    await writer.seal('completed');
    await writer.close();
    const report = await verifyLog(file, { trusted });
    expect(report).toMatchObject({ verdict: 'VALID', records: 13 });
    const lines = await linesOf(file);
    expect(lines[10]).toContain('torn record after record 9 were discarded');
  });

  it('keeps large output as a blob named by its SHA-256 and small output inline', async () => {
    const file = path.join(tempDir(), 'blobs.jsonl');
    const writer = await createLog({ file, signer: alice.signer, checkpoint: null }, testOpen);
    const big = Buffer.alloc(100_000, 'x');
    const bigRecord = await writer.output('c1', 'stdout', big);
    const binary = await writer.output('c1', 'stderr', Buffer.from([0xff, 0x00, 0xfe]));
    await writer.seal('completed');
    await writer.close();
    expect(bigRecord.payload.data).toMatchObject({ blob: true, bytes: 100_000 });
    expect(bigRecord.line.length).toBeLessThan(1000);
    expect(
      (await fs.readFile(path.join(blobDir(file), bigRecord.payload.data.sha256 as string))).equals(
        big,
      ),
    ).toBe(true);
    expect(binary.payload.data).toMatchObject({ b64: '/wD+', bytes: 3 });
    expect((await verifyLog(file, { trusted })).verdict).toBe('VALID');
  });

  it('writes a checkpoint every N records and after T milliseconds even when idle', async () => {
    const file = path.join(tempDir(), 'checkpoints.jsonl');
    let idleCheckpoint: () => void = () => undefined;
    const sawIdle = new Promise<void>((resolve) => (idleCheckpoint = resolve));
    let after = Infinity;
    const writer = await createLog(
      {
        file,
        signer: alice.signer,
        checkpoint: { records: 5, ms: 150 },
        onRecord: (r) => {
          if (r.payload.type === 'checkpoint' && r.payload.seq > after) idleCheckpoint();
        },
      },
      testOpen,
    );
    for (let i = 0; i < 12; i++) await writer.append('note', { step: null, text: `n${i}` });
    await writer.idle();
    after = writer.nextSeq - 1;
    await sawIdle;
    await writer.seal('completed');
    await writer.close();
    const types = (await linesOf(file)).map(
      (l) => (JSON.parse(JSON.parse(l).payload) as { type: string }).type,
    );
    expect(types.slice(0, 7)).toEqual([
      'open',
      'note',
      'note',
      'note',
      'note',
      'checkpoint',
      'note',
    ]);
    expect(types.filter((t) => t === 'checkpoint').length).toBeGreaterThanOrEqual(3);
    expect((await verifyLog(file, { trusted })).verdict).toBe('VALID');
  });

  it('refuses data that has no canonical form, leaving the log unchanged', async () => {
    const file = path.join(tempDir(), 'bad-data.jsonl');
    const writer = await createLog({ file, signer: alice.signer, checkpoint: null }, testOpen);
    await expect(
      writer.append('note', { step: null, text: 'lone \ud800 surrogate' }),
    ).rejects.toThrow(/lone surrogate/);
    await writer.append('note', { step: null, text: 'fine' });
    await writer.close();
    expect(await verifyLog(file, { trusted })).toMatchObject({ verdict: 'UNSEALED', records: 2 });
  });

  it("checks a remote signer's signature before writing, and refuses a bad one", async () => {
    const file = path.join(tempDir(), 'remote.jsonl');
    const writer = await createLog({ file, signer: alice.signer, checkpoint: null }, testOpen);
    const remote = { ...bob.signer, publicKey: bob.pair.publicKey };
    const approval = {
      step: 'approve',
      approver: 'Bob Approver',
      decision: 'approved' as const,
      statement: 'ok',
    };
    await writer.append('approval', approval, remote);
    const wrongKey = { ...remote, sign: alice.signer.sign };
    await expect(writer.append('approval', approval, wrongKey)).rejects.toThrow(
      /from Bob Approver .* does not verify; nothing was written/,
    );
    await writer.seal('completed');
    expect(await verifyLog(file, { trusted })).toMatchObject({ verdict: 'VALID', records: 3 });
  });
});
