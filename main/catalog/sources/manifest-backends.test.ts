// The manifest source over the real remote backends: SFTP on a test sshd and a bucket prefix on moto_server.
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOTO_CREDENTIALS, startMoto } from '../../../test-support/moto';
import type { Moto } from '../../../test-support/moto';
import { startSshd } from '../../../test-support/sshd';
import type { TestSshd } from '../../../test-support/sshd';
import { makeTempDir } from '../../../test-support/temp';
import type { TempDir } from '../../../test-support/temp';
import { sshBackendFor } from '../../../test-support/tool-backends';
import { writeDemoBackups } from '../../workspace/demo';
import { LocalBackend } from '../backends/local';
import { S3Backend } from '../backends/s3';
import { SshPool } from '../backends/ssh-pool';
import { ManifestSource, setFolderOf } from './manifest';
import type { ManifestConfig } from './manifest';

const NOW = new Date('2026-11-26T03:20:00Z');
let temp: TempDir;
let dir: string;
let expected: string[];
const config: ManifestConfig = {
  name: 'orders',
  type: 'manifest',
  backend: 'x',
  service: null,
  path: 'orders-db',
  bucket: null,
};

beforeAll(async () => {
  temp = makeTempDir('manifest-remote', 0o755);
  dir = temp.path;
  await writeDemoBackups(dir, NOW);
  const local = new ManifestSource(config, new LocalBackend('nas', join(dir, 'backups/nas')));
  expected = (await local.list({})).map((p) => p.id);
  expect(expected.length).toBeGreaterThan(28);
});

afterAll(() => temp?.remove());

describe('manifest source over ssh', () => {
  let sshd: TestSshd;
  const pool = new SshPool();
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await pool.closeAll();
    await sshd?.stop();
  });

  it('reads the same points through SFTP as from the folder itself', async () => {
    const source = new ManifestSource(
      { ...config, path: join(dir, 'backups/nas/orders-db') },
      sshBackendFor(sshd, pool, 'db-host'),
    );
    const points = await source.list({});
    expect(source.warnings).toEqual([]);
    expect(points.map((p) => p.id)).toEqual(expected);
    expect(points.every((p) => p.copies.includes('db-host') && p.service === 'orders-db')).toBe(
      true,
    );
    const last = points.at(-1);
    expect(last && setFolderOf(last)).toBe(join(dir, 'backups/nas/orders-db', last?.id ?? ''));
  });
});

describe('manifest source over s3', () => {
  let moto: Moto;
  beforeAll(async () => {
    moto = await startMoto();
    const s3 = moto.client();
    await s3.send(new CreateBucketCommand({ Bucket: 'shop-backups' }));
    const folder = join(dir, 'backups/nas/orders-db');
    const names = (await readdir(folder, { recursive: true, withFileTypes: true })).filter((e) =>
      e.isFile(),
    );
    await Promise.all(
      names.map(async (entry) => {
        const full = join(entry.parentPath, entry.name);
        const key = `orders-db/${full.slice(folder.length + 1)}`;
        await s3.send(
          new PutObjectCommand({ Bucket: 'shop-backups', Key: key, Body: await readFile(full) }),
        );
      }),
    );
    // A neighbour prefix that must not be read, and a manifest with a shell payload for an id.
    await s3.send(
      new PutObjectCommand({ Bucket: 'shop-backups', Key: 'orders-db-old/x.json', Body: '{}' }),
    );
    const hostile = {
      format: 'dapple-manifest/1',
      id: '$(rm -rf ~)',
      time: '2026-11-20T03:00:00Z',
      kind: 'full',
    };
    await s3.send(
      new PutObjectCommand({
        Bucket: 'shop-backups',
        Key: 'orders-db/hostile.json',
        Body: JSON.stringify(hostile),
      }),
    );
  });
  afterAll(async () => {
    await moto?.stop();
  });

  it('reads a bucket prefix, and reports the bad manifest without running or hiding anything', async () => {
    const backend = new S3Backend(
      {
        name: 's3-main',
        type: 's3',
        endpoint: moto.endpoint,
        region: 'us-east-1',
        profile: null,
        forcePathStyle: null,
        tags: ['offsite'],
      },
      { credentials: MOTO_CREDENTIALS, maxAttempts: 1 },
    );
    const source = new ManifestSource({ ...config, bucket: 'shop-backups' }, backend);
    const points = await source.list({});
    expect(points.map((p) => p.id)).toEqual(expected);
    expect(source.warnings).toEqual([
      expect.stringMatching(
        /^Manifest shop-backups\/orders-db\/hostile\.json in source orders does not follow the manifest format \(id: an id uses letters/,
      ),
    ]);
    const last = points.at(-1);
    expect(last && setFolderOf(last)).toBe(`shop-backups/orders-db/${last?.id ?? ''}`);
    expect(last?.copies).toEqual(['nas', 'offsite', 'usb', 's3-main']);
  });
});
