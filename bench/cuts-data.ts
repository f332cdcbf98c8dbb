// Synthetic catalogs for the cut benchmark: 10 members sharing `total` points over one year.
import type { RecoveryPoint } from '../preload/schemas/catalog';

/** A small deterministic PRNG so every run measures the same data. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The present of the synthetic catalogs. */
export const BENCH_NOW = Date.parse('2026-11-26T03:00:00Z');

const base = (service: string, source: string, id: string, t: number): RecoveryPoint => ({
  id,
  source,
  service,
  time: new Date(t).toISOString(),
  endTime: null,
  kind: 'snapshot',
  parent: null,
  sizeBytes: 1 << 20,
  copies: ['nas', 'offsite-s3'],
  immutable: null,
  lastVerified: null,
  tags: [],
  raw: null,
});

/**
 * Ten members: one pgBackRest-like database (daily full, incrementals, a WAL window of the last
 * week), one versioned bucket (a single open window), eight snapshot services. Schedules share a
 * cadence with a few minutes of jitter, so both consistent and inconsistent cuts occur.
 */
export function syntheticCatalog(total: number, seed = 42): RecoveryPoint[] {
  const rnd = mulberry32(seed);
  const span = 365 * 86_400_000;
  const start = BENCH_NOW - span;
  const perMember = Math.floor(total / 9); // the bucket has one window; nine members share the rest
  const step = span / perMember;
  const out: RecoveryPoint[] = [];
  for (let k = 0; k < perMember; k++) {
    const t = Math.round(start + k * step + rnd() * 120_000);
    const p = base('orders-db', 'pg', `db-${k}`, t);
    if (k % 24 === 0) p.kind = 'full';
    else {
      p.kind = 'incr';
      p.parent = `db-${k - 1}`;
    }
    out.push(p);
  }
  out.push({ ...base('orders-db', 'pg', 'wal', BENCH_NOW - 7 * 86_400_000), kind: 'window' });
  out.push({ ...base('uploads', 'bucket', 'versions', start - 86_400_000), kind: 'window' });
  for (let m = 0; m < 8; m++) {
    const service = `svc-${m}`;
    for (let k = 0; k < perMember; k++) {
      // Most members run close to the shared cadence; one in eight drifts by up to 40 minutes.
      const jitter = m === 7 ? rnd() * 2_400_000 : rnd() * 300_000;
      const p = base(
        service,
        `${service}-src`,
        `${service}-${k}`,
        Math.round(start + k * step + jitter),
      );
      // Every 24th run is a coordinated snapshot across the eight services.
      if (k % 24 === 0) p.tags = [`snapshot:run-${k}`];
      out.push(p);
    }
  }
  // Shuffle so nothing benefits from catalog order.
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j] as RecoveryPoint, out[i] as RecoveryPoint];
  }
  return out;
}

/** The benchmark group: all ten members, 10 minutes of tolerance. */
export const BENCH_GROUP = {
  name: 'bench',
  members: ['orders-db', 'uploads', ...Array.from({ length: 8 }, (_, m) => `svc-${m}`)],
  toleranceSeconds: 600,
  order: ['orders-db'],
};

/**
 * The same points as Dapple holds a catalog: grouped by source, each source in its tool's order
 * (oldest first), and each object allocated in that order, as reading the cache file does.
 * syntheticCatalog's shuffle is the worst case instead: no order to exploit, objects scattered.
 */
export function inCatalogOrder(points: readonly RecoveryPoint[]): RecoveryPoint[] {
  const sorted = [...points].sort((a, b) =>
    a.source !== b.source ? (a.source < b.source ? -1 : 1) : a.time < b.time ? -1 : 1,
  );
  return JSON.parse(JSON.stringify(sorted)) as RecoveryPoint[];
}
