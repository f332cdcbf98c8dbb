// The s3-versions source against moto: versioned buckets, delete markers and Object Lock
// (governance and compliance retention, a legal hold), checked against ListObjectVersions itself.
import { createHash } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLockConfigurationCommand,
  type ObjectLockMode,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOTO_CREDENTIALS, startMoto, type Moto } from '../../../test-support/moto';
import { UserError } from '../../ground/errors';
import { S3Backend } from '../backends/s3';
import { createS3VersionsSource, type S3VersionsConfig, type S3WindowRaw } from './s3-versions';

const md5 = (body: string): string => createHash('md5').update(body).digest('base64');
const DAY = 86_400_000;

type Lock = { mode?: ObjectLockMode; until?: Date; hold?: boolean };

/** Put one object; lock headers need Content-MD5, as on AWS. */
async function put(
  s3: S3Client,
  bucket: string,
  key: string,
  body: string,
  lock: Lock = {},
): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: body,
      ContentMD5: md5(body),
      ...(lock.mode ? { ObjectLockMode: lock.mode, ObjectLockRetainUntilDate: lock.until } : {}),
      ...(lock.hold ? { ObjectLockLegalHoldStatus: 'ON' as const } : {}),
    }),
  );
}

/** Everything ListObjectVersions reports under a prefix, read with the bare SDK. */
async function truth(s3: S3Client, bucket: string, prefix: string) {
  const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix }));
  const versions = page.Versions ?? [];
  const markers = page.DeleteMarkers ?? [];
  const times = versions.map((v) => (v.LastModified as Date).getTime());
  const latestMarker = [...markers].sort(
    (a, b) => (b.LastModified as Date).getTime() - (a.LastModified as Date).getTime(),
  )[0];
  return {
    versions: versions.length,
    markers: markers.length,
    oldest: new Date(Math.min(...times)).toISOString(),
    currentBytes: versions.filter((v) => v.IsLatest).reduce((sum, v) => sum + (v.Size ?? 0), 0),
    currentObjects: versions.filter((v) => v.IsLatest).length,
    latestMarker: latestMarker
      ? { key: latestMarker.Key, time: (latestMarker.LastModified as Date).toISOString() }
      : null,
    days: [...versions, ...markers].map((v) => (v.LastModified as Date).toISOString().slice(0, 10)),
  };
}

describe('s3-versions source on moto', () => {
  let moto: Moto;
  let s3: S3Client;
  let backend: S3Backend;
  const source = (bucket: string, prefix: string, extra: { pageSize?: number } = {}) => {
    const config: S3VersionsConfig = {
      name: `${bucket}-versions`,
      type: 's3-versions',
      backend: 'archive',
      service: 'shop',
      bucket,
      prefix,
    };
    return createS3VersionsSource(config, backend, { lockSample: 16, ...extra });
  };
  const soon = new Date(Date.now() + 3 * DAY);
  const later = new Date(Date.now() + 400 * DAY);
  const defaultPut = { before: 0, after: 0 };

  beforeAll(async () => {
    moto = await startMoto();
    s3 = moto.client();
    backend = new S3Backend(
      {
        name: 'archive',
        type: 's3',
        endpoint: moto.endpoint,
        region: 'us-east-1',
        profile: null,
        forcePathStyle: null,
        tags: [],
      },
      { credentials: MOTO_CREDENTIALS, maxAttempts: 1 },
    );
    await s3.send(new CreateBucketCommand({ Bucket: 'shop-uploads' }));
    await put(s3, 'shop-uploads', 'a.png', 'a');

    await s3.send(new CreateBucketCommand({ Bucket: 'shop-media' }));
    await s3.send(
      new PutBucketVersioningCommand({
        Bucket: 'shop-media',
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    );
    for (const body of ['v1', 'v2-longer', 'v3-longest!'])
      await put(s3, 'shop-media', 'images/a.png', body);
    await put(s3, 'shop-media', 'images/b.png', 'bbbb');
    await s3.send(new DeleteObjectCommand({ Bucket: 'shop-media', Key: 'images/b.png' }));
    await put(s3, 'shop-media', 'images/c.png', 'ccccccc');
    await put(s3, 'shop-media', 'other/x.bin', 'outside the prefix');

    await s3.send(new CreateBucketCommand({ Bucket: 'ledger', ObjectLockEnabledForBucket: true }));
    await s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket: 'ledger',
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } },
        },
      }),
    );
    await put(s3, 'ledger', 'gov/1.json', '1', { mode: 'GOVERNANCE', until: later });
    await put(s3, 'ledger', 'gov/2.json', '2', { mode: 'COMPLIANCE', until: soon });
    await put(s3, 'ledger', 'comp/1.json', '1', { mode: 'COMPLIANCE', until: later });
    await put(s3, 'ledger', 'comp/2.json', '2', { mode: 'COMPLIANCE', until: soon, hold: true });
    defaultPut.before = Date.now();
    await put(s3, 'ledger', 'default/1.json', 'no explicit lock');
    defaultPut.after = Date.now();
    // Lock enabled, no default retention: versions are protected only when a writer asks.
    await s3.send(
      new CreateBucketCommand({ Bucket: 'evidence', ObjectLockEnabledForBucket: true }),
    );
    await put(s3, 'evidence', 'hold/1.json', '1', { hold: true });
    await put(s3, 'evidence', 'mixed/1.json', '1', { mode: 'COMPLIANCE', until: later });
    await put(s3, 'evidence', 'mixed/2.json', 'unprotected');
  });
  afterAll(async () => {
    await backend?.close();
    await moto?.stop();
  });

  it('says a bucket without versioning cannot restore past states', async () => {
    const error = await source('shop-uploads', '')
      .list({})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(
      'bucket shop-uploads does not keep versions; enable versioning to restore past states',
    );
  });

  it('makes one window from the oldest version to now, matching ListObjectVersions', async () => {
    const expected = await truth(s3, 'shop-media', 'images/');
    const progress: number[] = [];
    const points = await source('shop-media', 'images/', { pageSize: 2 }).list({
      progress: (p) => progress.push(p.done),
    });
    expect(points).toHaveLength(1);
    const point = points[0]!;
    expect(point).toMatchObject({
      id: 's3://shop-media/images/',
      source: 'shop-media-versions',
      service: 'shop',
      kind: 'window',
      time: expected.oldest,
      endTime: null,
      parent: null,
      sizeBytes: expected.currentBytes,
      copies: ['archive'],
      immutable: null,
    });
    const raw = point.raw as S3WindowRaw;
    expect(raw.versions).toBe(expected.versions);
    expect(raw.versions).toBe(5);
    expect(raw.currentObjects).toBe(expected.currentObjects);
    expect(raw.deleteMarkers).toEqual({ count: expected.markers, latest: expected.latestMarker });
    expect(raw.deleteMarkers.latest?.key).toBe('images/b.png');
    expect(raw.deletedKeys).toBe(1);
    // Change density: versions and deletes per day add up to everything ListObjectVersions reported.
    expect(raw.density.reduce((n, d) => n + d.versions + d.deletes, 0)).toBe(expected.days.length);
    expect(raw.density.map((d) => d.day)).toEqual([...new Set(expected.days)].sort());
    expect(raw.objectLock.enabled).toBe(false);
    // Pages of two: progress was reported page by page, up to all six entries.
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.at(-1)).toBe(6);
  });

  it('finds no window under an empty prefix', async () => {
    await expect(source('shop-media', 'nothing-here/').list({})).resolves.toEqual([]);
  });

  it('takes the weakest lock of the window: governance beats compliance, and the earliest date', async () => {
    const [point] = await source('ledger', 'gov/').list({});
    expect(point?.immutable).toEqual({
      mode: 'GOVERNANCE',
      retainUntil: soon.toISOString(),
      legalHold: false,
    });
    const raw = point?.raw as S3WindowRaw;
    expect(raw.objectLock).toMatchObject({
      enabled: true,
      defaultRetention: { mode: 'GOVERNANCE', days: 30, years: null },
      checked: 2,
      unprotected: 0,
    });
    expect(point?.tags).toContain('object-lock');
  });

  it('reports compliance retention, with a legal hold on one version', async () => {
    const [point] = await source('ledger', 'comp/').list({});
    // The held version has no end date, so the window is retained until the other's date.
    expect(point?.immutable).toEqual({
      mode: 'COMPLIANCE',
      retainUntil: later.toISOString(),
      legalHold: false,
    });
    const held = (point?.raw as S3WindowRaw).objectLock.versions.find(
      (v) => v.key === 'comp/2.json',
    );
    expect(held).toMatchObject({ mode: 'COMPLIANCE', legalHold: true });
  });

  it('applies the bucket default retention to versions written without a lock', async () => {
    const [point] = await source('ledger', 'default/').list({});
    expect(point?.immutable?.mode).toBe('GOVERNANCE');
    const until = Date.parse(point?.immutable?.retainUntil ?? '');
    expect(until).toBeGreaterThanOrEqual(defaultPut.before + 30 * DAY - 1000);
    expect(until).toBeLessThanOrEqual(defaultPut.after + 30 * DAY + 1000);
  });

  it('reports a legal hold without retention as a hold with no end date', async () => {
    const [point] = await source('evidence', 'hold/').list({});
    expect(point?.immutable).toEqual({ mode: 'LEGAL_HOLD', retainUntil: null, legalHold: true });
  });

  it('calls a window with one unprotected version not immutable', async () => {
    const [point] = await source('evidence', 'mixed/').list({});
    expect(point?.immutable).toBeNull();
    expect((point?.raw as S3WindowRaw).objectLock).toMatchObject({ checked: 2, unprotected: 1 });
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      source('shop-media', 'images/').list({ signal: controller.signal }),
    ).rejects.toBeInstanceOf(UserError);
  });
});
