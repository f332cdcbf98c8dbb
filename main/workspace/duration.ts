// Durations as people write them in dapple.yaml and runbooks: 30s, 5m, 1h30m, 7d, 2w.

// Units from largest to smallest; each may appear at most once, in this order.
const UNIT_SECONDS: Record<string, number> = { w: 604_800, d: 86_400, h: 3_600, m: 60, s: 1 };

/** The pattern the JSON Schemas use for a duration (kept in sync with parseDuration). */
export const DURATION_PATTERN = '^(?=\\d)(\\d+w)?(\\d+d)?(\\d+h)?(\\d+m)?(\\d+s)?$';

const DURATION_RE = new RegExp(DURATION_PATTERN);

/** Parse a duration such as "1h30m" into seconds; null when the text is not a duration. */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim();
  const match = DURATION_RE.exec(trimmed);
  if (!match) return null;
  let seconds = 0;
  for (const part of match.slice(1)) {
    if (part === undefined) continue;
    const unit = part.slice(-1);
    seconds += Number(part.slice(0, -1)) * (UNIT_SECONDS[unit] ?? 0);
  }
  return Number.isSafeInteger(seconds) ? seconds : null;
}

/** Write seconds back as the shortest duration text, e.g. 5400 → "1h30m", 0 → "0s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return '0s';
  let rest = Math.round(seconds);
  let text = '';
  for (const [unit, size] of Object.entries(UNIT_SECONDS)) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      text += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return text;
}
