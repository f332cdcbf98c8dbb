// Runs one step's argv on this machine: no shell, its own process group (so a timeout or a
// cancel stops everything it started), output handed over chunk by chunk as it arrives.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/** How one command ended. exitCode and signal are null when it could not start. */
export type CommandEnd = {
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  /** Why it did not end normally (could not start, timed out, cancelled), as a sentence; else null. */
  error: string | null;
  /** The program is not on this machine (not found, the folder exists): a shell's exit 127. */
  notFound?: boolean;
};

/** What a step's command needs. */
export type CommandRun = {
  argv: string[];
  cwd: string | null;
  timeoutMs: number | null;
  signal: AbortSignal;
  /** Extra environment (secrets for tools); over SSH it travels on stdin, never in argv. */
  env?: Record<string, string>;
  onOutput: (stream: 'stdout' | 'stderr', bytes: Buffer) => void;
  /** Called once the process exists, with its process group (the log records it: cmd.pid). */
  onStarted?: (pgid: number) => void;
};

// After SIGTERM, a process group gets this long to exit before SIGKILL.
const KILL_GRACE_MS = 3000;

/** Run argv locally and resolve when it has exited (never rejects). */
export function runLocal(run: CommandRun): Promise<CommandEnd> {
  const started = performance.now();
  const program = run.argv[0] ?? '';
  return new Promise((resolve) => {
    let error: string | null = null;
    let notFound = false;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let killer: NodeJS.Timeout | undefined;
    const child = spawn(program, run.argv.slice(1), {
      cwd: run.cwd ?? undefined,
      detached: true,
      shell: false,
      ...(run.env ? { env: { ...process.env, ...run.env } } : {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const finish = (exitCode: number | null, signal: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killer);
      run.signal.removeEventListener('abort', onAbort);
      resolve({
        exitCode,
        signal,
        durationMs: Math.round(performance.now() - started),
        error,
        ...(notFound ? { notFound } : {}),
      });
    };
    const stopGroup = (why: string) => {
      error ??= why;
      if (child.pid === undefined) return;
      const kill = (sig: NodeJS.Signals) => {
        try {
          process.kill(-(child.pid as number), sig);
        } catch {
          // Already gone.
        }
      };
      kill('SIGTERM');
      killer = setTimeout(() => kill('SIGKILL'), KILL_GRACE_MS);
    };
    const onAbort = () => stopGroup(`${program} was cancelled by the operator.`);
    // detached: the child leads its own process group, so its pid is the group's id.
    if (child.pid !== undefined) run.onStarted?.(child.pid);
    child.stdout.on('data', (chunk: Buffer) => run.onOutput('stdout', chunk));
    child.stderr.on('data', (chunk: Buffer) => run.onOutput('stderr', chunk));
    child.once('error', (e: NodeJS.ErrnoException) => {
      const where = run.cwd ? ` in ${run.cwd}` : '';
      error ??= `${program} could not be started${where} (${e.code ?? e.message}): check that it is installed and the folder exists.`;
      // spawn says ENOENT for a missing folder too: only an existing one means the program is missing.
      notFound = e.code === 'ENOENT' && (run.cwd === null || existsSync(run.cwd));
      finish(null, null);
    });
    // 'close' waits for the pipes too, so every chunk was handed over before the end.
    child.once('close', (code, sig) => finish(code, sig));
    if (run.timeoutMs !== null) {
      const seconds = Math.round(run.timeoutMs / 1000);
      timer = setTimeout(
        () => stopGroup(`${program} did not finish within ${seconds} s (the step's timeout).`),
        run.timeoutMs,
      );
    }
    if (run.signal.aborted) onAbort();
    else run.signal.addEventListener('abort', onAbort, { once: true });
  });
}
