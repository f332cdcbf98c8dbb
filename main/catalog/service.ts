// The catalog of a workspace: every source read concurrently (one failure never hides the
// others), copies merged, and the result cached on disk so the next start is instant and offline.
import type { RecoveryPoint, SourceStatus } from '../../preload/schemas/catalog';
import { toAppError, UserError } from '../ground/errors';
import type { SourceConfig, Workspace } from '../workspace/types';
import {
  cacheFile,
  CacheUnreadable,
  readCache,
  writeCache,
  type CatalogSnapshot,
  type SectionInput,
} from './cache';
import { openSources, type CatalogReader, type RegistryOptions } from './registry';
import { mergeCopies, type PointRefs } from './service-merge';

/** How to load: where the cache lives, whether to read the sources, and who hears progress. */
export type LoadOptions = {
  cacheDir: string;
  /** Read the sources now (otherwise the cache is used when there is one). */
  refresh?: boolean;
  /** Only these sources are read on refresh; the others keep their cached points. */
  sources?: ReadonlySet<string>;
  onProgress?: (status: SourceStatus) => void;
  signal?: AbortSignal;
  registry?: RegistryOptions;
  /** Sources read at once. */
  concurrency?: number;
  now?: () => Date;
};

/** A loaded catalog: merged points (raw records stay on disk) and the state of every source. */
export type LoadedCatalog = {
  snapshot: CatalogSnapshot | null;
  points: RecoveryPoint[];
  refs: PointRefs;
  /** Every configured source, in workspace order. */
  sources: SourceStatus[];
  /** When the cached catalog was written; null when there is none yet. */
  asOf: string | null;
  /** A sentence about the cache itself (e.g. it was damaged and is being rebuilt), or null. */
  note: string | null;
};

const PROGRESS_EVERY_MS = 100;

/** A status for a source nobody has read yet. */
export const idleStatus = (source: string): SourceStatus => ({
  source,
  state: 'idle',
  points: 0,
  error: null,
  refreshedAt: null,
});

/** Build the loaded catalog from a snapshot, with statuses for every configured source. */
export function fromSnapshot(
  workspace: Workspace,
  snapshot: CatalogSnapshot | null,
  note: string | null = null,
): LoadedCatalog {
  const sections = [...workspace.sources.keys()].flatMap((name) => {
    const section = snapshot?.sections.get(name);
    return section ? [{ source: name, points: section.points }] : [];
  });
  const merged = mergeCopies(sections);
  return {
    snapshot,
    points: merged.points,
    refs: merged.refs,
    sources: [...workspace.sources.keys()].map(
      (name) => snapshot?.sections.get(name)?.status ?? idleStatus(name),
    ),
    asOf: snapshot?.asOf ?? null,
    note,
  };
}

/** Read the cache, or null with a note when it is damaged (it is rebuilt on the next refresh). */
async function readPrevious(
  workspace: Workspace,
  file: string,
): Promise<{ snapshot: CatalogSnapshot | null; note: string | null }> {
  try {
    return {
      snapshot: await readCache(file, (source) => workspace.sources.has(source)),
      note: null,
    };
  } catch (error) {
    const why = error instanceof CacheUnreadable ? error.message : String(error);
    return {
      snapshot: null,
      note: `The cached catalog at ${file} could not be read (${why.slice(0, 160)}); it is rebuilt from the sources.`,
    };
  }
}

/** The cached catalog only: never reads a source (an empty catalog when there is no cache yet). */
export async function readCachedCatalog(
  workspace: Workspace,
  cacheDir: string,
): Promise<LoadedCatalog> {
  const previous = await readPrevious(workspace, cacheFile(cacheDir, workspace.root));
  return fromSnapshot(workspace, previous.snapshot, previous.note);
}

/** Run tasks with at most `limit` in flight, in order of the list. */
async function eachLimited<T>(
  items: T[],
  limit: number,
  run: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await run(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/** Read one source; its failure becomes its status, never an exception. */
async function readOne(
  source: SourceConfig,
  reader: CatalogReader | UserError | undefined,
  options: LoadOptions,
): Promise<{ points: RecoveryPoint[] | null; status: SourceStatus }> {
  const now = options.now ?? (() => new Date());
  const report = options.onProgress;
  let lastReport = 0;
  report?.({
    ...idleStatus(source.name),
    state: 'loading',
    progress: { done: 0, total: null, message: 'starting' },
  });
  try {
    if (!reader)
      throw new UserError(
        'SOURCE_MISSING',
        `Source ${source.name} was not set up.`,
        'Reload the workspace.',
      );
    if (reader instanceof UserError) throw reader;
    const points = await reader.list({
      ...(options.signal ? { signal: options.signal } : {}),
      progress: (p) => {
        const at = Date.now();
        if (at - lastReport < PROGRESS_EVERY_MS) return;
        lastReport = at;
        report?.({ ...idleStatus(source.name), state: 'loading', points: p.done, progress: p });
      },
    });
    const status: SourceStatus = {
      source: source.name,
      state: 'ok',
      points: points.length,
      error: null,
      refreshedAt: now().toISOString(),
    };
    // A few skipped records are worth showing; thousands would drown the status.
    const warnings = (reader.warnings ?? [])
      .slice(0, 50)
      .map((w) => (w.length > 500 ? `${w.slice(0, 499)}…` : w));
    if (warnings.length > 0) status.warnings = warnings;
    report?.(status);
    return { points, status };
  } catch (error) {
    const e = toAppError(error);
    const status: SourceStatus = {
      source: source.name,
      state: 'error',
      points: 0,
      error: { message: e.message, hint: e.hint },
      refreshedAt: null,
    };
    report?.(status);
    return { points: null, status };
  }
}

/**
 * Load a workspace's catalog. Without refresh, the cache answers (instantly, offline) and the
 * sources are read only when there is no cache yet. With refresh, the chosen sources are read
 * concurrently; a failed source keeps its last cached points, marked with its error.
 */
export async function loadCatalog(
  workspace: Workspace,
  options: LoadOptions,
): Promise<LoadedCatalog> {
  const file = cacheFile(options.cacheDir, workspace.root);
  const cached = options.refresh ? null : await readPrevious(workspace, file);
  if (cached?.snapshot) return fromSnapshot(workspace, cached.snapshot, cached.note);
  const chosen = [...workspace.sources.values()].filter(
    (s) => !options.sources || options.sources.has(s.name),
  );
  const open = await openSources(workspace, options.registry ?? {}, (s) => chosen.includes(s));
  const results = new Map<string, { points: RecoveryPoint[] | null; status: SourceStatus }>();
  try {
    await eachLimited(chosen, options.concurrency ?? 4, async (source) => {
      results.set(source.name, await readOne(source, open.readers.get(source.name), options));
    });
  } finally {
    await open.close();
  }
  if (options.signal?.aborted) {
    throw new UserError(
      'CANCELLED',
      `The catalog refresh of workspace ${workspace.name} was cancelled.`,
      'Refresh again when ready.',
    );
  }
  // The old cache only matters for sources without fresh points (failed, or not chosen): decoding
  // it cost a refresh of 2,000 restic snapshots ~50 ms of CPU that restic itself wanted.
  const stale = [...workspace.sources.keys()].some((name) => !results.get(name)?.points);
  const previous =
    cached ?? (stale ? await readPrevious(workspace, file) : { snapshot: null, note: null });
  const inputs: SectionInput[] = [];
  for (const name of workspace.sources.keys()) {
    const result = results.get(name);
    const carried = previous.snapshot?.sections.get(name);
    if (result?.points) inputs.push({ status: result.status, points: result.points });
    else if (carried && previous.snapshot) {
      // Keep what we knew: the failed source's last points, with its new error and old date.
      const status = result
        ? {
            ...result.status,
            points: carried.points.length,
            refreshedAt: carried.status.refreshedAt,
          }
        : carried.status;
      inputs.push({ status, carried, from: previous.snapshot });
    } else inputs.push({ status: result?.status ?? idleStatus(name), points: [] });
  }
  const asOf = (options.now ?? (() => new Date()))().toISOString();
  const snapshot = await writeCache(
    file,
    { workspace: workspace.root, name: workspace.name, asOf },
    inputs,
  );
  return fromSnapshot(workspace, snapshot, previous.note);
}
