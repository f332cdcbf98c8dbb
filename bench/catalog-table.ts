// Benchmark: opening a cached catalog of N points (default 100,000) in the Catalog section, in
// Chromium through Playwright, measured with the page's own performance API:
//   - time from navigation until the table shows rows (target < 1 s) — for a large catalog the
//     rows of catalog.get's first answer (the newest 200 points, the table saying it is loading
//     the rest) — and until it holds the whole catalog, against baselines measured in the same
//     run: the empty section (the Catalog heading before any point arrives), the same workspace
//     shape with a 100-point cache and, with DAPPLE_BENCH_BASELINE_ROOT (a checkout with its own
//     out/), an older build, its runs taken in turn with this build's;
//   - frame times while scrolling the table (target: no frame over 50 ms), against idle frames;
//   - sort, filter and search on the full catalog.
// Run: node scripts/build.mjs && node bench/catalog-table-run.mjs [points=100000] [runs=3]
// An older build: git archive <commit> | tar -x -C /tmp/old && ln -s "$PWD/node_modules" /tmp/old/
// && (cd /tmp/old && node scripts/build.mjs), then DAPPLE_BENCH_BASELINE_ROOT=/tmp/old on the run.
// Figures (2 shared cores; medians of 7 runs taken in turn with the build before the first answer,
// 739a368, via DAPPLE_BENCH_BASELINE_ROOT), 100k points:
//   load 0.3-2.8: first rows 680 ms, all rows 1,261 ms (100-point cache: rows 690 ms);
//                 before: rows 1,360 ms, empty section 574 ms (100-point cache: 804 ms)
//   load 5.6-7.4: first rows 1,010 ms (100-point cache 1,112); before 2,075 ms (1,139)
// so the first rows of 100k points come when a 100-point cache's do (before: 1.7-1.8x). The
// console shows the start-up answer as it comes, so the heading and the rows appear together
// ("empty section" = rows). What is left is the page's own start: its first call leaves ~320-380
// ms after navigation (app.js evaluated, React's first render). Earlier, at load ~2: rows at
// 1.47 s, empty section 473 ms, 100-point cache 620 ms; the whole catalog.get waited 257 ms in
// main, then ~380 ms in the page (JSON.parse of 8.5 MB, indexing, render).
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { makeBenchWorkspace } from './catalog-table-data';
import { inPageMarks, scrollFrames, timeInteraction } from './catalog-table-page';

const root = process.env.DAPPLE_ROOT ?? process.cwd();
const total = Number(process.argv[2] ?? 100_000);
const runs = Number(process.argv[3] ?? 3);
const cli = join(root, 'out', 'cli', 'index.js');

async function serve(
  cliPath: string,
  workspace: string,
  dataDir: string,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [cliPath, 'serve', '--port', '0', '--workspace', workspace, '--data-dir', dataDir],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DAPPLE_DATA_DIR: dataDir } },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const found = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output);
      if (found?.[1]) resolve(found[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`dapple serve exited with ${code}: ${output}`)));
  });
  return { url, child };
}

/**
 * CPU time (ms) used so far by every process this benchmark started (dapple serve, Chromium and its
 * helpers), from /proc. On a shared, busy machine wall times stretch with the load; CPU time shows
 * what the work itself costs, roughly what an idle machine would take.
 */
function treeCpuMs(root = process.pid): number {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const text = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): state ppid ... utime(14) stime(15).
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(name), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // the process ended while we read
    }
  }
  let ticks = 0;
  for (const s of stats.values()) {
    for (let up = s.ppid, hops = 0; up > 1 && hops < 16; hops++) {
      if (up === root) {
        ticks += s.ticks;
        break;
      }
      up = stats.get(up)?.ppid ?? 0;
    }
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

/** CPU time (ms) of one process. */
function ownCpuMs(pid: number): number {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return 0;
  }
}

type Open = {
  shell: number;
  /** The first table row (of catalog.get's first answer when the catalog is large). */
  rows: number;
  /** The whole catalog in the table (its count no longer says "loading the rest"). */
  all: number;
  /** Rows in the first answer (the newest points and the points their chains reach). */
  headPoints: number;
  /** catalog.get with `first`: request sent → answer received (0 when there was none). */
  head: number;
  ttfb: number;
  download: number;
  afterResponse: number;
  bytes: number;
  heapMb: number;
  /** The page before any call: document received, app.js received, DOMContentLoaded, first call. */
  startup: string;
  /** CPU time of the whole process tree from navigation until the whole catalog showed. */
  cpu: number;
  /** The part of it spent in dapple serve (the engine answering catalog.get). */
  serveCpu: number;
  /** Every call to the engine until the whole catalog showed: what the rows waited behind. */
  calls: string;
};

/** One page load: navigation start → Catalog heading (empty section) → first row → all rows. */
async function openOnce(
  browser: Browser,
  url: string,
  servePid: number,
): Promise<{ page: Page; open: Open }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.addInitScript(inPageMarks);
  const cpu0 = treeCpuMs();
  const serve0 = ownCpuMs(servePid);
  let headPoints = 0;
  page.on('response', (response) => {
    if (!response.url().includes('/api/call/catalog.get')) return;
    if (!(response.request().postData() ?? '').includes('"first"')) return;
    void response
      .json()
      .then((r: { value?: { total?: number; points?: { count: number } } }) => {
        if (r.value?.total !== undefined) headPoints = r.value.points?.count ?? 0;
      })
      .catch(() => undefined);
  });
  await page.goto(url);
  try {
    await page.waitForFunction(() => window.__bench?.all !== undefined, null, {
      timeout: 180_000,
      polling: 50,
    });
  } catch (error) {
    const shown = await page.evaluate(() => document.querySelector('main')?.innerText ?? '');
    throw new Error(`No table rows appeared; the page shows:\n${shown.slice(0, 1500)}`, {
      cause: error,
    });
  }
  const cpu = treeCpuMs() - cpu0;
  const serveCpu = ownCpuMs(servePid) - serve0;
  const measured = await page.evaluate(() => {
    const b = window.__bench as { shell: number; rows: number; all: number };
    const gets = performance
      .getEntriesByType('resource')
      .filter((e) => e.name.includes('/api/call/catalog.get')) as PerformanceResourceTiming[];
    // The whole catalog is the last answer; a first answer (newest points) may come before it.
    const get = gets[gets.length - 1] as PerformanceResourceTiming;
    const head = gets.length > 1 ? gets[0] : undefined;
    const memory = (performance as { memory?: { usedJSHeapSize: number } }).memory;
    const calls = performance
      .getEntriesByType('resource')
      .filter((e) => e.name.includes('/api/call/') && e.startTime < b.all)
      .map((e) => {
        const r = e as PerformanceResourceTiming;
        const name = decodeURIComponent(r.name.split('/api/call/')[1] ?? '?');
        return `${name} ${r.startTime.toFixed(0)}–${r.responseEnd.toFixed(0)}`;
      })
      .join(', ');
    return {
      calls,
      shell: b.shell,
      rows: b.rows,
      all: b.all,
      head: head ? head.responseEnd - head.requestStart : 0,
      ttfb: get.responseStart - get.requestStart,
      download: get.responseEnd - get.responseStart,
      afterResponse: b.all - get.responseEnd,
      bytes: get.encodedBodySize,
      heapMb: (memory?.usedJSHeapSize ?? 0) / 2 ** 20,
      startup: (() => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        const all = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
        const app = all.find((e) => e.name.endsWith('/app.js'));
        const call = all.find((e) => e.name.includes('/api/call/'));
        const at = (x: number | undefined) => (x === undefined ? '?' : x.toFixed(0));
        return `document ${at(nav.responseEnd)}, app.js ${at(app?.responseEnd)}, DOMContentLoaded ${at(nav.domContentLoadedEventEnd)}, first call ${at(call?.startTime)}`;
      })(),
    };
  });
  return { page, open: { ...measured, headPoints, cpu, serveCpu } };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;
const ms = (x: number): string => `${x.toFixed(0).padStart(6)} ms`;

function printOpen(label: string, opens: Open[]): void {
  const m = (k: Exclude<keyof Open, 'calls' | 'startup'>) => median(opens.map((o) => o[k]));
  const first =
    m('headPoints') > 0
      ? `first rows at ${ms(m('rows'))} (first answer: ${m('headPoints')} points in ${m('head').toFixed(0)} ms), all at ${ms(m('all'))}`
      : `rows at ${ms(m('rows'))}`;
  console.log(
    `  ${label.padEnd(29)} ${first}, CPU ${ms(m('cpu'))} (engine ${m('serveCpu').toFixed(0)} ms)  (empty section at ${ms(m('shell'))}; ` +
      `whole catalog.get: wait ${m('ttfb').toFixed(0)} ms, ${(m('bytes') / 2 ** 20).toFixed(1)} MB in ${m('download').toFixed(0)} ms; ` +
      `parse+index+render ${m('afterResponse').toFixed(0)} ms; JS heap ${m('heapMb').toFixed(0)} MB)`,
  );
  const each = (k: 'shell' | 'rows' | 'all') => opens.map((o) => o[k].toFixed(0)).join(' ');
  console.log(
    `    each run: empty section ${each('shell')}; rows ${each('rows')}; all rows ${each('all')}`,
  );
  console.log(
    `    last run, ms since navigation: ${opens.at(-1)?.startup ?? ''}; calls before all rows: ${opens.at(-1)?.calls ?? ''}`,
  );
}

/** Run a scroll in the page and print its frame times with the CPU it cost per frame. */
async function scrollRun(page: Page, label: string, px: number, frames: number): Promise<void> {
  const cpu0 = treeCpuMs();
  const f = await page.evaluate(scrollFrames, { px, frames });
  const cpu = (treeCpuMs() - cpu0) / f.frames;
  console.log(
    `  ${label.padEnd(34)} ${String(f.frames).padStart(4)} frames  median ${f.median.toFixed(1).padStart(5)} ms  ` +
      `p95 ${f.p95.toFixed(1).padStart(5)} ms  max ${f.max.toFixed(1).padStart(6)} ms  ` +
      `over 50 ms: ${f.over50}  long animation frames: ${f.longFrames}  CPU per frame ${cpu.toFixed(1)} ms`,
  );
}

async function main(): Promise<void> {
  if (!existsSync(cli)) {
    console.error('The CLI is not built: run `node scripts/build.mjs` first.');
    process.exit(2);
  }
  const tmp = mkdtempSync(join(tmpdir(), 'dapple-bench-table-'));
  const children: ChildProcess[] = [];
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-sync'],
  });
  try {
    console.log(
      `catalog table benchmark: ${total.toLocaleString('en')} cached points, ${runs} runs, median shown; ` +
        `${cpus().length} cores, load ${loadavg()[0]?.toFixed(1)}`,
    );
    // Targets: this build on both caches and, with DAPPLE_BENCH_BASELINE_ROOT (a checkout with its
    // own out/), that build too; the runs go round the targets, so load changes hit them alike.
    const older = process.env.DAPPLE_BENCH_BASELINE_ROOT;
    const builds: [string, string][] = [['', cli]];
    if (older) builds.push([', older build', join(older, 'out', 'cli', 'index.js')]);
    const targets: { label: string; n: number; url: string; pid: number; opens: Open[] }[] = [];
    for (const n of [100, total]) {
      const ws = join(tmp, `ws-${n}`);
      const data = join(tmp, `data-${n}`);
      const started = performance.now();
      const { bytes } = await makeBenchWorkspace(ws, data, n);
      const size = n === 100 ? 'baseline: 100 points' : `${total.toLocaleString('en')} points`;
      console.log(
        `  (${size}: cache of ${(bytes / 2 ** 20).toFixed(1)} MB written in ${(performance.now() - started).toFixed(0)} ms)`,
      );
      for (const [which, path] of builds) {
        // Each build keeps its own data folder (a copy of the same cache).
        const own = which ? `${data}-older` : data;
        if (which) cpSync(data, own, { recursive: true });
        const served = await serve(path, ws, own);
        children.push(served.child);
        targets.push({
          label: `${size}${which}`,
          n,
          url: served.url,
          pid: served.child.pid ?? 0,
          opens: [],
        });
      }
    }
    let bigPage: Page | null = null;
    for (let r = 0; r < runs; r++) {
      for (const target of targets) {
        const { page, open } = await openOnce(browser, target.url, target.pid).catch((e) => {
          throw new Error(`${target.label}, run ${r + 1}: ${String(e)}`, { cause: e });
        });
        target.opens.push(open);
        if (target === targets.find((t) => t.n === total) && r === runs - 1) bigPage = page;
        else await page.close();
      }
    }
    const results = new Map(targets.map((t) => [t.label, t.opens]));
    console.log(
      '\nOpening the Catalog section (navigation start → first table row; target < 1 s):',
    );
    for (const [label, opens] of results) printOpen(label, opens);

    if (bigPage) {
      console.log(
        `\nScrolling ${total.toLocaleString('en')} points (rAF frame times; target: none over 50 ms):`,
      );
      await scrollRun(bigPage, 'baseline: idle, no scrolling', 0, 180);
      await scrollRun(bigPage, 'wheel-like, 120 px per frame', 120, 240);
      await scrollRun(bigPage, 'scrollbar drag, 6,000 px per frame', 6000, 240);
      await bigPage.evaluate(() => {
        const el = document.querySelector('.pt-scroll');
        if (el) el.scrollTop = 0;
      });
      console.log('\nOn the full catalog (action → next frame painted):');
      for (const action of ['sort', 'filter', 'search', 'keyboard'] as const) {
        const cpu0 = treeCpuMs();
        const t = await bigPage.evaluate(timeInteraction, action);
        console.log(`  ${action.padEnd(10)} ${ms(t)}, CPU ${ms(treeCpuMs() - cpu0)}`);
      }
    }
  } finally {
    await browser.close();
    for (const child of children) child.kill('SIGTERM');
    rmSync(tmp, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
