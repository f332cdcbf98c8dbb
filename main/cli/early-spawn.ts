// The first thing `dapple catalog list --refresh` does: start the restic runs this workspace's last
// refresh made, before the CLI bundle loads; its sources adopt them (main/catalog/sources/
// restic-early.ts). What to start is kept per user in the CLI's cache folder, per workspace folder,
// with its dapple.yaml's size, times and inode: after an edit nothing starts early until one run
// has read the workspace again. Only restic listings with a password file qualify, so no secret
// is ever written. DAPPLE_EARLY_SPAWN=off turns it off; =trace counts the runs on stderr.
import fs from 'node:fs';
import path from 'node:path';
import { localRunner } from '../catalog/backends/local-runner';
import {
  EARLY_RUNS,
  isEarlyCommand,
  type EarlyCommand,
  type EarlyRuns,
} from '../catalog/sources/restic-early';
import { codeCacheDir, privateFolder } from './cache-dir';

const FORMAT = 'dapple-early-runs/1';
// The catalog reads 4 sources at once; a run started early beyond that would wait anyway.
const MAX_RUNS = 4;
const MAX_WORKSPACES = 50;

type Entry = { yaml: number[]; runs: EarlyCommand[] };
type Hints = { format: typeof FORMAT; workspaces: Record<string, Entry> };

/** The workspace folder the command names, as `parseArgs` reads it (the last --workspace wins). */
export function workspaceOf(args: string[], cwd: string): string {
  let dir = '.';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--workspace' && args[i + 1] !== undefined) dir = args[++i] as string;
    else if (arg.startsWith('--workspace=')) dir = arg.slice('--workspace='.length);
  }
  return path.resolve(cwd, dir);
}

// Any change to dapple.yaml changes one of these (ctime even when mtime is put back).
function yamlStamp(root: string): number[] | null {
  try {
    const info = fs.statSync(path.join(root, 'dapple.yaml'));
    return [info.size, info.mtimeMs, info.ctimeMs, info.ino, info.dev];
  } catch {
    return null; // not a workspace folder: the command says so itself
  }
}

function readHints(file: string): Hints {
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Hints>;
    if (value.format === FORMAT && typeof value.workspaces === 'object' && value.workspaces)
      return value as Hints;
  } catch {
    // none yet, or damaged: rewritten after this run
  }
  return { format: FORMAT, workspaces: {} };
}

const sameStamp = (a: unknown, b: number[]): boolean =>
  Array.isArray(a) && a.length === b.length && a.every((x, i) => x === b[i]);
const key = (c: EarlyCommand): string => JSON.stringify([c.argv, c.env]);

// Atomically; a failure only costs the next run its head start.
function writeHints(file: string, hints: Hints): void {
  try {
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(hints), { mode: 0o600 });
    fs.renameSync(temp, file);
  } catch {
    // a read-only or full disk
  }
}

/**
 * For `catalog list --refresh`: start the remembered restic runs of the workspace and share them
 * with the bundle; at exit, stop the ones nobody adopted and remember what this run made.
 */
export function startEarlyRuns(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): void {
  const [command, sub, ...args] = argv;
  if (command !== 'catalog' || sub !== 'list' || env.DAPPLE_EARLY_SPAWN === 'off') return;
  if (!args.includes('--refresh') || args.includes('--help') || args.includes('-h')) return;
  const dir = codeCacheDir(env);
  if (!privateFolder(dir)) return;
  const file = path.join(dir, 'early-runs.json');
  const root = workspaceOf(args, cwd);
  const stamp = yamlStamp(root);
  if (!stamp) return;
  const hints = readHints(file);
  const entry = hints.workspaces[root];
  const early: EarlyRuns = { runs: [], made: [] };
  if (entry && sameStamp(entry.yaml, stamp) && Array.isArray(entry.runs)) {
    for (const run of entry.runs.filter(isEarlyCommand).slice(0, MAX_RUNS)) {
      const controller = new AbortController();
      const result = localRunner.run(run.argv, {
        env: run.env,
        timeoutMs: 300_000, // what runTool gives every tool run
        signal: controller.signal,
      });
      result.catch(() => undefined); // an unadopted run's end is nobody's concern
      early.runs.push({ ...run, result, abort: () => controller.abort(), state: 'waiting' });
    }
  }
  (globalThis as Record<symbol, EarlyRuns>)[EARLY_RUNS] = early;
  process.once('exit', () => {
    const adopted = early.runs.filter((r) => r.state === 'adopted').length;
    for (const run of early.runs) if (run.state === 'waiting') run.abort();
    if (env.DAPPLE_EARLY_SPAWN === 'trace')
      process.stderr.write(
        `dapple: early runs: ${early.runs.length} started, ${adopted} adopted\n`,
      );
    const made = early.made.map(key).sort().join('\n');
    const had = Array.isArray(entry?.runs)
      ? entry.runs.filter(isEarlyCommand).map(key).sort().join('\n')
      : '';
    if (early.made.length === 0 || (made === had && sameStamp(entry?.yaml, stamp))) return;
    const latest = readHints(file);
    delete latest.workspaces[root];
    const roots = Object.keys(latest.workspaces);
    for (const old of roots.slice(0, Math.max(0, roots.length - MAX_WORKSPACES + 1)))
      delete latest.workspaces[old];
    latest.workspaces[root] = { yaml: stamp, runs: early.made };
    writeHints(file, latest);
  });
}
