// The cached catalog: written atomically, read back exactly, raw records read one at a time.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../../test-support/temp';
import type { RecoveryPoint, SourceStatus } from '../../preload/schemas/catalog';
import { cacheFile, CacheUnreadable, readCache, readRaw, writeCache } from './cache';

const status = (source: string, points: number): SourceStatus => ({
  source,
  state: 'ok',
  points,
  error: null,
  refreshedAt: '2026-11-01T10:00:00.000Z',
});

const point = (n: number, extra: Partial<RecoveryPoint> = {}): RecoveryPoint => ({
  id: `snap-${n}`,
  source: 'restic-nas',
  service: 'orders-db',
  time: new Date(Date.UTC(2026, 10, 1, 0, n)).toISOString(),
  endTime: null,
  kind: 'snapshot',
  parent: null,
  sizeBytes: 1000 + n,
  copies: ['nas'],
  immutable: null,
  lastVerified: null,
  tags: ['daily'],
  raw: { n, paths: ['/srv/data'] },
  ...extra,
});

const HOSTILE = `tab\there\nnewline "quotes" $(rm -rf /) 🦄 ${'x'.repeat(10_000)}`;

describe('catalog cache', () => {
  let dir: TempDir;
  afterEach(() => dir?.remove());

  it('reads back every field it wrote, with raw records left on disk until asked for', async () => {
    dir = makeTempDir('cache');
    const file = cacheFile(dir.path, '/work/shop');
    const points = [
      point(1),
      point(2, {
        id: HOSTILE,
        tags: [HOSTILE],
        raw: { note: HOSTILE },
        immutable: { mode: 'COMPLIANCE', retainUntil: '2027-01-01T00:00:00.000Z', legalHold: true },
      }),
      point(3, {
        kind: 'window',
        endTime: '2026-11-02T00:00:00.000Z',
        sizeBytes: null,
        raw: undefined,
      }),
    ];
    const written = await writeCache(
      file,
      { workspace: '/work/shop', name: 'shop', asOf: '2026-11-01T10:00:01.000Z' },
      [{ status: status('restic-nas', 3), points }],
    );
    expect(readdirSync(dir.path)).toEqual([file.split('/').at(-1)]);
    const read = await readCache(file);
    expect(read?.asOf).toBe('2026-11-01T10:00:01.000Z');
    const section = read?.sections.get('restic-nas');
    expect(section?.status).toEqual(status('restic-nas', 3));
    expect(section?.points).toEqual(points.map((p) => ({ ...p, raw: null })));
    expect(section?.points).toEqual(written.sections.get('restic-nas')?.points);
    await expect(readRaw(read!, section!, 1)).resolves.toEqual({ note: HOSTILE });
    await expect(readRaw(read!, section!, 2)).resolves.toBeNull();
    // Equal strings and lists are shared, not copied, across points.
    expect(section?.points[0]?.tags).toBe(section?.points[2]?.tags);
  });

  it('carries a source section over from the previous file byte for byte', async () => {
    dir = makeTempDir('cache');
    const file = cacheFile(dir.path, '/work/shop');
    const first = await writeCache(
      file,
      { workspace: '/work/shop', name: 'shop', asOf: '2026-11-01T10:00:00.000Z' },
      [
        { status: status('a', 1), points: [point(1, { source: 'a' })] },
        {
          status: status('b', 2),
          points: [point(2, { source: 'b' }), point(3, { source: 'b', raw: { big: HOSTILE } })],
        },
      ],
    );
    const failed: SourceStatus = {
      ...status('b', 2),
      state: 'error',
      error: { message: 'Host down.', hint: 'Try later.' },
    };
    const second = await writeCache(
      file,
      { workspace: '/work/shop', name: 'shop', asOf: '2026-11-02T10:00:00.000Z' },
      [
        { status: status('a', 0), points: [] },
        { status: failed, carried: first.sections.get('b')!, from: first },
      ],
    );
    const read = await readCache(file);
    expect(read?.sections.get('b')?.status).toEqual(failed);
    expect(read?.sections.get('b')?.points.map((p) => p.id)).toEqual(['snap-2', 'snap-3']);
    await expect(readRaw(read!, read!.sections.get('b')!, 1)).resolves.toEqual({ big: HOSTILE });
    // The old snapshot's offsets no longer fit the file: reading through it is refused, not wrong.
    await expect(readRaw(first, first.sections.get('b')!, 1)).rejects.toMatchObject({
      code: 'CATALOG_CHANGED',
    });
    expect(second.generation).not.toBe(first.generation);
  });

  it('drops sections of sources the workspace no longer has', async () => {
    dir = makeTempDir('cache');
    const file = cacheFile(dir.path, '/w');
    await writeCache(file, { workspace: '/w', name: 'w', asOf: '2026-11-01T10:00:00.000Z' }, [
      { status: status('gone', 1), points: [point(1)] },
      { status: status('kept', 1), points: [point(2)] },
    ]);
    const read = await readCache(file, (source) => source !== 'gone');
    expect([...(read?.sections.keys() ?? [])]).toEqual(['kept']);
    await expect(readRaw(read!, read!.sections.get('kept')!, 0)).resolves.toEqual({
      n: 2,
      paths: ['/srv/data'],
    });
  });

  it('says a damaged file is unreadable instead of crashing, and a missing one is absent', async () => {
    dir = makeTempDir('cache');
    const file = join(dir.path, 'catalog.jsonl');
    await expect(readCache(file)).resolves.toBeNull();
    writeFileSync(file, '{"format":"something-else"}\n');
    await expect(readCache(file)).rejects.toBeInstanceOf(CacheUnreadable);
    await writeCache(file, { workspace: '/w', name: 'w', asOf: '2026-11-01T10:00:00.000Z' }, [
      { status: status('s', 1), points: [point(1)] },
    ]);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"snapshot"', '"bogus-kind"'));
    await expect(readCache(file)).rejects.toThrow(/line 3 is not a valid point/);
  });
});
