// The catalog table benchmark's in-page half: functions Playwright serialises into the page, so
// each must be self-contained (no imports, no outer variables).

declare global {
  interface Window {
    __bench?: { shell?: number; rows?: number; all?: number; longFrames: PerformanceEntry[] };
  }
}

/** Frame-time figures of one scroll run. */
export type FrameStats = {
  frames: number;
  median: number;
  p95: number;
  max: number;
  over50: number;
  /** Long animation frames (> 50 ms) Chromium reported while the run lasted. */
  longFrames: number;
};

/**
 * Init script: note when the Catalog heading appears, when the first table row does (maybe of
 * catalog.get's first answer, the newest points only), when the table holds the whole catalog
 * (its count no longer says "loading the rest"), and long frames.
 */
export function inPageMarks(): void {
  const bench: NonNullable<Window['__bench']> = { longFrames: [] };
  window.__bench = bench;
  const observer = new MutationObserver(() => {
    if (bench.shell === undefined && document.querySelector('h1[data-section-title]'))
      bench.shell = performance.now();
    if (bench.rows === undefined && document.querySelector('.pt-body [role="row"]'))
      bench.rows = performance.now();
    const count = document.querySelector('[data-testid="catalog-count"]');
    if (bench.rows !== undefined && count && !count.hasAttribute('data-partial')) {
      bench.all = performance.now();
      observer.disconnect();
    }
  });
  // The count may change in place (text and attribute), not only by new elements.
  observer.observe(document, {
    childList: true,
    subtree: true,
    characterData: true,
    attributes: true,
    attributeFilter: ['data-partial'],
  });
  if (PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')) {
    new PerformanceObserver((list) => bench.longFrames.push(...list.getEntries())).observe({
      type: 'long-animation-frame',
      buffered: true,
    });
  }
}

/** Scroll the table by `px` every animation frame for `frames` frames; frame times in ms. */
export async function scrollFrames(options: { px: number; frames: number }): Promise<FrameStats> {
  const el = document.querySelector<HTMLElement>('.pt-scroll');
  if (!el) throw new Error('no points table on the page');
  const bench = window.__bench;
  const startedAt = performance.now();
  const deltas: number[] = [];
  await new Promise<void>((resolve) => {
    let last = -1;
    let n = 0;
    const step = (t: number) => {
      if (last >= 0) deltas.push(t - last);
      last = t;
      if (options.px) {
        // Wrap at the end so every frame really moves.
        const next = el.scrollTop + options.px;
        el.scrollTop = next + el.clientHeight >= el.scrollHeight ? 0 : next;
      }
      if (++n > options.frames) resolve();
      else requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
  const sorted = [...deltas].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    frames: deltas.length,
    median: at(0.5),
    p95: at(0.95),
    max: sorted[sorted.length - 1] ?? 0,
    over50: deltas.filter((d) => d > 50).length,
    longFrames: (bench?.longFrames ?? []).filter((e) => e.startTime >= startedAt).length,
  };
}

/** Time one action on the full table until the frame after the DOM shows its effect. */
export async function timeInteraction(
  action: 'sort' | 'filter' | 'search' | 'keyboard',
): Promise<number> {
  const count = () => document.querySelector('[data-testid="catalog-count"]')?.textContent ?? '';
  const firstRow = () => document.querySelector('#pt-row-0')?.textContent ?? '';
  const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  await frame();
  const before = { count: count(), row: firstRow() };
  const t0 = performance.now();
  let done: () => boolean;
  if (action === 'sort') {
    const header = Array.from(document.querySelectorAll<HTMLButtonElement>('.pt-sort')).find((b) =>
      b.textContent?.startsWith('Service'),
    );
    header?.click();
    done = () => firstRow() !== before.row;
  } else if (action === 'filter') {
    const select = document.querySelector<HTMLSelectElement>('.cat-filters select');
    if (select) {
      select.value = select.options[4]?.value ?? '';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    }
    done = () => count() !== before.count;
  } else if (action === 'search') {
    const input = document.querySelector<HTMLInputElement>('.cat-filters input[type="search"]');
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
    if (input && setter) {
      setter.call(input, 'db-2 weekly');
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }
    done = () => count() !== before.count;
  } else {
    const grid = document.querySelector<HTMLElement>('.pt-scroll');
    grid?.focus();
    grid?.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));
    done = () => document.querySelector('.pt-active')?.id !== 'pt-row-0';
  }
  const deadline = t0 + 30_000;
  while (!done() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 0));
  await new Promise((r) => requestAnimationFrame(r));
  return performance.now() - t0;
}
