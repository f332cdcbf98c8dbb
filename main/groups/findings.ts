// Health findings for a whole workspace: every fact worth a human's attention, most severe first.
import type { RecoveryPoint } from '../../preload/schemas/catalog';
import type { DrillRecord } from '../../preload/schemas/drills';
import type { Finding, Severity } from '../../preload/schemas/groups';
import type { BackendConfig, ServiceConfig } from '../workspace/types';
import { requireMs } from './candidates';
import {
  chainFindings,
  copyFindings,
  immutabilityFindings,
  untestedFindings,
  type DrillResult,
} from './findings-protection';
import {
  futureFindings,
  gapFindings,
  noPointFindings,
  scheduleFindings,
  staleFindings,
  type ServiceFacts,
} from './findings-schedule';
import type { GroupSpec } from './cuts';
import { drillFindings, drillResults } from './findings-drills';
import { groupFindings } from './findings-groups';
import { historyOf } from './history';
import { laneOf, pointsOf, servicesIn } from './lane-base';
import { DEFAULT_RETENTION, retentionFindings } from './retention';
import { formatInstant, parseInstant } from './time';

export type { DrillResult };

/** What the findings need: the workspace's services and backends, the catalog, and the present. */
export type FindingsInput = {
  services: Iterable<ServiceConfig>;
  backends: Iterable<BackendConfig>;
  points: readonly RecoveryPoint[];
  now: number | Date | string;
  /** Finished test restores from elsewhere (drill logs go in `drillHistory`). */
  drills?: readonly DrillResult[] | undefined;
  /**
   * The drill history (main/drills/, VALID sealed logs only): a completed drill tests its points'
   * services; the latest drill of a runbook that failed or ran over its RTO is a finding.
   */
  drillHistory?: readonly DrillRecord[] | undefined;
  /** Consistency groups: each is checked for a recent consistent cut. */
  groups?: Iterable<GroupSpec> | undefined;
  /** A test restore is expected within this many days (default 30). */
  verifyWithinDays?: number | undefined;
};

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Every finding for the workspace, sorted by severity, then service, stable within a service. */
export function computeFindings(input: FindingsInput): Finding[] {
  const now = requireMs(input.now, 'current time');
  const backends = new Map<string, BackendConfig>();
  for (const b of input.backends) backends.set(b.name, b);
  const services = [...input.services];
  const known = new Set(services.map((s) => s.name));
  const out: Finding[] = [];
  const drills = [...(input.drills ?? []), ...drillResults(input.drillHistory ?? [])];
  for (const service of services) {
    // The same prepared lane the timeline and the cuts read (kept per catalog points array):
    // the service's points in catalog order, their chains, and its history as of now.
    const lane = laneOf(input.points, service.name);
    const facts: ServiceFacts = {
      service,
      points: lane.points,
      chains: lane.chains,
      history: historyOf(lane, now),
      now,
    };
    out.push(...serviceFindings(facts, backends, drills, input.verifyWithinDays ?? 30));
  }
  for (const service of servicesIn(input.points)) {
    if (!known.has(service)) out.push(orphanFinding(service, pointsOf(input.points, service)));
  }
  const serviceMap = new Map(services.map((s) => [s.name, s]));
  out.push(...groupFindings(input.groups ?? [], serviceMap, input.points, now));
  out.push(...drillFindings(input.drillHistory ?? []));
  return out
    .map((f, i) => ({ f, i }))
    .sort(
      (a, b) =>
        RANK[a.f.severity] - RANK[b.f.severity] || compare(a.f.service, b.f.service) || a.i - b.i,
    )
    .map(({ f }) => f);
}

/** The findings of one service, in the order a reader meets them. */
export function serviceFindings(
  facts: ServiceFacts,
  backends: ReadonlyMap<string, BackendConfig>,
  drills: readonly DrillResult[],
  verifyWithinDays: number,
): Finding[] {
  const none = noPointFindings(facts);
  if (facts.points.length === 0) return none;
  return [
    ...none,
    ...staleFindings(facts),
    ...chainFindings(facts),
    ...gapFindings(facts),
    ...futureFindings(facts),
    ...immutabilityFindings(facts),
    ...untestedFindings(facts, drills, verifyWithinDays),
    ...copyFindings(facts, backends),
    ...retentionFindings(facts, facts.service.retention ?? DEFAULT_RETENTION),
    ...scheduleFindings(facts),
  ];
}

/** Backup sets of a service the workspace no longer has: they still cost money. */
function orphanFinding(service: string, points: readonly RecoveryPoint[]): Finding {
  const bytes = points.reduce((sum, p) => sum + (p.sizeBytes ?? 0), 0);
  const sources = [...new Set(points.map((p) => p.source))].slice(0, 3).join(', ');
  let newest = -Infinity;
  for (const p of points) newest = Math.max(newest, parseInstant(p.time));
  const size = bytes > 0 ? `, ${formatBytes(bytes)}` : '';
  const when = newest > -Infinity ? `, newest ${formatInstant(newest)}` : '';
  return {
    severity: 'warning',
    service,
    kind: 'orphan',
    message:
      `${points.length} backup set${points.length === 1 ? '' : 's'} of "${service}" (source ${sources}${size}${when}) ` +
      `belong to no service in the workspace: they still cost money; delete them or add the service back.`,
  };
}

/** Bytes for people: "3.2 GB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
