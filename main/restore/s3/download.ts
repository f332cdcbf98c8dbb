// Writing one version into the download folder: folders made one by one (each checked not to be
// a link), the bytes streamed into a private temp file beside the final name, checked against the
// size and the MD5 ETag, then renamed into place (a rename replaces a name, it follows no link).
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { UserError } from '../../ground/errors';
import type { S3Backend } from '../../catalog/backends/s3';
import { withOwnAbort } from '../../catalog/backends/s3-abort';
import { isMultipartEtag } from './compare';
import type { FolderGuard } from './download-paths';
import { type KeyPath } from './download-paths';
import type { VersionEntry } from './listing';

/** Make the key's folders under the root, refusing any component that is not a real folder. */
async function makeFolders(guard: FolderGuard, segments: string[]): Promise<string> {
  let dir = guard.root;
  for (const segment of segments) {
    dir = path.join(dir, segment);
    try {
      await fs.mkdir(dir, { mode: 0o755 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const stat = await fs.lstat(dir);
    if (!stat.isDirectory() || stat.isSymbolicLink())
      throw new UserError(
        'DOWNLOAD_UNSAFE',
        `${dir} is not a real folder (a link or a file appeared there during the download).`,
        'Check the download folder for links, then run the step again.',
      );
  }
  return dir;
}

/** Download one version to its path under the folder; resolves to the bytes written. */
export async function downloadVersion(options: {
  backend: S3Backend;
  bucket: string;
  key: string;
  entry: VersionEntry;
  guard: FolderGuard;
  path: KeyPath;
  signal?: AbortSignal;
}): Promise<number> {
  const { guard, path: kp, entry } = options;
  // Just before writing, check the path again: the plan's check was a while ago.
  guard.forget();
  const why = await guard.check(kp);
  if (why)
    throw new UserError(
      'DOWNLOAD_UNSAFE',
      `The download ${why}.`,
      'Remove the link, then run the step again.',
    );
  if (kp.folder) {
    await makeFolders(guard, kp.segments);
    return 0;
  }
  const dir = await makeFolders(guard, kp.segments.slice(0, -1));
  const final = path.join(dir, kp.segments.at(-1) as string);
  const temp = path.join(dir, `.dapple-${randomBytes(6).toString('hex')}.part`);
  const answer = await withOwnAbort(options.signal, (abort) =>
    options.backend.client.send(
      new GetObjectCommand({
        Bucket: options.bucket,
        Key: options.key,
        VersionId: entry.versionId,
      }),
      abort,
    ),
  );
  const body = answer.Body as Readable | undefined;
  const handle = await fs.open(temp, 'wx', 0o644);
  const md5 = createHash('md5');
  let size = 0;
  try {
    if (body) {
      for await (const chunk of Readable.from(body)) {
        const bytes = chunk as Buffer;
        md5.update(bytes);
        size += bytes.length;
        await handle.write(bytes);
      }
    }
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fs.rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  const digest = md5.digest('hex');
  // An ETag is the MD5 of the bytes unless the object was uploaded in parts or encrypted with KMS.
  const md5Etag =
    entry.etag !== null &&
    !isMultipartEtag(entry.etag) &&
    answer.ServerSideEncryption !== 'aws:kms';
  if (size !== entry.size || (md5Etag && digest !== entry.etag)) {
    await fs.rm(temp, { force: true });
    throw new UserError(
      'DOWNLOAD_MISMATCH',
      `The bytes read (${size} bytes, MD5 ${digest}) do not match the listing (${entry.size} bytes, ETag ${entry.etag ?? 'none'}).`,
      'Run the step again; if it repeats, the object may be encrypted with a customer key or changed in flight.',
    );
  }
  await fs.rename(temp, final);
  return size;
}
