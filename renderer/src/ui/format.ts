// Formatting for people: durations, sizes and times as an engineer reads them.

/** 5400 → "1h 30m"; 45 → "45s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  const s = Math.round(Math.abs(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  const parts = d
    ? [`${d}d`, h ? `${h}h` : '']
    : h
      ? [`${h}h`, m ? `${m}m` : '']
      : m
        ? [`${m}m`, r ? `${r}s` : '']
        : [`${r}s`];
  return parts.filter(Boolean).join(' ');
}

/** 1536 → "1.5 KiB". */
export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 || unit === 0 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

/** An instant in UTC, to the minute: "2026-11-26 02:14 UTC". */
export function formatTime(iso: string | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "3h ago" / "in 5m", relative to now. */
export function formatAgo(iso: string | null, now = Date.now()): string {
  if (!iso) return 'never';
  const delta = (now - new Date(iso).getTime()) / 1000;
  return delta >= 0 ? `${formatDuration(delta)} ago` : `in ${formatDuration(-delta)}`;
}
