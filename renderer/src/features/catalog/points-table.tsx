// The virtualised table of points: only the rows in view are in the DOM, so 100,000 points
// scroll smoothly. Arrow keys move the active row, Enter opens its details.
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { RecoveryPoint } from '../../../../preload/schemas/catalog';
import type { CatalogSort } from '../../store/catalog-slice';
import { pointKey } from './chain';
import { columns } from './point-cells';
import type { PointIndex } from './query';

/** Row height in pixels (fixed: the virtualiser needs no measuring). */
export const ROW_HEIGHT = 36;
/** The sticky header row's height plus the table's borders. */
const HEADER_HEIGHT = 40;

/** Props of the points table. */
export type PointsTableProps = {
  index: PointIndex;
  rows: Int32Array;
  sort: CatalogSort;
  /** The point whose details are open (its row is marked). */
  openKey: string | null;
  onSort: (key: CatalogSort['key']) => void;
  onOpen: (point: RecoveryPoint) => void;
};

const keyOf = (p: RecoveryPoint) => pointKey(p.source, p.id);

type RowProps = {
  row: number;
  start: number;
  point: RecoveryPoint;
  broken: boolean;
  active: boolean;
  open: boolean;
  onPick: (row: number, point: RecoveryPoint) => void;
};

/** One row; memoised so scrolling renders only the rows that come into view. */
const PointRow = memo(function PointRow(props: RowProps) {
  const { row, start, point, broken, active, open, onPick } = props;
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
      style={{ transform: `translateY(${start}px)` }}
      onClick={() => onPick(row, point)}
    >
      {columns.map((c) => (
        <div
          key={c.key}
          role="gridcell"
          className={`pt-cell pt-${c.key}`}
          title={c.title ? c.title(point) : undefined}
        >
          {c.render(point, broken)}
        </div>
      ))}
    </div>
  );
});

/** The points table. */
export function PointsTable(props: PointsTableProps) {
  const { index, rows, sort, openKey, onSort, onOpen } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 4,
  });
  // Stable for the memoised rows; reads the latest onOpen through a ref.
  const openRef = useRef(onOpen);
  useEffect(() => {
    openRef.current = onOpen;
  }, [onOpen]);
  const onPick = useCallback((row: number, point: RecoveryPoint) => {
    setActive(row);
    openRef.current(point);
  }, []);

  // A new filter or sort: keep the active row inside the list.
  useEffect(() => {
    if (active >= rows.length) setActive(Math.max(0, rows.length - 1));
  }, [rows, active]);

  const pointAt = (row: number): RecoveryPoint | undefined => {
    const i = rows[row];
    return i === undefined ? undefined : index.points[i];
  };

  const move = (to: number) => {
    const next = Math.max(0, Math.min(rows.length - 1, to));
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const keys: Record<string, number> = {
      ArrowDown: active + 1,
      ArrowUp: active - 1,
      PageDown: active + page,
      PageUp: active - page,
      Home: 0,
      End: rows.length - 1,
    };
    const to = keys[event.key];
    if (to !== undefined) {
      event.preventDefault();
      move(to);
    } else if (event.key === 'Enter' || event.key === ' ') {
      const point = pointAt(active);
      if (point) {
        event.preventDefault();
        onOpen(point);
      }
    }
  };

  const items = virtualizer.getVirtualItems();
  return (
    <div
      ref={scrollRef}
      className="pt-scroll"
      role="grid"
      aria-label="Recovery points"
      aria-rowcount={rows.length + 1}
      aria-activedescendant={rows.length ? `pt-row-${active}` : undefined}
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
              className="pt-cell"
              aria-sort={sorted ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
            >
              <button
                type="button"
                className="pt-sort"
                tabIndex={-1}
                onClick={() => onSort(c.key)}
                title={`Sort by ${c.label.toLowerCase()}`}
              >
                {c.label}
                <span aria-hidden="true">{sorted ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
              </button>
            </div>
          );
        })}
      </div>
      <div className="pt-body" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const i = rows[item.index] as number;
          const point = index.points[i] as RecoveryPoint;
          return (
            <PointRow
              key={item.key}
              row={item.index}
              start={item.start}
              point={point}
              broken={index.broken[i] === 1}
              active={item.index === active}
              open={openKey === keyOf(point)}
              onPick={onPick}
            />
          );
        })}
      </div>
    </div>
  );
}
