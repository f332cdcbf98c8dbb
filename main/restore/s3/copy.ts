// Server-side copies of one version: CopyObject, or multipart UploadPartCopy above the threshold
// and for every source uploaded in parts (copied part for part, so the copy keeps the source's
// ETag and the next run sees them equal). No lock headers are sent: a new version gets the
// bucket's default retention, and nothing is asked of a locked version but to be read.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  UploadPartCopyCommand,
  type StorageClass,
} from '@aws-sdk/client-s3';
import type { S3Backend } from '../../catalog/backends/s3';
import { withOwnAbort } from '../../catalog/backends/s3-abort';
import { isMultipartEtag } from './compare';
import { copySource } from './keys';
import type { VersionEntry } from './listing';

/** S3's largest single CopyObject, and the smallest part (but the last). */
export const MAX_SINGLE_COPY = 5 * 1024 ** 3;
const MIN_PART = 8 * 1024 * 1024;
const MAX_PARTS = 10_000;
const PART_CONCURRENCY = 4;

/** One copy: from a version of a key to a key (same endpoint), through the destination's client. */
export type CopyJob = {
  backend: S3Backend;
  sourceBucket: string;
  sourceKey: string;
  entry: VersionEntry;
  destBucket: string;
  destKey: string;
  thresholdBytes: number;
  signal?: AbortSignal;
  /** The destination bucket has Object Lock: send Content-MD5 of the (empty) request body. */
  locked?: boolean;
};

// MD5 of zero bytes. moto refuses a CopyObject into a bucket with default retention without
// Content-MD5 (AWS asks it of uploads only); a digest of the empty body it carries is true for both.
const EMPTY_MD5 = '1B2M2Y8AsgTpgAmY7PhCfg==';

/** Classes a copy keeps; the archive classes are never a copy's destination class. */
const KEPT_CLASSES = new Set([
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'REDUCED_REDUNDANCY',
  'GLACIER_IR',
]);

const storageClassOf = (entry: VersionEntry): { StorageClass?: StorageClass } =>
  entry.storageClass && KEPT_CLASSES.has(entry.storageClass)
    ? { StorageClass: entry.storageClass as StorageClass }
    : {};

/** True when the copy goes part by part. */
export function copiesInParts(entry: VersionEntry, thresholdBytes: number): boolean {
  return isMultipartEtag(entry.etag) || entry.size > Math.min(thresholdBytes, MAX_SINGLE_COPY);
}

/** Copy the version onto the destination key; resolves to the new version id (null when unversioned). */
export async function copyVersion(job: CopyJob): Promise<string | null> {
  if (copiesInParts(job.entry, job.thresholdBytes)) return copyInParts(job);
  const command = new CopyObjectCommand({
    Bucket: job.destBucket,
    Key: job.destKey,
    CopySource: copySource(job.sourceBucket, job.sourceKey, job.entry.versionId),
    MetadataDirective: 'COPY',
    TaggingDirective: 'COPY',
    ...storageClassOf(job.entry),
  });
  if (job.locked)
    command.middlewareStack.add(
      (next) => (args) => {
        const request = args.request as { headers?: Record<string, string> };
        if (request.headers) request.headers['content-md5'] = EMPTY_MD5;
        return next(args);
      },
      { step: 'build', name: 'dappleEmptyBodyMd5' },
    );
  const answer = await withOwnAbort(job.signal, (abort) => job.backend.client.send(command, abort));
  return answer.VersionId ?? null;
}

/** Hide a key behind a delete marker (no version id: no version is deleted); the marker's id. */
export async function hideKey(
  backend: S3Backend,
  bucket: string,
  key: string,
  signal?: AbortSignal,
): Promise<string | null> {
  const answer = await withOwnAbort(signal, (abort) =>
    backend.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }), abort),
  );
  return answer.VersionId ?? null;
}

/** The byte ranges of the copy: the source's own parts when it was uploaded in parts, else even parts. */
async function partRanges(job: CopyJob): Promise<[number, number][]> {
  const { entry } = job;
  const ranges = (sizes: number[]) => {
    let start = 0;
    return sizes.map((size): [number, number] => {
      const range: [number, number] = [start, start + size - 1];
      start += size;
      return range;
    });
  };
  if (isMultipartEtag(entry.etag)) {
    const head = (part: number) =>
      withOwnAbort(job.signal, (abort) =>
        job.backend.client.send(
          new HeadObjectCommand({
            Bucket: job.sourceBucket,
            Key: job.sourceKey,
            VersionId: entry.versionId,
            PartNumber: part,
          }),
          abort,
        ),
      );
    const first = await head(1);
    const count = first.PartsCount ?? Number(/-(\d+)$/.exec(entry.etag ?? '')?.[1] ?? 1);
    const size = first.ContentLength ?? entry.size;
    const last = count > 1 ? ((await head(count)).ContentLength ?? 0) : size;
    // Uploaders use one part size but the last; when the sizes do not add up, ask every part.
    if (count === 1 || size * (count - 1) + last === entry.size)
      return ranges([...Array<number>(count - 1).fill(size), last].slice(0, count));
    const sizes: number[] = [];
    for (let part = 1; part <= count; part++) sizes.push((await head(part)).ContentLength ?? 0);
    return ranges(sizes);
  }
  const part = Math.max(MIN_PART, Math.ceil(entry.size / MAX_PARTS / 1024 ** 2) * 1024 ** 2);
  const sizes: number[] = [];
  for (let left = entry.size; left > 0; left -= part) sizes.push(Math.min(part, left));
  return ranges(sizes);
}

async function copyInParts(job: CopyJob): Promise<string | null> {
  const send = job.backend.client.send.bind(job.backend.client);
  const source = { Bucket: job.sourceBucket, Key: job.sourceKey, VersionId: job.entry.versionId };
  // CreateMultipartUpload copies nothing by itself: headers and tags are carried over by hand.
  const [head, tags] = await Promise.all([
    withOwnAbort(job.signal, (abort) => send(new HeadObjectCommand(source), abort)),
    withOwnAbort(job.signal, (abort) => send(new GetObjectTaggingCommand(source), abort)),
  ]);
  const tagging = (tags.TagSet ?? [])
    .map((t) => `${encodeURIComponent(t.Key ?? '')}=${encodeURIComponent(t.Value ?? '')}`)
    .join('&');
  const ranges = await partRanges(job);
  const upload = await withOwnAbort(job.signal, (abort) =>
    send(
      new CreateMultipartUploadCommand({
        Bucket: job.destBucket,
        Key: job.destKey,
        ...(head.ContentType ? { ContentType: head.ContentType } : {}),
        ...(head.CacheControl ? { CacheControl: head.CacheControl } : {}),
        ...(head.ContentDisposition ? { ContentDisposition: head.ContentDisposition } : {}),
        ...(head.ContentEncoding ? { ContentEncoding: head.ContentEncoding } : {}),
        ...(head.ContentLanguage ? { ContentLanguage: head.ContentLanguage } : {}),
        ...(head.Metadata ? { Metadata: head.Metadata } : {}),
        ...(tagging ? { Tagging: tagging } : {}),
        ...storageClassOf(job.entry),
      }),
      abort,
    ),
  );
  const uploadId = upload.UploadId as string;
  try {
    const etags: string[] = new Array<string>(ranges.length);
    let next = 0;
    const worker = async () => {
      while (next < ranges.length) {
        const index = next++;
        const [start, end] = ranges[index] as [number, number];
        const part = await withOwnAbort(job.signal, (abort) =>
          send(
            new UploadPartCopyCommand({
              Bucket: job.destBucket,
              Key: job.destKey,
              UploadId: uploadId,
              PartNumber: index + 1,
              CopySource: copySource(job.sourceBucket, job.sourceKey, job.entry.versionId),
              CopySourceRange: `bytes=${start}-${end}`,
            }),
            abort,
          ),
        );
        etags[index] = part.CopyPartResult?.ETag ?? '';
      }
    };
    await Promise.all(Array.from({ length: Math.min(PART_CONCURRENCY, ranges.length) }, worker));
    const done = await withOwnAbort(job.signal, (abort) =>
      send(
        new CompleteMultipartUploadCommand({
          Bucket: job.destBucket,
          Key: job.destKey,
          UploadId: uploadId,
          MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
        }),
        abort,
      ),
    );
    return done.VersionId ?? null;
  } catch (error) {
    // Leave no parts behind (they cost money and hide nothing); best effort, even after a cancel.
    await send(
      new AbortMultipartUploadCommand({
        Bucket: job.destBucket,
        Key: job.destKey,
        UploadId: uploadId,
      }),
    ).catch(() => undefined);
    throw error;
  }
}
