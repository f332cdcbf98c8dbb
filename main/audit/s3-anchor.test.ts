// Anchoring against a real S3 server (moto_server) with Object Lock in compliance mode.
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMoto, MOTO_CREDENTIALS, type Moto } from '../../test-support/moto';
import { canonicalize } from './canonical-json';
import { s3AnchorSink, s3AnchorSource } from './s3-anchor';
import {
  linesOf,
  payloadOf,
  person,
  signedLine,
  tempDir,
  trustOf,
  writeLines,
  writeTestLog,
} from './test-helpers';
import { verifyLog } from './verify';
import { runCli } from '../cli/run';

const alice = person('Alice Operator');
const bob = person('Bob Approver');
const trusted = trustOf(alice, bob);

describe('the S3 Object Lock anchor', () => {
  let moto: Moto;
  let s3: S3Client;
  beforeAll(async () => {
    moto = await startMoto();
    s3 = moto.client();
    await s3.send(
      new CreateBucketCommand({ Bucket: 'audit-anchors', ObjectLockEnabledForBucket: true }),
    );
    // The CLI takes AWS credentials the usual way: from the environment.
    process.env.AWS_ACCESS_KEY_ID = MOTO_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = MOTO_CREDENTIALS.secretAccessKey;
  });
  afterAll(async () => {
    await moto?.stop();
  });

  async function anchoredLog(name: string) {
    const sink = s3AnchorSink({
      bucket: 'audit-anchors',
      prefix: 'logs/',
      region: 'us-east-1',
      endpoint: moto.endpoint,
      retentionDays: 1,
      credentials: MOTO_CREDENTIALS,
    });
    const errors: unknown[] = [];
    const file = path.join(tempDir(), name);
    await writeTestLog(file, alice, bob, {
      commands: 4,
      extra: { anchor: sink, checkpoint: { records: 4, ms: 0 }, onError: (e) => errors.push(e) },
    });
    expect(errors).toEqual([]);
    return { file, lines: await linesOf(file) };
  }
  const anchors = () => s3AnchorSource({}, MOTO_CREDENTIALS);

  it('puts each checkpoint and the seal under compliance lock, records the VersionIds, and verifies VALID', async () => {
    const { file, lines } = await anchoredLog('anchored.jsonl');
    const seal = payloadOf(lines[lines.length - 1] as string);
    expect(seal.type).toBe('seal');
    const receipts = lines.flatMap(
      (l) => (payloadOf(l).data as { anchored?: { versionId: string }[] }).anchored ?? [],
    );
    expect(receipts.length).toBeGreaterThanOrEqual(3);
    expect(receipts.every((r) => r.versionId.length > 0)).toBe(true);
    expect(await verifyLog(file, { trusted, anchors: anchors() })).toMatchObject({
      verdict: 'VALID',
      firstError: null,
    });
    // Compliance mode: even the bucket owner cannot delete a locked version.
    const first = (
      payloadOf(lines[lines.length - 1] as string).data as {
        anchored: { objectKey: string; versionId: string }[];
      }
    ).anchored[0];
    await expect(
      s3.send(
        new DeleteObjectCommand({
          Bucket: 'audit-anchors',
          Key: first?.objectKey,
          VersionId: first?.versionId,
        }),
      ),
    ).rejects.toThrow();
  });

  it('finds the cut-off tail: TRUNCATED', async () => {
    const { file, lines } = await anchoredLog('cut.jsonl');
    await writeLines(file, lines.slice(0, 7));
    expect(await verifyLog(file, { trusted })).toMatchObject({ verdict: 'UNSEALED' });
    expect((await verifyLog(file, { trusted, anchors: anchors() })).verdict).toBe('TRUNCATED');
  });

  it('finds an anchor that disagrees with the log: FORKED', async () => {
    const { file, lines } = await anchoredLog('fork.jsonl');
    const checkpoint = lines.find((l) => payloadOf(l).type === 'checkpoint') as string;
    const p = payloadOf(checkpoint);
    // A second, different version of that checkpoint object appears in the bucket.
    const other = signedLine(alice, canonicalize({ ...p, ts: '2026-01-10T09:00:00.000Z' }));
    await s3.send(
      new PutObjectCommand({
        Bucket: 'audit-anchors',
        Key: `logs/${p.log}/${String(p.seq).padStart(12, '0')}.json`,
        Body: other,
      }),
    );
    const report = await verifyLog(file, { trusted, anchors: anchors() });
    expect(report.verdict).toBe('FORKED');
    expect(report.firstError?.reason).toMatch(
      new RegExp(`record ${p.seq} differs from its anchored copy`),
    );
  });

  it('dapple audit verify --anchors reads the anchors the log names and says TRUNCATED for a cut log', async () => {
    const { file, lines } = await anchoredLog('cli.jsonl');
    const trust = path.join(path.dirname(file), 'trusted.json');
    await fs.writeFile(trust, JSON.stringify({ v: 1, keys: [alice.entry, bob.entry] }));
    let stdout = '';
    const io = {
      stdout: (t: string) => (stdout += t),
      stderr: (t: string) => (stdout += t),
      env: process.env,
      cwd: path.dirname(file),
    };
    const code = await runCli(
      ['audit', 'verify', 'cli.jsonl', '--trusted', trust, '--anchors'],
      io,
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/^VALID cli\.jsonl: \d+ records, sealed/);
    await writeLines(file, lines.slice(0, 9));
    stdout = '';
    expect(
      await runCli(['audit', 'verify', 'cli.jsonl', '--trusted', trust, '--anchors'], io),
    ).toBe(1);
    expect(stdout).toMatch(/^TRUNCATED cli\.jsonl: 9 records.*its tail was cut off\n/);
  });
});
