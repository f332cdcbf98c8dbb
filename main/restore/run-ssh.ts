// Runs an ssh step on its host over the workspace's pooled ssh connection (host keys checked,
// argv through the one quoting function), streaming output as it arrives. The remote command
// runs under the pool's watchdog: when we hang up (timeout, cancel), the program is killed.
import type { ClientChannel } from 'ssh2';
import { UserError } from '../ground/errors';
import { createSshBackend, type SshOptions } from '../catalog/backends/ssh';
import {
  PGID_MARK,
  remoteCommand,
  sharedSshPool,
  type SshPool,
} from '../catalog/backends/ssh-pool';
import type { BackendConfig, Workspace } from '../workspace/types';
import type { CommandEnd, CommandRun } from './run-local';

type SshConfig = Extract<BackendConfig, { type: 'ssh' }>;

/** The ssh backend an ssh step's `on` names: a backend, or a host target on one. */
export function sshBackendFor(workspace: Workspace, on: string): SshConfig {
  const target = workspace.targets.get(on);
  const name = target?.backend ?? on;
  const backend = workspace.backends.get(name);
  if (backend?.type !== 'ssh') {
    throw new UserError(
      'SSH_STEP_HOST',
      `The ssh step runs on "${on.slice(0, 100)}", which is neither an ssh backend nor a host target of the workspace.`,
      'Name an ssh backend (or a host target) in the step’s on:, then start the session again.',
    );
  }
  return backend;
}

// The working folder travels as an argument of a fixed script: nothing is pasted into the shell.
const IN_FOLDER = 'cd -- "$1" || exit 126; shift; exec "$@"';

/** Runs step commands on one host; `where` (user@host:port) goes into cmd.start. */
export type SshStepRunner = { where: string; run: (run: CommandRun) => Promise<CommandEnd> };

/** The runner for an ssh backend of the workspace. */
export function sshStepRunner(
  config: SshConfig,
  options: SshOptions,
  pool: SshPool = sharedSshPool,
): SshStepRunner {
  const { target } = createSshBackend(config, options, pool);
  const where = `${target.user}@${target.hostName}:${target.port}`;
  return {
    where,
    async run(run) {
      const started = performance.now();
      const ended = (exitCode: number | null, signal: string | null, error: string | null) => ({
        exitCode,
        signal,
        error,
        durationMs: Math.round(performance.now() - started),
      });
      const argv = run.cwd ? ['sh', '-c', IN_FOLDER, 'sh', run.cwd, ...run.argv] : run.argv;
      try {
        const connection = await pool.get(target, options);
        const { command, preamble } = remoteCommand(argv, run.env ?? {}, true, true);
        return await exec(connection.client, command, preamble, run, where).then((r) =>
          ended(r.code, r.signal, r.error),
        );
      } catch (error) {
        return ended(null, null, error instanceof Error ? error.message : String(error));
      }
    },
  };
}

type Exec = { code: number | null; signal: string | null; error: string | null };

function exec(
  client: { exec: (command: string, cb: (e: Error | undefined, c: ClientChannel) => void) => void },
  command: string,
  preamble: string,
  run: CommandRun,
  where: string,
): Promise<Exec> {
  const program = run.argv[0] ?? '';
  return new Promise((resolve) => {
    if (run.signal.aborted)
      return resolve({
        code: null,
        signal: null,
        error: `${program} was cancelled by the operator.`,
      });
    client.exec(command, (failure, channel) => {
      if (failure) {
        return resolve({
          code: null,
          signal: null,
          error: `Could not start ${program} on ${where}: ${failure.message}.`,
        });
      }
      let error: string | null = null;
      let code: number | null = null;
      let signal: string | null = null;
      // Hanging up is what stops the program: the watchdog kills it when the channel closes.
      const stop = (why: string) => {
        error ??= why;
        channel.signal('KILL');
        channel.close();
      };
      const seconds = Math.round((run.timeoutMs ?? 0) / 1000);
      const timer =
        run.timeoutMs === null
          ? undefined
          : setTimeout(
              () => stop(`${program} did not finish within ${seconds} s (the step's timeout).`),
              run.timeoutMs,
            );
      const onAbort = () => stop(`${program} was cancelled by the operator.`);
      run.signal.addEventListener('abort', onAbort, { once: true });
      channel.on('data', (chunk: Buffer) => run.onOutput('stdout', chunk));
      channel.stderr.on('data', announced(run));
      channel.on('exit', (exitCode: number | null, exitSignal?: string) => {
        code = exitCode ?? null;
        signal = exitSignal ?? null;
      });
      channel.once('close', () => {
        clearTimeout(timer);
        run.signal.removeEventListener('abort', onAbort);
        if (error === null && code === null && signal === null)
          error = `The connection to ${where} closed before ${program} finished.`;
        resolve({ code, signal, error });
      });
      // Secrets first (read by the remote shell into its environment), then the watchdog waits on
      // our side of stdin: keep it open until we hang up.
      channel.write(preamble);
      if (run.signal.aborted) onAbort();
    });
  });
}

/**
 * stderr of a step's remote command: its first line is the shell's process group (PGID_MARK),
 * handed to onStarted and kept out of the output; everything after is the program's.
 */
function announced(run: CommandRun): (chunk: Buffer) => void {
  let head: Buffer | null = Buffer.alloc(0);
  const mark = Buffer.from(PGID_MARK);
  return (chunk) => {
    if (head === null) return run.onOutput('stderr', chunk);
    head = Buffer.concat([head, chunk]);
    const prefix = head.subarray(0, Math.min(head.length, mark.length));
    if (!prefix.equals(mark.subarray(0, prefix.length))) {
      const rest = head;
      head = null;
      return run.onOutput('stderr', rest);
    }
    const end = head.indexOf(0x0a);
    if (end < 0) return;
    const pgid = Number(head.subarray(mark.length, end).toString('utf8'));
    const rest = head.subarray(end + 1);
    head = null;
    if (Number.isInteger(pgid) && pgid > 0) run.onStarted?.(pgid);
    if (rest.length > 0) run.onOutput('stderr', rest);
  };
}
