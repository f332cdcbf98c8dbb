// Is the object a key holds now the same as its version at T? The same version is; different
// bytes (size, ETag) are not; equal bytes need a HeadObject of both to compare Content-Type and
// user metadata, which a listing does not tell.
import { HeadObjectCommand, type HeadObjectCommandOutput } from '@aws-sdk/client-s3';
import type { S3Backend } from '../../catalog/backends/s3';
import { withOwnAbort } from '../../catalog/backends/s3-abort';
import { keyFailure } from './errors';
import type { VersionEntry } from './listing';

/** An object version somewhere: backend, bucket, key and the listing's entry. */
export type ObjectRef = { backend: S3Backend; bucket: string; key: string; entry: VersionEntry };

/** A multipart upload's ETag ("<md5 of part md5s>-<parts>") says nothing about a plain MD5. */
export const isMultipartEtag = (etag: string | null): boolean =>
  etag !== null && /-\d+$/.test(etag);

/** From the listing alone: 'same', 'different', or 'ask' (HeadObject both). */
export function quickCompare(a: ObjectRef, b: ObjectRef): 'same' | 'different' | 'ask' {
  if (
    a.backend.config.endpoint === b.backend.config.endpoint &&
    a.bucket === b.bucket &&
    a.key === b.key
  )
    if (a.entry.versionId === b.entry.versionId) return 'same';
  if (a.entry.size !== b.entry.size) return 'different';
  const kindsDiffer = isMultipartEtag(a.entry.etag) !== isMultipartEtag(b.entry.etag);
  if (a.entry.etag !== b.entry.etag && !kindsDiffer) return 'different';
  return 'ask';
}

/** HeadObject of one version, with checksums when the server keeps them. */
export function headVersion(
  ref: ObjectRef,
  signal?: AbortSignal,
): Promise<HeadObjectCommandOutput> {
  return withOwnAbort(signal, (abort) =>
    ref.backend.client.send(
      new HeadObjectCommand({
        Bucket: ref.bucket,
        Key: ref.key,
        VersionId: ref.entry.versionId,
        ChecksumMode: 'ENABLED',
      }),
      abort,
    ),
  ).catch((error: unknown) => {
    throw keyFailure(
      error,
      ref.backend,
      's3:GetObjectVersion',
      ref.bucket,
      ref.key,
      ref.entry.versionId,
    );
  });
}

const sorted = (record: Record<string, string> | undefined): string =>
  JSON.stringify(Object.entries(record ?? {}).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));

/** The headers a copy carries over (MetadataDirective COPY): equal here means equal to a user. */
export function describedAs(head: HeadObjectCommandOutput): string {
  return JSON.stringify([
    head.ContentType ?? null,
    sorted(head.Metadata),
    head.CacheControl ?? null,
    head.ContentDisposition ?? null,
    head.ContentEncoding ?? null,
    head.ContentLanguage ?? null,
  ]);
}

const CHECKSUMS = [
  'ChecksumCRC64NVME',
  'ChecksumSHA256',
  'ChecksumSHA1',
  'ChecksumCRC32C',
  'ChecksumCRC32',
] as const;

/** Same bytes by a full-object checksum both report, or null when they share none. */
function sameByChecksum(a: HeadObjectCommandOutput, b: HeadObjectCommandOutput): boolean | null {
  for (const name of CHECKSUMS) {
    const x = a[name];
    const y = b[name];
    // A composite checksum ("…-3") depends on the part sizes, like a multipart ETag.
    if (x && y && !/-\d+$/.test(x) && !/-\d+$/.test(y)) return x === y;
  }
  return null;
}

/** Compare two versions the listing could not tell apart: bytes (ETag or checksum), and headers when asked. */
export async function sameObject(
  a: ObjectRef,
  b: ObjectRef,
  signal?: AbortSignal,
  headers = true,
): Promise<boolean> {
  const [x, y] = await Promise.all([headVersion(a, signal), headVersion(b, signal)]);
  const bytes =
    a.entry.etag === b.entry.etag && a.entry.etag !== null ? true : (sameByChecksum(x, y) ?? false);
  return bytes && (!headers || describedAs(x) === describedAs(y));
}
