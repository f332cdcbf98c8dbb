import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBackend } from '../backends/local';
import { ManifestSource, setFolderOf } from './manifest';
import type { ManifestConfig } from './manifest';

let dir: string;
const config: ManifestConfig = {
  name: 'orders-nas',
  type: 'manifest',
  backend: 'nas',
  service: 'orders-db',
  path: 'orders-db',
  bucket: null,
};

const manifest = (over: Record<string, unknown>) => ({
  format: 'dapple-manifest/1',
  time: '2026-11-20T04:00:00+01:00',
  kind: 'full',
  ...over,
});

async function put(path: string, body: unknown): Promise<void> {
  await mkdir(join(dir, path, '..'), { recursive: true });
  await writeFile(join(dir, path), typeof body === 'string' ? body : JSON.stringify(body));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dapple-manifest-'));
  await put(
    'orders-db/full-1.json',
    manifest({
      id: 'full-1',
      copies: ['offsite'],
      sizeBytes: 5000,
      lastVerified: '2026-11-21T09:00:00Z',
      x_script: 'nightly.sh v2',
    }),
  );
  await put(
    'orders-db/incr-2.json',
    manifest({
      id: 'incr-2',
      kind: 'incr',
      parent: 'full-1',
      time: '2026-11-20T04:00:00Z',
      service: 'orders-db',
      files: [{ path: 'orders.sql', sizeBytes: 9, sha256: 'a'.repeat(64) }],
      immutability: {
        mode: 'COMPLIANCE',
        retainUntil: '2026-12-20T00:00:00-05:00',
        legalHold: true,
      },
    }),
  );
  // A payload file that happens to end in .json is part of its set, not a manifest.
  await put('orders-db/incr-2/orders.json', '{"not": "a manifest"}');
  await put(
    'orders-db/2026/11/failed-3.json',
    manifest({
      id: 'failed-3',
      kind: 'diff',
      parent: 'full-1',
      status: 'failed',
      tags: ['host:db1'],
      time: '2026-11-20T05:00:00Z',
    }),
  );
  // Broken ones: each becomes one warning that names the file and the source.
  await put('orders-db/torn.json', '{"format": "dapple-manifest/1", "id": ');
  await put('orders-db/bad-time.json', manifest({ id: 'bad-time', time: 'yesterday' }));
  await put(
    'orders-db/escape.json',
    manifest({
      id: 'escape',
      files: [{ path: '../../etc/passwd', sizeBytes: 1, sha256: 'b'.repeat(64) }],
    }),
  );
  await put('orders-db/renamed.json', manifest({ id: 'full-1' }));
  await put('orders-db/notes.txt', 'not json, ignored');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ManifestSource', () => {
  it('normalises good manifests and reports each bad one without hiding the others', async () => {
    const source = new ManifestSource(config, new LocalBackend('nas', dir));
    const progress: string[] = [];
    const points = await source.list({ progress: (p) => progress.push(p.message) });
    expect(points.map((p) => p.id)).toEqual(['full-1', 'incr-2', 'failed-3']);
    const [full, incr, failed] = points;
    expect(full).toMatchObject({
      source: 'orders-nas',
      service: 'orders-db',
      time: '2026-11-20T03:00:00.000Z',
      kind: 'full',
      parent: null,
      sizeBytes: 5000,
      copies: ['offsite', 'nas'],
      immutable: null,
      lastVerified: '2026-11-21T09:00:00.000Z',
      tags: [],
      endTime: null,
    });
    expect(incr).toMatchObject({
      parent: 'full-1',
      sizeBytes: 9,
      copies: ['nas'],
      immutable: { mode: 'COMPLIANCE', retainUntil: '2026-12-20T05:00:00.000Z', legalHold: true },
    });
    expect(failed?.tags).toEqual(['host:db1', 'status:failed']);
    // A script's own fields stay in the raw record.
    expect(full?.raw).toMatchObject({
      file: 'orders-db/full-1.json',
      backend: 'nas',
      manifest: { x_script: 'nightly.sh v2' },
    });
    expect(incr && setFolderOf(incr)).toBe('orders-db/incr-2');
    expect(failed && setFolderOf(failed)).toBe('orders-db/2026/11/failed-3');

    expect(source.warnings).toHaveLength(4);
    const [badTime, escape, renamed, torn] = source.warnings;
    expect(badTime).toMatch(
      /^Manifest orders-db\/bad-time\.json in source orders-nas does not follow the manifest format \(time: .*\), so it was skipped\.$/,
    );
    expect(escape).toMatch(
      /^Manifest orders-db\/escape\.json .*files\[0\]\.path: a file path is relative to the set folder/,
    );
    expect(renamed).toBe(
      'Manifest orders-db/renamed.json in source orders-nas repeats the id full-1 of another manifest, so it was skipped.',
    );
    expect(torn).toMatch(
      /^Manifest orders-db\/torn\.json in source orders-nas is not valid JSON \(.+\), so it was skipped\.$/,
    );
    expect(progress.at(-1)).toBe('Read 7 of 7 manifests');
  });

  it('needs a service from the manifest or the source', async () => {
    const source = new ManifestSource({ ...config, service: null }, new LocalBackend('nas', dir));
    const points = await source.list({});
    expect(points.map((p) => p.id)).toEqual(['incr-2']);
    expect(source.warnings.filter((w) => w.includes('names no service'))).toHaveLength(3);
  });

  it('fails with a sentence when the folder is missing', async () => {
    const source = new ManifestSource(
      { ...config, path: 'billing-db' },
      new LocalBackend('nas', dir),
    );
    await expect(source.list({})).rejects.toThrow('billing-db does not exist on backend nas.');
  });
});
