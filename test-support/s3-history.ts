// A versioned prefix with a known past, for S3 restore tests: ~200 keys (hostile names among
// them), several versions, deletes, and after an instant T overwrites, deletes, keys brought back,
// new keys and headers-only changes. `expected` is exactly what the prefix listed at T.
import { createHash } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLockConfigurationCommand,
  type S3Client,
} from '@aws-sdk/client-s3';

/** What a key held at T: its bytes, Content-Type and user metadata. */
export type ObjectState = { body: Buffer; contentType: string; metadata: Record<string, string> };

/** Keys whose names trip tools up: spaces, "+", "%", URL-encoded look-alikes, unicode forms. */
export const TRICKY_NAMES = [
  'with space.txt',
  ' leading space',
  'trailing space ',
  'plus+sign.txt',
  'plus space+ .txt',
  '100%.txt',
  '%41.txt',
  'A.txt',
  'a%2Fb.txt',
  'a%20b.txt',
  'caf\u00e9.txt',
  'cafe\u0301.txt',
  'emoji-\u{1f600}.txt',
  '\uff21-fullwidth.txt',
  'deep/nested/folder/file.txt',
  'question?mark=1&x=2.txt',
  'hash#tag.txt',
];

const md5 = (body: Buffer | string): string => createHash('md5').update(body).digest('base64');

/** Wait until the wall clock enters the next whole second (S3 times have one-second precision). */
export async function nextSecond(): Promise<number> {
  const start = Math.floor(Date.now() / 1000);
  // A timer to the boundary, then re-check: timers may fire a little early.
  while (Math.floor(Date.now() / 1000) === start)
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));
  return Math.floor(Date.now() / 1000) * 1000;
}

/** Make a bucket with versioning (and Object Lock with a default retention, when asked). */
export async function makeBucket(
  s3: S3Client,
  bucket: string,
  options: { versioning?: boolean; lockDays?: number } = {},
): Promise<void> {
  await s3.send(
    new CreateBucketCommand({
      Bucket: bucket,
      ...(options.lockDays ? { ObjectLockEnabledForBucket: true } : {}),
    }),
  );
  if (options.versioning !== false || options.lockDays)
    await s3.send(
      new PutBucketVersioningCommand({
        Bucket: bucket,
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    );
  if (options.lockDays)
    await s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket: bucket,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: options.lockDays } },
        },
      }),
    );
}

/** Put one object (with Content-MD5: a bucket with Object Lock requires it). */
export async function put(
  s3: S3Client,
  bucket: string,
  key: string,
  state: ObjectState,
  extra: Partial<ConstructorParameters<typeof PutObjectCommand>[0]> = {},
): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: state.body,
      ContentType: state.contentType,
      Metadata: state.metadata,
      ContentMD5: md5(state.body),
      ...extra,
    }),
  );
}

const state = (
  text: string,
  contentType = 'text/plain',
  metadata: Record<string, string> = {},
): ObjectState => ({
  body: Buffer.from(text),
  contentType,
  metadata,
});

/** A history under `prefix`: its instant T and what the prefix listed at T. */
export type History = { at: Date; expected: Map<string, ObjectState>; keys: string[] };

/** Run `work` over items with a few requests in flight. */
async function each<T>(items: T[], work: (item: T) => Promise<void>, limit = 8): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

/** Write the history; the bucket must exist with versioning. */
export async function makeHistory(
  s3: S3Client,
  bucket: string,
  prefix: string,
  options: { keys?: number; lock?: boolean } = {},
): Promise<History> {
  const count = options.keys ?? 200;
  const names = [
    ...TRICKY_NAMES,
    ...Array.from(
      { length: count - TRICKY_NAMES.length },
      (_, i) => `k${String(i).padStart(3, '0')}.dat`,
    ),
  ];
  const keys = names.map((n) => prefix + n);
  const expected = new Map<string, ObjectState>();
  const write = async (key: string, s: ObjectState) => put(s3, bucket, key, s);
  // Before T: every key once, a third twice (the second version is the one at T), a tenth deleted.
  await each(keys, async (key) => {
    const s = state(`v1 of ${key}`, 'text/plain', { generation: '1' });
    await write(key, s);
    expected.set(key, s);
  });
  await each(
    keys.filter((_, i) => i % 3 === 0),
    async (key) => {
      const s = state(`v2 of ${key}, longer`, 'application/json', {
        generation: '2',
        owner: 'team a',
      });
      await write(key, s);
      expected.set(key, s);
    },
  );
  await each(
    keys.filter((_, i) => i % 10 === 7),
    async (key) => {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      expected.delete(key);
    },
  );
  const boundary = await nextSecond();
  const at = new Date(boundary - 1);
  // After T: overwrites, deletes (some of keys changed before), keys deleted before T coming back,
  // headers-only changes, identical rewrites, and keys born after T.
  await each(
    keys.filter((_, i) => i % 4 === 1),
    (key) => write(key, state(`v3 of ${key}`, 'text/html', { generation: '3' })),
  );
  await each(
    keys.filter((_, i) => i % 9 === 2),
    async (key) => {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
  );
  await each(
    keys.filter((_, i) => i % 10 === 7 && i % 20 === 7),
    (key) => write(key, state(`reborn ${key}`)),
  );
  await each(
    keys.filter((_, i) => i % 13 === 5 && i % 4 !== 1 && i % 9 !== 2 && i % 10 !== 7),
    async (key) => {
      const before = expected.get(key) as ObjectState;
      await write(key, { ...before, contentType: 'application/octet-stream' });
    },
  );
  await each(
    keys.filter(
      (_, i) => i % 17 === 3 && i % 4 !== 1 && i % 9 !== 2 && i % 10 !== 7 && i % 13 !== 5,
    ),
    async (key) => {
      await write(key, expected.get(key) as ObjectState);
    },
  );
  await each(
    Array.from({ length: 12 }, (_, i) => `${prefix}new/after-${i}.txt`),
    (key) => write(key, state(`born after T: ${key}`)),
  );
  return { at, expected, keys };
}

/** What a prefix lists now: every current key with its bytes, Content-Type and metadata. */
export async function currentState(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<Map<string, ObjectState>> {
  const out = new Map<string, ObjectState>();
  const keys: string[] = [];
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  for (;;) {
    const page = await s3.send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        Prefix: prefix,
        KeyMarker: keyMarker,
        VersionIdMarker: versionMarker,
      }),
    );
    for (const v of page.Versions ?? []) if (v.IsLatest && v.Key !== undefined) keys.push(v.Key);
    if (!page.IsTruncated) break;
    keyMarker = page.NextKeyMarker;
    versionMarker = page.NextVersionIdMarker;
  }
  await each(keys, async (key) => {
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    out.set(key, {
      body: Buffer.from((await got.Body?.transformToByteArray()) ?? []),
      contentType: got.ContentType ?? '',
      metadata: got.Metadata ?? {},
    });
  });
  return out;
}

/** Every version id under a prefix (to prove none was deleted). */
export async function allVersionIds(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<Set<string>> {
  const ids = new Set<string>();
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  for (;;) {
    const page = await s3.send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        Prefix: prefix,
        KeyMarker: keyMarker,
        VersionIdMarker: versionMarker,
      }),
    );
    for (const v of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])])
      ids.add(`${v.Key}@${v.VersionId}`);
    if (!page.IsTruncated) break;
    keyMarker = page.NextKeyMarker;
    versionMarker = page.NextVersionIdMarker;
  }
  return ids;
}
