// The local backend: a folder on this machine (a mounted NAS, a USB disk). Every path stays inside it.
import { lstat, opendir, readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { UserError } from '../../ground/errors';
import type { BackendConfig } from '../../workspace/types';
import type { Backend, ListedFile, Runner } from '../types';
import { localRunner } from './local-runner';

/** Largest file read() returns: manifests are small, a stray disk image is not. */
export const LOCAL_MAX_READ_BYTES = 64 * 1024 * 1024;

const shown = (path: string): string => (path.length > 200 ? `${path.slice(0, 197)}...` : path);

function fsError(error: unknown, path: string, backend: string): UserError {
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new UserError(
      'NOT_FOUND',
      `${shown(path)} does not exist on backend ${backend}.`,
      'Check the path in dapple.yaml, and that the disk or share is mounted.',
    );
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new UserError(
      'PERMISSION_DENIED',
      `Permission denied reading ${shown(path)} on backend ${backend}.`,
      'Run Dapple as a user that can read the backups, or fix their permissions.',
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new UserError(
    'LOCAL_READ_FAILED',
    `Reading ${shown(path)} on backend ${backend} failed: ${reason}.`,
    'Check the disk and try again.',
  );
}

const refused = (path: string, backend: string, why: string): UserError =>
  new UserError(
    'PATH_REFUSED',
    `The path "${shown(path)}" on backend ${backend} was refused: ${why}.`,
    'Use a plain relative path inside the backup folder.',
  );

/** A Backend over a folder. Paths are relative to its root, "/"-separated; "..", absolute paths and links out are refused. */
export class LocalBackend implements Backend {
  readonly type = 'local' as const;

  constructor(
    readonly name: string,
    /** The absolute folder this backend serves. */
    readonly root: string,
    private readonly tools: Runner = localRunner,
  ) {}

  // Lexical check: a relative path without "..", NUL or backslashes, joined under the root.
  private lexical(path: string): string {
    if (path.includes('\0')) throw refused(path, this.name, 'it contains a NUL byte');
    if (isAbsolute(path) || path.startsWith('/') || /^[A-Za-z]:/.test(path))
      throw refused(path, this.name, 'it is absolute');
    const parts = path.split(/[\\/]+/).filter((part) => part !== '' && part !== '.');
    if (parts.includes('..')) throw refused(path, this.name, 'it contains ".."');
    return join(this.root, ...parts);
  }

  // Resolve links and make sure the real place is still inside the real root.
  private async confined(path: string): Promise<string> {
    const full = this.lexical(path);
    let realRoot: string;
    try {
      realRoot = await realpath(this.root);
    } catch (error) {
      throw fsError(error, this.root, this.name);
    }
    let real: string;
    try {
      real = await realpath(full);
    } catch (error) {
      const tidy = path
        .split(/[\\/]+/)
        .filter((part) => part !== '' && part !== '.')
        .join('/');
      throw fsError(error, tidy === '' ? this.root : tidy, this.name);
    }
    const inside = relative(realRoot, real);
    if (inside.startsWith('..') || isAbsolute(inside))
      throw refused(path, this.name, 'it leads outside the backend folder through a link');
    return real;
  }

  /** The absolute, link-free path of a relative path inside the backend (for tools that take a path). */
  async resolve(path: string): Promise<string> {
    return this.confined(path);
  }

  /** Every regular file under prefix, recursively, sorted by path. Links are not followed. */
  async *list(prefix: string, options: { signal?: AbortSignal } = {}): AsyncIterable<ListedFile> {
    const start = await this.confined(prefix);
    const base = await realpath(this.root);
    const info = await stat(start).catch((error: unknown) => {
      throw fsError(error, prefix, this.name);
    });
    const toRelative = (full: string): string => relative(base, full).split(sep).join('/');
    if (info.isFile()) {
      yield { path: toRelative(start), sizeBytes: info.size, modified: info.mtime };
      return;
    }
    const stack = [start];
    while (stack.length > 0) {
      if (options.signal?.aborted)
        throw new UserError(
          'CANCELLED',
          `Listing ${shown(prefix)} on backend ${this.name} was cancelled.`,
          '',
        );
      const dir = stack.pop() ?? start;
      const found: { name: string; kind: 'dir' | 'file' }[] = [];
      try {
        for await (const entry of await opendir(dir)) {
          if (entry.isDirectory()) found.push({ name: entry.name, kind: 'dir' });
          else if (entry.isFile()) found.push({ name: entry.name, kind: 'file' });
        }
      } catch (error) {
        throw fsError(error, toRelative(dir) || '.', this.name);
      }
      found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      // Folders are walked after this folder's files, in name order (a stack, so pushed in reverse).
      for (const entry of found.filter((e) => e.kind === 'dir').reverse())
        stack.push(join(dir, entry.name));
      for (const entry of found.filter((e) => e.kind === 'file')) {
        const full = join(dir, entry.name);
        const file = await lstat(full).catch(() => null);
        if (file?.isFile())
          yield { path: toRelative(full), sizeBytes: file.size, modified: file.mtime };
      }
    }
  }

  /** The bytes of one file inside the backend. */
  async read(path: string, options: { signal?: AbortSignal } = {}): Promise<Buffer> {
    const real = await this.confined(path);
    const info = await stat(real).catch((error: unknown) => {
      throw fsError(error, path, this.name);
    });
    if (!info.isFile())
      throw new UserError(
        'NOT_A_FILE',
        `${shown(path)} on backend ${this.name} is not a file.`,
        'Check the path in dapple.yaml.',
      );
    if (info.size > LOCAL_MAX_READ_BYTES) {
      throw new UserError(
        'TOO_LARGE',
        `${shown(path)} on backend ${this.name} is ${info.size} bytes, more than Dapple reads into memory (${LOCAL_MAX_READ_BYTES}).`,
        'Only manifests and small catalog files are read this way.',
      );
    }
    try {
      return await readFile(real, options.signal ? { signal: options.signal } : {});
    } catch (error) {
      throw fsError(error, path, this.name);
    }
  }

  /** Tools (restic, borg) for sources on a local backend run on this machine. */
  runner(): Runner {
    return this.tools;
  }

  async close(): Promise<void> {
    // Nothing to release: a folder holds no connection.
  }
}

/** Make the local backend of a workspace entry (its path is already absolute after loading). */
export function createLocalBackend(
  config: Extract<BackendConfig, { type: 'local' }>,
): LocalBackend {
  return new LocalBackend(config.name, config.path);
}
