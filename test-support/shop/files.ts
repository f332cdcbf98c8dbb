// The app's files and their restic repository on the "files host", reached over SFTP through the
// test sshd. restic starts `ssh` from PATH; the console's bin/ssh wrapper runs OpenSSH with the
// shop's own ssh_config (test client key, known_hosts, no agent), so ~/.ssh is never read.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { runCommand } from '../process';
import { requireProgram } from '../programs';
import type { TestSshd } from '../sshd';
import type { ShopLayout } from './layout';

/** The ssh_config alias of the files host (restic's repository is sftp:<alias>:<path>). */
export const FILES_HOST_ALIAS = 'shop-files';

/** A restic snapshot as `restic snapshots --json` lists it. */
export type Snapshot = { id: string; time: string };

/** The app's files: relative path → sha256 of the bytes. */
export type FileHashes = Record<string, string>;

/** The files host's restic repository and the app folder it backs up. */
export type ShopFiles = {
  /** The repository as dapple.yaml names it: sftp:shop-files:/…/restic-repo. */
  repository: string;
  password: string;
  /** Environment for restic (and Dapple): PATH starts with the ssh wrapper. */
  env: NodeJS.ProcessEnv;
  /** Back up the app folder (its contents at the snapshot's root, so a restore lands as-is). */
  snapshot: () => Promise<Snapshot>;
  snapshots: () => Promise<Snapshot[]>;
};

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** The ssh_config restic's ssh reads: the files host, the test key, strict host keys, no agent. */
export function sshConfigText(sshd: TestSshd, knownHosts: string): string {
  return [
    `Host ${FILES_HOST_ALIAS}`,
    `  HostName ${sshd.host}`,
    `  Port ${sshd.port}`,
    `  User ${sshd.user}`,
    `  IdentityFile ${sshd.clientKeyPath}`,
    '  IdentitiesOnly yes',
    '  IdentityAgent none',
    `  UserKnownHostsFile ${knownHosts}`,
    '  GlobalKnownHostsFile /dev/null',
    '  StrictHostKeyChecking yes',
    '  BatchMode yes',
    '  ServerAliveInterval 5',
    '',
  ].join('\n');
}

/** Write the console's ssh setup and the wrapper; returns the environment restic runs with. */
export function consoleSsh(layout: ShopLayout, sshd: TestSshd): NodeJS.ProcessEnv {
  const { console } = layout;
  const ssh = requireProgram('ssh', 'openssh-client');
  writeFileSync(console.knownHosts, `[${sshd.host}]:${sshd.port} ${sshd.hostPublicKey}\n`);
  writeFileSync(console.sshConfig, sshConfigText(sshd, console.knownHosts));
  // -F replaces ~/.ssh/config and /etc/ssh/ssh_config: only the shop's settings apply.
  writeFileSync(join(console.bin, 'ssh'), `#!/bin/sh\nexec ${ssh} -F ${console.sshConfig} "$@"\n`, {
    mode: 0o755,
  });
  return { ...process.env, PATH: `${console.bin}:${process.env.PATH ?? ''}` };
}

/** Write files into a folder (relative path → text). */
export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
}

/** Every regular file under a folder with its sha256, by path relative to the folder. */
export function hashFolder(root: string): FileHashes {
  const out: FileHashes = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else if (stat.isFile()) out[relative(root, path)] = sha256(readFileSync(path));
    }
  };
  walk(root);
  return out;
}

/** Remove files of the app folder (the incident deletes one). */
export function removeFiles(root: string, paths: string[]): void {
  for (const path of paths) rmSync(join(root, path), { force: true });
}

/** Init the repository over SFTP. */
export async function startShopFiles(
  layout: ShopLayout,
  sshd: TestSshd,
  password = 'app files: correct horse battery staple',
): Promise<ShopFiles> {
  const restic = requireProgram('restic', 'restic');
  const { console, files } = layout;
  writeFileSync(console.resticPassword, `${password}\n`, { mode: 0o600 });
  const env: NodeJS.ProcessEnv = {
    ...consoleSsh(layout, sshd),
    TZ: 'UTC',
    RESTIC_PASSWORD_FILE: console.resticPassword,
    RESTIC_CACHE_DIR: join(layout.root, 'restic-cache'),
  };
  const repository = `sftp:${FILES_HOST_ALIAS}:${files.repo}`;
  await runCommand(restic, ['--repo', repository, 'init'], { env });
  const snapshots = async (): Promise<Snapshot[]> => {
    const out = await runCommand(restic, ['--repo', repository, 'snapshots', '--json'], { env });
    return (JSON.parse(out) as Snapshot[]).map((s) => ({ id: s.id, time: s.time }));
  };
  return {
    repository,
    password,
    env,
    snapshot: async () => {
      const out = await runCommand(
        restic,
        ['--repo', repository, 'backup', '--json', '--host', 'shop-app', '--tag', 'app-files', '.'],
        { env, cwd: files.app },
      );
      const summary = out
        .split('\n')
        .map((line) => (line.startsWith('{') ? (JSON.parse(line) as Record<string, unknown>) : {}))
        .find((m) => m.message_type === 'summary');
      const id = typeof summary?.snapshot_id === 'string' ? summary.snapshot_id : null;
      const found = (await snapshots()).find((s) => id !== null && s.id.startsWith(id));
      if (!found) throw new Error(`restic backup printed no snapshot id:\n${out.slice(-800)}`);
      return found;
    },
    snapshots,
  };
}
