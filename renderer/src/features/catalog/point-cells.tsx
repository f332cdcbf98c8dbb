// The points table's columns: header text and how each cell reads, straight from catalog.get's
// columns by row (no point object per row). Warnings are words (a badge that says what is
// wrong), colour only repeats them. Every cell keeps the same elements whatever its row says, so
// a table slot that takes another row while scrolling changes text and classes, not elements.
import type { ReactNode } from 'react';
import { POINT_KINDS } from '../../../../preload/schemas/values';
import { LEGAL_HOLD_BIT, LOCK_MODES, parentOf } from '../../../../preload/schemas/catalog-columns';
import type { SortKey } from '../../store/catalog-slice';
import { formatAgo, formatBytes } from '../../ui/format';
import type { PointIndex } from './query';
import type { TestedPoint } from '../../../../preload/schemas/drills';
import { drillDate, testedWords } from '../../../../preload/schemas/drill-words';

/**
 * The drill that tested row `i`, when it is newer than the source's own record of a test restore
 * (a completed drill whose log verified VALID; see tested.ts).
 */
export function drillTest(index: PointIndex, i: number): TestedPoint | null {
  const t = index.tested?.get(i);
  if (!t) return null;
  const own = index.columns.lastVerified[i] ?? null;
  return own !== null && own > Date.parse(t.at) ? null : t;
}

/** Fewer copies than this is flagged (the 3 of the 3-2-1 rule). */
export const MIN_COPIES = 3;

/** "2026-11-26 02:14" (UTC, the column header says so) from epoch milliseconds. */
const shortMs = (ms: number | null | undefined): string =>
  ms === null || ms === undefined || !Number.isFinite(ms)
    ? '—'
    : new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

/** "2026-11-26 02:14" (UTC, the column header says so). */
export const shortTime = (iso: string | null): string => {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso.slice(0, 40) : shortMs(ms);
};

/** Long or hostile text cut for a cell or a tooltip (the detail panel shows it whole). */
export const clipText = (text: string, max = 300): string =>
  text.length > max ? `${text.slice(0, max)}…` : text;

/** One column of the points table; `i` is the row in the catalog's columns. */
export type Column = {
  key: SortKey;
  label: string;
  render: (index: PointIndex, i: number, broken: boolean) => ReactNode;
  /** Plain text for the cell's tooltip (long values are cut in the cell). */
  title?: (index: PointIndex, i: number) => string;
};

const text = (index: PointIndex, at: number | undefined): string =>
  index.columns.strings[at ?? -1] ?? '';
const list = (index: PointIndex, at: number | undefined): string[] => index.lists[at ?? -1] ?? [];

/** A badge that is there or not: the element stays (empty and hidden) so slots keep their shape. */
function Flag(props: { tone: string; shown: boolean; children: string }) {
  return (
    <span
      className={`badge badge-${props.tone}`}
      style={props.shown ? undefined : { display: 'none' }}
    >
      {props.shown ? props.children : ''}
    </span>
  );
}

function copiesCell(index: PointIndex, i: number): ReactNode {
  const copies = list(index, index.columns.copies[i]);
  const few = copies.length < MIN_COPIES;
  return (
    <>
      <span
        className={few ? 'badge badge-warn' : 'pt-count'}
        title={few ? `Fewer than ${MIN_COPIES} copies` : undefined}
      >
        {few ? `only ${copies.length}` : String(copies.length)}
      </span>
      <span className="muted">{` ${copies.join(', ') || 'no backend'}`}</span>
    </>
  );
}

function lockCell(index: PointIndex, i: number): ReactNode {
  const c = index.columns;
  const lock = c.lock[i] ?? -1;
  const mode = lock < 0 ? null : (LOCK_MODES[lock % LEGAL_HOLD_BIT] ?? 'WORM');
  const retain = c.retainUntil[i] ?? null;
  const until = retain === null ? 'no end date' : shortMs(retain).slice(0, 10);
  return (
    <>
      <span className={`badge badge-${mode ? 'ok' : 'warn'}`}>
        {mode ? mode.replace('_', ' ').toLowerCase() : 'not immutable'}
      </span>
      <span className="muted">
        {mode
          ? ` ${lock >= LEGAL_HOLD_BIT && mode !== 'LEGAL_HOLD' ? 'legal hold ' : ''}${until}`
          : ''}
      </span>
    </>
  );
}

function lockTitle(index: PointIndex, i: number): string {
  const c = index.columns;
  const lock = c.lock[i] ?? -1;
  if (lock < 0) return 'Not immutable: it can be deleted or changed';
  const retain = c.retainUntil[i] ?? null;
  return `${LOCK_MODES[lock % LEGAL_HOLD_BIT] ?? 'WORM'}${retain === null ? '' : ` until ${new Date(retain).toISOString()}`}${lock >= LEGAL_HOLD_BIT ? ', legal hold' : ''}`;
}

/** The table's columns, in order. */
export const columns: Column[] = [
  {
    key: 'service',
    label: 'Service',
    render: (x, i) => text(x, x.columns.service[i]),
    title: (x, i) => `${text(x, x.columns.service[i])} (source ${text(x, x.columns.source[i])})`,
  },
  {
    key: 'group',
    label: 'Group',
    render: (x, i) => x.groupsOf[x.columns.service[i] ?? -1]?.join(', ') || '—',
  },
  { key: 'time', label: 'Time (UTC)', render: (x, i) => shortMs(x.columns.time[i]) },
  { key: 'kind', label: 'Kind', render: (x, i) => POINT_KINDS[x.columns.kind[i] ?? 0] },
  {
    key: 'parent',
    label: 'Chain parent',
    render: (x, i, broken) => {
      const parent = parentOf(x.columns, i);
      return (
        <>
          <Flag tone="danger" shown={broken}>
            broken chain
          </Flag>
          <span className="muted">{` ${parent === null ? '—' : clipText(parent, 40)}`}</span>
        </>
      );
    },
    title: (x, i) => {
      const parent = parentOf(x.columns, i);
      return parent === null ? 'No parent' : `Parent: ${clipText(parent)}`;
    },
  },
  { key: 'size', label: 'Size', render: (x, i) => formatBytes(x.columns.sizeBytes[i] ?? null) },
  {
    key: 'copies',
    label: 'Copies',
    render: copiesCell,
    title: (x, i) => {
      const copies = list(x, x.columns.copies[i]);
      return `${copies.length} copies: ${clipText(copies.join(', '))}`;
    },
  },
  { key: 'immutable', label: 'Immutable until', render: lockCell, title: lockTitle },
  {
    key: 'verified',
    label: 'Verified',
    render: (x, i) => {
      const t = drillTest(x, i);
      const ms = x.columns.lastVerified[i] ?? null;
      const text = t
        ? `${t.stale ? 'stale' : '✓'} drill ${drillDate(t.at).slice(5)}`
        : ms === null
          ? 'never tested'
          : formatAgo(new Date(ms).toISOString());
      const tone = t ? (t.stale ? 'warn-text' : 'ok-text') : ms === null ? 'warn-text' : '';
      return <span className={`tested-cell ${tone}`}>{text}</span>;
    },
    title: (x, i) => {
      const t = drillTest(x, i);
      if (!t)
        return x.columns.lastVerified[i] == null
          ? 'Never test-restored'
          : 'Test restore recorded by the source';
      const words = testedWords(t.at, t.measuredMs);
      return `${words[0]?.toUpperCase() ?? ''}${words.slice(1)} (${t.logName})${t.stale ? '; older than drillEvery, so stale' : ''}`;
    },
  },
  {
    key: 'tags',
    label: 'Tags',
    render: (x, i) => clipText(list(x, x.columns.tags[i]).join(', '), 120),
    title: (x, i) => clipText(list(x, x.columns.tags[i]).join(', ')),
  },
];
