// The drill history of a workspace from its verified session logs: per runbook its sessions
// (newest first) and warnings, the points completed drills restored, and the logs that did not
// count. Pure over the log results, the catalog's points and the present.
import type { RecoveryPoint } from '../../preload/schemas/catalog';
import type {
  DrillHistory,
  DrillRecord,
  IgnoredLog,
  RunbookDrills,
  TestedPoint,
} from '../../preload/schemas/drills';
import { provesPoints, withSizes } from './fold';
import type { LogResult } from './verified-logs';
import { drillWarnings } from './warnings';

/** How often a runbook should be drilled when dapple.yaml does not say (drillEvery). */
export const DEFAULT_DRILL_EVERY_SECONDS = 30 * 86_400;

/** A runbook of the workspace: its file (workspace path), title and RTO. */
export type RunbookRef = { file: string; title: string; rtoSeconds: number | null };

/** What the history is made of. */
export type HistoryInput = {
  results: readonly LogResult[];
  runbooks: readonly RunbookRef[];
  points: readonly RecoveryPoint[];
  now: number;
  /** dapple.yaml drillEvery in seconds, or null for the default. */
  drillEverySeconds: number | null;
};

const key = (source: string, id: string): string => `${source}\u0000${id}`;

/**
 * The bytes a point brings with its chain (full → incrementals), from the catalog; null when the
 * catalog lacks the point or any size along the chain.
 */
export function chainSizes(
  points: readonly RecoveryPoint[],
): (source: string, id: string) => number | null {
  const byKey = new Map<string, RecoveryPoint>();
  for (const p of points) byKey.set(key(p.source, p.id), p);
  return (source, id) => {
    let total = 0;
    const seen = new Set<string>();
    for (let at: string | null = id; at !== null;) {
      if (seen.has(at)) return null;
      seen.add(at);
      const p = byKey.get(key(source, at));
      if (!p || p.sizeBytes === null) return null;
      total += p.sizeBytes;
      at = p.parent;
    }
    return total;
  };
}

const newestFirst = (a: DrillRecord, b: DrillRecord): number =>
  Date.parse(b.endedAt) - Date.parse(a.endedAt) || (a.logName < b.logName ? 1 : -1);

/** The newest completed drill of each point, with whether it is older than drillEvery. */
export function testedPoints(
  records: readonly DrillRecord[],
  drillEverySeconds: number,
  now: number,
): TestedPoint[] {
  const newest = new Map<string, TestedPoint>();
  for (const d of [...records].filter(provesPoints).sort(newestFirst)) {
    for (const p of d.points) {
      const k = key(p.source, p.pointId);
      if (newest.has(k)) continue;
      newest.set(k, {
        source: p.source,
        pointId: p.pointId,
        service: p.service,
        at: d.endedAt,
        measuredMs: d.measuredMs,
        logPath: d.logPath,
        logName: d.logName,
        runbook: d.runbook,
        stale: now - Date.parse(d.endedAt) > drillEverySeconds * 1000,
      });
    }
  }
  return [...newest.values()];
}

/** The whole history. */
export function drillHistory(input: HistoryInput): DrillHistory {
  const every = input.drillEverySeconds ?? DEFAULT_DRILL_EVERY_SECONDS;
  const sizeOf = chainSizes(input.points);
  const records: DrillRecord[] = [];
  const ignored: IgnoredLog[] = [];
  for (const r of input.results) {
    if ('record' in r) records.push(withSizes(r.record, sizeOf));
    else ignored.push(r.ignored);
  }
  const byRunbook = new Map<string, DrillRecord[]>();
  for (const d of records) byRunbook.set(d.runbook, [...(byRunbook.get(d.runbook) ?? []), d]);
  const known = new Set(input.runbooks.map((r) => r.file));
  const refs: (RunbookRef & { inWorkspace: boolean })[] = [
    ...input.runbooks.map((r) => ({ ...r, inWorkspace: true })),
    ...[...byRunbook.keys()]
      .filter((file) => !known.has(file))
      .sort()
      .map((file) => {
        const latest = [...(byRunbook.get(file) ?? [])].sort(newestFirst)[0];
        return {
          file,
          title: latest?.title ?? file,
          rtoSeconds: latest?.rtoSeconds ?? null,
          inWorkspace: false,
        };
      }),
  ];
  const runbooks: RunbookDrills[] = refs.map((ref) => {
    const drills = [...(byRunbook.get(ref.file) ?? [])].sort(newestFirst);
    const lastOk = drills.find(provesPoints);
    return {
      runbook: ref.file,
      title: ref.title,
      rtoSeconds: ref.rtoSeconds,
      inWorkspace: ref.inWorkspace,
      drills,
      lastSuccess: lastOk?.endedAt ?? null,
      warnings: ref.inWorkspace ? drillWarnings(drills, ref.rtoSeconds, every, input.now) : [],
    };
  });
  return {
    runbooks,
    tested: testedPoints(records, every, input.now),
    ignored,
    drillEverySeconds: every,
    drillEveryDefault: input.drillEverySeconds === null,
    note: null,
  };
}
