// The replay's bounds on a real log written by the real writer: binary output is named, large
// blobs load on demand, the output budget says why text is missing, and frames follow the reducer.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { blobDir } from './log-file';
import { replaySession } from './reducer';
import { buildReplay, REPLAY_LIMITS } from './report-replay';
import { person, tempDir, testOpen, tickingClock, trustOf } from './test-helpers';
import { verifyLogDetailed } from './verify';
import { createLog } from './writer';

describe('buildReplay', () => {
  const dir = tempDir('dapple-replay-');
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it('bounds output and keeps each record pointing at the reducer state after it', async () => {
    const operator = person('Olga');
    const trust = trustOf(operator);
    const file = path.join(dir, 'bounds.jsonl');
    const writer = await createLog(
      { file, signer: operator.signer, clock: tickingClock(), checkpoint: null },
      testOpen,
    );
    await writer.append('step.start', { step: 'copy', attempt: 1 });
    await writer.append('cmd.start', { cmd: 'c1', step: 'copy', host: 'db1', argv: ['tar', 'x'] });
    await writer.output('c1', 'stdout', Buffer.from([0xff, 0xfe, 0x00, 0x01]));
    const big = Buffer.from('line of restored output\n'.repeat(4000)); // ~94 KiB: a lazy blob
    await writer.output('c1', 'stdout', big);
    await writer.output('c1', 'stderr', Buffer.from('tar: done\n'));
    await writer.append('cmd.end', { cmd: 'c1', exitCode: 0, signal: null, durationMs: 2000 });
    await writer.append('step.end', { step: 'copy', attempt: 1, state: 'done', error: null });
    await writer.seal('completed');
    await writer.idle();

    const { report, records } = await verifyLogDetailed(file, { trusted: trust });
    expect(report.verdict).toBe('VALID');
    const read = (sha: string) => fs.readFile(path.join(blobDir(file), sha)).catch(() => null);
    const source = { kind: 'file' as const, path: file, name: 'bounds.jsonl', bytes: 1 };
    const opened = await buildReplay({ source, report, records, trust, readBlob: read });

    const [binary, blob, text] = opened.outputs;
    expect(binary).toMatchObject({
      text: null,
      hidden: 'Binary output (4 bytes), not shown as text.',
    });
    expect(blob).toMatchObject({ blob: true, lazy: true, text: null });
    expect(blob?.bytes).toBeGreaterThan(REPLAY_LIMITS.inlineBlob);
    expect(text).toMatchObject({ stream: 'stderr', text: 'tar: done\n' });
    // Output records carry size and hash but not the text, which travels once in outputs.
    const outRecord = opened.records.find((r) => r.type === 'output');
    expect(outRecord?.data).not.toHaveProperty('b64');
    // Every record's frame is the reducer's state (output aside) after that record.
    for (const [i, r] of opened.records.entries()) {
      const frame = opened.frames[r.frame];
      const folded = replaySession(records.slice(0, i + 1));
      expect(frame?.steps).toEqual(folded.steps);
      expect(frame?.commands.map((c) => c.exitCode)).toEqual(
        folded.commands.map((c) => c.exitCode),
      );
    }
    expect(opened.timeText).toBe('Took 8s against an RTO of 1h 00m: within it (0% of the RTO).');

    // Without its blobs (a dropped file), the blob is explained instead of loaded.
    const dropped = await buildReplay({ source, report, records, trust, readBlob: null });
    expect(dropped.outputs[1]?.hidden).toMatch(/which a dropped file does not bring/);
    expect(dropped.blobNote).toMatch(/was not checked/);
  });
});
