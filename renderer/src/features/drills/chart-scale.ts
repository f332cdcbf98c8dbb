// Scales and ticks for the drill chart: time across (the drills' dates), measured time up, with
// the RTO always inside the plot. Pure, so it is tested without a DOM.

/** Tick steps for measured time, smallest first (milliseconds). */
const STEPS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 10_800, 21_600, 43_200,
  86_400,
].map((s) => s * 1000);

/** The top of the time axis and its ticks: at most `most` steps above zero, covering `maxMs`. */
export function timeTicks(maxMs: number, most = 5): { top: number; ticks: number[] } {
  const max = Math.max(maxMs, 1000);
  const step =
    STEPS.find((s) => max / s <= most) ?? Math.ceil(max / most / 86_400_000) * 86_400_000;
  const top = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let t = 0; t <= top + 1e-6; t += step) ticks.push(t);
  return { top, ticks };
}

/** A tick's label: "30 s", "5 m", "1 h", "1 h 30 m". */
export function tickLabel(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${s / 60} m`;
  const m = Math.round(s / 60);
  return m % 60 === 0 ? `${m / 60} h` : `${Math.floor(m / 60)} h ${m % 60} m`;
}

/** The date range drawn: the drills' first and last day, at least a week, a little wider. */
export function dateRange(times: readonly number[]): { from: number; to: number } {
  const DAY = 86_400_000;
  if (times.length === 0) return { from: 0, to: 7 * DAY };
  const lo = Math.min(...times);
  const hi = Math.max(...times);
  const span = Math.max(hi - lo, 7 * DAY);
  const middle = (lo + hi) / 2;
  return { from: middle - span * 0.55, to: middle + span * 0.55 };
}

/** Up to `most` whole days between from and to, evenly spread, as epoch milliseconds. */
export function dateTicks(from: number, to: number, most = 6): number[] {
  const DAY = 86_400_000;
  const days = Math.max(1, Math.ceil((to - from) / DAY / most));
  const first = Math.ceil(from / DAY) * DAY;
  const ticks: number[] = [];
  for (let t = first; t <= to; t += days * DAY) ticks.push(t);
  return ticks;
}
