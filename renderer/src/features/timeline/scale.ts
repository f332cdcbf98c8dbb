// Time ↔ pixels for the timeline, and tick marks from years down to seconds. Pure, so it is tested alone.

/** The visible time range mapped onto a width in pixels. */
export type View = { start: number; end: number; width: number };

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The shortest and longest spans the view may show. */
export const MIN_SPAN = 10 * SECOND;
export const MAX_SPAN = 20 * 365 * DAY;

/** Pixel x of an instant (may fall outside 0..width). */
export const xOf = (view: View, t: number): number =>
  ((t - view.start) / (view.end - view.start)) * view.width;

/** Instant at pixel x. */
export const timeAt = (view: View, x: number): number =>
  view.start + (x / view.width) * (view.end - view.start);

/** Zoom by a factor around the instant under pixel x (factor < 1 zooms in). */
export function zoom(view: View, factor: number, x: number): View {
  const span = view.end - view.start;
  const next = Math.min(MAX_SPAN, Math.max(MIN_SPAN, span * factor));
  const anchor = timeAt(view, x);
  const ratio = x / view.width;
  return { ...view, start: anchor - ratio * next, end: anchor + (1 - ratio) * next };
}

/** Pan by a number of pixels (positive moves later in time). */
export function pan(view: View, dx: number): View {
  const dt = (dx / view.width) * (view.end - view.start);
  return { ...view, start: view.start + dt, end: view.end + dt };
}

/** A view that shows [from, to] with a margin on both sides. */
export function fit(from: number, to: number, width: number): View {
  const span = Math.max(MIN_SPAN, to - from);
  const margin = span * 0.04;
  return { start: from - margin, end: from + span + margin, width };
}

const steps: [number, (d: Date) => string][] = [
  [SECOND, (d) => d.toISOString().slice(11, 19)],
  [5 * SECOND, (d) => d.toISOString().slice(11, 19)],
  [15 * SECOND, (d) => d.toISOString().slice(11, 19)],
  [MINUTE, (d) => d.toISOString().slice(11, 16)],
  [5 * MINUTE, (d) => d.toISOString().slice(11, 16)],
  [15 * MINUTE, (d) => d.toISOString().slice(11, 16)],
  [HOUR, (d) => d.toISOString().slice(11, 16)],
  [3 * HOUR, (d) => d.toISOString().slice(11, 16)],
  [6 * HOUR, (d) => d.toISOString().slice(5, 16).replace('T', ' ')],
  [DAY, (d) => d.toISOString().slice(5, 10)],
  [7 * DAY, (d) => d.toISOString().slice(5, 10)],
  [30 * DAY, (d) => d.toISOString().slice(0, 7)],
  [91 * DAY, (d) => d.toISOString().slice(0, 7)],
  [365 * DAY, (d) => d.toISOString().slice(0, 4)],
];

/** Tick marks at a round step giving at least `minGap` pixels between labels (UTC). */
export function ticks(view: View, minGap = 90): { t: number; label: string }[] {
  const span = view.end - view.start;
  const wanted = (span / view.width) * minGap;
  const [step, label] = steps.find(([s]) => s >= wanted) ?? steps[steps.length - 1]!;
  const out: { t: number; label: string }[] = [];
  const first = Math.ceil(view.start / step) * step;
  for (let t = first; t <= view.end && out.length < 500; t += step)
    out.push({ t, label: label(new Date(t)) });
  return out;
}

/** Index of the first element of a sorted array that is ≥ x (binary search). */
export function lowerBound(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
