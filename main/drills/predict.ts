// How long a restore should take, from the completed drills of the same runbook: the time their
// commands ran scales with the bytes to restore, the time people took (reading, approving,
// typing) does not. Pure: the Restore section's plan shows it before a session starts.
import type { DrillRecord, RestorePrediction } from '../../preload/schemas/drills';
import { drillDate, rangeWords, rtoWords } from '../../preload/schemas/drill-words';
import { formatBytes } from '../groups/findings';
import { provesPoints } from './fold';

/** The newest this many completed drills are read. */
export const PREDICT_DRILLS = 5;
/** A range is at least this share of its middle wide (±10%): one drill is not a promise. */
export const MIN_SPREAD = 0.2;

/** One drill's time for `bytes`: people's time as it was, command time scaled by size. */
export function scaledTime(d: DrillRecord, bytes: number | null): number {
  let running = 0;
  for (const s of d.steps) running += s.runningMs;
  running = Math.min(running, d.measuredMs);
  const factor = bytes !== null && d.bytes !== null && d.bytes > 0 ? bytes / d.bytes : 1;
  return d.measuredMs - running + running * factor;
}

/**
 * The predicted duration of a restore of `bytes` (null when unknown) by this runbook, from its
 * past sessions (any order; only completed drills count), against the RTO.
 */
export function predictRestore(
  sessions: readonly DrillRecord[],
  bytes: number | null,
  rtoSeconds: number | null,
): RestorePrediction {
  const drills = sessions
    .filter(provesPoints)
    .sort((a, b) => Date.parse(b.endedAt) - Date.parse(a.endedAt))
    .slice(0, PREDICT_DRILLS);
  const rto = rtoSeconds === null ? 'no RTO set' : `RTO ${rtoWords(rtoSeconds)}`;
  if (drills.length === 0)
    return {
      lowMs: null,
      highMs: null,
      drills: 0,
      rtoSeconds,
      overRto: false,
      summary: `no prediction: this runbook has no completed drill yet; ${rto}`,
      basis:
        'A completed drill of this runbook measures how long it takes; run one to get a prediction.',
    };
  const times = drills.map((d) => scaledTime(d, bytes));
  let low = Math.min(...times);
  let high = Math.max(...times);
  const middle = (low + high) / 2;
  if (high - low < MIN_SPREAD * middle) {
    low = middle * (1 - MIN_SPREAD / 2);
    high = middle * (1 + MIN_SPREAD / 2);
  }
  const overRto = rtoSeconds !== null && high > rtoSeconds * 1000;
  const scaled = bytes !== null && drills.some((d) => d.bytes !== null && d.bytes > 0);
  const dates = drills.map((d) => drillDate(d.endedAt)).join(', ');
  const then = drills.flatMap((d) => (d.bytes === null ? [] : [d.bytes]));
  const sizes = scaled
    ? `, their command time scaled by size (${formatBytes(bytes)} now; ${formatBytes(Math.min(...then))}${Math.max(...then) !== Math.min(...then) ? `–${formatBytes(Math.max(...then))}` : ''} then)`
    : bytes === null
      ? ' (the size of this restore is not known, so they are not scaled)'
      : ' (the size of those drills is not known, so they are not scaled)';
  return {
    lowMs: Math.round(low),
    highMs: Math.round(high),
    drills: drills.length,
    rtoSeconds,
    overRto,
    summary: `predicted ${rangeWords(low, high)}; ${rto}${overRto ? ' — it may run over' : ''}`,
    basis: `From ${drills.length} completed drill${drills.length === 1 ? '' : 's'} of this runbook (${dates})${sizes}.`,
  };
}
