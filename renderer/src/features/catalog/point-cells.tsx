// The points table's columns: header text, width and how each cell reads. Warnings are words
// (a badge that says what is wrong), colour only repeats them.
import type { ReactNode } from 'react';
import type { RecoveryPoint } from '../../../../preload/schemas/catalog';
import type { SortKey } from '../../store/catalog-slice';
import { Badge } from '../../ui/badge';
import { formatAgo, formatBytes } from '../../ui/format';

/** Fewer copies than this is flagged (the 3 of the 3-2-1 rule). */
export const MIN_COPIES = 3;

/** "2026-11-26 02:14" (UTC, the column header says so). */
export const shortTime = (iso: string | null): string => {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  return Number.isNaN(ms)
    ? iso.slice(0, 40)
    : new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
};

/** Long or hostile text cut for a cell or a tooltip (the detail panel shows it whole). */
export const clipText = (text: string, max = 300): string =>
  text.length > max ? `${text.slice(0, max)}…` : text;

/** One column of the points table. */
export type Column = {
  key: SortKey;
  label: string;
  render: (point: RecoveryPoint, broken: boolean) => ReactNode;
  /** Plain text for the cell's tooltip (long values are cut in the cell). */
  title?: (point: RecoveryPoint) => string;
};

/** "copies" in words: count, flag when under MIN_COPIES, then the backend names. */
export function CopiesCell({ copies }: { copies: string[] }) {
  const few = copies.length < MIN_COPIES;
  return (
    <>
      {few ? (
        <Badge tone="warn" title={`Fewer than ${MIN_COPIES} copies`}>
          only {copies.length}
        </Badge>
      ) : (
        <span className="pt-count">{copies.length}</span>
      )}{' '}
      <span className="muted">{copies.join(', ') || 'no backend'}</span>
    </>
  );
}

/** Immutability in words: the lock mode and until when, or a flag that there is none. */
export function LockCell({ point }: { point: RecoveryPoint }) {
  const lock = point.immutable;
  if (!lock) return <Badge tone="warn">not immutable</Badge>;
  const until = lock.retainUntil ? shortTime(lock.retainUntil).slice(0, 10) : 'no end date';
  return (
    <>
      <Badge tone="ok">{lock.mode.replace('_', ' ').toLowerCase()}</Badge>{' '}
      <span className="muted">
        {lock.legalHold && lock.mode !== 'LEGAL_HOLD' ? 'legal hold ' : ''}
        {until}
      </span>
    </>
  );
}

/** The table's columns, in order. */
export const columns: Column[] = [
  {
    key: 'service',
    label: 'Service',
    render: (p) => p.service,
    title: (p) => `${p.service} (source ${p.source})`,
  },
  { key: 'time', label: 'Time (UTC)', render: (p) => shortTime(p.time) },
  { key: 'kind', label: 'Kind', render: (p) => p.kind },
  {
    key: 'parent',
    label: 'Chain parent',
    render: (p, broken) => (
      <>
        {broken ? <Badge tone="danger">broken chain</Badge> : null}{' '}
        <span className="muted">{p.parent === null ? '—' : clipText(p.parent, 40)}</span>
      </>
    ),
    title: (p) => (p.parent === null ? 'No parent' : `Parent: ${clipText(p.parent)}`),
  },
  { key: 'size', label: 'Size', render: (p) => formatBytes(p.sizeBytes) },
  {
    key: 'copies',
    label: 'Copies',
    render: (p) => <CopiesCell copies={p.copies} />,
    title: (p) => `${p.copies.length} copies: ${clipText(p.copies.join(', '))}`,
  },
  {
    key: 'immutable',
    label: 'Immutable until',
    render: (p) => <LockCell point={p} />,
    title: (p) =>
      p.immutable
        ? `${p.immutable.mode}${p.immutable.retainUntil ? ` until ${p.immutable.retainUntil}` : ''}${p.immutable.legalHold ? ', legal hold' : ''}`
        : 'Not immutable: it can be deleted or changed',
  },
  {
    key: 'verified',
    label: 'Verified',
    render: (p) =>
      p.lastVerified ? formatAgo(p.lastVerified) : <span className="warn-text">never tested</span>,
  },
  {
    key: 'tags',
    label: 'Tags',
    render: (p) => clipText(p.tags.join(', '), 120),
    title: (p) => clipText(p.tags.join(', ')),
  },
];
