// Where the time goes when main answers groups.timeline for 100,000 points (no browser).
// Usage: node bench/run.mjs timeline-server [points]
import { calls } from '../preload/contract';
import { candidateCuts } from '../main/groups/candidates';
import { buildTimeline } from '../main/groups/timeline';
import { BENCH_GROUP, BENCH_NOW, syntheticCatalog } from './cuts-data';

const total = Number(process.argv[2] ?? 100_000);
const points = syntheticCatalog(total);
const services = BENCH_GROUP.members.map((name) => ({
  name,
  owner: 'b',
  rpoSeconds: 3600,
  rtoSeconds: 3600,
  retention: { daily: 30, weekly: 90, monthly: 365, yearly: 2555 },
}));
const time = <T>(label: string, f: () => T): T => {
  const t = performance.now();
  const r = f();
  console.log(`  ${label.padEnd(28)} ${(performance.now() - t).toFixed(1)} ms`);
  return r;
};
console.log(`groups.timeline for ${total.toLocaleString()} points:`);
const timeline = time('buildTimeline', () =>
  buildTimeline({ services, points, now: BENCH_NOW, group: BENCH_GROUP }),
);
const cuts = time('candidateCuts (200)', () =>
  candidateCuts(BENCH_GROUP, points, { now: BENCH_NOW, limit: 200 }),
);
const value = { timeline, cuts, asOf: null };
time('zod response check', () => calls['groups.timeline'].response.parse(value));
const json = time('JSON.stringify', () => JSON.stringify({ ok: true, value }));
console.log(`  response size                ${(json.length / 1e6).toFixed(1)} MB`);
time('JSON.parse', () => JSON.parse(json));
