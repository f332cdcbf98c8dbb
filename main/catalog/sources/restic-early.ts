// restic runs started before the CLI's code has loaded (main/cli/early-spawn.ts). A `dapple catalog
// list --refresh` spent ~60 ms loading its bundle and the workspace before it could start restic,
// which then runs ~330 ms, mostly deriving its key on one core. The CLI's first file starts the
// runs the previous run of that workspace made; a source adopts one only when the argv and env it
// would run now are exactly those, and runs restic itself otherwise. Outside the CLI (the app)
// there is no registry, and nothing changes.
import { UserError } from '../../ground/errors';
import type { RunOptions, RunResult, Runner } from '../types';

/** Where the CLI's first file leaves its early runs for the bundle (a separate script). */
export const EARLY_RUNS = Symbol.for('dapple.cli.earlyRuns');

/** A command that may start early: `restic … snapshots --json` with a password file, no secrets. */
export type EarlyCommand = { argv: string[]; env: Record<string, string> };

/** One run started early: its command, its outcome (the local runner's), and how to stop it. */
export type EarlyRun = EarlyCommand & {
  result: Promise<RunResult>;
  abort: () => void;
  state: 'waiting' | 'adopted' | 'stopped';
};

/** What the CLI's first file shares with the bundle. */
export type EarlyRuns = {
  runs: EarlyRun[];
  /** The early-startable commands this process's sources ran: what to start early next time. */
  made: EarlyCommand[];
};

const registry = (): EarlyRuns | undefined =>
  (globalThis as Record<symbol, EarlyRuns | undefined>)[EARLY_RUNS];

/** The one shape an early run may have: a read-only listing, never another command. */
export function isEarlyCommand(value: unknown): value is EarlyCommand {
  const c = value as Partial<EarlyCommand> | null;
  if (typeof c !== 'object' || c === null || !Array.isArray(c.argv)) return false;
  const [program, repo, ...rest] = c.argv as unknown[];
  const env = c.env as Record<string, unknown> | undefined;
  return (
    program === 'restic' &&
    typeof repo === 'string' &&
    repo.startsWith('--repo=') &&
    !/[\0\r\n]/.test(repo) &&
    rest.join(' ') === '--no-lock --quiet snapshots --json' &&
    typeof env === 'object' &&
    env !== null &&
    Object.keys(env).join() === 'RESTIC_PASSWORD_FILE' &&
    typeof env.RESTIC_PASSWORD_FILE === 'string'
  );
}

const sameCommand = (a: EarlyCommand, b: EarlyCommand): boolean =>
  a.argv.length === b.argv.length &&
  a.argv.every((w, i) => w === b.argv[i]) &&
  Object.keys(a.env).length === Object.keys(b.env).length &&
  Object.entries(a.env).every(([k, v]) => b.env[k] === v);

// The early run's errors come from the first file's copy of UserError: make them this bundle's.
function ownError(error: unknown): unknown {
  if (error instanceof UserError || !(error instanceof Error) || error.name !== 'UserError')
    return error;
  const e = error as Error & { code?: unknown; hint?: unknown };
  return new UserError(String(e.code), e.message, typeof e.hint === 'string' ? e.hint : '');
}

/**
 * The runner for `argv`: one that hands over the early run of exactly this command when there is
 * one (`local` must be the shared local runner, which is what started it), else `local` itself.
 * Notes an early-startable command for the next run either way.
 */
export function earlyOrLocal(local: Runner, argv: string[], env: Record<string, string>): Runner {
  const early = registry();
  const command = { argv, env };
  if (!early || !isEarlyCommand(command)) return local;
  if (!early.made.some((c) => sameCommand(c, command))) early.made.push(command);
  const run = early.runs.find((r) => r.state === 'waiting' && sameCommand(r, command));
  if (!run) return local;
  run.state = 'adopted';
  return {
    where: local.where,
    run: (argvNow: string[], options: RunOptions = {}) => {
      if (!sameCommand({ argv: argvNow, env: options.env ?? {} }, run)) {
        run.abort();
        return local.run(argvNow, options);
      }
      const { signal } = options;
      if (signal?.aborted) run.abort();
      signal?.addEventListener('abort', run.abort, { once: true });
      return run.result.then(
        (result) => {
          signal?.removeEventListener('abort', run.abort);
          return result;
        },
        (error: unknown) => {
          signal?.removeEventListener('abort', run.abort);
          throw ownError(error);
        },
      );
    },
  };
}

/** Stop the early runs no source adopted (the command is done), so the process can end now. */
export function releaseEarlyRuns(): void {
  for (const run of registry()?.runs ?? []) {
    if (run.state !== 'waiting') continue;
    run.state = 'stopped';
    run.abort();
  }
}
