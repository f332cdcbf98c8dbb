// Backends for source tests: the real ssh backend pointed at a test sshd, and a runner-only backend.
import { createSshBackend } from '../main/catalog/backends/ssh';
import type { SshBackend } from '../main/catalog/backends/ssh';
import type { SshPool } from '../main/catalog/backends/ssh-pool';
import type { Backend, Runner } from '../main/catalog/types';
import type { TestSshd } from './sshd';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A backend that only runs tools (list/read are not part of what tool sources use). */
export function runnerBackend(
  name: string,
  runner: Runner,
  toolEnv?: Record<string, string>,
): Backend {
  const refuse = (what: string) =>
    new Error(`runnerBackend ${name} does not ${what}: tool sources only run commands`);
  return {
    name,
    type: 'local',
    runner: () => runner,
    ...(toolEnv ? { toolEnv: () => Promise.resolve(toolEnv) } : {}),
    list: () => {
      throw refuse('list files');
    },
    read: () => Promise.reject(refuse('read files')),
    close: () => Promise.resolve(),
  };
}

/** A runner that swaps the program for another path: how tests reach "tool missing" or "tool prints junk". */
export function swapProgram(runner: Runner, program: string): Runner {
  return {
    where: runner.where,
    run: (argv, options) => runner.run([program, ...argv.slice(1)], options),
  };
}

/** The real ssh backend for a test sshd, isolated from the machine's ~/.ssh and agent. */
export function sshBackendFor(sshd: TestSshd, pool: SshPool, name = 'backup-host'): SshBackend {
  const knownHosts = join(sshd.dir, 'dapple_known_hosts');
  writeFileSync(knownHosts, `${sshd.knownHostsLine}\n`);
  return createSshBackend(
    {
      name,
      type: 'ssh',
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
      identityFile: sshd.clientKeyPath,
      tags: [],
    },
    {
      sshConfigPath: null,
      knownHostsFiles: [knownHosts],
      agentSocket: null,
      defaultKeys: false,
      home: sshd.dir,
    },
    pool,
  );
}

/** A local runner that runs every tool as another OS user (e.g. nobody), for "permission denied" cases. */
export function runAsUser(runner: Runner, user: string): Runner {
  return {
    where: `${user}@${runner.where}`,
    // HOME=/tmp: tools like borg want a writable home for their own config before touching the repo.
    run: (argv, options) =>
      runner.run(['runuser', '-u', user, '--', 'env', 'HOME=/tmp', ...argv], options),
  };
}
