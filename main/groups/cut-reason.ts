// Why a cut is, or is not, consistent, in words a tired engineer can act on.
import { formatDuration, formatInstant } from './time';

/** The facts about one member that a reason needs. */
export type ReasonMember = {
  service: string;
  time: number;
  exact: boolean;
  windowId: string | null;
};

/** Consistent or not, and the sentence that says why. */
export type Verdict = { consistent: boolean; reason: string };

/**
 * Judge a cut: consistent when the spread of the members' times is within tolerance, or when
 * the members share a logical snapshot id (taken together by construction).
 */
export function judgeCut(
  members: readonly ReasonMember[],
  toleranceMs: number,
  snapshotId: string | null,
): Verdict {
  if (members.length === 0) return { consistent: false, reason: 'the group has no members' };
  const sorted = [...members].sort((a, b) => a.time - b.time);
  const oldest = sorted[0] as ReasonMember;
  const newest = sorted[sorted.length - 1] as ReasonMember;
  const skew = newest.time - oldest.time;
  const tol = `tolerance ${formatDuration(toleranceMs)}`;
  if (snapshotId !== null) {
    const spread = skew > 0 ? `, ${formatDuration(skew)} apart` : '';
    return {
      consistent: true,
      reason: `all ${members.length} members were taken together as snapshot ${snapshotId}${spread}`,
    };
  }
  if (skew <= toleranceMs) {
    if (members.length === 1)
      return { consistent: true, reason: `single member ${oldest.service}` };
    if (skew === 0) {
      const how = members.some((m) => m.exact) ? 'meet' : 'were taken at';
      return {
        consistent: true,
        reason: `all ${members.length} members ${how} ${formatInstant(newest.time)}`,
      };
    }
    return {
      consistent: true,
      reason: `all ${members.length} members within ${formatDuration(skew)} of each other (${tol})`,
    };
  }
  // One laggard and a tight rest is the common story: name it.
  const rest = sorted.slice(1);
  const restSpread = newest.time - (rest[0] as ReasonMember).time;
  if (rest.length >= 1 && restSpread <= toleranceMs) {
    const what = oldest.windowId !== null ? 'window ends' : 'point is';
    const than = rest.length === 1 ? (rest[0] as ReasonMember).service : 'the rest';
    return {
      consistent: false,
      reason: `${oldest.service} ${what} ${formatDuration(skew)} older than ${than} (${tol})`,
    };
  }
  const second = sorted[sorted.length - 2] as ReasonMember;
  if (newest.time - second.time > toleranceMs && second.time - oldest.time <= toleranceMs) {
    return {
      consistent: false,
      reason: `${newest.service} is ${formatDuration(newest.time - second.time)} newer than the rest (${tol})`,
    };
  }
  return {
    consistent: false,
    reason:
      `members span ${formatDuration(skew)}: ${oldest.service} at ${formatInstant(oldest.time)}, ` +
      `${newest.service} at ${formatInstant(newest.time)} (${tol})`,
  };
}
