// catalog.get's first answer through the real dispatcher (answers checked against the contract): a
// large cached catalog answers `first` with its newest points and the whole count; a small one
// comes whole.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../test-support/temp';
import type { CatalogView, RecoveryPoint } from '../../../preload/schemas/catalog';
import { HEAD_FROM } from '../../../preload/schemas/catalog-head';
import { cacheFile, writeCache } from '../../catalog/cache';
import { createContext } from '../context';
import { dispatch } from '../dispatch';
import { openWorkspace } from './workspace';
import { stringifyWithColumns } from '../../bridge/json';

const dirs: { remove: () => void }[] = [];
afterAll(() => dirs.forEach((d) => d.remove()));

/** A workspace of one manifest source whose cache holds `n` points, one a minute, in a chain. */
async function workspaceWith(n: number) {
  const dir = makeTempDir('catalog-head');
  const data = makeTempDir('catalog-head-data');
  dirs.push(dir, data);
  mkdirSync(join(dir.path, 'backups'));
  writeFileSync(
    join(dir.path, 'dapple.yaml'),
    `name: head
backends:
  nas: { type: local, path: backups }
sources:
  db: { type: manifest, backend: nas, path: db, service: db }
services:
  db: { owner: ops, rpo: 1h, rto: 1h }
`,
  );
  const points: RecoveryPoint[] = Array.from({ length: n }, (_, k) => ({
    id: `p${k}`,
    source: 'db',
    service: 'db',
    time: new Date(Date.UTC(2026, 0, 1) + k * 60_000).toISOString(),
    endTime: null,
    kind: k % 100 === 0 ? 'full' : 'incr',
    parent: k % 100 === 0 ? null : `p${k - 1}`,
    sizeBytes: k,
    copies: ['nas'],
    immutable: null,
    lastVerified: null,
    tags: [],
    raw: null,
  }));
  const asOf = '2026-02-01T00:00:00.000Z';
  const status = { source: 'db', state: 'ok' as const, points: n, error: null, refreshedAt: asOf };
  await writeCache(
    cacheFile(join(data.path, 'catalog'), dir.path),
    { workspace: dir.path, name: 'head', asOf },
    [{ status, points }],
  );
  const ctx = createContext({
    version: 'test',
    transport: 'browser',
    dataDir: data.path,
    emit: () => {},
  });
  await openWorkspace(dir.path, ctx);
  return ctx;
}

const get = async (ctx: ReturnType<typeof createContext>, request: object) => {
  const answer = await dispatch('catalog.get', request, ctx);
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.value as CatalogView;
};

describe('catalog.get with first', () => {
  it('answers a large catalog with its newest points, the chains they need and the whole count', async () => {
    const n = HEAD_FROM + 250;
    const ctx = await workspaceWith(n);
    const head = await get(ctx, { first: 20 });
    expect(head.total).toBe(n);
    // The newest 20 (p5230..p5249) and their chain down to the full p5200.
    expect(head.points.id).toEqual(Array.from({ length: 50 }, (_, i) => `p${5200 + i}`));
    const whole = await get(ctx, {});
    expect(whole.total).toBeUndefined();
    expect(whole.points.count).toBe(n);
  });

  it('sends the same whole catalog on every call, its columns frozen so browser mode writes them once', async () => {
    const ctx = await workspaceWith(HEAD_FROM + 10);
    const whole = await get(ctx, {});
    expect(Object.isFrozen(whole.points.id)).toBe(true);
    expect((await get(ctx, {})).points.id).toBe(whole.points.id);
    // The bridge's text is exactly JSON.stringify's, the columns spliced from kept bytes.
    expect(stringifyWithColumns(whole)).toBe(JSON.stringify(whole));
    // A filtered answer is made for that call and is not kept.
    expect(Object.isFrozen((await get(ctx, { service: 'db' })).points.id)).toBe(false);
  });

  it('answers a small catalog whole', async () => {
    const ctx = await workspaceWith(300);
    const head = await get(ctx, { first: 20 });
    expect(head.total).toBeUndefined();
    expect(head.points.count).toBe(300);
  });
});
