// The catalog as the running app keeps it: the cache is shown at once, refreshes run in the
// background (one at a time per workspace) and report progress per source as they go.
import type {
  CatalogListing,
  RecoveryPoint,
  SnapshotEntry,
  SourceStatus,
} from '../../preload/schemas/catalog';
import { toAppError, UserError } from '../ground/errors';
import type { Workspace } from '../workspace/types';
import { readRaw } from './cache';
import { clip } from './backends/s3-errors';
import { openSources, type RegistryOptions } from './registry';
import { fileBrowserOf } from './sources/tool-sources';
import { fromSnapshot, loadCatalog, readCachedCatalog, type LoadedCatalog } from './service';

/** What the live catalog tells its owner: progress per source, and a new catalog. */
export type CatalogServiceOptions = {
  cacheDir: string;
  registry?: RegistryOptions;
  onProgress?: (root: string, status: SourceStatus) => void;
  /** A refresh finished (or failed as a whole); the catalog is the one now shown. */
  onChanged?: (root: string, catalog: LoadedCatalog) => void;
  concurrency?: number;
};

type Entry = {
  workspace: Workspace;
  catalog: LoadedCatalog | null;
  loading: Promise<LoadedCatalog> | null;
  refresh: Promise<LoadedCatalog | null> | null;
  controller: AbortController | null;
  /** Statuses reported by the running refresh, by source. */
  live: Map<string, SourceStatus>;
  /** Why the last refresh failed as a whole (e.g. the cache folder is not writable). */
  failure: string | null;
};

/** Per-workspace catalogs of a running app (or bridge). */
export class CatalogService {
  private readonly entries = new Map<string, Entry>();
  constructor(private readonly options: CatalogServiceOptions) {}

  private entry(workspace: Workspace): Entry {
    let entry = this.entries.get(workspace.root);
    if (!entry) {
      entry = {
        workspace,
        catalog: null,
        loading: null,
        refresh: null,
        controller: null,
        live: new Map(),
        failure: null,
      };
      this.entries.set(workspace.root, entry);
    }
    if (entry.workspace !== workspace) {
      // The workspace was reloaded: sources may have come or gone, so re-derive from the snapshot.
      entry.workspace = workspace;
      if (entry.catalog)
        entry.catalog = fromSnapshot(workspace, entry.catalog.snapshot, entry.catalog.note);
    }
    return entry;
  }

  /**
   * Read the cached catalog ahead of the first view (when a workspace opens), so the console's
   * first catalog.get finds it in memory. Starts no refresh; null when nothing is cached.
   */
  async warm(workspace: Workspace): Promise<LoadedCatalog | null> {
    const entry = this.entry(workspace);
    if (!entry.catalog) {
      entry.loading ??= readCachedCatalog(workspace, this.options.cacheDir).finally(
        () => (entry.loading = null),
      );
      const loaded = await entry.loading;
      // A view that asked meanwhile already holds it (or a refresh replaced it): keep theirs.
      entry.catalog ??= loaded;
    }
    return entry.catalog.asOf === null ? null : entry.catalog;
  }

  /** The catalog now (from the cache on first use). With no cache yet, a refresh starts. */
  async catalog(workspace: Workspace): Promise<LoadedCatalog> {
    const entry = this.entry(workspace);
    if (!entry.catalog) {
      entry.loading ??= readCachedCatalog(workspace, this.options.cacheDir).finally(
        () => (entry.loading = null),
      );
      entry.catalog = await entry.loading;
    }
    if (entry.catalog.asOf === null && !entry.refresh && entry.failure === null)
      this.refresh(workspace);
    return entry.catalog;
  }

  /** The view the console shows: points (optionally of one service) and live source statuses. */
  async view(workspace: Workspace, service?: string): Promise<CatalogListing> {
    const catalog = await this.catalog(workspace);
    const entry = this.entry(workspace);
    const sources = catalog.sources.map((s) => entry.live.get(s.source) ?? s);
    return {
      points:
        service === undefined
          ? catalog.points
          : catalog.points.filter((p) => p.service === service),
      sources,
      asOf: catalog.asOf,
      refreshing: entry.refresh !== null,
      note: entry.failure ?? catalog.note,
    };
  }

  /** Start a background refresh; false when one is already running for this workspace. */
  refresh(workspace: Workspace, sources?: ReadonlySet<string>): { started: boolean } {
    const entry = this.entry(workspace);
    if (entry.refresh) return { started: false };
    const controller = new AbortController();
    entry.controller = controller;
    entry.live = new Map();
    entry.failure = null;
    const root = workspace.root;
    entry.refresh = loadCatalog(workspace, {
      cacheDir: this.options.cacheDir,
      refresh: true,
      signal: controller.signal,
      ...(sources ? { sources } : {}),
      ...(this.options.registry ? { registry: this.options.registry } : {}),
      ...(this.options.concurrency ? { concurrency: this.options.concurrency } : {}),
      onProgress: (status) => {
        entry.live.set(status.source, status);
        this.options.onProgress?.(root, status);
      },
    }).then(
      (catalog) => {
        entry.catalog =
          entry.workspace === workspace
            ? catalog
            : fromSnapshot(entry.workspace, catalog.snapshot, catalog.note);
        return entry.catalog;
      },
      (error: unknown) => {
        const e = toAppError(error);
        entry.failure = `The catalog refresh failed: ${e.message}${e.hint ? ` ${e.hint}` : ''}`;
        return null;
      },
    );
    void entry.refresh.then(async () => {
      entry.refresh = null;
      entry.controller = null;
      entry.live = new Map();
      const catalog = entry.catalog ?? (await this.catalog(entry.workspace));
      this.options.onChanged?.(root, catalog);
    });
    return { started: true };
  }

  /** Wait for the running refresh of a workspace, if any (tests, the CLI). */
  async settled(workspace: Workspace): Promise<void> {
    await this.entries.get(workspace.root)?.refresh;
  }

  /** One point with its raw record read from the cache. */
  async point(workspace: Workspace, source: string, id: string): Promise<RecoveryPoint> {
    const catalog = await this.catalog(workspace);
    for (let i = 0; i < catalog.points.length; i++) {
      const point = catalog.points[i] as RecoveryPoint;
      if (point.id !== id || point.source !== source) continue;
      const section = catalog.snapshot?.sections.get(source);
      const index = catalog.refs.index[i];
      if (!catalog.snapshot || !section || index === undefined) return point;
      return { ...point, raw: await readRaw(catalog.snapshot, section, index) };
    }
    throw new UserError(
      'POINT_NOT_FOUND',
      `No point ${clip(id, 120)} of source ${clip(source, 80)} is in the catalog of ${clip(workspace.name, 80)}.`,
      'Refresh the catalog; the backup may have been pruned since.',
    );
  }

  /** Browse a restic or borg snapshot's files (one folder level). */
  async files(
    workspace: Workspace,
    source: string,
    pointId: string,
    path: string,
    signal?: AbortSignal,
  ): Promise<SnapshotEntry[]> {
    const config = workspace.sources.get(source);
    if (!config) {
      throw new UserError(
        'SOURCE_UNKNOWN',
        `No source is named ${clip(source, 80)} in this workspace.`,
        'Reload the workspace and try again.',
      );
    }
    const open = await openSources(
      workspace,
      this.options.registry ?? {},
      (s) => s.name === source,
    );
    try {
      const reader = open.readers.get(source);
      if (reader instanceof UserError) throw reader;
      const browser = reader ? fileBrowserOf(reader) : null;
      if (!browser) {
        throw new UserError(
          'NO_FILE_BROWSER',
          `Source ${clip(source, 80)} is a ${config.type} source, whose points cannot be browsed file by file.`,
          'Browsing files works for restic and borg snapshots.',
        );
      }
      return await browser.listFiles(pointId, path, signal ? { signal } : {});
    } finally {
      await open.close();
    }
  }

  /** Stop every running refresh (the app is quitting). */
  dispose(): void {
    for (const entry of this.entries.values()) entry.controller?.abort();
  }
}
