// Reading a workspace file without trusting what it is: only a regular file is read. A FIFO, a
// device or a socket is named, never opened for a blocking read (a FIFO would hang the loader).
import { constants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';

/** What kind of thing a path is, in words, when it is not a regular file; null for a file. */
export function notAFile(info: Stats): string | null {
  if (info.isFile()) return null;
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** The file's text, or why it was not read (a sentence fragment). Never blocks on a pipe. */
export async function readRegularFile(
  path: string,
  maxBytes: number,
): Promise<{ text: string } | { refused: string }> {
  // O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer.
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    const kind = notAFile(info);
    if (info.isDirectory())
      return { refused: 'the file cannot be read: it is a folder, not a file' };
    if (kind) return { refused: `it is ${kind}, not a file: Dapple reads only regular files` };
    if (info.size > maxBytes) {
      return {
        refused: `the file is ${Math.round(info.size / 1024)} KB, larger than a workspace file can be (${Math.round(maxBytes / 1024 / 1024)} MB), so it was not read`,
      };
    }
    return { text: await handle.readFile('utf8') };
  } finally {
    await handle.close();
  }
}
