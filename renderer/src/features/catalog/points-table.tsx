// The virtualised table of points: only the rows in view are in the DOM, so 100,000 points
// scroll smoothly. Rows have a fixed height, so the rows in view follow from scrollTop alone (no
// measuring), and each row element is a slot reused for whichever row scrolls into it: dragging
// the scrollbar across the whole catalog changes text, it does not build and tear down rows.
// Arrow keys move the active row, Enter opens its details.
import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
} from 'react';
import { flushSync } from 'react-dom';
import type { RecoveryPoint } from '../../../../preload/schemas/catalog';
import type { CatalogSort } from '../../store/catalog-slice';
import { pointKey } from './chain';
import { columns } from './point-cells';
import { pointOf, type PointIndex } from './query';

/** Row height in pixels (fixed: the rows in view follow from the scroll position). */
export const ROW_HEIGHT = 36;
/** The sticky header row's height plus the table's borders. */
const HEADER_HEIGHT = 40;
/** Rows rendered beyond each edge of the view, so a slow scroll never shows a gap. */
const OVERSCAN = 2;
/** Full rows come back this long after the last big jump of a scrollbar drag. */
const SETTLE_MS = 150;
/** The columns a light row shows while the scrollbar is dragged. */
const LIGHT = new Set(['service', 'time', 'kind']);

/** Props of the points table. */
export type PointsTableProps = {
  index: PointIndex;
  rows: Int32Array;
  sort: CatalogSort;
  /** False while only the newest points are in: the headers do not sort (they say why). */
  sortable: boolean;
  /** The point whose details are open (its row is marked). */
  openKey: string | null;
  onSort: (key: CatalogSort['key']) => void;
  onOpen: (point: RecoveryPoint) => void;
};

type RowProps = {
  /** The row's place in the table (sorted and filtered). */
  row: number;
  index: PointIndex;
  /** The row in the catalog's columns. */
  i: number;
  broken: boolean;
  active: boolean;
  open: boolean;
  /** Only the light columns (the scrollbar is being dragged). */
  light: boolean;
  onPick: (row: number, i: number) => void;
};

/** One row; memoised so a small scroll re-renders only the slot that took a new row. */
const PointRow = memo(function PointRow(props: RowProps) {
  const { row, index, i, broken, active, open, light, onPick } = props;
  const classes = ['pt-row'];
  if (active) classes.push('pt-active');
  if (open) classes.push('pt-open');
  if (broken) classes.push('pt-broken');
  return (
    <div
      id={`pt-row-${row}`}
      role="row"
      aria-rowindex={row + 2}
      aria-selected={open}
      className={classes.join(' ')}
      style={{ transform: `translateY(${row * ROW_HEIGHT}px)` }}
      onClick={() => onPick(row, i)}
    >
      {columns.map((c) => (
        <div
          key={c.key}
          role="gridcell"
          className={`pt-cell pt-${c.key}`}
          title={c.title && !light ? c.title(index, i) : undefined}
        >
          {light && !LIGHT.has(c.key) ? null : c.render(index, i, broken)}
        </div>
      ))}
    </div>
  );
});

/** The first row in view and how many rows fit, from the scroll element. */
function viewOf(el: HTMLElement | null): { first: number; fit: number } {
  if (!el) return { first: 0, fit: 20 };
  return {
    first: Math.floor(el.scrollTop / ROW_HEIGHT),
    fit: Math.ceil(el.clientHeight / ROW_HEIGHT) + 1,
  };
}

/** The points table. */
export function PointsTable(props: PointsTableProps) {
  const { index, rows, sort, sortable, openKey, onSort, onOpen } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const [view, setView] = useState({ first: 0, fit: 20, fast: false });
  const viewRef = useRef(view);
  const settle = useRef<ReturnType<typeof setTimeout> | null>(null);

  // Follow the scroll position. flushSync: the new rows are painted in the same frame as the
  // scroll, so a fast scrollbar drag never shows an empty table. A jump of more than a screen
  // (dragging the scrollbar) shows light rows (service, time, kind) until the scrolling settles:
  // the full cells cost most of each frame's layout and nobody reads them as they fly by.
  const follow = useCallback(() => {
    const seen = viewOf(scrollRef.current);
    const last = viewRef.current;
    const jump = Math.abs(seen.first - last.first) > seen.fit;
    const fast = jump || (last.fast && seen.first !== last.first);
    if (seen.first === last.first && seen.fit === last.fit && fast === last.fast) return;
    if (fast) {
      if (settle.current) clearTimeout(settle.current);
      settle.current = setTimeout(() => {
        settle.current = null;
        viewRef.current = { ...viewRef.current, fast: false };
        setView(viewRef.current);
      }, SETTLE_MS);
    }
    const next = { ...seen, fast };
    viewRef.current = next;
    flushSync(() => setView(next));
  }, []);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return undefined;
    follow();
    el.addEventListener('scroll', follow, { passive: true });
    const resized = new ResizeObserver(follow);
    resized.observe(el);
    return () => {
      el.removeEventListener('scroll', follow);
      resized.disconnect();
      if (settle.current) clearTimeout(settle.current);
    };
  }, [follow]);
  // A shorter list (a filter) may leave the scroll position past its end: read it again.
  useLayoutEffect(() => follow(), [rows, follow]);

  // Stable for the memoised rows; reads the latest onOpen through a ref.
  const openRef = useRef(onOpen);
  useEffect(() => {
    openRef.current = onOpen;
  }, [onOpen]);
  const indexRef = useRef(index);
  useEffect(() => {
    indexRef.current = index;
  }, [index]);
  const onPick = useCallback((row: number, i: number) => {
    setActive(row);
    openRef.current(pointOf(indexRef.current, i));
  }, []);

  // A new filter or sort may leave fewer rows: the active row stays inside the list.
  const activeRow = Math.min(active, Math.max(0, rows.length - 1));

  const pointAt = (row: number): RecoveryPoint | undefined => {
    const i = rows[row];
    return i === undefined ? undefined : pointOf(index, i);
  };

  /** Scroll just enough that `row` is in view below the sticky header. */
  const reveal = (row: number) => {
    const el = scrollRef.current;
    if (!el) return;
    const top = row * ROW_HEIGHT;
    const bottom = top + ROW_HEIGHT + HEADER_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (bottom > el.scrollTop + el.clientHeight) el.scrollTop = bottom - el.clientHeight;
  };

  const move = (to: number) => {
    const next = Math.max(0, Math.min(rows.length - 1, to));
    setActive(next);
    reveal(next);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const keys: Record<string, number> = {
      ArrowDown: activeRow + 1,
      ArrowUp: activeRow - 1,
      PageDown: activeRow + page,
      PageUp: activeRow - page,
      Home: 0,
      End: rows.length - 1,
    };
    const to = keys[event.key];
    if (to !== undefined) {
      event.preventDefault();
      move(to);
    } else if (event.key === 'Enter' || event.key === ' ') {
      const point = pointAt(activeRow);
      if (point) {
        event.preventDefault();
        onOpen(point);
      }
    }
  };

  // Slots: row r always sits in slot r % slots, so the keys in view are all different and a row
  // that scrolls out hands its element to the row that scrolls in.
  const slots = view.fit + 2 * OVERSCAN + 1;
  const start = Math.max(0, Math.min(view.first, rows.length - view.fit) - OVERSCAN);
  const end = Math.min(rows.length, view.first + view.fit + OVERSCAN);
  const inView: number[] = [];
  for (let row = start; row < end; row++) inView.push(row);
  return (
    <div
      ref={scrollRef}
      className="pt-scroll"
      role="grid"
      aria-label="Recovery points"
      aria-rowcount={rows.length + 1}
      aria-activedescendant={rows.length ? `pt-row-${activeRow}` : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      // A short list gets a short table; a long one scrolls inside at most 52% of the window.
      style={{ height: rows.length * ROW_HEIGHT + HEADER_HEIGHT }}
      data-testid="points-table"
    >
      <div className="pt-row pt-head" role="row" aria-rowindex={1}>
        {columns.map((c) => {
          const sorted = sort.key === c.key;
          return (
            <div
              key={c.key}
              role="columnheader"
              className={`pt-cell pt-${c.key}`}
              aria-sort={sorted ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
            >
              <button
                type="button"
                className="pt-sort"
                tabIndex={-1}
                disabled={!sortable}
                onClick={() => onSort(c.key)}
                title={
                  sortable
                    ? `Sort by ${c.label.toLowerCase()}`
                    : 'Sorting waits until all points are in'
                }
              >
                {c.label}
                <span aria-hidden="true">{sorted ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
              </button>
            </div>
          );
        })}
      </div>
      <div className="pt-body" style={{ height: rows.length * ROW_HEIGHT }}>
        {inView.map((row) => {
          const i = rows[row] as number;
          const c = index.columns;
          return (
            <PointRow
              key={row % slots}
              row={row}
              index={index}
              i={i}
              broken={index.broken[i] === 1}
              active={row === activeRow}
              light={view.fast}
              open={
                openKey !== null &&
                openKey === pointKey(c.strings[c.source[i] ?? -1] ?? '', c.id[i] ?? '')
              }
              onPick={onPick}
            />
          );
        })}
      </div>
    </div>
  );
}
