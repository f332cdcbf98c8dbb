// Runs an ssh step on its host through the workspace's ssh backend (pooled connection, host keys
// checked, argv through the one quoting function). The backend returns output when the command
// ends, so an ssh step's output reaches the log in one piece per stream.
import { createSshBackend, type SshOptions } from '../catalog/backends/ssh';
import { UserError } from '../api/errors';
import type { Runner } from '../catalog/types';
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

/** The runner of an ssh backend (its `where` names user@host:port for cmd.start). */
export function sshRunner(config: SshConfig, options: SshOptions): Runner {
  return createSshBackend(config, options).runner();
}

/** Run a step's argv on the ssh host (never rejects). */
export async function runSsh(runner: Runner, run: CommandRun): Promise<CommandEnd> {
  const started = performance.now();
  const argv = run.cwd ? ['sh', '-c', IN_FOLDER, 'sh', run.cwd, ...run.argv] : run.argv;
  try {
    const result = await runner.run(argv, {
      signal: run.signal,
      ...(run.timeoutMs === null ? {} : { timeoutMs: run.timeoutMs }),
    });
    if (result.stdout.length > 0) run.onOutput('stdout', result.stdout);
    if (result.stderr.length > 0) run.onOutput('stderr', Buffer.from(result.stderr));
    return {
      exitCode: result.code,
      signal: null,
      durationMs: Math.round(performance.now() - started),
      error: null,
    };
  } catch (error) {
    return {
      exitCode: null,
      signal: null,
      durationMs: Math.round(performance.now() - started),
      error: error instanceof Error ? error.message : String(error),
    };
  }
}
