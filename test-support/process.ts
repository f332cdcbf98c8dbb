// Child processes for tests: servers run in their own process group so stop() kills all they forked.
import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { onExitCleanup } from './cleanup';

/** A server process started by a test: its output so far, and a stop that kills its whole group. */
export type ServerProcess = {
  child: ChildProcess;
  output: () => string;
  /** Resolves when the output matches, rejects if the process exits or time runs out first. */
  waitForOutput: (pattern: RegExp, timeoutMs?: number) => Promise<void>;
  exited: Promise<number | null>;
  stop: (signal?: NodeJS.Signals, graceMs?: number) => Promise<void>;
};

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Start a long-running program as a process-group leader; output is kept for error messages. */
export function startServer(
  command: string,
  args: string[],
  options: SpawnOptions = {},
): ServerProcess {
  const child = spawn(command, args, {
    ...options,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text = (text + chunk.toString('utf8')).slice(-64_000);
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const unregister = onExitCleanup(`process ${command}`, () => killGroup(child.pid, 'SIGKILL'));
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      unregister();
      resolve(code);
    });
    child.once('error', () => resolve(null));
  });
  let done = false;
  void exited.then(() => {
    done = true;
    for (const listener of listeners) listener();
  });

  const waitForOutput = (pattern: RegExp, timeoutMs = 15_000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (pattern.test(text)) finish();
        else if (done) finish(new Error(`${command} exited before it was ready:\n${text}`));
      };
      const timer = setTimeout(
        () => finish(new Error(`${command} was not ready within ${timeoutMs} ms:\n${text}`)),
        timeoutMs,
      );
      const finish = (error?: Error) => {
        clearTimeout(timer);
        listeners.delete(check);
        if (error) reject(error);
        else resolve();
      };
      listeners.add(check);
      check();
    });

  const stop = async (signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000) => {
    if (done) return;
    killGroup(child.pid, signal);
    const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
    // Children that ignored the signal (or were orphaned) go too.
    killGroup(child.pid, 'SIGKILL');
  };

  return { child, output: () => text, waitForOutput, exited, stop };
}

/** Options for a one-shot command. */
export type RunOptions = { env?: NodeJS.ProcessEnv; cwd?: string; input?: string; asUser?: string };

/** Run a command to completion; throws with its output when it fails. Returns stdout. */
export function runCommand(
  command: string,
  args: string[],
  options: RunOptions = {},
): Promise<string> {
  const [cmd, argv] = options.asUser
    ? ['runuser', ['-u', options.asUser, '--', command, ...args]]
    : [command, args];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(stdout);
      else
        reject(
          new Error(`${[command, ...args].join(' ')} failed (exit ${code}):\n${stderr}${stdout}`),
        );
    });
    // A command may exit without reading its input (EPIPE); its exit code and output say what
    // happened, so the broken pipe itself is not an error.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}
