// Writing a restored file under a target folder and nowhere else: the relative path is checked
// word by word, the folders on the way are resolved (a link out is refused), and the file itself
// is opened without following a link.
import { constants } from 'node:fs';
import { mkdir, open, realpath } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { UserError } from '../../ground/errors';

/** Refuse a relative path that could leave its folder. */
export function checkRelative(path: string): string[] {
  const parts = path.split('/');
  if (
    path === '' ||
    path.startsWith('/') ||
    path.includes('\\') ||
    path.includes('\0') ||
    parts.some((p) => p === '' || p === '.' || p === '..')
  ) {
    throw new UserError(
      'PATH_REFUSED',
      `The path "${path.slice(0, 200)}" could land outside the target folder, so nothing was written for it.`,
      'The backup set’s manifest names it: fix the manifest, or restore that file by hand.',
    );
  }
  return parts;
}

/**
 * Open base/relative for writing (created, truncated), after checking it stays under base.
 * `checked` remembers folders already made and resolved inside base during one restore.
 */
export async function openConfined(base: string, relative: string, checked?: Set<string>) {
  const parts = checkRelative(relative);
  const file = join(base, ...parts);
  const folder = dirname(file);
  if (!checked?.has(folder)) await checkFolder(base, folder, relative);
  checked?.add(folder);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;
  try {
    return await open(file, flags, 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') {
      throw new UserError(
        'PATH_REFUSED',
        `${file.slice(0, 300)} is a link; a restore never writes through one.`,
        'Remove the link from the target folder, then retry.',
      );
    }
    throw error;
  }
}

async function checkFolder(base: string, folder: string, relative: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  const [realBase, realFolder] = await Promise.all([realpath(base), realpath(folder)]);
  if (realFolder !== realBase && !realFolder.startsWith(realBase + sep)) {
    throw new UserError(
      'PATH_REFUSED',
      `${relative.slice(0, 200)} would be written through a link that leads out of ${base}, so it was refused.`,
      'Remove the link from the target folder, then retry.',
    );
  }
}
