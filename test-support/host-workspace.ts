// A workspace of ssh backends and host targets written as dapple.yaml and loaded as the app loads
// it, for the tests of confinement on remote hosts (main/restore/confine-remote-*.test.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SshOptions } from '../main/catalog/backends/ssh-connect';
import { loadWorkspace } from '../main/workspace/load';
import type { Workspace } from '../main/workspace/types';
import type { TestSshd } from './sshd';

/** The test sshd on 127.0.0.1, reached under a spelling no list of this machine's names knows. */
export const MAPPED = '::ffff:127.0.0.1';

/** Trust the sshd's host key under MAPPED:port, in `root`/known_hosts. */
export function trustMappedHost(root: string, sshd: TestSshd): void {
  const key = sshd.knownHostsLine.replace(/^\S+/, '');
  writeFileSync(join(root, 'known_hosts'), `[${MAPPED}]:${sshd.port}${key}\n`);
}

/** ssh options that know only `root`/known_hosts: no ssh config, agent or default keys. */
export function isolatedSsh(root: string, extra: SshOptions = {}): SshOptions {
  return {
    sshConfigPath: null,
    knownHostsFiles: [join(root, 'known_hosts')],
    agentSocket: null,
    defaultKeys: false,
    home: root,
    ...extra,
  };
}

/** An ssh backend: the host name as a user writes it, the port, and the login. */
export type HostBackend = { host: string; port: number; user?: string; identityFile?: string };

/** A target: a host folder on one of the backends, or a folder on this machine. */
export type HostTarget = {
  environment: 'production' | 'sandbox';
  backend?: string;
  path: string;
};

/** Write `dir`/dapple.yaml with these backends and targets and load it; throws its problems. */
export async function hostWorkspace(
  dir: string,
  backends: Record<string, HostBackend>,
  targets: Record<string, HostTarget>,
): Promise<Workspace> {
  const lines = ['name: confine-remote', 'backends:'];
  for (const [name, b] of Object.entries(backends)) {
    lines.push(`  ${name}:`, '    type: ssh', `    host: "${b.host}"`, `    port: ${b.port}`);
    if (b.user) lines.push(`    user: ${b.user}`);
    if (b.identityFile) lines.push(`    identityFile: ${b.identityFile}`);
  }
  lines.push('targets:');
  for (const [name, t] of Object.entries(targets)) {
    lines.push(`  ${name}:`, `    kind: ${t.backend ? 'host' : 'folder'}`);
    lines.push(`    environment: ${t.environment}`, `    path: "${t.path}"`);
    if (t.backend) lines.push(`    backend: ${t.backend}`);
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'dapple.yaml'), `${lines.join('\n')}\n`);
  const loaded = await loadWorkspace(dir);
  if (!loaded.workspace) throw new Error(JSON.stringify(loaded.problems));
  return loaded.workspace;
}
