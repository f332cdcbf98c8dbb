// Where the time goes when main answers groups.timeline for 100,000 points (no browser): the
// first call on a catalog version (lanes and cut histories prepared, columns checked and written
// as JSON), a later call 1 s on (cuts kept, see main/groups/timeline-answers.ts) and one 10 s on
// (cuts computed again). Steps as the handler, the dispatch door and the bridge make them.
// Baseline, same run: JSON.stringify of the catalog's points as they are held in main.
// Usage: node bench/run.mjs timeline-server [points] [runs]
// Figures (load 3.5, median of 5): a later call cost 1.25× the baseline before (lanes 30, cuts 42,
// check 61, stringify 74 ms); now 0.39× at +1 s (lanes 0.3, cuts kept, check 29, JSON 15 ms) and
// 0.62× at +10 s (cuts made again). Alone and warm, the lanes' check takes ~2.5 ms and their
// JSON ~1 ms; the figures above carry GC and the machine's load.
import { calls } from '../preload/contract';
import { encodeWithColumns } from '../main/bridge/json';
import { prepareLanes, timelineAt } from '../main/groups/timeline';
import { cutsOf } from '../main/groups/timeline-answers';
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
function answer(points: typeof catalog, now: number): { ms: Record<Step, number>; bytes: number } {
  const ms = {} as Record<Step, number>;
  const time = <T>(step: Step, f: () => T): T => {
    const t = performance.now();
    const r = f();
    ms[step] = (ms[step] ?? 0) + performance.now() - t;
    return r;
  };
  const group = BENCH_GROUP;
  const lanes = time('lanes', () => prepareLanes({ services, points, group }));
  const timeline = time('lanes', () => timelineAt(lanes, now));
  const cuts = time('cuts', () => cutsOf(group, points, lanes, now, 200));
  const value = { timeline, cuts, asOf: null };
  const checked = time('check', () => calls['groups.timeline'].response.safeParse(value));
  const json = time('stringify', () => encodeWithColumns({ ok: true, value: checked.data }));
  time('parse', () => JSON.parse(json.toString('utf8')));
  return { ms, bytes: json.length };
}

// The three calls of each run: a new catalog version, then 1 s and 10 s later on the same one.
const when = [
  ['first call', 0],
  ['+1 s', 1_000],
  ['+10 s', 10_000],
] as const;
const rows: Record<Step, number>[][] = when.map(() => []);
const baseline: number[] = [];
let bytes = 0;
for (let r = 0; r < runs; r++) {
  // A copy is a new catalog version: nothing prepared for it yet.
  const points = catalog.slice();
  when.forEach(([, after], i) => {
    gc?.();
    const one = answer(points, BENCH_NOW + after);
    rows[i]?.push(one.ms);
    bytes = one.bytes;
  });
  gc?.();
  const t = performance.now();
  JSON.stringify(points);
  baseline.push(performance.now() - t);
}
const sum = (r: Record<Step, number>) => steps.reduce((a, s) => a + r[s], 0);
const col = (rs: Record<Step, number>[], s: Step) => median(rs.map((r) => r[s]));
const base = median(baseline);
const cells = (f: (rs: Record<Step, number>[]) => number) =>
  rows.map((rs) => f(rs).toFixed(1).padStart(12)).join('');
console.log(
  `groups.timeline for ${total.toLocaleString('en')} points, ${BENCH_GROUP.members.length} lanes, 200 cuts (median of ${runs}, ms):`,
);
console.log(`  baseline: JSON.stringify of the points as main holds them   ${base.toFixed(1)}`);
console.log(`  ${'step'.padEnd(34)}${when.map(([name]) => name.padStart(12)).join('')}`);
for (const s of steps) console.log(`  ${s.padEnd(34)}${cells((rs) => col(rs, s))}`);
const totals = rows.map((rs) => median(rs.map(sum)));
console.log(
  `  ${'total'.padEnd(34)}${cells((rs) => median(rs.map(sum)))}   (${totals.map((t) => `${(t / base).toFixed(2)}×`).join(' / ')} baseline)`,
);
console.log(`  response size ${(bytes / 1e6).toFixed(1)} MB`);
