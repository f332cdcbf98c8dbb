// Loading the catalog in two answers: the newest points of a large catalog first (shown as "the
// newest N of M"), then the whole, which replaces them. main is a fake window.dapple here.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Result } from '../../../preload/contract';
import type { CatalogView } from '../../../preload/schemas/catalog';
import { emptyColumns } from '../../../preload/schemas/catalog-columns';
import { CATALOG_HEAD } from '../../../preload/schemas/catalog-head';
import {
  askCatalogEarly,
  dropEarlyCatalog,
  ensureCatalog,
  loadCatalog,
  resetCatalog,
} from './catalog-actions';
import { useStore } from './index';

const view = (count: number, total?: number): CatalogView => ({
  points: { ...emptyColumns(), count },
  sources: [],
  asOf: '2026-11-26T00:00:00Z',
  refreshing: false,
  note: null,
  ...(total === undefined ? {} : { total }),
});

/** catalog.get requests as they came, each answered by `answer` (or failing when it says so). */
let asked: object[] = [];
let answer: (request: { first?: number }) => Result<CatalogView> = () => ({
  ok: true,
  value: view(0),
});
const g = globalThis as unknown as { window?: unknown };
const hadWindow = 'window' in g;
g.window = {
  dapple: {
    catalog: {
      get: (request: { first?: number }) => {
        asked.push(request);
        return Promise.resolve(answer(request));
      },
    },
  },
};
afterAll(() => {
  if (!hadWindow) delete g.window;
});

const large = (request: { first?: number }): Result<CatalogView> => ({
  ok: true,
  value: request.first ? view(300, 100_000) : view(100_000),
});

describe('loading the catalog', () => {
  beforeEach(() => {
    useStore.setState(useStore.getInitialState());
    resetCatalog();
    asked = [];
  });

  it('shows the newest points of a large catalog, then the whole', async () => {
    answer = large;
    const seen: (number | null)[] = [];
    const off = useStore.subscribe((s, before) => {
      if (s.catalogPoints !== before.catalogPoints) seen.push(s.catalogTotal);
    });
    await loadCatalog();
    off();
    expect(asked).toEqual([{ first: CATALOG_HEAD }, {}]);
    expect(seen).toEqual([100_000, null]);
    expect(useStore.getState().catalogPoints.count).toBe(100_000);
  });

  it('takes a small catalog whole from the first answer', async () => {
    answer = () => ({ ok: true, value: view(40) });
    await loadCatalog();
    expect(asked).toEqual([{ first: CATALOG_HEAD }]);
    expect(useStore.getState()).toMatchObject({ catalogTotal: null, catalogLoaded: true });
  });

  it('asks for the whole only when points are shown or the table is sorted or filtered', async () => {
    answer = large;
    useStore.setState({ catalogSort: { key: 'service', dir: 'asc' } });
    await loadCatalog();
    useStore.setState(useStore.getInitialState());
    useStore.setState({ catalogFilters: { ...useStore.getState().catalogFilters, search: 'x' } });
    await loadCatalog();
    await loadCatalog();
    expect(asked).toEqual([{}, {}, {}]);
  });

  it('keeps the newest points, still marked as part of the whole, when the whole fails', async () => {
    answer = (request) =>
      request.first
        ? large(request)
        : { ok: false, error: { code: 'X', message: 'It broke.', hint: '' } };
    await loadCatalog();
    expect(useStore.getState()).toMatchObject({
      catalogTotal: 100_000,
      catalogError: { message: 'It broke.' },
    });
  });

  it('shows the answer asked for at start-up as it comes; a small catalog is then not asked again', async () => {
    answer = () => ({ ok: true, value: view(40) });
    askCatalogEarly();
    await new Promise((r) => setTimeout(r, 0));
    expect(useStore.getState()).toMatchObject({ catalogLoaded: true, catalogTotal: null });
    expect(useStore.getState().catalogPoints.count).toBe(40);
    ensureCatalog({ path: '/small' });
    await new Promise((r) => setTimeout(r, 0));
    expect(asked).toEqual([{ first: CATALOG_HEAD }]);
    ensureCatalog(null);
  });

  it('uses the first answer asked for at start-up once, and not after start-up found no workspace', async () => {
    answer = large;
    askCatalogEarly();
    expect(asked).toEqual([{ first: CATALOG_HEAD }]);
    ensureCatalog({ path: '/ws' });
    await new Promise((r) => setTimeout(r, 0));
    expect(asked).toEqual([{ first: CATALOG_HEAD }, {}]);
    ensureCatalog(null);

    asked = [];
    resetCatalog();
    askCatalogEarly();
    dropEarlyCatalog();
    await loadCatalog();
    expect(asked).toEqual([{ first: CATALOG_HEAD }, { first: CATALOG_HEAD }, {}]);
  });
});
