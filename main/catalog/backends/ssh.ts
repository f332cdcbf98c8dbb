// The ssh backend: SFTP list/read of a host's files, and a Runner that executes tools on that host.
import { posix } from 'node:path';
import type { SFTPWrapper } from 'ssh2';
import { UserError } from '../../ground/errors';
import type { BackendConfig } from '../../workspace/types';
import type { Backend, ListedFile, RunOptions, RunResult, Runner } from '../types';
import { readSshConfig, resolveSshTarget } from './ssh-config';
import type { SshTarget } from './ssh-config';
import type { SshOptions } from './ssh-connect';
import type { SshPool } from './ssh-pool';
import { sharedSshPool } from './ssh-pool';

export type { HostKeyInfo, SshOptions } from './ssh-connect';

type SshBackendConfig = Extract<BackendConfig, { type: 'ssh' }>;
type Attrs = { size: number; mtime: number; mode: number };
type DirEntry = { filename: string; attrs: Attrs };

/** Largest file read() returns: catalog files are small, a stray disk image is not. */
export const SSH_MAX_READ_BYTES = 64 * 1024 * 1024;

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;

/** Runs argv on an SSH host through the pooled connection. */
export class SshRunner implements Runner {
  readonly where: string;
  constructor(
    private readonly target: SshTarget,
    private readonly options: SshOptions,
    private readonly pool: SshPool,
  ) {
    this.where = `${target.user}@${target.hostName}:${target.port}`;
  }

  async run(argv: string[], options: RunOptions = {}): Promise<RunResult> {
    const connection = await this.pool.get(this.target, this.options);
    return connection.exec(argv, options);
  }
}

// Paths may be absolute or relative to the login folder, but never climb with "..".
function safePath(path: string, where: string): string {
  if (path.includes('\0') || path.split('/').includes('..')) {
    throw new UserError(
      'PATH_REFUSED',
      `The path "${path.slice(0, 200)}" on ${where} contains ".." or a NUL byte and was refused.`,
      'Use a plain path inside the backup folder.',
    );
  }
  return path === '' ? '.' : path;
}

function sftpError(error: Error & { code?: unknown }, path: string, where: string): UserError {
  const shown = path.slice(0, 200);
  if (error.code === 2)
    return new UserError(
      'NOT_FOUND',
      `${shown} does not exist on ${where}.`,
      'Check the path in the workspace.',
    );
  if (error.code === 3)
    return new UserError(
      'PERMISSION_DENIED',
      `Permission denied reading ${shown} on ${where}.`,
      'Log in as a user that can read the backups, or fix their permissions.',
    );
  return new UserError(
    'SFTP_FAILED',
    `Reading ${shown} on ${where} failed: ${error.message}.`,
    'Check the connection and try again.',
  );
}

/** A Backend on an SSH host. */
export class SshBackend implements Backend {
  readonly type = 'ssh' as const;
  readonly target: SshTarget;
  private readonly sshRunner: SshRunner;

  constructor(
    readonly name: string,
    target: SshTarget,
    private readonly options: SshOptions = {},
    private readonly pool: SshPool = sharedSshPool,
  ) {
    this.target = target;
    this.sshRunner = new SshRunner(target, options, pool);
  }

  runner(): Runner {
    return this.sshRunner;
  }

  private async sftp(): Promise<SFTPWrapper> {
    return (await this.pool.get(this.target, this.options)).sftp();
  }

  async *list(prefix: string, options: { signal?: AbortSignal } = {}): AsyncIterable<ListedFile> {
    const root = safePath(prefix.replace(/\/+$/, ''), this.sshRunner.where);
    const sftp = await this.sftp();
    const stack = [root];
    while (stack.length > 0) {
      if (options.signal?.aborted)
        throw new UserError('CANCELLED', `Listing ${root} was cancelled.`, '');
      const dir = stack.pop() ?? root;
      const entries = await new Promise<DirEntry[]>((resolve, reject) =>
        sftp.readdir(dir, (error, list) =>
          error ? reject(sftpError(error, dir, this.sshRunner.where)) : resolve(list as DirEntry[]),
        ),
      );
      entries.sort((a, b) => a.filename.localeCompare(b.filename));
      for (const entry of entries) {
        const path = dir === '.' ? entry.filename : posix.join(dir, entry.filename);
        const kind = entry.attrs.mode & S_IFMT;
        // Links are not followed: a backup folder must not lead the listing elsewhere.
        if (kind === S_IFDIR) stack.push(path);
        else if (kind === S_IFREG)
          yield { path, sizeBytes: entry.attrs.size, modified: new Date(entry.attrs.mtime * 1000) };
      }
    }
  }

  async read(path: string, options: { signal?: AbortSignal } = {}): Promise<Buffer> {
    const safe = safePath(path, this.sshRunner.where);
    const sftp = await this.sftp();
    if (options.signal?.aborted)
      throw new UserError('CANCELLED', `Reading ${safe} was cancelled.`, '');
    const size = await new Promise<number>((resolve, reject) =>
      sftp.stat(safe, (error, stats) =>
        error ? reject(sftpError(error, safe, this.sshRunner.where)) : resolve(stats.size),
      ),
    );
    if (size > SSH_MAX_READ_BYTES) {
      throw new UserError(
        'FILE_TOO_LARGE',
        `${safe.slice(0, 200)} on ${this.sshRunner.where} is ${Math.round(size / 1048576)} MB; Dapple reads at most 64 MB of a catalog file.`,
        'Point the source at the manifests, not at backup data.',
      );
    }
    return new Promise((resolve, reject) =>
      sftp.readFile(safe, (error, data) =>
        error ? reject(sftpError(error, safe, this.sshRunner.where)) : resolve(data),
      ),
    );
  }

  async close(): Promise<void> {
    await this.pool.close(this.target);
  }
}

/** Make the ssh backend of a workspace: ~/.ssh/config aliases are applied, host keys always checked. */
export function createSshBackend(
  config: SshBackendConfig,
  options: SshOptions = {},
  pool: SshPool = sharedSshPool,
): SshBackend {
  const configText = options.sshConfigPath === null ? '' : readSshConfig(options.sshConfigPath);
  const target = resolveSshTarget(
    { host: config.host, port: config.port, user: config.user, identityFile: config.identityFile },
    { configText, ...(options.home ? { home: options.home } : {}) },
  );
  return new SshBackend(config.name, target, options, pool);
}
