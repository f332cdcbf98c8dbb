// Benchmark: candidate cuts of a 10-member group as the catalog grows from 10k to 1M points,
// printed against a baseline measured in the same run (a plain sort of the same points).
// Run: node bench/run.mjs cuts [sizes...]   e.g. node bench/run.mjs cuts 10000 100000
// Figures are CPU time of this process (user + system) per call, median of several calls, so
// that other work on a shared machine inflates them less than wall time; wall time is shown too.
// 2026-11-26, load 2.1, 100k points (CPU ms, wall in brackets): cold in catalog order 69.7 (54),
// cold shuffled 174.4 (156), first call in a fresh process 162.5 (105), warm 2.0 (2), against a
// plain sort at 374.8 (353). 10k: 9.3 (6) cold in order; 1M: 987 (810) cold in order, 45 (23) warm.
import { cpus, loadavg } from 'node:os';
import { bestCutBefore, candidateCuts } from '../main/groups/candidates';
import { prepareGroup, sweepCuts } from '../main/groups/cuts';
import { BENCH_GROUP, BENCH_NOW, inCatalogOrder, syntheticCatalog } from './cuts-data';

const gc = (globalThis as { gc?: () => void }).gc;

type Sample = { cpu: number; wall: number };

/** Median CPU and wall time of `runs` calls, in milliseconds (after two warm-up calls). */
function measure(runs: number, fn: () => unknown): Sample {
  fn();
  fn();
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < runs; i++) {
    gc?.();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const median = (xs: number[]): number => xs.sort((a, b) => a - b)[xs.length >> 1] as number;
  return { cpu: median(cpu), wall: median(wall) };
}

const fmt = (s: Sample): string => `${s.cpu.toFixed(1)} (${s.wall.toFixed(0)})`;

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const plan = sizes.length > 0 ? sizes : [10_000, 100_000, 1_000_000];
const incident = BENCH_NOW - 3 * 86_400_000 + 1_234_567;

console.log(
  `cuts benchmark — node ${process.version}, ${cpus().length} cores, load ${loadavg()[0]?.toFixed(1)}`,
);
console.log(
  '10 members (1 pgBackRest-like chain + WAL window, 1 versioned bucket, 8 snapshot services), tolerance 10 min',
);
console.log(
  'baseline: Array.prototype.sort of the same RecoveryPoint[] by time (ISO string compare)',
);
console.log('ms of CPU per call, median (wall ms in brackets)\n');
const header = [
  'points',
  'baseline sort',
  'first call',
  'cold, shuffled',
  'cold, cat. order',
  'cuts, warm',
  'best, warm',
  'sweep only',
  'cuts',
  'cold/sort',
];
const widths = [11, 17, 15, 17, 18, 15, 15, 15, 11, 11];
const row = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i] ?? 12)).join('');
console.log(row(header));
for (const n of plan) {
  const points = syntheticCatalog(n);
  const ordered = inCatalogOrder(points);
  // The very first call on this catalog (in a fresh process for the first size: code not yet
  // optimised either), the way `dapple groups cuts` runs once on the catalog read from its cache.
  gc?.();
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  candidateCuts(BENCH_GROUP, ordered, { now: BENCH_NOW, limit: 20 });
  const firstWall = performance.now() - w0;
  const c1 = process.cpuUsage(c0);
  const firstCall = { cpu: (c1.user + c1.system) / 1000, wall: firstWall };
  const runs = n >= 1_000_000 ? 3 : n >= 100_000 ? 7 : 15;
  const options = { now: BENCH_NOW, limit: 20 };
  // Both copy the array: the baseline to sort it, "cold" so that nothing prepared is reused.
  const baseline = measure(runs, () =>
    points.slice().sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0)),
  );
  const cold = measure(runs, () => candidateCuts(BENCH_GROUP, points.slice(), options));
  const coldOrdered = measure(runs, () => candidateCuts(BENCH_GROUP, ordered.slice(), options));
  const warm = measure(runs, () => candidateCuts(BENCH_GROUP, points, options));
  const best = measure(runs, () =>
    bestCutBefore(BENCH_GROUP, points, incident, { now: BENCH_NOW }),
  );
  const pg = prepareGroup(BENCH_GROUP, points, BENCH_NOW);
  let count = 0;
  const sweep = measure(runs, () => (count = sweepCuts(pg, BENCH_NOW).count));
  console.log(
    row([
      points.length.toLocaleString('en'),
      fmt(baseline),
      fmt(firstCall),
      fmt(cold),
      fmt(coldOrdered),
      fmt(warm),
      fmt(best),
      fmt(sweep),
      count.toLocaleString('en'),
      `${(cold.cpu / baseline.cpu).toFixed(2)}×`,
    ]),
  );
}
console.log(
  '\nfirst call: the first candidateCuts(limit 20) of the run, catalog order (fresh process for the first size)',
);
console.log(
  'cold: candidateCuts(limit 20) on a catalog array seen for the first time (prepares histories);',
);
console.log('  shuffled: points in random order, objects scattered (the worst case);');
console.log(
  '  cat. order: as Dapple holds a catalog — by source, oldest first, allocated in that order',
);
console.log('warm: the same catalog array again (prepared histories reused, as the timeline does)');
const check = candidateCuts(BENCH_GROUP, syntheticCatalog(10_000), {
  now: BENCH_NOW,
  limit: 3,
  consistentOnly: true,
});
console.log(
  `\nsanity (10k): newest consistent cut ${check[0]?.time}, skew ${check[0]?.skewSeconds} s: ${check[0]?.reason}`,
);
