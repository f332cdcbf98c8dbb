// Where a key lands under a download folder, or why it must not: a key is data, never a path
// to follow. "..", absolute keys, empty segments, NUL, backslashes and any path through a
// symbolic link are refused with a sentence, for every key, before anything is written.
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';

/** A key's path under the folder: its segments, and whether it is a folder marker ("photos/"). */
export type KeyPath = { segments: string[]; folder: boolean };

const NAME_MAX = 255;

/** The path of a key (relative to the prefix) as segments, or the sentence that refuses it. */
export function keyPath(rel: string, size: number): KeyPath | string {
  if (rel.includes('\0')) return 'contains a NUL byte';
  if (rel === '') return 'names the prefix itself, not a file under it';
  if (rel.startsWith('/')) return 'is an absolute path';
  if (rel.includes('\\')) return 'contains a backslash, which Windows reads as a folder separator';
  const folder = rel.endsWith('/');
  const segments = (folder ? rel.slice(0, -1) : rel).split('/');
  if (folder && size > 0)
    return 'ends with "/" but holds bytes, so it is neither a file nor a folder';
  for (const segment of segments) {
    if (segment === '') return 'has an empty segment ("//")';
    if (segment === '..') return 'climbs out of the folder with ".."';
    if (segment === '.') return 'has a "." segment';
    if (Buffer.byteLength(segment) > NAME_MAX)
      return `has a name longer than ${NAME_MAX} bytes, which file systems refuse`;
  }
  return { segments, folder };
}

/**
 * Checks paths under one folder against what is on disk: no component may be a symbolic link
 * (or a file where a folder is needed). Answers are cached per folder, so a million keys in a
 * few hundred folders cost a few hundred lstat calls.
 */
export class FolderGuard {
  private readonly seen = new Map<string, 'dir' | 'missing' | string>();

  constructor(readonly root: string) {}

  /** What is at an absolute path: a folder, nothing, or a sentence why it cannot be a folder. */
  private async folderState(abs: string): Promise<'dir' | 'missing' | string> {
    const known = this.seen.get(abs);
    if (known !== undefined) return known;
    let state: 'dir' | 'missing' | string;
    try {
      const stat = await fs.lstat(abs);
      state = stat.isSymbolicLink()
        ? `goes through the symbolic link ${abs}`
        : stat.isDirectory()
          ? 'dir'
          : `needs ${abs} to be a folder, but it is a file`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      state = 'missing';
    }
    this.seen.set(abs, state);
    return state;
  }

  /** Null when the key may be written at its path, else why not. */
  async check(key: KeyPath): Promise<string | null> {
    let dir = this.root;
    const parents = key.folder ? key.segments : key.segments.slice(0, -1);
    for (const segment of parents) {
      dir = path.join(dir, segment);
      const state = await this.folderState(dir);
      if (state === 'missing') return null; // everything below is made by us
      if (state !== 'dir') return state;
    }
    if (key.folder) return null;
    const file = path.join(dir, key.segments.at(-1) as string);
    try {
      const stat = await fs.lstat(file);
      if (stat.isSymbolicLink()) return `would replace the symbolic link ${file}`;
      if (stat.isDirectory()) return `would replace the folder ${file} with a file`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    return null;
  }

  /** Forget what was seen (the executor checks again just before it writes). */
  forget(): void {
    this.seen.clear();
  }

  /** The absolute path of a key under the folder. */
  pathOf(key: KeyPath): string {
    return path.join(this.root, ...key.segments);
  }
}

/**
 * A local file against an object of `size` bytes: 'missing', 'different' (its size differs), or
 * its MD5 (hex) to compare with the ETag — read only when the sizes agree.
 */
export async function fileAgainst(
  file: string,
  size: number,
): Promise<'missing' | 'different' | { md5: string }> {
  try {
    const stat = await fs.lstat(file);
    if (!stat.isFile()) return 'missing';
    if (stat.size !== size) return 'different';
  } catch {
    return 'missing';
  }
  const hash = createHash('md5');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return { md5: hash.digest('hex') };
}

/** True when a real folder (not a link to one) is at the path. */
export async function isFolder(abs: string): Promise<boolean> {
  return fs.lstat(abs).then(
    (stat) => stat.isDirectory(),
    () => false,
  );
}
