// catalog.* calls through the real dispatcher (requests and answers checked against the contract),
// with a workspace whose sources are real moto buckets.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeResticRepo } from '../../../test-support/backup-repos';
import { MOTO_CREDENTIALS, startMoto, type Moto } from '../../../test-support/moto';
import { makeTempDir, type TempDir } from '../../../test-support/temp';
import type { CatalogView, SourceStatus } from '../../../preload/schemas/catalog';
import { pointAt } from '../../../preload/schemas/catalog-columns';
import { loadWorkspace } from '../../workspace/load';
import { createContext, type AppContext } from '../context';
import { dispatch } from '../dispatch';
import { catalogService } from './catalog';
import { groupsWarming } from './groups';
import { openWorkspace } from './workspace';

type Emitted = { name: string; payload: unknown };

describe('catalog handlers', () => {
  let moto: Moto;
  let dir: TempDir;
  let data: TempDir;
  let ctx: AppContext;
  const emitted: Emitted[] = [];
  let waiters: { name: string; resolve: (payload: unknown) => void }[] = [];
  const next = (name: string) => new Promise<unknown>((resolve) => waiters.push({ name, resolve }));

  beforeAll(async () => {
    moto = await startMoto();
    // The app reads credentials the way users have them: here, from the environment.
    process.env.AWS_ACCESS_KEY_ID = MOTO_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = MOTO_CREDENTIALS.secretAccessKey;
    const s3 = moto.client();
    await s3.send(new CreateBucketCommand({ Bucket: 'shop-media' }));
    await s3.send(
      new PutBucketVersioningCommand({
        Bucket: 'shop-media',
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    );
    await s3.send(new PutObjectCommand({ Bucket: 'shop-media', Key: 'images/a.png', Body: 'a' }));
    dir = makeTempDir('catalog-api');
    data = makeTempDir('catalog-data');
    writeFileSync(
      join(dir.path, 'dapple.yaml'),
      `name: shop
backends:
  primary: { type: s3, endpoint: "${moto.endpoint}", region: us-east-1 }
sources:
  uploads: { type: s3-versions, backend: primary, bucket: shop-media, prefix: images/, service: uploads }
  broken: { type: s3-versions, backend: primary, bucket: no-such-bucket, prefix: "", service: uploads }
services:
  uploads: { owner: web-oncall, rpo: 1h, rto: 2h }
`,
    );
    ctx = createContext({
      version: 'test',
      transport: 'browser',
      dataDir: data.path,
      emit: (name, payload) => {
        emitted.push({ name, payload });
        const ready = waiters.filter((w) => w.name === name);
        waiters = waiters.filter((w) => w.name !== name);
        for (const w of ready) w.resolve(payload);
      },
    });
  });
  afterAll(async () => {
    await moto?.stop();
    dir?.remove();
    data?.remove();
  });

  it('says there is no catalog without a workspace', async () => {
    const answer = await dispatch('catalog.get', {}, ctx);
    expect(answer).toMatchObject({ ok: false, error: { code: 'NO_WORKSPACE' } });
  });

  it('starts the first read by itself, reports progress, then shows the points', async () => {
    const loaded = await loadWorkspace(dir.path);
    ctx.setWorkspace(loaded);
    const changed = next('catalog.changed');
    const first = await dispatch('catalog.get', {}, ctx);
    expect(first).toMatchObject({
      ok: true,
      value: { points: { count: 0 }, asOf: null, refreshing: true },
    });
    await changed;
    const progress = emitted
      .filter((e) => e.name === 'catalog.progress')
      .map((e) => e.payload as SourceStatus);
    const states = progress.filter((s) => s.source === 'uploads').map((s) => s.state);
    expect([states[0], states.at(-1)]).toEqual(['loading', 'ok']);
    expect(progress.filter((s) => s.source === 'broken').at(-1)?.error?.message).toBe(
      `Bucket no-such-bucket does not exist at ${moto.endpoint} (backend primary).`,
    );
    const answer = await dispatch('catalog.get', { service: 'uploads' }, ctx);
    expect(answer.ok).toBe(true);
    const view = (answer as { value: CatalogView }).value;
    expect(view.refreshing).toBe(false);
    expect(view.asOf).not.toBeNull();
    const points = Array.from({ length: view.points.count }, (_, i) => pointAt(view.points, i));
    expect(points.map((p) => [p.id, p.kind, p.copies])).toEqual([
      ['s3://shop-media/images/', 'window', ['primary']],
    ]);
    expect(view.sources.map((s) => s.state)).toEqual(['ok', 'error']);
  });

  it('refreshes in the background and refuses a second refresh while one runs', async () => {
    const changed = next('catalog.changed');
    const started = await dispatch('catalog.refresh', {}, ctx);
    const again = await dispatch('catalog.refresh', {}, ctx);
    expect(started).toMatchObject({ ok: true, value: { started: true } });
    expect(again).toMatchObject({ ok: true, value: { started: false } });
    await changed;
    await expect(dispatch('catalog.refresh', { sources: ['nope'] }, ctx)).resolves.toMatchObject({
      ok: false,
      error: { code: 'SOURCE_UNKNOWN' },
    });
  });

  it('opens one point with its raw record', async () => {
    const answer = await dispatch(
      'catalog.point',
      { source: 'uploads', id: 's3://shop-media/images/' },
      ctx,
    );
    expect(answer).toMatchObject({
      ok: true,
      value: { raw: { bucket: 'shop-media', prefix: 'images/', versions: 1 } },
    });
    await expect(
      dispatch('catalog.point', { source: 'uploads', id: 'gone' }, ctx),
    ).resolves.toMatchObject({
      ok: false,
      error: { code: 'POINT_NOT_FOUND' },
    });
  });

  it('explains that a versioned bucket cannot be browsed file by file', async () => {
    const answer = await dispatch(
      'catalog.files',
      { source: 'uploads', pointId: 'x', path: '/' },
      ctx,
    );
    expect(answer).toMatchObject({ ok: false, error: { code: 'NO_FILE_BROWSER' } });
  });

  it('a console that opens the workspace reads the cached catalog ahead of the first view, without a refresh', async () => {
    const events: string[] = [];
    const fresh = createContext({
      version: 'test',
      transport: 'browser',
      dataDir: data.path,
      emit: (name) => events.push(name),
    });
    await openWorkspace(dir.path, fresh);
    const workspace = fresh.workspace;
    if (!workspace) throw new Error('the workspace did not load');
    const warmed = await catalogService(fresh).warm(workspace);
    expect(warmed?.points.map((p) => p.id)).toEqual(['s3://shop-media/images/']);
    const view = await catalogService(fresh).view(workspace);
    // The same points in memory (so the encoded columns are reused), and no source was read.
    expect(view.points).toBe(warmed?.points);
    expect(view.refreshing).toBe(false);
    expect(events.filter((e) => e.startsWith('catalog.'))).toEqual([]);
  });

  it('prepares each refresh for the Timeline before it is opened', async () => {
    const grouped = makeTempDir('catalog-warm');
    const yaml = readFileSync(join(dir.path, 'dapple.yaml'), 'utf8');
    writeFileSync(
      join(grouped.path, 'dapple.yaml'),
      `${yaml}groups:\n  media: { members: [uploads], tolerance: 5m, order: [uploads] }\n`,
    );
    const warmData = makeTempDir('catalog-warm-data');
    let changed = (): void => {};
    const refreshed = new Promise<void>((resolve) => (changed = resolve));
    const fresh = createContext({
      version: 'test',
      transport: 'browser',
      dataDir: warmData.path,
      emit: (name) => name === 'catalog.changed' && changed(),
    });
    await openWorkspace(grouped.path, fresh);
    const before = groupsWarming(fresh);
    await dispatch('catalog.refresh', {}, fresh);
    await refreshed;
    const warming = groupsWarming(fresh);
    expect(warming).not.toBe(before);
    await expect(warming).resolves.toEqual(['media']);
    grouped.remove();
    warmData.remove();
  });
});

describe('catalog.files on a real restic repository', () => {
  it('lists a snapshot folder through the source’s file browser', async () => {
    const dir = makeTempDir('catalog-files');
    const data = makeTempDir('catalog-files-data');
    try {
      const repo = await makeResticRepo(join(dir.path, 'restic'), {
        snapshots: [
          {
            files: { 'etc/app.conf': 'port=80\n', 'var/$(whoami).txt': 'hostile name' },
            tags: ['daily'],
          },
        ],
      });
      writeFileSync(
        join(dir.path, 'dapple.yaml'),
        `name: files
backends:
  here: { type: local, path: "${dir.path}" }
sources:
  app: { type: restic, backend: here, repository: "${repo.repository}", password: { file: "${repo.passwordFile}" }, service: app }
services:
  app: { owner: ops, rpo: 1d, rto: 1h }
`,
      );
      const events: string[] = [];
      let done: (() => void) | null = null;
      const changed = new Promise<void>((resolve) => (done = resolve));
      const fileCtx = createContext({
        version: 'test',
        transport: 'browser',
        dataDir: data.path,
        emit: (name) => {
          events.push(name);
          if (name === 'catalog.changed') done?.();
        },
      });
      fileCtx.setWorkspace(await loadWorkspace(dir.path));
      await dispatch('catalog.get', {}, fileCtx);
      await changed;
      const view = (await dispatch('catalog.get', {}, fileCtx)) as { ok: true; value: CatalogView };
      expect(view.value.sources.map((s) => [s.source, s.state, s.error?.message ?? null])).toEqual([
        ['app', 'ok', null],
      ]);
      const snapshot = view.value.points.count > 0 ? pointAt(view.value.points, 0) : undefined;
      expect(snapshot?.kind).toBe('snapshot');
      const root = (await dispatch(
        'catalog.files',
        { source: 'app', pointId: snapshot!.id, path: '/' },
        fileCtx,
      )) as {
        ok: boolean;
        value: { name: string; type: string; path: string }[];
      };
      expect(root.ok).toBe(true);
      expect(root.value.length).toBeGreaterThan(0);
      expect(root.value.every((e) => e.path.startsWith('/'))).toBe(true);
    } finally {
      dir.remove();
      data.remove();
    }
  });
});
