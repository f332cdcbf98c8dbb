// Which session logs count as drills: only VALID ones. A tampered log, an unsealed one and one
// signed by a key the workspace does not trust never count, and each says why. Results are kept
// until the log, its blobs or the trust change.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { linesOf, person, tempDir, trustOf, writeLines } from '../audit/test-helpers';
import { drillHistory } from './history';
import { testCut, writeDrill } from './test-logs';
import { newLogCache, workspaceLogResults, type LogCache } from './verified-logs';

const operator = person('alice');
const trust = trustOf(operator);
let dir: string;
let cache: LogCache;
beforeEach(() => {
  dir = tempDir('dapple-drills-');
  cache = newLogCache();
});

const history = async (t = trust) =>
  drillHistory({
    results: await workspaceLogResults(dir, t, cache),
    runbooks: [{ file: 'runbooks/shop-restore.yaml', title: 'Restore the shop', rtoSeconds: 3600 }],
    points: [],
    now: Date.parse('2026-11-25T00:00:00Z'),
    drillEverySeconds: null,
  });

describe('drill logs that count', () => {
  it('folds a VALID drill: operator from the trust file, measured time, steps, the points of its cut', async () => {
    await writeDrill(dir, operator, {
      start: '2026-11-20T10:00:00Z',
      waitingMin: 3,
      runningMin: 9,
    });
    const h = await history();
    expect(h.ignored).toEqual([]);
    const d = h.runbooks[0]?.drills[0];
    expect(d).toMatchObject({
      mode: 'drill',
      outcome: 'completed',
      operator: 'alice',
      measuredMs: 12 * 60_000,
      overRto: false,
      group: 'shop',
    });
    expect(d?.steps.map((s) => [s.id, s.waitingMs, s.runningMs])).toEqual([
      ['announce', 3 * 60_000, 0],
      ['copy', 0, 9 * 60_000],
    ]);
    expect(h.tested.map((t) => [t.source, t.pointId, t.stale])).toEqual([
      ['orders-nas', 'orders-1', false],
      ['uploads-nas', 'uploads-1', false],
    ]);
    expect(h.runbooks[0]?.warnings).toEqual([]);
  });

  it('never counts a tampered log: one changed byte makes it INVALID, ignored with the reason', async () => {
    const file = await writeDrill(dir, operator, {
      start: '2026-11-20T10:00:00Z',
      waitingMin: 3,
      runningMin: 9,
      cut: testCut('orders-2', 'uploads-2'),
    });
    const lines = await linesOf(file);
    // Point the drill at another point: the signature no longer matches the payload.
    lines[0] = (lines[0] as string).replace('orders-2', 'orders-9');
    await writeLines(file, lines);
    const h = await history();
    expect(h.runbooks[0]?.drills).toEqual([]);
    expect(h.tested).toEqual([]);
    expect(h.ignored).toEqual([
      expect.objectContaining({ logName: path.basename(file), verdict: 'INVALID' }),
    ]);
    expect(h.ignored[0]?.reason).toMatch(/signature/);
    expect(h.runbooks[0]?.warnings.map((w) => w.kind)).toEqual(['never-drilled']);
  });

  it('never counts an unsealed log (a drill still running or interrupted)', async () => {
    const file = await writeDrill(dir, operator, {
      start: '2026-11-20T10:00:00Z',
      waitingMin: 3,
      runningMin: 9,
      sealed: false,
    });
    const h = await history();
    expect(h.tested).toEqual([]);
    expect(h.ignored).toEqual([
      expect.objectContaining({ logName: path.basename(file), verdict: 'UNSEALED' }),
    ]);
    expect(h.ignored[0]?.reason).toMatch(/no seal/);
  });

  it('never counts a log signed by a key the workspace does not trust', async () => {
    const mallory = person('mallory');
    await writeDrill(dir, mallory, { start: '2026-11-20T10:00:00Z', waitingMin: 1, runningMin: 1 });
    const h = await history();
    expect(h.tested).toEqual([]);
    expect(h.ignored[0]?.verdict).toBe('INVALID');
    expect(h.ignored[0]?.reason).toMatch(/does not list/);
  });

  it('verifies each log once, again only when its bytes, its blobs or the trust changed', async () => {
    const a = await writeDrill(dir, operator, {
      start: '2026-11-20T10:00:00Z',
      waitingMin: 1,
      runningMin: 1,
    });
    await writeDrill(dir, operator, {
      start: '2026-11-21T10:00:00Z',
      waitingMin: 1,
      runningMin: 2,
    });
    await history();
    expect(cache.verified).toBe(2);
    await history();
    expect(cache.verified).toBe(2);
    // Touched (same bytes, new times): hashed, not verified again.
    const later = new Date('2030-01-01T00:00:00Z');
    await fs.utimes(a, later, later);
    await history();
    expect(cache.verified).toBe(2);
    // Tampered in place, same size and times restored: the ctime and the hash still tell.
    const before = await fs.stat(a);
    const lines = await linesOf(a);
    lines[1] = (lines[1] as string).replace('announce', 'announcf');
    await writeLines(a, lines);
    await fs.utimes(a, before.atime, before.mtime);
    const h = await history();
    expect(cache.verified).toBe(3);
    expect(h.ignored.map((i) => i.verdict)).toEqual(['INVALID']);
    // Another trust file (a key added): everything is verified again against it.
    await history(trustOf(operator, person('bob')));
    expect(cache.verified).toBe(5);
  });

  it('verifies again when an output blob next to the log changed, and then it does not count', async () => {
    const file = await writeDrill(dir, operator, {
      start: '2026-11-20T10:00:00Z',
      waitingMin: 1,
      runningMin: 1,
      output: Buffer.alloc(20_000, 'x'),
    });
    expect((await history()).tested).toHaveLength(2);
    const blobs = path.join(dir, 'audit', `${path.basename(file, '.jsonl')}.blobs`);
    const [blob] = await fs.readdir(blobs);
    await fs.writeFile(path.join(blobs, blob ?? ''), Buffer.alloc(20_000, 'y'));
    const h = await history();
    expect(cache.verified).toBe(2);
    expect(h.tested).toEqual([]);
    expect(h.ignored[0]?.reason).toMatch(/blob/);
  });

  it('reads only session logs: other files in audit/ are left alone', async () => {
    await fs.mkdir(path.join(dir, 'audit'), { recursive: true });
    await fs.writeFile(path.join(dir, 'audit', 'notes.jsonl'), 'not a log\n');
    await fs.writeFile(path.join(dir, 'audit', 'drill-2026-11-20-zz.jsonl'), 'junk\n');
    const h = await history();
    expect(h.ignored).toEqual([]);
    expect(cache.verified).toBe(0);
  });
});
