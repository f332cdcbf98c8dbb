// The runtime `dapple` runs on: Node 24, the line Electron 45 bundles. Under an older Node it says so
// in one sentence and exits 2; on Node 24 a command that reads S3 leaves stderr empty (the AWS SDK
// has nothing to warn about, and nothing is silenced).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  CreateBucketCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOTO_CREDENTIALS, startMoto, type Moto } from '../../test-support/moto';

const root = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
};

/** A Node older than 24 on this machine (the system one), or null with why there is none. */
function olderNode(): { path: string; version: string } | { path: null; why: string } {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node']) {
    if (!existsSync(candidate)) continue;
    const version = spawnSync(candidate, ['--version'], { encoding: 'utf8' }).stdout.trim();
    if (Number(/^v(\d+)/.exec(version)?.[1]) < 24) return { path: candidate, version };
  }
  return { path: null, why: 'no Node older than 24 is installed here (/usr/bin/node)' };
}

describe('the Node that dapple runs on', () => {
  it('is the line Electron bundles: engines, the node package and the process running us agree', () => {
    expect(pkg.engines.node).toBe('>=24.11 <25');
    expect(pkg.devDependencies.node).toMatch(/^24\.\d+\.\d+$/);
    expect(pkg.devDependencies.electron).toMatch(/^45\./);
    expect(process.versions.node).toMatch(/^24\./);
  });

  const old = olderNode();
  if (old.path === null) console.log(`dapple under an old Node: skipped — ${old.why}.`);
  it.skipIf(old.path === null)(
    'under an older Node, dapple prints one sentence with the command that works, and exits 2',
    () => {
      if (old.path === null) return;
      const node = old.path;
      const cwd = mkdtempSync(join(root, '.cache', 'old-node-'));
      try {
        const result = spawnSync(
          node,
          [join(root, 'bin/dapple.mjs'), 'audit', 'verify', 'x.jsonl'],
          {
            cwd,
            encoding: 'utf8',
            env: { PATH: '/usr/bin:/bin', HOME: cwd },
          },
        );
        expect(result.status).toBe(2);
        expect(result.stdout).toBe('');
        const lines = result.stderr.split('\n');
        expect(lines).toHaveLength(2);
        expect(lines[1]).toBe('');
        const sentence = lines[0] as string;
        expect(sentence).toMatch(/^dapple: needs Node\.js 24 \(/);
        expect(sentence).toContain(`this is Node.js ${old.version.slice(1)}`);
        expect(sentence).not.toMatch(/\n\s+at |Error|SyntaxError/);
        // The command it names runs the Node 24 that `npm ci` installed, on this very file.
        const named = /`(\S+) (\S+) …`/.exec(sentence);
        expect(named?.[2]).toBe(join(root, 'bin/dapple.mjs'));
        const version = spawnSync(named?.[1] as string, ['--version'], { encoding: 'utf8' });
        expect(version.stdout).toMatch(/^v24\./);
        expect(sentence).toContain(`\`npm run -s dapple -- …\` in ${root}.`);
      } finally {
        rmSync(cwd, { recursive: true, force: true });
      }
    },
  );
});

describe('dapple reading S3 on Node 24', () => {
  let moto: Moto;
  let dir: string;

  beforeAll(async () => {
    mkdirSync(join(root, '.cache'), { recursive: true });
    dir = mkdtempSync(join(root, '.cache', 'runtime-'));
    // Our own bundle of the CLI (out/ may be rebuilt by someone else meanwhile), run in a child
    // process as a user runs it, so that whatever the SDK prints reaches its stderr.
    await build({
      entryPoints: [join(root, 'main/cli/index.ts')],
      outfile: join(dir, 'dapple.cjs'),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      packages: 'external',
      logLevel: 'error',
    });
    moto = await startMoto();
    const s3 = moto.client();
    await s3.send(new CreateBucketCommand({ Bucket: 'shop-media' }));
    await s3.send(
      new PutBucketVersioningCommand({
        Bucket: 'shop-media',
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    );
    await s3.send(new PutObjectCommand({ Bucket: 'shop-media', Key: 'a.png', Body: 'a' }));
    mkdirSync(join(dir, 'ws'));
    writeFileSync(
      join(dir, 'ws', 'dapple.yaml'),
      `name: shop
backends:
  archive: { type: s3, endpoint: "${moto.endpoint}", region: us-east-1 }
sources:
  uploads: { type: s3-versions, backend: archive, bucket: shop-media, prefix: "", service: uploads }
services:
  uploads: { owner: web-oncall, rpo: 1h, rto: 2h }
`,
    );
  }, 120_000);
  afterAll(async () => {
    await moto?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists a versioned bucket with nothing on stderr', () => {
    const result = spawnSync(
      process.execPath,
      [
        join(dir, 'dapple.cjs'),
        'catalog',
        'list',
        '--workspace',
        join(dir, 'ws'),
        '--refresh',
        '--json',
      ],
      {
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH ?? '',
          HOME: dir,
          DAPPLE_DATA_DIR: join(dir, 'data'),
          DAPPLE_CODE_CACHE: 'off',
          AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
        },
      },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const rows = JSON.parse(result.stdout) as { service: string; source: string }[];
    expect(rows).toEqual([expect.objectContaining({ service: 'uploads', source: 'uploads' })]);
  });
});
