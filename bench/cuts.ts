// Benchmark: candidate cuts of a 10-member group as the catalog grows from 10k to 1M points,
// printed against a baseline measured in the same run (a plain sort of the same points).
// Run: node bench/run.mjs cuts [sizes...]   e.g. node bench/run.mjs cuts 10000 100000
import { bestCutBefore, candidateCuts } from '../main/groups/candidates';
import { prepareGroup, sweepCuts } from '../main/groups/cuts';
import { BENCH_GROUP, BENCH_NOW, syntheticCatalog } from './cuts-data';

const gc = (globalThis as { gc?: () => void }).gc;

/** Median wall time of `runs` calls, in milliseconds (after two warm-up calls). */
function time(runs: number, fn: () => unknown): number {
  fn();
  fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    gc?.();
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] as number;
}

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const plan = sizes.length > 0 ? sizes : [10_000, 100_000, 1_000_000];
const incident = BENCH_NOW - 3 * 86_400_000 + 1_234_567;

console.log(
  `cuts benchmark — node ${process.version}, 10 members, tolerance 10 min, median of runs`,
);
console.log(
  'baseline = Array.prototype.sort of the same RecoveryPoint[] by time (ISO string compare)\n',
);
const header = [
  'points',
  'baseline sort',
  'candidateCuts(20)',
  'bestCutBefore',
  'sweep only',
  'cuts in sweep',
  'ratio',
];
console.log(header.map((h) => h.padStart(17)).join(''));
for (const n of plan) {
  const points = syntheticCatalog(n);
  const runs = n >= 1_000_000 ? 3 : 7;
  const baseline = time(runs, () =>
    points.slice().sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0)),
  );
  const cuts = time(runs, () => candidateCuts(BENCH_GROUP, points, { now: BENCH_NOW, limit: 20 }));
  const best = time(runs, () => bestCutBefore(BENCH_GROUP, points, incident, { now: BENCH_NOW }));
  const pg = prepareGroup(BENCH_GROUP, points, BENCH_NOW);
  let count = 0;
  const sweep = time(runs, () => (count = sweepCuts(pg, BENCH_NOW).count));
  const row = [
    points.length.toLocaleString('en'),
    `${baseline.toFixed(1)} ms`,
    `${cuts.toFixed(1)} ms`,
    `${best.toFixed(1)} ms`,
    `${sweep.toFixed(1)} ms`,
    count.toLocaleString('en'),
    `${(cuts / baseline).toFixed(2)}× sort`,
  ];
  console.log(row.map((c) => c.padStart(17)).join(''));
}
const check = candidateCuts(BENCH_GROUP, syntheticCatalog(10_000), { now: BENCH_NOW, limit: 3 });
console.log(
  `\nsanity (10k): newest cut ${check[0]?.time} skew ${check[0]?.skewSeconds}s — ${check[0]?.reason}`,
);
