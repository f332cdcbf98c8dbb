// The demo's backup history, computed from "now": weeks of sets per service with the flaws a
// console must show (a broken chain, a stale service, a set that is not immutable, thin copies).
// Pure and deterministic for a given now: a seeded PRNG, no clock, no I/O.
import { createHash } from 'node:crypto';
import type { ManifestInput } from '../catalog/sources/manifest-format';
import { MANIFEST_FORMAT, checksumListing } from '../catalog/sources/manifest-format';
import { demoPayload } from './demo-payload';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Weeks of history generated. */
export const DEMO_WEEKS = 4;

/** One backup set of the demo: its manifest, the backends holding it and its payload files. */
export type DemoSet = {
  service: string;
  manifest: ManifestInput;
  /** Backend names holding a copy (the manifest's copies). */
  copies: string[];
  /** Real files of the set (only for recent shop sets, the ones drills restore). */
  files: { path: string; data: Buffer }[];
};

/** What the history contains on purpose, so that tests and docs can point at it. */
export type DemoFacts = {
  /** billing-db: the incremental whose manifest is missing, and the one that still points to it. */
  brokenChain: { service: string; missingId: string; orphanId: string };
  /** invoices: no set for two days although its RPO is one hour. */
  stale: { service: string; lastTime: string };
  notImmutableId: string;
  singleCopyIds: string[];
  failedId: string;
  snapshotTags: string[];
};

// mulberry32: small, fast and good enough for believable sizes and jitter.
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const stamp = (ms: number): string =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

type Plan = {
  time: number;
  kind: 'full' | 'diff' | 'incr' | 'snapshot';
  tier: 'daily' | '6-hourly' | 'hourly';
};

// Daily points at a fixed hour for the whole history, hourly ones for the last day.
function schedule(
  now: number,
  dailyHour: number,
  offsetSec: number,
  hourlyFrom: number | null,
  isFull: (t: number) => boolean,
  chain: boolean,
): Plan[] {
  const today = Math.floor(now / DAY) * DAY;
  const plans: Plan[] = [];
  for (let d = DEMO_WEEKS * 7; d >= 0; d--) {
    const time = today - d * DAY + dailyHour * HOUR + offsetSec * 1000;
    if (time <= now)
      plans.push({
        time,
        kind: chain ? (isFull(time) || plans.length === 0 ? 'full' : 'diff') : 'snapshot',
        tier: 'daily',
      });
  }
  if (hourlyFrom !== null) {
    const hour = Math.floor(now / HOUR) * HOUR;
    for (let t = hourlyFrom - (hourlyFrom % HOUR); t <= hour; t += HOUR) {
      const time = t + offsetSec * 1000;
      if (time >= hourlyFrom && time <= now && new Date(time).getUTCHours() !== dailyHour)
        plans.push({ time, kind: chain ? 'incr' : 'snapshot', tier: 'hourly' });
    }
  }
  return plans.sort((a, b) => a.time - b.time);
}

const sunday = (t: number): boolean => new Date(t).getUTCDay() === 0;

/** Build the demo history for `now`. Same now, same history, byte for byte. */
export function demoHistory(nowDate: Date): { sets: DemoSet[]; facts: DemoFacts } {
  const now = nowDate.getTime();
  const random = prng(Math.floor(now / HOUR));
  const between = (low: number, high: number): number => Math.round(low + random() * (high - low));
  const hour = Math.floor(now / HOUR) * HOUR;
  const today = Math.floor(now / DAY) * DAY;
  const sets: DemoSet[] = [];

  const add = (
    service: string,
    plans: Plan[],
    options: { lock: 'GOVERNANCE' | 'COMPLIANCE'; payload: (time: number) => boolean },
  ): DemoSet[] => {
    const made: DemoSet[] = [];
    // A set with files brings its chain's files too: restoring an incremental restores them all.
    const parents: (number | null)[] = [];
    let full: number | null = null;
    plans.forEach((plan, i) => {
      parents.push(plan.kind === 'diff' ? full : plan.kind === 'incr' && i > 0 ? i - 1 : null);
      if (plan.kind === 'full') full = i;
    });
    const payload = plans.map((plan) => options.payload(plan.time));
    for (let i = plans.length - 1; i >= 0; i--) {
      const parent = parents[i];
      if (payload[i] && parent !== null && parent !== undefined) payload[parent] = true;
    }
    let lastFull: string | null = null;
    let previous: string | null = null;
    for (const [index, plan] of plans.entries()) {
      const id = `${service}-${stamp(plan.time)}-${plan.kind}`;
      const parent = plan.kind === 'diff' ? lastFull : plan.kind === 'incr' ? previous : null;
      const withFiles = payload[index] === true;
      const files = withFiles ? demoPayload(service, plan.kind, plan.time, random) : [];
      const listed = files.map((f) => ({
        path: f.path,
        sizeBytes: f.data.length,
        sha256: sha256(f.data),
      }));
      const size = withFiles
        ? listed.reduce((sum, f) => sum + f.sizeBytes, 0)
        : plan.kind === 'full'
          ? between(40_000, 60_000)
          : plan.kind === 'diff'
            ? between(8_000, 14_000)
            : between(1_000, 6_000);
      // The script copies every set off-site and to the USB disk (3 copies, 2 kinds of place, 1 off-site).
      const copies = ['nas', 'offsite', 'usb'];
      const manifest: ManifestInput = {
        format: MANIFEST_FORMAT,
        id,
        service,
        time: iso(plan.time),
        kind: plan.kind,
        parent,
        sizeBytes: size,
        checksums: withFiles ? { sha256: sha256(checksumListing(id, listed)) } : null,
        files: listed,
        copies,
        immutability: {
          mode: options.lock,
          retainUntil: iso(plan.time + 35 * DAY),
          legalHold: false,
        },
        status: 'ok',
        lastVerified: null,
        tags: [`schedule:${plan.tier}`],
      };
      made.push({ service, manifest, copies, files });
      if (plan.kind === 'full') lastFull = id;
      previous = id;
    }
    sets.push(...made);
    return made;
  };

  // Real files only where drills restore: the last twelve hours, and the daily shop cuts of the last three days.
  const cutDays = [2, 1, 0].map((d) => today - d * DAY + HOUR);
  const recent = (time: number): boolean =>
    time >= now - 12 * HOUR || cutDays.some((day) => Math.abs(time - day) < 10 * 60_000);
  const none = (): boolean => false;
  const orders = add('orders-db', schedule(now, 1, 12, hour - 11 * HOUR, sunday, true), {
    lock: 'COMPLIANCE',
    payload: recent,
  });
  const uploads = add(
    'uploads',
    schedule(now, 1, 95, hour - 11 * HOUR, () => false, false),
    { lock: 'GOVERNANCE', payload: recent },
  );
  const searchPlans = schedule(now, 1, 240, null, () => false, false);
  for (let d = 6; d >= 0; d--) {
    for (const h of [7, 13, 19]) {
      const time = today - d * DAY + h * HOUR + 240_000;
      if (time <= now) searchPlans.push({ time, kind: 'snapshot', tier: '6-hourly' });
    }
  }
  const search = add(
    'search-index',
    searchPlans.sort((a, b) => a.time - b.time),
    { lock: 'GOVERNANCE', payload: recent },
  );
  const billing = add(
    'billing-db',
    schedule(now, 2, 30, hour - 23 * HOUR, () => true, true),
    { lock: 'COMPLIANCE', payload: none },
  );
  const staleUntil = now - 2 * DAY;
  const invoicePlans = schedule(now, 3, 50, null, () => false, false).filter(
    (p) => p.time <= staleUntil,
  );
  for (let t = Math.floor(staleUntil / HOUR) * HOUR - 11 * HOUR; t <= staleUntil; t += HOUR) {
    const time = t + 50_000;
    if (time <= staleUntil && new Date(time).getUTCHours() !== 3)
      invoicePlans.push({ time, kind: 'snapshot', tier: 'hourly' });
  }
  const invoices = add(
    'invoices',
    invoicePlans.sort((a, b) => a.time - b.time),
    { lock: 'GOVERNANCE', payload: none },
  );

  // The flaws, each on purpose and named in the facts.
  const billingIncrs = billing.filter(
    (s, i) =>
      s.manifest.kind === 'incr' &&
      billing[i + 1]?.manifest.kind === 'incr' &&
      Date.parse(s.manifest.time) <= now - 6 * HOUR,
  );
  const missing = billingIncrs[Math.floor(billingIncrs.length / 2)] ?? billingIncrs[0];
  if (!missing) throw new Error('demo history: billing-db has no incremental to break');
  const orphan = billing[billing.indexOf(missing) + 1];
  sets.splice(sets.indexOf(missing), 1);

  // The newest uploads snapshot landed after the bucket's lock was switched off by mistake.
  const notImmutable = uploads.at(-1);
  if (notImmutable) notImmutable.manifest.immutability = null;

  const single = [
    ...invoices.slice(-3),
    ...uploads.filter((s) => s.manifest.kind === 'snapshot').slice(-12, -10),
  ];
  for (const set of single) {
    set.copies = ['nas'];
    set.manifest.copies = ['nas'];
  }

  const failed = search.filter((s) => Date.parse(s.manifest.time) <= now - 30 * HOUR).at(-1);
  if (failed) {
    failed.manifest.status = 'failed';
    failed.manifest.tags = [...(failed.manifest.tags ?? []), 'error:disk-full'];
  }

  // The last three daily shop cuts share a logical snapshot id: a cut by construction.
  const snapshotTags: string[] = [];
  for (const day of cutDays) {
    if (day > now) continue;
    const tag = `snapshot:shop-${stamp(day).slice(0, 13)}`;
    const members = [orders, uploads, search].map((list) =>
      list.find((s) => Math.abs(Date.parse(s.manifest.time) - day) < 5 * 60_000),
    );
    if (members.some((m) => !m)) continue;
    for (const member of members)
      if (member) member.manifest.tags = [...(member.manifest.tags ?? []), tag];
    snapshotTags.push(tag);
  }

  // Drills happened: the latest weekly full of orders-db was test-restored the next morning.
  const verified = orders
    .filter((s) => s.manifest.kind === 'full' && Date.parse(s.manifest.time) <= now - DAY)
    .at(-1);
  if (verified) verified.manifest.lastVerified = iso(Date.parse(verified.manifest.time) + 8 * HOUR);

  const lastInvoice = invoices.at(-1);
  return {
    sets,
    facts: {
      brokenChain: {
        service: 'billing-db',
        missingId: missing.manifest.id,
        orphanId: orphan?.manifest.id ?? '',
      },
      stale: { service: 'invoices', lastTime: lastInvoice?.manifest.time ?? '' },
      notImmutableId: notImmutable?.manifest.id ?? '',
      singleCopyIds: single.map((s) => s.manifest.id),
      failedId: failed?.manifest.id ?? '',
      snapshotTags,
    },
  };
}
