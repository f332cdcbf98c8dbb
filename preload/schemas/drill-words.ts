// Drill times in words, shared by main (warnings, findings, predictions) and the console, so the
// Drills section, the catalog and Health say the same thing. No zod here: the renderer imports it.

/** A measured time: "0.4 s", "45 s", "4 m 12 s", "47 m", "1 h 12 m". */
export function drillTime(ms: number): string {
  // Below ten seconds a tenth tells a quick command from nothing at all.
  if (ms > 0 && ms < 9950) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 600) return s % 60 === 0 ? `${s / 60} m` : `${Math.floor(s / 60)} m ${s % 60} s`;
  // From ten minutes on, seconds are noise.
  if (s < 3600) return `${Math.min(59, Math.round(s / 60))} m`;
  const m = Math.round(s / 60);
  return m % 60 === 0 ? `${m / 60} h` : `${Math.floor(m / 60)} h ${m % 60} m`;
}

/** An objective: "1 h", "30 min", "1 h 30 min", "45 s". */
export function rtoWords(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  return m % 60 === 0 ? `${m / 60} h` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** A range of times: "38–52 min" under two hours (whole minutes, at least 1), else "1 h 50 m – 2 h 10 m". */
export function rangeWords(lowMs: number, highMs: number): string {
  if (highMs < 120_000) {
    const lo = Math.max(1, Math.round(lowMs / 1000));
    const hi = Math.max(lo, Math.round(highMs / 1000));
    return lo === hi ? `${lo} s` : `${lo}–${hi} s`;
  }
  if (highMs < 2 * 3_600_000) {
    // Outward to whole minutes, without turning 33.000001 into 34.
    const lo = Math.max(1, Math.floor(lowMs / 60_000 + 1e-6));
    const hi = Math.max(lo, Math.ceil(highMs / 60_000 - 1e-6));
    return lo === hi ? `${lo} min` : `${lo}–${hi} min`;
  }
  return `${drillTime(lowMs)} – ${drillTime(highMs)}`;
}

/** A UTC date: "2026-12-01". */
export const drillDate = (iso: string): string => iso.slice(0, 10);

/** "restored in a drill on 2026-12-01 in 4 m 12 s" (the catalog's Verified column and detail). */
export function testedWords(at: string, measuredMs: number): string {
  return `restored in a drill on ${drillDate(at)} in ${drillTime(measuredMs)}`;
}

/** How often to drill: "30 days", "12 hours", "1 day". */
export function everyWords(seconds: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (seconds >= 86_400 && seconds % 86_400 === 0) return plural(seconds / 86_400, 'day');
  if (seconds >= 3600 && seconds % 3600 === 0) return plural(seconds / 3600, 'hour');
  return drillTime(seconds * 1000);
}
