// Where the time goes when main answers groups.timeline for 100,000 points (no browser): the
// first call on a catalog version (lanes and cut histories prepared) and later calls (kept).
// Baseline, same run: JSON.stringify of the catalog's points as they are held in main.
// Usage: node bench/run.mjs timeline-server [points] [runs]
import { calls } from '../preload/contract';
import { candidateCuts } from '../main/groups/candidates';
import { buildTimeline } from '../main/groups/timeline';
import { BENCH_GROUP, BENCH_NOW, syntheticCatalog } from './cuts-data';

const total = Number(process.argv[2] ?? 100_000);
const runs = Number(process.argv[3] ?? 7);
const catalog = syntheticCatalog(total);
const services = BENCH_GROUP.members.map((name) => ({
  name,
  owner: 'b',
  rpoSeconds: 3600,
  rtoSeconds: 3600,
  retention: { daily: 30, weekly: 90, monthly: 365, yearly: 2555 },
}));
const gc = (globalThis as { gc?: () => void }).gc;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;

type Step = 'lanes' | 'cuts' | 'check' | 'stringify' | 'parse';
const steps: Step[] = ['lanes', 'cuts', 'check', 'stringify', 'parse'];

/** One groups.timeline answer as the handler and the transport make it, timed step by step. */
function answer(points: typeof catalog): { ms: Record<Step, number>; bytes: number } {
  const ms = {} as Record<Step, number>;
  const time = <T>(step: Step, f: () => T): T => {
    const t = performance.now();
    const r = f();
    ms[step] = performance.now() - t;
    return r;
  };
  const group = BENCH_GROUP;
  const timeline = time('lanes', () => buildTimeline({ services, points, now: BENCH_NOW, group }));
  const cuts = time('cuts', () => candidateCuts(group, points, { now: BENCH_NOW, limit: 200 }));
  const value = { timeline, cuts, asOf: null };
  time('check', () => calls['groups.timeline'].response.safeParse(value));
  const json = time('stringify', () => JSON.stringify({ ok: true, value }));
  time('parse', () => JSON.parse(json));
  return { ms, bytes: json.length };
}

const first: Record<Step, number>[] = [];
const later: Record<Step, number>[] = [];
const baseline: number[] = [];
let bytes = 0;
for (let r = 0; r < runs; r++) {
  // A copy is a new catalog version: nothing prepared for it yet.
  const points = catalog.slice();
  gc?.();
  first.push(answer(points).ms);
  gc?.();
  const again = answer(points);
  later.push(again.ms);
  bytes = again.bytes;
  gc?.();
  const t = performance.now();
  JSON.stringify(points);
  baseline.push(performance.now() - t);
}
const sum = (r: Record<Step, number>) => steps.reduce((a, s) => a + r[s], 0);
const col = (rs: Record<Step, number>[], s: Step) => median(rs.map((r) => r[s]));
const base = median(baseline);
console.log(
  `groups.timeline for ${total.toLocaleString('en')} points, ${BENCH_GROUP.members.length} lanes, 200 cuts (median of ${runs}, ms):`,
);
console.log(`  baseline: JSON.stringify of the points as main holds them   ${base.toFixed(1)}`);
console.log(`  ${'step'.padEnd(34)}${'first call'.padStart(12)}${'later call'.padStart(12)}`);
for (const s of steps)
  console.log(
    `  ${s.padEnd(34)}${col(first, s).toFixed(1).padStart(12)}${col(later, s).toFixed(1).padStart(12)}`,
  );
const f = median(first.map(sum));
const l = median(later.map(sum));
console.log(
  `  ${'total'.padEnd(34)}${f.toFixed(1).padStart(12)}${l.toFixed(1).padStart(12)}   (${(f / base).toFixed(2)}× / ${(l / base).toFixed(2)}× baseline)`,
);
console.log(`  response size ${(bytes / 1e6).toFixed(1)} MB`);
