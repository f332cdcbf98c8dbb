// Catalog: the workspace's backup sources and the recovery points they hold. The cached catalog
// shows at once ("as of"); Refresh reads the sources in the background with progress per source.
import { grouped } from './grouped';
import { useDeferredValue, useEffect, useMemo, useRef } from 'react';
import {
  closePoint,
  ensureCatalog,
  openPoint,
  refreshCatalog,
  setCatalogFilters,
  sortCatalogBy,
} from '../../store/catalog-actions';
import { newestFirst, noFilters } from '../../store/catalog-slice';
import { CATALOG_HEAD } from '../../../../preload/schemas/catalog-head';
import { useStore } from '../../store/index';
import { EmptyState } from '../../ui/empty-state';
import { formatAgo, formatTime } from '../../ui/format';
import { ProblemsList } from '../../ui/problems-list';
import { SectionHeader } from '../../ui/section-header';
import { pointKey } from './chain';
import { FilterBar } from './filter-bar';
import { PointDetailPanel } from './point-detail';
import { PointsTable } from './points-table';
import { filterPoints, indexPoints, sortRows, withGroups } from './query';
import { withTested } from './tested';
import { loadDrills } from '../../store/drills-actions';
import { SourcesPanel } from './sources-panel';
import { ErrorText } from '../../ui/error-text';

const PURPOSE = 'Every recovery point across backends, and whether it can be trusted.';

/** The Catalog section. */
export function CatalogView() {
  const workspace = useStore((s) => s.workspace);
  const points = useStore((s) => s.catalogPoints);
  const sources = useStore((s) => s.catalogSources);
  const asOf = useStore((s) => s.catalogAsOf);
  const refreshing = useStore((s) => s.catalogRefreshing);
  const note = useStore((s) => s.catalogNote);
  const loaded = useStore((s) => s.catalogLoaded);
  // Set while only the newest points are in (catalog.get's first answer): the whole count.
  const total = useStore((s) => s.catalogTotal);
  const error = useStore((s) => s.catalogError);
  const filters = useStore((s) => s.catalogFilters);
  const sort = useStore((s) => s.catalogSort);
  const detail = useStore((s) => s.pointDetail);
  const detailRef = useRef<HTMLDivElement>(null);

  // A different workspace (or a reload of it): read its catalog again.
  useEffect(() => ensureCatalog(workspace), [workspace]);
  useEffect(() => {
    void loadDrills();
  }, [workspace]);

  // Memoised per catalog, then per filter, then per sort: 100,000 points stay smooth.
  // Deferred: typing in the search box stays responsive while the table catches up.
  // While only the newest points are in, the table shows exactly those, newest first (the
  // points their chains need are in the index too, so chains read as in the whole catalog).
  const partial = total !== null;
  const indexed = useMemo(() => indexPoints(points), [points]);
  // Points a completed drill restored (its log VALID) read as tested.
  const tested = useStore((s) => s.drillHistory?.tested ?? null);
  const groups = workspace?.groups;
  const index = useMemo(
    () => withGroups(withTested(indexed, tested), groups ?? []),
    [indexed, tested, groups],
  );
  const deferredFilters = useDeferredValue(filters);
  const shownFilters = partial ? noFilters : deferredFilters;
  const shownSort = partial ? newestFirst : sort;
  const filtered = useMemo(() => filterPoints(index, shownFilters), [index, shownFilters]);
  const rows = useMemo(() => {
    const sorted = sortRows(index, filtered, shownSort);
    return partial ? sorted.subarray(0, CATALOG_HEAD) : sorted;
  }, [index, filtered, shownSort, partial]);

  const openKey = detail ? pointKey(detail.source, detail.id) : null;
  useEffect(() => {
    // Bring the panel's heading into view with the least scrolling: the table stays on screen.
    if (openKey) detailRef.current?.querySelector('h2')?.scrollIntoView({ block: 'nearest' });
  }, [openKey]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && useStore.getState().pointDetail) closePoint();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (!workspace) return null;
  const sourceType = detail
    ? (workspace.sources.find((s) => s.name === detail.source)?.type ?? null)
    : null;
  const tools = (
    <div className="cat-tools">
      <span className="cat-asof" data-testid="catalog-as-of">
        {asOf
          ? `Catalog as of ${formatTime(asOf)} (${formatAgo(asOf)})`
          : loaded
            ? 'Not read from the sources yet'
            : 'Opening the cached catalog…'}
      </span>
      <button
        type="button"
        className="primary"
        disabled={refreshing || workspace.sources.length === 0}
        onClick={() => void refreshCatalog()}
      >
        {refreshing ? 'Refreshing…' : 'Refresh'}
      </button>
    </div>
  );

  if (workspace.sources.length === 0) {
    return (
      <section aria-labelledby="catalog-title">
        <SectionHeader title="Catalog" purpose={PURPOSE} />
        <ProblemsList problems={workspace.problems} />
        <EmptyState title="No backup sources yet">
          <p>
            Add a source to <code>dapple.yaml</code> under <code>sources:</code> — a restic or borg
            repository, a pgBackRest stanza, a manifest folder or a versioned bucket — then reload
            the workspace (Ctrl+Shift+R).
          </p>
        </EmptyState>
      </section>
    );
  }

  const allFailed = sources.length > 0 && sources.every((s) => s.state === 'error');
  return (
    <section
      className={detail ? 'catalog-section catalog-with-detail' : 'catalog-section'}
      aria-label="Catalog"
    >
      <SectionHeader title="Catalog" purpose={PURPOSE} tools={tools} />
      <ProblemsList problems={workspace.problems} />
      {note ? (
        <p className="cat-note" role="status">
          {note}
        </p>
      ) : null}
      {error ? <ErrorText error={error} /> : null}
      <SourcesPanel statuses={sources} workspace={workspace} />
      {!loaded ? (
        <p className="loading">Opening the cached catalog…</p>
      ) : points.count === 0 ? (
        <EmptyState
          title={
            refreshing
              ? 'Reading the sources for the first time…'
              : allFailed
                ? 'No recovery points: every source failed'
                : 'No recovery points yet'
          }
        >
          <p>
            {refreshing
              ? 'Points appear here as soon as the sources have been read; progress is shown per source above.'
              : allFailed
                ? 'Each source above says what went wrong and what to do. Fix it, then press Refresh.'
                : 'Press Refresh to read the sources. If they hold no backups yet, run a backup first.'}
          </p>
        </EmptyState>
      ) : (
        <>
          <FilterBar
            filters={filters}
            index={index}
            waiting={partial}
            groups={workspace.groups.map((g) => g.name)}
          />
          {partial ? (
            <p className="cat-count" role="status" data-testid="catalog-count" data-partial="true">
              {`Showing the newest ${grouped(rows.length)} of ${grouped(total)} points — `}
              {error
                ? 'the rest did not load (see above).'
                : 'loading the rest… Sorting, filters and search wait until all points are in.'}
            </p>
          ) : (
            <p className="cat-count muted" role="status" data-testid="catalog-count">
              {rows.length === points.count
                ? `${grouped(points.count)} point${points.count === 1 ? '' : 's'}`
                : `Showing ${grouped(rows.length)} of ${grouped(points.count)} points`}
              {' — '}↑↓ to move, Enter for details, Esc to close them.
            </p>
          )}
          {rows.length === 0 ? (
            <EmptyState
              title="No point matches these filters"
              action={
                <button type="button" onClick={() => setCatalogFilters(noFilters)}>
                  Clear filters
                </button>
              }
            >
              <p>Widen the time range, pick another service or tag, or clear the search.</p>
            </EmptyState>
          ) : (
            <PointsTable
              index={index}
              rows={rows}
              sort={shownSort}
              sortable={!partial}
              openKey={openKey}
              onSort={sortCatalogBy}
              onOpen={(p) => void openPoint(p)}
            />
          )}
          <div ref={detailRef}>
            {detail ? (
              <PointDetailPanel detail={detail} index={index} sourceType={sourceType} />
            ) : (
              <p className="muted pd-hint">
                Select a point (click, or Enter) to see its chain, copies, lock and raw record.
              </p>
            )}
          </div>
        </>
      )}
    </section>
  );
}
