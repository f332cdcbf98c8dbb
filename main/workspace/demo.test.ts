import { execFile } from 'node:child_process';
import { chmod, cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBackend } from '../catalog/backends/local';
import { ManifestSource, localSetPath, setFolderOf } from '../catalog/sources/manifest';
import type { RecoveryPoint } from '../catalog/types';
import { resourcesDir } from '../paths';
import { prepareDemoWorkspace } from './demo';

const resourcesDemo = (): string => join(resourcesDir(), 'demo');
import { demoHistory } from './demo-history';
import { loadWorkspace } from './load';
import type { LoadResult } from './load';

const run = promisify(execFile);
const NOW = new Date('2026-11-26T03:20:00Z');
const HOUR = 3_600_000;
let base: string;
let dir: string;
let loaded: LoadResult;
let elapsedMs = 0;
const points = new Map<string, RecoveryPoint[]>();

async function countFiles(folder: string): Promise<number> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).length;
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'dapple-demo-test-'));
  const started = performance.now();
  dir = await prepareDemoWorkspace({ now: NOW, into: join(base, 'demo') });
  elapsedMs = performance.now() - started;
  loaded = await loadWorkspace(dir);
  for (const source of loaded.workspace?.sources.values() ?? []) {
    if (source.type !== 'manifest') continue;
    const config = loaded.workspace?.backends.get(source.backend);
    if (config?.type !== 'local') continue;
    const reader = new ManifestSource(source, new LocalBackend(config.name, config.path));
    const found = await reader.list({});
    expect(reader.warnings).toEqual([]);
    points.set(source.service ?? source.name, found);
  }
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('the demo workspace', () => {
  it('is prepared quickly, with a modest number of files, and loads without errors', async () => {
    console.log(`demo prepared in ${elapsedMs.toFixed(0)} ms with ${await countFiles(dir)} files`);
    // Well under a second on an idle machine; the bound leaves room for a CI runner busy with other suites (small-file writes dominate).
    expect(elapsedMs).toBeLessThan(15_000);
    expect(await countFiles(dir)).toBeLessThan(1500);
    // Not even a warning: the demo is what a clean workspace looks like.
    expect(loaded.problems).toEqual([]);
    expect(loaded.workspace?.name).toBe('shop');
    expect([...(loaded.workspace?.groups.keys() ?? [])]).toEqual(['shop', 'billing']);
    expect(loaded.workspace?.targets.get('sandbox-restore')).toMatchObject({
      environment: 'sandbox',
      path: join(dir, 'sandbox'),
    });
    expect(loaded.workspace?.targets.get('shop-production')?.environment).toBe('production');
    expect(loaded.runbooks).toEqual([
      expect.objectContaining({
        file: 'runbooks/shop-restore.yaml',
        title: 'Restore the shop',
        steps: 8,
        valid: true,
      }),
    ]);
    const runbook = await readFile(join(dir, 'runbooks/shop-restore.yaml'), 'utf8');
    const ids = [...runbook.matchAll(/- id: (\S+)/g)].map((m) => m[1]);
    expect(ids).toEqual([
      'announce',
      'approve',
      'confirm-target',
      'restore-orders',
      'remove-orders',
      'restore-uploads',
      'restore-search',
      'verify',
      'done',
    ]);
  });

  it('has weeks of history for every service, fresh where it should be', () => {
    expect([...points.keys()].sort()).toEqual([
      'billing-db',
      'invoices',
      'orders-db',
      'search-index',
      'uploads',
    ]);
    for (const [service, list] of points) {
      const oldest = Date.parse(list[0]?.time ?? '');
      expect(NOW.getTime() - oldest, service).toBeGreaterThan(4 * 7 * 24 * HOUR);
      expect(list.length, service).toBeGreaterThan(28);
    }
    for (const service of ['orders-db', 'uploads', 'billing-db']) {
      const newest = Date.parse(points.get(service)?.at(-1)?.time ?? '');
      expect(NOW.getTime() - newest, service).toBeLessThan(HOUR);
    }
  });

  it('shows one broken chain, one stale service, one point that is not immutable and thin copies', () => {
    const billing = points.get('billing-db') ?? [];
    const ids = new Set(billing.map((p) => p.id));
    const broken = billing.filter((p) => p.parent !== null && !ids.has(p.parent));
    expect(broken).toHaveLength(1);
    expect(broken[0]?.kind).toBe('incr');
    const everything = [...points.values()].flat();
    const known = new Set(everything.map((p) => p.id));
    expect(everything.filter((p) => p.parent !== null && !known.has(p.parent))).toHaveLength(1);

    const invoices = points.get('invoices') ?? [];
    const age = NOW.getTime() - Date.parse(invoices.at(-1)?.time ?? '');
    expect(age).toBeGreaterThanOrEqual(48 * HOUR);
    expect(age).toBeLessThan(49 * HOUR);
    expect(loaded.workspace?.services.get('invoices')?.rpoSeconds).toBe(3600);

    const mutable = everything.filter((p) => p.immutable === null);
    expect(mutable.map((p) => p.service)).toEqual(['uploads']);
    expect(
      everything.filter((p) => p.copies.length === 1 && p.copies[0] === 'nas').length,
    ).toBeGreaterThanOrEqual(3);
    expect(everything.filter((p) => p.copies.length === 3).length).toBeGreaterThan(
      everything.length * 0.9,
    );
    expect(
      everything.filter((p) => p.tags.includes('status:failed')).map((p) => p.service),
    ).toEqual(['search-index']);
    expect(everything.filter((p) => p.lastVerified !== null)).toHaveLength(1);
  });

  it('tags daily shop cuts with one logical snapshot id across the three members', () => {
    const tagged = new Map<string, RecoveryPoint[]>();
    for (const point of [...points.values()].flat()) {
      for (const tag of point.tags.filter((t) => t.startsWith('snapshot:')))
        tagged.set(tag, [...(tagged.get(tag) ?? []), point]);
    }
    expect(tagged.size).toBe(3);
    for (const members of tagged.values()) {
      expect(members.map((p) => p.service).sort()).toEqual([
        'orders-db',
        'search-index',
        'uploads',
      ]);
      const times = members.map((p) => Date.parse(p.time));
      expect(Math.max(...times) - Math.min(...times)).toBeLessThanOrEqual(5 * 60_000);
    }
  });

  it('restores a shop cut the way the runbook does, and the checksums verify', async () => {
    const cut = ['orders-db', 'uploads', 'search-index'].map((service) => {
      const latest = (points.get(service) ?? [])
        .filter((p) => p.tags.some((t) => t.startsWith('snapshot:')))
        .at(-1);
      if (!latest) throw new Error(`no tagged point for ${service}`);
      const folder = loaded.workspace ? localSetPath(loaded.workspace, latest) : null;
      expect(folder).toBe(join(dir, 'backups/nas', setFolderOf(latest) ?? ''));
      return folder ?? '';
    });
    const target = join(dir, 'sandbox');
    // What the runbook's restore steps write (each set into the target) and its verify step's argv.
    await run('cp', ['-R', ...cut, target]);
    const verify = await run(
      'sha256sum',
      ['--check', '--strict', ...cut.map((folder) => `${folder}.sha256`)],
      { cwd: target },
    );
    expect(verify.stdout.split('\n').filter((line) => line.endsWith(': OK')).length).toBe(5);
    // A damaged restore is caught.
    await writeFile(join(target, cut[0]?.split('/').at(-1) ?? '', 'orders.sql'), 'tampered');
    await expect(
      run('sha256sum', ['--check', '--strict', `${cut[0]}.sha256`], { cwd: target }),
    ).rejects.toMatchObject({ stdout: expect.stringContaining('orders.sql: FAILED') });
  });

  it('is the same for the same now, and regenerates in place', async () => {
    // The history is a pure function of now: what is on disk is exactly what it computes again.
    const set = demoHistory(new Date(NOW)).sets.find(
      (s) => s.service === 'orders-db' && s.manifest.kind === 'incr',
    );
    const path = `backups/nas/orders-db/${set?.manifest.id ?? ''}.json`;
    expect(await readFile(join(dir, path), 'utf8')).toBe(
      `${JSON.stringify(set?.manifest, null, 2)}\n`,
    );
    expect(demoHistory(NOW).facts).toEqual(demoHistory(new Date(NOW)).facts);
    await writeFile(join(dir, 'sandbox', 'left-over.txt'), 'from an earlier drill');
    await prepareDemoWorkspace({ now: new Date(NOW.getTime() + HOUR), into: dir });
    expect(await readdir(join(dir, 'sandbox'))).toEqual([]);
    await expect(prepareDemoWorkspace({ now: NOW, into: join(dir, 'runbooks') })).rejects.toThrow(
      /not a Dapple demo/,
    );
  });

  it('survives several processes preparing the same folder at once', async () => {
    const shared = join(base, 'shared');
    const times = [0, 1, 2].map((h) => new Date(NOW.getTime() + h * HOUR));
    const results = await Promise.all(
      times.map((now) => prepareDemoWorkspace({ now, into: shared })),
    );
    expect(results).toEqual([shared, shared, shared]);
    const after = await loadWorkspace(shared);
    expect(after.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect((await readdir(base)).filter((name) => name.includes('.new-'))).toEqual([]);
  });
  it('makes the demo key files private even when the checkout left them readable', async () => {
    const from = join(base, 'checkout');
    await cp(resourcesDemo(), from, { recursive: true });
    for (const name of ['demo-operator.key', 'demo-approver.key'])
      await chmod(join(from, 'keys', name), 0o644);
    const into = await prepareDemoWorkspace({ now: NOW, into: join(base, 'from-checkout'), from });
    for (const name of ['demo-operator.key', 'demo-approver.key']) {
      expect((await stat(join(into, 'keys', name))).mode & 0o777).toBe(0o600);
    }
  });
});
