// A blast radius in words, the same in the console, the CLI, the log's output and the review
// report. No zod here: the renderer imports this at run time.
import type { BlastRadius, RadiusPart } from './s3';

/** 1536 → "1.5 KiB". */
function bytesWords(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 || unit === 0 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

type Kind = 'overwrite' | 'bringBack' | 'create' | 'hide' | 'leave';

/** The verb of each kind, by operation: a download writes files, a restore changes keys. */
export function kindWords(kind: Kind, action: BlastRadius['action']): string {
  const file = action === 'download';
  // A check writes nothing: its kinds are differences from T.
  if (action === 'prefix-equals-instant') return CHECK_WORDS[kind];
  switch (kind) {
    case 'overwrite':
      return file ? 'overwritten' : 'overwritten with their version at T';
    case 'bringBack':
      return 'brought back (deleted after T)';
    case 'create':
      return file ? 'written (new files)' : 'created (missing at the destination)';
    case 'hide':
      return 'hidden by a delete marker (born after T; no version is deleted)';
    case 'leave':
      return 'left alone (already as at T)';
  }
}

const CHECK_WORDS: Record<Kind, string> = {
  overwrite: 'hold other bytes than at T',
  bringBack: 'missing (deleted after T)',
  create: 'missing',
  hide: 'listed now, not at T',
  leave: 'as at T',
};

/** The kinds in the order people read them: what changes first. */
export const RADIUS_KINDS: Kind[] = ['overwrite', 'bringBack', 'create', 'hide', 'leave'];

/** "120 keys (3.4 MiB)". */
export function partWords(part: RadiusPart, unit: string): string {
  const noun = part.count === 1 ? unit.replace(/s$/, '') : unit;
  return `${part.count} ${noun}${part.bytes > 0 ? ` (${bytesWords(part.bytes)})` : ''}`;
}

/** One line: "12 keys overwritten, 3 hidden, 1 brought back, 184 left alone". */
export function radiusLine(r: BlastRadius): string {
  const unit = r.action === 'download' ? 'files' : 'keys';
  const short: Record<Kind, string> = {
    overwrite: 'overwritten',
    bringBack: 'brought back',
    create: r.action === 'download' ? 'written' : 'created',
    hide: 'hidden',
    leave: 'left alone',
  };
  const parts = RADIUS_KINDS.filter((k) => r[k].count > 0 || k === 'leave').map(
    (k) => `${partWords(r[k], unit)} ${short[k]}`,
  );
  return `${parts.join(', ')} — ${r.where} as at ${r.at}`;
}

/** Every line of the radius: the summary, each kind with its first keys, the warnings. */
export function radiusLines(r: BlastRadius): string[] {
  const unit = r.action === 'download' ? 'files' : 'keys';
  const lines = [`Blast radius: ${radiusLine(r)} (${r.listed} versions listed).`];
  for (const kind of RADIUS_KINDS) {
    const part = r[kind];
    if (part.count === 0) continue;
    const more = part.count > part.first.length ? `, … ${part.count - part.first.length} more` : '';
    lines.push(
      `  ${partWords(part, unit)} ${kindWords(kind, r.action)}: ${part.first.map((k) => JSON.stringify(k)).join(', ')}${more}`,
    );
  }
  for (const warning of r.warnings) lines.push(`  ${warning}`);
  return lines;
}

/** True when nothing would change. */
export function radiusIsEmpty(r: BlastRadius): boolean {
  return r.overwrite.count + r.bringBack.count + r.create.count + r.hide.count === 0;
}

/** A prefix check in words: whether it lists what it did at T, and the first differences. */
export function verifyLines(r: BlastRadius): string[] {
  const differ = r.overwrite.count + r.bringBack.count + r.create.count + r.hide.count;
  if (differ === 0)
    return [
      `${r.where} lists exactly what it listed at ${r.at}: ${r.leave.count} keys, the same hashes.`,
    ];
  const lines = [
    `${differ} keys of ${r.where} differ from what it listed at ${r.at} (${r.leave.count} match):`,
  ];
  const say = (part: RadiusPart, why: string) => {
    if (part.count > 0)
      lines.push(
        `  ${part.count} ${why}: ${part.first.map((k) => JSON.stringify(k)).join(', ')}${part.count > part.first.length ? ', …' : ''}`,
      );
  };
  say(r.overwrite, 'hold other bytes than at T');
  say(
    {
      ...r.create,
      count: r.create.count + r.bringBack.count,
      first: [...r.bringBack.first, ...r.create.first].slice(0, 5),
    },
    'are missing',
  );
  say(r.hide, 'are listed now but were not at T');
  return lines;
}
