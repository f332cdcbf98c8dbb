// Benchmark: opening a cached catalog of N points (default 1,000,000) — time and peak memory of a
// fresh process, against a baseline measured in the same run: the same points cached as plain
// JSON Lines (one full RecoveryPoint per line, parsed whole), the obvious way to do it.
// Run: node bench/catalog-run.mjs cache [points]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { RecoveryPoint, SourceStatus } from '../preload/schemas/catalog';
import { readCache, writeCache } from '../main/catalog/cache';
import { fromSnapshot } from '../main/catalog/service';
import type { SourceConfig, Workspace } from '../main/workspace/types';

const SOURCES = 10;
const [mode, arg1] = process.argv.slice(2);

/** A workspace with just the sources the synthetic catalog names (fromSnapshot reads only those). */
function benchWorkspace(): Workspace {
  const sources = new Map<string, SourceConfig>();
  for (let s = 0; s < SOURCES; s++) {
    const name = `restic-${s}`;
    sources.set(name, {
      name,
      type: 'restic',
      backend: 'nas',
      service: `service-${s}`,
      repository: `/srv/restic/${s}`,
      password: null,
    });
  }
  return { root: '/bench/workspace', name: 'bench', sources } as unknown as Workspace;
}

const hex = (seed: string): string => createHash('sha256').update(seed).digest('hex');

/** One restic-like point with the raw record restic snapshots --json prints. */
function syntheticPoint(i: number): RecoveryPoint {
  const s = i % SOURCES;
  const id = hex(`snap-${i}`);
  const time = new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString();
  return {
    id,
    source: `restic-${s}`,
    service: `service-${s}`,
    time,
    endTime: null,
    kind: 'snapshot',
    parent: i >= SOURCES ? hex(`snap-${i - SOURCES}`) : null,
    sizeBytes: 1_000_000 + ((i * 7919) % 100_000_000),
    copies: i % 3 === 0 ? ['nas', 'offsite'] : ['nas'],
    immutable:
      i % 4 === 0
        ? { mode: 'COMPLIANCE', retainUntil: '2027-01-01T00:00:00.000Z', legalHold: false }
        : null,
    lastVerified: i % 50 === 0 ? time : null,
    tags: i % 7 === 0 ? ['weekly', 'host:db1'] : ['daily', 'host:db1'],
    raw: {
      time,
      parent: i >= SOURCES ? hex(`snap-${i - SOURCES}`) : undefined,
      tree: hex(`tree-${i}`),
      paths: ['/var/lib/postgresql/15/main'],
      hostname: 'db1',
      username: 'backup',
      program_version: 'restic 0.16.4',
      id,
      short_id: id.slice(0, 8),
      summary: {
        files_new: i % 13,
        files_changed: i % 17,
        data_added: 123_456 + i,
        total_files_processed: 4_012,
        total_bytes_processed: 9_876_543_210,
      },
    },
  };
}

/** Peak RSS of this process so far, in MB. */
const peakMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

async function loadOurs(file: string): Promise<void> {
  const t0 = performance.now();
  const workspace = benchWorkspace();
  const snapshot = await readCache(file, (source) => workspace.sources.has(source));
  const catalog = fromSnapshot(workspace, snapshot);
  const ms = performance.now() - t0;
  (globalThis as { gc?: () => void }).gc?.();
  const heapMb = Math.round(process.memoryUsage().heapUsed / 1e6);
  console.log(
    JSON.stringify({ points: catalog.points.length, ms: Math.round(ms), peakMb: peakMb(), heapMb }),
  );
}

async function loadNaive(file: string): Promise<void> {
  const t0 = performance.now();
  const points: RecoveryPoint[] = [];
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) if (line) points.push(JSON.parse(line) as RecoveryPoint);
  const ms = performance.now() - t0;
  (globalThis as { gc?: () => void }).gc?.();
  const heapMb = Math.round(process.memoryUsage().heapUsed / 1e6);
  console.log(
    JSON.stringify({ points: points.length, ms: Math.round(ms), peakMb: peakMb(), heapMb }),
  );
}

/** Run a load in a fresh node process (its peak memory is the figure), returning its report. */
type Report = { points: number; ms: number; peakMb: number; heapMb: number };
function child(kind: string, file: string): Report {
  const run = spawnSync(process.execPath, ['--expose-gc', process.argv[1] as string, kind, file], {
    encoding: 'utf8',
  });
  if (run.status !== 0) return { points: -1, ms: -1, peakMb: -1, heapMb: -1 };
  return JSON.parse(run.stdout.trim().split('\n').at(-1) as string) as Report;
}

async function main(): Promise<void> {
  const total = Number(arg1 ?? mode ?? 1_000_000) || 1_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'dapple-bench-cache-'));
  try {
    const ours = join(dir, 'catalog.jsonl');
    const naive = join(dir, 'naive.jsonl');
    const perSource: RecoveryPoint[][] = Array.from({ length: SOURCES }, () => []);
    const handle = await open(naive, 'w');
    let buffer: string[] = [];
    for (let i = 0; i < total; i++) {
      const point = syntheticPoint(i);
      (perSource[i % SOURCES] as RecoveryPoint[]).push(point);
      buffer.push(`${JSON.stringify(point)}\n`);
      if (buffer.length === 10_000) {
        await handle.write(buffer.join(''));
        buffer = [];
      }
    }
    await handle.write(buffer.join(''));
    await handle.close();
    const status = (source: string, points: number): SourceStatus => ({
      source,
      state: 'ok',
      points,
      error: null,
      refreshedAt: new Date().toISOString(),
    });
    const t0 = performance.now();
    await writeCache(
      ours,
      { workspace: '/bench/workspace', name: 'bench', asOf: new Date().toISOString() },
      perSource.map((points, s) => ({ status: status(`restic-${s}`, points.length), points })),
    );
    const writeMs = performance.now() - t0;
    perSource.length = 0;
    console.log(
      `catalog cache benchmark — node ${process.version}, ${total} restic-like points in ${SOURCES} sources`,
    );
    console.log(
      'baseline = the same points as plain JSON Lines (a full RecoveryPoint per line, parsed whole)',
    );
    console.log(
      `writing our cache took ${(writeMs / 1000).toFixed(1)} s; each load runs in a fresh node process\n`,
    );
    const mb = (file: string): string => `${Math.round(statSync(file).size / 1e6)} MB`;
    const rows: [string, string, ReturnType<typeof child>][] = [
      ['baseline JSON Lines', mb(naive), child('load-naive', naive)],
      ['dapple cache', mb(ours), child('load-ours', ours)],
    ];
    console.log(
      `${'load'.padEnd(22)}${'file'.padStart(10)}${'points'.padStart(10)}${'time'.padStart(10)}${'peak RSS'.padStart(12)}${'heap after GC'.padStart(15)}`,
    );
    for (const [name, size, r] of rows) {
      const failed = r.points < 0;
      console.log(
        `${name.padEnd(22)}${size.padStart(10)}${(failed ? 'failed' : String(r.points)).padStart(10)}${(failed ? '-' : `${(r.ms / 1000).toFixed(2)} s`).padStart(10)}${(failed ? '-' : `${r.peakMb} MB`).padStart(12)}${(failed ? '-' : `${r.heapMb} MB`).padStart(15)}`,
      );
    }
    console.log('\ntarget: peak memory of main with 1,000,000 cached points under 600 MB');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const run =
  mode === 'load-ours'
    ? loadOurs(arg1 as string)
    : mode === 'load-naive'
      ? loadNaive(arg1 as string)
      : main();
run.catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
