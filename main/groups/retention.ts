// Retention drift: does the history kept match the service's policy (grandfather-father-son tiers)?
import type { Finding } from '../../preload/schemas/groups';
import type { RetentionPolicy } from '../workspace/types';
import { coversAny } from './coverage';
import type { ServiceFacts } from './findings-schedule';
import { DAY_MS, formatDuration, formatInstant } from './time';

/** The default tiers, in days: daily 30 d, weekly 3 months, monthly 1 year, yearly 7 years. */
export const DEFAULT_RETENTION: RetentionPolicy = {
  daily: 30,
  weekly: 91,
  monthly: 365,
  yearly: 7 * 365,
};

type Tier = { name: string; word: string; periodMs: number; keepDays: number };

/** Tiers finest first; a tier of 0 days is not used. */
function tiersOf(policy: RetentionPolicy): Tier[] {
  return [
    { name: 'daily', word: 'days', periodMs: DAY_MS, keepDays: policy.daily },
    { name: 'weekly', word: 'weeks', periodMs: 7 * DAY_MS, keepDays: policy.weekly },
    { name: 'monthly', word: 'months', periodMs: 30.44 * DAY_MS, keepDays: policy.monthly },
    { name: 'yearly', word: 'years', periodMs: 365.25 * DAY_MS, keepDays: policy.yearly },
  ].filter((t) => t.keepDays > 0);
}

/**
 * Compare the restorable history with the policy:
 * - each tier must have a point in every period it keeps (dailies over the last 30 days, then
 *   weeklies back to 3 months, ...), counted only where history exists and never for the
 *   current, unfinished period;
 * - history shorter than the longest tier means points were pruned too early (or the service
 *   is new): a warning that says both;
 * - points far older than the longest tier cost money: info.
 */
export function retentionFindings(
  f: ServiceFacts,
  policy: RetentionPolicy = DEFAULT_RETENTION,
): Finding[] {
  const h = f.history;
  const oldest = h.first;
  if (oldest === Infinity) return [];
  const name = f.service.name;
  const tiers = tiersOf(policy);
  if (tiers.length === 0) return [];
  const out: Finding[] = [];
  let coveredUntilDays = 0; // the finer tiers already cover [now - this, now]
  for (const tier of tiers) {
    if (tier.keepDays <= coveredUntilDays) continue;
    const from = f.now - tier.keepDays * DAY_MS;
    const to = f.now - coveredUntilDays * DAY_MS;
    let checked = 0;
    let missing = 0;
    let newestMissing = -Infinity;
    // Periods are counted back from now; period 0 (the current one) may still get its backup.
    for (let k = 1; ; k++) {
      const end = f.now - k * tier.periodMs;
      const start = end - tier.periodMs;
      if (end <= from || start < oldest) break;
      if (end > to) continue;
      checked++;
      if (!coversAny(h, start, end)) {
        missing++;
        newestMissing = Math.max(newestMissing, start);
      }
    }
    if (missing > 0) {
      out.push({
        severity: 'warning',
        service: name,
        kind: 'retention-drift',
        message:
          `${name} has no ${tier.name} point in ${missing} of the ${checked} ${tier.word} its policy keeps ` +
          `(the newest missing starts ${formatInstant(newestMissing)}).`,
      });
    }
    coveredUntilDays = tier.keepDays;
  }
  const longest = tiers[tiers.length - 1] as Tier;
  const kept = f.now - oldest;
  const wanted = longest.keepDays * DAY_MS;
  if (kept < wanted - DAY_MS) {
    out.push({
      severity: 'warning',
      service: name,
      kind: 'retention-drift',
      message:
        `${name} keeps ${formatDuration(kept)} of history (oldest ${formatInstant(oldest)}), but its ` +
        `policy keeps ${longest.name} points for ${formatDuration(wanted)}: older points were pruned, or the service is new.`,
    });
  } else if (kept > wanted + longest.periodMs) {
    out.push({
      severity: 'info',
      service: name,
      kind: 'retention-drift',
      message:
        `${name} keeps points back to ${formatInstant(oldest)} (${formatDuration(kept)}), longer than its ` +
        `policy's ${formatDuration(wanted)}: pruning them would save storage.`,
    });
  }
  return out;
}
