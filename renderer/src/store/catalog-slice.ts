// The catalog as the console shows it: points and source statuses from main, the table's filters
// and sort, the selected point with its raw record, the file browser and the restore selection.
import type { StateCreator } from 'zustand';
import type { AppError } from '../../../preload/contract';
import type {
  CatalogColumns,
  PointKind,
  RecoveryPoint,
  SnapshotEntry,
  SourceStatus,
} from '../../../preload/schemas/catalog';
import { emptyColumns } from '../../../preload/schemas/catalog-columns';
import type { Store } from './index';

/** The table's filters; empty strings mean "any". from/to are datetime-local text in UTC. */
export type CatalogFilters = {
  service: string;
  /** A consistency group: its members' points only. */
  group: string;
  kind: PointKind | '';
  from: string;
  to: string;
  tag: string;
  search: string;
};

/** A sortable column of the points table. */
export type SortKey =
  | 'service'
  | 'group'
  | 'time'
  | 'kind'
  | 'parent'
  | 'size'
  | 'copies'
  | 'immutable'
  | 'verified'
  | 'tags';

/** The table's sort. */
export type CatalogSort = { key: SortKey; dir: 'asc' | 'desc' };

/** The table's default order, newest first (catalog.get's first answer holds its first rows). */
export const newestFirst: CatalogSort = { key: 'time', dir: 'desc' };

/** The detail panel: one point, its raw record once loaded. */
export type PointDetail = {
  source: string;
  id: string;
  /** With raw once catalog.point answered; the table's copy (raw null) until then. */
  point: RecoveryPoint;
  rawLoaded: boolean;
  error: AppError | null;
};

/** One folder level of a snapshot being browsed. */
export type FileBrowser = {
  source: string;
  pointId: string;
  path: string;
  entries: SnapshotEntry[] | null;
  loading: boolean;
  error: AppError | null;
};

/** Files and folders picked for restore from one snapshot (the restore flow reads this). */
export type RestoreSelection = {
  source: string;
  pointId: string;
  service: string;
  time: string;
  /** Absolute paths inside the snapshot; a folder stands for everything under it. */
  items: { path: string; type: SnapshotEntry['type'] }[];
};

/** Catalog state. */
export type CatalogSlice = {
  /** The points as catalog.get sent them: columns, read row by row (features/catalog/query.ts). */
  catalogPoints: CatalogColumns;
  catalogSources: SourceStatus[];
  catalogAsOf: string | null;
  catalogRefreshing: boolean;
  catalogNote: string | null;
  /** True once catalog.get answered for the open workspace. */
  catalogLoaded: boolean;
  /**
   * While only catalog.get's first answer is in (the newest points of a large catalog and the
   * points their chains need): how many points the whole catalog has. Null once it is all in.
   */
  catalogTotal: number | null;
  catalogError: AppError | null;
  catalogFilters: CatalogFilters;
  catalogSort: CatalogSort;
  pointDetail: PointDetail | null;
  fileBrowser: FileBrowser | null;
  restoreSelection: RestoreSelection | null;
};

/** No filter at all. */
export const noFilters: CatalogFilters = {
  service: '',
  group: '',
  kind: '',
  from: '',
  to: '',
  tag: '',
  search: '',
};

export const createCatalogSlice: StateCreator<Store, [], [], CatalogSlice> = () => ({
  catalogPoints: emptyColumns(),
  catalogSources: [],
  catalogAsOf: null,
  catalogRefreshing: false,
  catalogNote: null,
  catalogLoaded: false,
  catalogTotal: null,
  catalogError: null,
  catalogFilters: noFilters,
  catalogSort: newestFirst,
  pointDetail: null,
  fileBrowser: null,
  restoreSelection: null,
});
