// A command's process group, as the log records it (cmd.pid), and what a resume can do with it:
// tell whether it still runs (here, or on its ssh host over the connection) and stop it.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { SshPool } from '../catalog/backends/ssh-pool';
import { sharedSshPool } from '../catalog/backends/ssh-pool';
import type { SshOptions } from '../catalog/backends/ssh';
import { createSshBackend } from '../catalog/backends/ssh';
import type { BackendConfig } from '../workspace/types';

/** What cmd.pid says about a running command. */
export type ProcessRef = { machine: string; pgid: number; started: string | null };

/** The name a local command's cmd.pid gives this machine. */
export const thisMachine = (): string => hostname();

/** The kernel's start time (clock ticks since boot) of a local process, or null (not Linux, gone). */
export function localStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces: state is field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

/**
 * Whether a local process group still has members. A group id is not given to a new group while
 * the old one lives; if its leader's id now belongs to a process started at another time, the old
 * group is gone.
 */
export function localGroupRuns(ref: ProcessRef): boolean {
  try {
    process.kill(-ref.pgid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const leader = localStartTime(ref.pgid);
  return ref.started === null || leader === null || leader === ref.started;
}

/** Signal a local group; false when it is gone. */
export function signalLocalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

type SshConfig = Extract<BackendConfig, { type: 'ssh' }>;

/** Ask the command's ssh host, over the workspace's connection, whether its group still runs. */
export async function remoteGroupRuns(
  config: SshConfig,
  ref: ProcessRef,
  options: SshOptions,
  pool: SshPool = sharedSshPool,
): Promise<boolean> {
  const backend = createSshBackend(config, options, pool).runner();
  const result = await backend.run(['kill', '-0', '--', `-${ref.pgid}`], { timeoutMs: 15_000 });
  return result.code === 0;
}

/** Send a signal to the command's group on its ssh host. */
export async function signalRemoteGroup(
  config: SshConfig,
  pgid: number,
  signal: 'TERM' | 'KILL',
  options: SshOptions,
  pool: SshPool = sharedSshPool,
): Promise<void> {
  const backend = createSshBackend(config, options, pool).runner();
  await backend.run(['kill', `-${signal}`, '--', `-${pgid}`], { timeoutMs: 15_000 });
}
