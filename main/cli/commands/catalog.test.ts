// `dapple catalog list` end to end in-process: a real workspace folder, real moto buckets.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOTO_CREDENTIALS, startMoto, type Moto } from '../../../test-support/moto';
import { freePort } from '../../../test-support/ports';
import { makeTempDir, type TempDir } from '../../../test-support/temp';
import { runCli } from '../run';
import { printable } from './catalog';

type Run = { code: number; stdout: string; stderr: string };

describe('dapple catalog list', () => {
  let moto: Moto;
  let ws: TempDir;
  let data: TempDir;
  const run = async (...argv: string[]): Promise<Run> => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(['catalog', ...argv], {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      env: { ...process.env, DAPPLE_DATA_DIR: data.path },
      cwd: ws.path,
    });
    return { code, stdout, stderr };
  };
  const workspace = (endpoint: string, extraSources = '') =>
    writeFileSync(
      join(ws.path, 'dapple.yaml'),
      `name: shop
backends:
  archive: { type: s3, endpoint: "${endpoint}", region: us-east-1, tags: [offsite] }
sources:
  uploads: { type: s3-versions, backend: archive, bucket: shop-media, prefix: "images/$(rm -rf ~)/", service: uploads }
  invoices: { type: s3-versions, backend: archive, bucket: shop-invoices, prefix: "", service: invoices }
${extraSources}
services:
  uploads: { owner: web-oncall, rpo: 1h, rto: 2h }
  invoices: { owner: billing-oncall, rpo: 1h, rto: 4h }
`,
    );

  beforeAll(async () => {
    moto = await startMoto();
    process.env.AWS_ACCESS_KEY_ID = MOTO_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = MOTO_CREDENTIALS.secretAccessKey;
    const s3 = moto.client();
    for (const bucket of ['shop-media', 'shop-invoices']) {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      await s3.send(
        new PutBucketVersioningCommand({
          Bucket: bucket,
          VersioningConfiguration: { Status: 'Enabled' },
        }),
      );
    }
    await s3.send(
      new PutObjectCommand({
        Bucket: 'shop-media',
        Key: 'images/$(rm -rf ~)/🦄.png',
        Body: 'unicorn',
      }),
    );
    await s3.send(
      new PutObjectCommand({ Bucket: 'shop-invoices', Key: '2026/11/0001.pdf', Body: 'pdf!' }),
    );
    ws = makeTempDir('catalog-cli');
    data = makeTempDir('catalog-cli-data');
  });
  afterAll(async () => {
    await moto?.stop();
    ws?.remove();
    data?.remove();
  });

  it('prints its help', async () => {
    const { code, stdout } = await run('--help');
    expect(code).toBe(0);
    expect(stdout).toContain(
      'Usage: dapple catalog list --workspace DIR [--service S] [--refresh] [--json]',
    );
  });

  it('prints one JSON array of points, and a failing source as a sentence on stderr', async () => {
    workspace(
      moto.endpoint,
      '  lost: { type: s3-versions, backend: archive, bucket: shop-lost, prefix: "", service: uploads }',
    );
    const { code, stdout, stderr } = await run('list', '--workspace', ws.path, '--json');
    expect(code).toBe(0);
    const points = JSON.parse(stdout) as Record<string, unknown>[];
    expect(points.map((p) => [p.service, p.source, p.kind])).toEqual([
      ['invoices', 'invoices', 'window'],
      ['uploads', 'uploads', 'window'],
    ]);
    const uploads = points[1] as Record<string, unknown>;
    expect(uploads).toMatchObject({
      id: 's3://shop-media/images/$(rm -rf ~)/',
      parent: null,
      sizeBytes: 7,
      copies: ['archive'],
      immutable: null,
    });
    expect(uploads.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(uploads).not.toHaveProperty('raw');
    expect(stderr).toBe(
      `dapple catalog: source lost: Bucket shop-lost does not exist at ${moto.endpoint} (backend archive).\n` +
        '  Check the bucket name in dapple.yaml, and that the backend points at the right endpoint and account.\n',
    );
  });

  it('answers from the cache when the endpoint is gone, and filters by service', async () => {
    workspace(`http://127.0.0.1:${await freePort()}`);
    const { code, stdout } = await run(
      'list',
      '--workspace',
      ws.path,
      '--json',
      '--service',
      'invoices',
      '--raw',
    );
    expect(code).toBe(0);
    const points = JSON.parse(stdout) as { service: string; raw: { versions: number } }[];
    expect(points.map((p) => p.service)).toEqual(['invoices']);
    expect(points[0]?.raw.versions).toBe(1);
  });

  it('exits 1 when every source failed, naming each', async () => {
    const { code, stderr } = await run('list', '--workspace', ws.path, '--refresh', '--json');
    expect(code).toBe(1);
    expect(stderr.match(/could not reach the S3 endpoint/g)).toHaveLength(2);
    // The cached points are still shown, marked as such.
    expect(stderr).toContain('(showing its 1 cached points from');
  });

  it('prints a readable table, and refuses an unknown service', async () => {
    workspace(moto.endpoint);
    const { code, stdout, stderr } = await run('list', '--workspace', ws.path, '--refresh');
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(
      /^SERVICE\s+SOURCE\s+TIME \(UTC\)\s+KIND\s+SIZE\s+COPIES\s+LOCK\s+ID$/,
    );
    expect(stdout).toMatch(
      /uploads\s+uploads\s+\S+Z → now\s+window\s+7 B\s+archive\s+-\s+s3:\/\/shop-media/,
    );
    expect(stderr).toMatch(/^2 sources, 0 failed; catalog as of \d{4}-/);
    const unknown = await run('list', '--workspace', ws.path, '--service', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('The workspace has no service named "nope".');
  });

  it('shows hostile text as text', () => {
    expect(printable('evil\u001b[31mred\u202etxt.exe\nnext')).toBe(
      'evil\\u001b[31mred\\u202etxt.exe\\u000anext',
    );
    expect(printable('x'.repeat(10_000), 40)).toHaveLength(40);
  });
});
