// The catalog service on real sources (moto buckets): concurrent reads, one failure isolated,
// copies merged, and the cache answering when the sources cannot.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  ListObjectVersionsCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOTO_CREDENTIALS, startMoto, type Moto } from '../../test-support/moto';
import { freePort } from '../../test-support/ports';
import { makeTempDir, type TempDir } from '../../test-support/temp';
import type { SourceStatus } from '../../preload/schemas/catalog';
import { prepareDemoWorkspace } from '../workspace/demo';
import { loadWorkspace } from '../workspace/load';
import type { Workspace } from '../workspace/types';
import { cacheFile, readRaw } from './cache';
import { loadCatalog, type LoadOptions } from './service';

/** A dapple.yaml with two backends on the same moto (two copies of one bucket) and three sources. */
const yaml = (endpoint: string, mirror: string) => `
name: shop
backends:
  primary: { type: s3, endpoint: "${endpoint}", region: us-east-1, tags: [onsite] }
  mirror: { type: s3, endpoint: "${mirror}", region: us-east-1, tags: [offsite] }
sources:
  uploads-primary: { type: s3-versions, backend: primary, bucket: shop-media, prefix: images/, service: uploads }
  uploads-mirror: { type: s3-versions, backend: mirror, bucket: shop-media, prefix: images/, service: uploads }
  invoices: { type: s3-versions, backend: primary, bucket: shop-uploads, prefix: "", service: invoices }
services:
  uploads: { owner: web-oncall, rpo: 1h, rto: 2h }
  invoices: { owner: billing-oncall, rpo: 1h, rto: 4h }
`;

async function workspaceAt(dir: string, text: string): Promise<Workspace> {
  writeFileSync(join(dir, 'dapple.yaml'), text);
  const loaded = await loadWorkspace(dir);
  if (!loaded.workspace)
    throw new Error(`test workspace did not load: ${JSON.stringify(loaded.problems)}`);
  return loaded.workspace;
}

describe('loadCatalog', () => {
  let moto: Moto;
  let dir: TempDir;
  let cacheDir: TempDir;
  let workspace: Workspace;
  const options = (extra: Partial<LoadOptions> = {}): LoadOptions => ({
    cacheDir: cacheDir.path,
    registry: { s3: { credentials: MOTO_CREDENTIALS, maxAttempts: 1 } },
    ...extra,
  });

  beforeAll(async () => {
    moto = await startMoto();
    const s3 = moto.client();
    await s3.send(new CreateBucketCommand({ Bucket: 'shop-media' }));
    await s3.send(
      new PutBucketVersioningCommand({
        Bucket: 'shop-media',
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    );
    for (const body of ['one', 'two'])
      await s3.send(
        new PutObjectCommand({ Bucket: 'shop-media', Key: 'images/a.png', Body: body }),
      );
    await s3.send(new CreateBucketCommand({ Bucket: 'shop-uploads' }));
    dir = makeTempDir('catalog-ws');
    cacheDir = makeTempDir('catalog-cache');
    workspace = await workspaceAt(dir.path, yaml(moto.endpoint, moto.endpoint));
  });
  afterAll(async () => {
    await moto?.stop();
    dir?.remove();
    cacheDir?.remove();
  });

  it('reads every source, keeps one failure to itself, and merges the two copies of a bucket', async () => {
    const events: SourceStatus[] = [];
    const catalog = await loadCatalog(workspace, options({ onProgress: (s) => events.push(s) }));
    expect(catalog.sources.map((s) => [s.source, s.state, s.points])).toEqual([
      ['uploads-primary', 'ok', 1],
      ['uploads-mirror', 'ok', 1],
      ['invoices', 'error', 0],
    ]);
    expect(catalog.sources[2]?.error?.message).toBe(
      'bucket shop-uploads does not keep versions; enable versioning to restore past states',
    );
    const listed = await moto
      .client()
      .send(new ListObjectVersionsCommand({ Bucket: 'shop-media', Prefix: 'images/' }));
    const oldest = new Date(
      Math.min(...(listed.Versions ?? []).map((v) => (v.LastModified as Date).getTime())),
    ).toISOString();
    expect(catalog.points).toHaveLength(1);
    expect(catalog.points[0]).toMatchObject({
      id: 's3://shop-media/images/',
      service: 'uploads',
      source: 'uploads-primary',
      time: oldest,
      copies: ['primary', 'mirror'],
    });
    expect(catalog.asOf).not.toBeNull();
    // Progress: each source went loading → ok/error.
    for (const name of ['uploads-primary', 'uploads-mirror', 'invoices']) {
      const states = events.filter((e) => e.source === name).map((e) => e.state);
      expect(states[0]).toBe('loading');
      expect(states.at(-1)).toBe(name === 'invoices' ? 'error' : 'ok');
    }
    // The raw record stays on disk and is read on demand.
    const section = catalog.snapshot!.sections.get('uploads-primary')!;
    await expect(readRaw(catalog.snapshot!, section, 0)).resolves.toMatchObject({
      bucket: 'shop-media',
      versions: 2,
    });
  });

  it('answers from the cache without touching the sources', async () => {
    const first = await loadCatalog(workspace, options());
    const unreachable = `http://127.0.0.1:${await freePort()}`;
    const offline = await workspaceAt(dir.path, yaml(unreachable, unreachable));
    const cached = await loadCatalog(offline, options());
    expect(cached.asOf).toBe(first.asOf);
    expect(cached.points).toEqual(first.points);
  });

  it('keeps a failed source’s last points, marked with its error, while the others refresh', async () => {
    const before = await loadCatalog(workspace, options());
    const unreachable = `http://127.0.0.1:${await freePort()}`;
    const mirrorDown = await workspaceAt(dir.path, yaml(moto.endpoint, unreachable));
    const after = await loadCatalog(mirrorDown, options({ refresh: true }));
    const mirror = after.sources.find((s) => s.source === 'uploads-mirror');
    expect(mirror?.state).toBe('error');
    expect(mirror?.error?.message).toContain(`could not reach the S3 endpoint ${unreachable}`);
    expect(mirror?.points).toBe(1);
    expect(mirror?.refreshedAt).toBe(
      before.sources.find((s) => s.source === 'uploads-mirror')?.refreshedAt,
    );
    expect(after.sources.find((s) => s.source === 'uploads-primary')?.state).toBe('ok');
    expect(after.points[0]?.copies).toEqual(['primary', 'mirror']);
    expect(after.asOf! > before.asOf!).toBe(true);
  });

  it('refreshes only the chosen sources and carries the rest', async () => {
    const catalog = await loadCatalog(
      workspace,
      options({ refresh: true, sources: new Set(['uploads-primary']) }),
    );
    expect(catalog.sources.map((s) => s.state)).toEqual(['ok', 'error', 'error']);
  });

  it('rebuilds a damaged cache and says so', async () => {
    writeFileSync(cacheFile(cacheDir.path, workspace.root), 'not a catalog\n');
    const catalog = await loadCatalog(workspace, options());
    expect(catalog.note).toMatch(/could not be read .* it is rebuilt from the sources/);
    expect(catalog.points).toHaveLength(1);
    expect((await loadCatalog(workspace, options())).note).toBeNull();
  });
});

describe('loadCatalog on the demo workspace (manifests on local folders, and a broken restic source)', () => {
  it('reads every manifest source while the broken one only reports its own error', async () => {
    const dir = makeTempDir('catalog-demo');
    const cache = makeTempDir('catalog-demo-cache');
    try {
      await prepareDemoWorkspace({ now: new Date(), into: dir.path });
      const file = join(dir.path, 'dapple.yaml');
      const text = readFileSync(file, 'utf8').replace(
        'sources:\n',
        'sources:\n  broken-restic: { type: restic, backend: nas, repository: /nonexistent/repo, service: orders-db, password: { env: DAPPLE_TEST_NO_SUCH_VAR } }\n',
      );
      writeFileSync(file, text);
      const loaded = await loadWorkspace(dir.path);
      expect(loaded.workspace).not.toBeNull();
      const catalog = await loadCatalog(loaded.workspace as Workspace, { cacheDir: cache.path });
      const byName = new Map(catalog.sources.map((s) => [s.source, s]));
      expect(byName.get('broken-restic')?.state).toBe('error');
      expect(byName.get('broken-restic')?.error?.message).toMatch(/broken-restic/);
      const manifests = catalog.sources.filter((s) => s.source !== 'broken-restic');
      expect(manifests.length).toBeGreaterThanOrEqual(5);
      for (const s of manifests) expect([s.source, s.state]).toEqual([s.source, 'ok']);
      const orders = catalog.points.filter((p) => p.service === 'orders-db');
      expect(orders.length).toBeGreaterThan(0);
      // The demo copies sets to an off-site folder: the 3-2-1 view sees more than one copy.
      expect(orders.some((p) => p.copies.length > 1)).toBe(true);
    } finally {
      dir.remove();
      cache.remove();
    }
  });
});
