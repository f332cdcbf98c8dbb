// Filters above the points table: service, kind, time range (UTC), tag and free-text search.
import { grouped } from './grouped';
import { POINT_KINDS } from '../../../../preload/schemas/values';
import { setCatalogFilters } from '../../store/catalog-actions';
import { noFilters, type CatalogFilters } from '../../store/catalog-slice';
import { clipText } from './point-cells';
import type { PointIndex } from './query';

/** Tags offered in the tag list (the search box finds the rest). */
const MAX_TAG_OPTIONS = 300;

/**
 * The filter bar. `waiting`: only the newest points are in, so every control is disabled (its
 * lists would name only what those points hold) until the whole catalog is.
 */
export function FilterBar(props: {
  filters: CatalogFilters;
  index: PointIndex;
  waiting: boolean;
  groups: readonly string[];
}) {
  const { filters, index, waiting, groups } = props;
  const active = (Object.keys(noFilters) as (keyof CatalogFilters)[]).some(
    (k) => filters[k] !== noFilters[k],
  );
  return (
    <div
      className="cat-filters"
      role="search"
      aria-label="Filter points"
      title={waiting ? 'Filters and search wait until all points are in' : undefined}
    >
      <label>
        <span>Service</span>
        <select
          disabled={waiting}
          value={filters.service}
          onChange={(e) => setCatalogFilters({ service: e.target.value })}
        >
          <option value="">All services</option>
          {(waiting ? [] : index.services).map((s) => (
            <option key={s} value={s}>
              {clipText(s, 60)}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Group</span>
        <select
          disabled={waiting || groups.length === 0}
          value={filters.group}
          onChange={(e) => setCatalogFilters({ group: e.target.value })}
        >
          <option value="">All groups</option>
          {groups.map((g) => (
            <option key={g} value={g}>
              {clipText(g, 60)}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Kind</span>
        <select
          disabled={waiting}
          value={filters.kind}
          onChange={(e) => setCatalogFilters({ kind: e.target.value as CatalogFilters['kind'] })}
        >
          <option value="">All kinds</option>
          {POINT_KINDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>From (UTC)</span>
        <input
          disabled={waiting}
          type="datetime-local"
          value={filters.from}
          onChange={(e) => setCatalogFilters({ from: e.target.value })}
        />
      </label>
      <label>
        <span>To (UTC)</span>
        <input
          disabled={waiting}
          type="datetime-local"
          value={filters.to}
          onChange={(e) => setCatalogFilters({ to: e.target.value })}
        />
      </label>
      <label>
        <span>Tag</span>
        <select
          disabled={waiting}
          value={filters.tag}
          onChange={(e) => setCatalogFilters({ tag: e.target.value })}
        >
          <option value="">Any tag</option>
          {(waiting ? [] : index.tags.slice(0, MAX_TAG_OPTIONS)).map((t) => (
            <option key={t.tag} value={t.tag}>
              {clipText(t.tag, 60)} ({grouped(t.count)})
            </option>
          ))}
        </select>
      </label>
      <label className="cat-search">
        <span>Search</span>
        <input
          disabled={waiting}
          type="search"
          placeholder="id, service, backend, tag…"
          value={filters.search}
          onChange={(e) => setCatalogFilters({ search: e.target.value })}
        />
      </label>
      {active ? (
        <button
          type="button"
          className="link-button"
          disabled={waiting}
          onClick={() => setCatalogFilters(noFilters)}
        >
          Clear filters
        </button>
      ) : null}
    </div>
  );
}
