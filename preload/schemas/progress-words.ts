// Progress in words, the same in the console, the CLI and the review report: "120 of 400 files
// (1.2 of 3.4 MiB), about 2 min left". No zod here: the renderer imports this at run time.
import type { StepProgress } from './audit';

/** 1536 → "1.5 KiB". */
export function bytesText(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 || unit === 0 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

/** 95 → "1 min 35 s", 7260 → "2 h 1 min". */
export function secondsText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const m = Math.floor(s / 60);
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
}

/** The share done, 0–1, or null when the total is not known. */
export function progressShare(
  p: Pick<StepProgress, 'done' | 'total' | 'bytesDone' | 'bytesTotal'>,
): number | null {
  if (p.bytesTotal !== null && p.bytesDone !== null && p.bytesTotal > 0)
    return Math.min(1, p.bytesDone / p.bytesTotal);
  if (p.total !== null && p.total > 0) return Math.min(1, p.done / p.total);
  return p.total === 0 ? 1 : null;
}

/** "120 of 400 files (1.2 of 3.4 MiB)", or "120 files (1.2 MiB) so far" without a total. */
export function amountText(p: Omit<StepProgress, 'ts' | 'etaSeconds' | 'detail'>): string {
  const count = (n: number) => (p.unit === 'bytes' ? bytesText(n) : String(n));
  const noun = p.unit === 'bytes' ? '' : ` ${p.unit}`;
  const main =
    p.total === null
      ? `${count(p.done)}${noun} so far`
      : `${count(p.done)} of ${count(p.total)}${noun}`;
  if (p.unit === 'bytes' || p.bytesDone === null) return main;
  const bytes =
    p.bytesTotal === null
      ? bytesText(p.bytesDone)
      : `${bytesText(p.bytesDone)} of ${bytesText(p.bytesTotal)}`;
  return `${main} (${bytes})`;
}

/** The whole line: amount, then the ETA when known. */
export function progressText(p: Omit<StepProgress, 'ts'>): string {
  const eta =
    p.etaSeconds === null
      ? ''
      : p.etaSeconds === 0
        ? ', done'
        : `, about ${secondsText(p.etaSeconds)} left`;
  return `${amountText(p)}${eta}`;
}
