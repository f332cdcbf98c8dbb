// Findings about whether the backups would survive and work: broken chains, immutability,
// test restores, and the 3-2-1 rule (3 copies, 2 backends, 1 off-site).
import type { RecoveryPoint } from '../../preload/schemas/catalog';
import type { Finding } from '../../preload/schemas/groups';
import type { BackendConfig } from '../workspace/types';
import { countDependants, isErrored } from './chains';
import type { ServiceFacts } from './findings-schedule';
import { DAY_MS, formatDuration, formatInstant, parseInstant } from './time';

/** A drill or test restore that finished: later produced by the drills feature. */
export type DrillResult = {
  service: string;
  pointId: string | null;
  finishedAt: string;
  ok: boolean;
};

/** Broken links named one by one before the rest are summed up. */
const LINKS_LISTED = 10;
/** Backend tags that mean "off-site" (compared case-insensitively). */
const OFFSITE_TAGS = new Set(['offsite', 'off-site']);

const kindWord = (p: RecoveryPoint): string =>
  p.kind === 'incr'
    ? 'incremental'
    : p.kind === 'diff'
      ? 'differential'
      : p.kind === 'full'
        ? 'full backup'
        : 'point';

/** Broken incremental chains: the broken link, and how many points depend on it. */
export function chainFindings(f: ServiceFacts): Finding[] {
  const name = f.service.name;
  const roots: number[] = [];
  const referenced = new Set(f.chains.map((c) => c.parent));
  f.chains.forEach((s, i) => {
    const p = f.points[i] as RecoveryPoint;
    // A failed point that others build on breaks their chain too: report it as the link.
    // A link broken only because its reference failed is told through that reference.
    const refFailed = s.parent >= 0 && isErrored(f.points[s.parent] as RecoveryPoint);
    if ((s.brokenLink && !refFailed) || (isErrored(p) && referenced.has(i))) roots.push(i);
  });
  if (roots.length === 0) return [];
  const dependants = countDependants(f.chains, roots);
  roots.sort(
    (a, b) =>
      parseInstant((f.points[b] as RecoveryPoint).time) -
      parseInstant((f.points[a] as RecoveryPoint).time),
  );
  const out: Finding[] = roots.slice(0, LINKS_LISTED).map((i) => {
    const p = f.points[i] as RecoveryPoint;
    const s = f.chains[i];
    const after = dependants.get(i) ?? 0;
    const what = `${name} ${kindWord(p)} ${p.id} (${formatInstant(parseInstant(p.time))})`;
    const cause = s?.brokenLink ? (s.why ?? 'its reference is missing') : 'it is marked failed';
    const tail =
      after === 0
        ? 'it cannot be restored.'
        : `it and the ${after} point${after === 1 ? '' : 's'} after it cannot be restored.`;
    return {
      severity: 'error',
      service: name,
      kind: 'broken-chain',
      message: `${what}: ${cause}; ${tail}`,
      pointId: p.id,
    };
  });
  if (roots.length > LINKS_LISTED) {
    out.push({
      severity: 'error',
      service: name,
      kind: 'broken-chain',
      message: `${name} has ${roots.length - LINKS_LISTED} more broken chain links in older history.`,
    });
  }
  return out;
}

/** Immutable now: a lock with a future retain-until, or a legal hold, or a WORM medium without date. */
export function isImmutableAt(p: RecoveryPoint, now: number): boolean {
  const lock = p.immutable;
  if (lock === null) return false;
  if (lock.legalHold || lock.retainUntil === null) return true;
  return parseInstant(lock.retainUntil) > now;
}

/** Points that ransomware or a mistake could delete. */
export function immutabilityFindings(f: ServiceFacts): Finding[] {
  const usable = [...f.history.points, ...f.history.windows];
  if (usable.length === 0) return [];
  const mutable = usable.filter((p) => !isImmutableAt(p, f.now));
  if (mutable.length === 0) return [];
  const newest =
    f.history.points[f.history.points.length - 1] ??
    f.history.windows[f.history.windows.length - 1];
  const name = f.service.name;
  const all =
    mutable.length === usable.length
      ? `none of its ${usable.length} restorable points is immutable`
      : `${mutable.length} of its ${usable.length} restorable points are not immutable`;
  if (newest !== undefined && !isImmutableAt(newest, f.now)) {
    return [
      {
        severity: 'warning',
        service: name,
        kind: 'not-immutable',
        message: `The newest point of ${name} (${newest.id}) is not immutable, so ransomware or a mistake could delete it; ${all}.`,
        pointId: newest.id,
      },
    ];
  }
  const example = mutable[mutable.length - 1] as RecoveryPoint;
  return [
    {
      severity: 'info',
      service: name,
      kind: 'not-immutable',
      message: `${mutable.length} older point${mutable.length === 1 ? '' : 's'} of ${name} ${mutable.length === 1 ? 'is' : 'are'} not immutable (or their lock expired).`,
      pointId: example.id,
    },
  ];
}

/** No successful test restore within `days` (from lastVerified and drill results). */
export function untestedFindings(
  f: ServiceFacts,
  drills: readonly DrillResult[],
  days: number,
): Finding[] {
  if (f.points.length === 0) return [];
  let last = -Infinity;
  for (const p of f.points) {
    const t = parseInstant(p.lastVerified);
    if (t > last) last = t;
  }
  for (const d of drills) {
    if (d.service !== f.service.name || !d.ok) continue;
    const t = parseInstant(d.finishedAt);
    if (t > last) last = t;
  }
  const name = f.service.name;
  if (last === -Infinity) {
    return [
      {
        severity: 'warning',
        service: name,
        kind: 'untested',
        message: `${name} has never been test-restored: run a drill to learn whether its backups restore and how long it takes.`,
      },
    ];
  }
  const age = f.now - last;
  if (age <= days * DAY_MS) return [];
  return [
    {
      severity: 'warning',
      service: name,
      kind: 'untested',
      message: `The last successful test restore of ${name} was ${formatDuration(age)} ago (${formatInstant(last)}); test one at least every ${days} days.`,
    },
  ];
}

/** The 3-2-1 rule on the newest restorable point: 3 copies, on 2 backends, 1 of them off-site. */
export function copyFindings(
  f: ServiceFacts,
  backends: ReadonlyMap<string, BackendConfig>,
): Finding[] {
  const h = f.history;
  const newest = h.points[h.points.length - 1] ?? h.windows[h.windows.length - 1];
  if (newest === undefined) return [];
  const name = f.service.name;
  const out: Finding[] = [];
  const distinct = [...new Set(newest.copies)];
  const list = distinct.length > 0 ? ` (${distinct.join(', ')})` : '';
  const subject = `The newest point of ${name} (${newest.id})`;
  if (newest.copies.length < 3) {
    const n = newest.copies.length;
    out.push({
      severity: 'warning',
      service: name,
      kind: 'copies',
      message: `${subject} has ${n === 0 ? 'no recorded copy' : `only ${n} cop${n === 1 ? 'y' : 'ies'}`}${list}: keep at least 3.`,
      pointId: newest.id,
    });
  }
  if (distinct.length < 2) {
    out.push({
      severity: 'warning',
      service: name,
      kind: 'backends',
      message: `${subject} is held by ${distinct.length === 0 ? 'no backend' : `one backend only${list}`}: keep copies on at least 2.`,
      pointId: newest.id,
    });
  }
  const offsite = distinct.some(
    (b) => backends.get(b)?.tags.some((t) => OFFSITE_TAGS.has(t.toLowerCase())) === true,
  );
  if (!offsite) {
    out.push({
      severity: 'warning',
      service: name,
      kind: 'offsite',
      message: `${subject} has no copy off-site: no backend holding it is tagged "offsite".`,
      pointId: newest.id,
    });
  }
  return out;
}
