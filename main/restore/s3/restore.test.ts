// S3 point-in-time restore against moto: a ~200-key prefix with several versions, overwrites,
// deletes and new keys after T, restored in place and into a sandbox bucket, then compared key
// by key (bytes, Content-Type, metadata) with what it listed at T; twice; cancelled and re-run.
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMoto, type Moto } from '../../../test-support/moto';
import {
  allVersionIds,
  currentState,
  makeBucket,
  makeHistory,
  type History,
  type ObjectState,
} from '../../../test-support/s3-history';
import type { S3Backend } from '../../catalog/backends/s3';
import { planOperation } from './operation';
import { bucketPlace, operation, runToEnd, stateDifferences, testBackend } from './test-setup';

/** What a restore of `now` to `history` must do, key by key. */
function expectedKinds(now: Map<string, ObjectState>, history: History) {
  const same = (a: ObjectState, b: ObjectState) =>
    a.body.equals(b.body) &&
    a.contentType === b.contentType &&
    JSON.stringify(a.metadata) === JSON.stringify(b.metadata);
  const kinds = { overwrite: 0, bringBack: 0, hide: 0, leave: 0 };
  for (const [key, want] of history.expected) {
    const got = now.get(key);
    if (!got) kinds.bringBack++;
    else if (same(got, want)) kinds.leave++;
    else kinds.overwrite++;
  }
  for (const key of now.keys()) if (!history.expected.has(key)) kinds.hide++;
  return kinds;
}

describe('S3 restore-to-instant and copy on moto', () => {
  let moto: Moto;
  let s3: S3Client;
  let backend: S3Backend;
  const ctx = (op: ReturnType<typeof operation>) => ({ op, backend: () => backend, pageSize: 250 });

  beforeAll(async () => {
    moto = await startMoto();
    s3 = moto.client();
    backend = testBackend(moto.endpoint);
  });
  afterAll(async () => {
    await backend?.close();
    await moto?.stop();
  });

  it('puts a prefix back as it was at T, never deleting a version, and a second run changes nothing', async () => {
    await makeBucket(s3, 'media');
    const history = await makeHistory(s3, 'media', 'img/');
    const before = await currentState(s3, 'media', 'img/');
    const kinds = expectedKinds(before, history);
    // The fixture covers every kind of change.
    expect(Math.min(kinds.overwrite, kinds.bringBack, kinds.hide, kinds.leave)).toBeGreaterThan(0);
    const versionsBefore = await allVersionIds(s3, 'media', 'img/');

    const op = operation('restore-to-instant', 'media', 'img/', history.at);
    const first = await runToEnd(ctx(op));
    expect(first.radius).toMatchObject({
      overwrite: { count: kinds.overwrite },
      bringBack: { count: kinds.bringBack },
      hide: { count: kinds.hide },
      leave: { count: kinds.leave },
      create: { count: 0 },
      keysAtInstant: history.expected.size,
    });
    expect(first.radius.hide.first[0]).toMatch(/^img\//);
    expect(first.outcome).toMatchObject({ failed: 0, cancelled: false });
    expect(first.items).toHaveLength(kinds.overwrite + kinds.bringBack + kinds.hide);
    // Every change names what it replaced and what it wrote: an undo plan can be derived.
    for (const item of first.items) {
      expect(item.from).not.toBeNull();
      expect(item.to).not.toBeNull();
      expect(item.marker).toBe(item.kind === 'hide');
      if (item.kind !== 'hide') expect(item.version).not.toBeNull();
    }

    expect(stateDifferences(await currentState(s3, 'media', 'img/'), history.expected)).toEqual([]);
    const versionsAfter = await allVersionIds(s3, 'media', 'img/');
    expect([...versionsBefore].filter((v) => !versionsAfter.has(v))).toEqual([]);

    const second = await runToEnd(ctx(op));
    expect(second.items).toEqual([]);
    expect(second.radius.leave.count).toBe(history.expected.size);
    expect(await allVersionIds(s3, 'media', 'img/')).toEqual(versionsAfter);
  });

  it('materialises the prefix as at T in a sandbox bucket, by the same rules, twice', async () => {
    await makeBucket(s3, 'prod');
    await makeBucket(s3, 'sandbox');
    const history = await makeHistory(s3, 'prod', 'data/', { keys: 120 });
    const op = operation(
      'copy',
      'prod',
      'data/',
      history.at,
      bucketPlace('sandbox', 'drill/2026/'),
    );
    const prodBefore = await allVersionIds(s3, 'prod', 'data/');
    const first = await runToEnd(ctx(op));
    expect(first.radius.create.count).toBe(history.expected.size);
    expect(first.radius.where).toBe(
      's3://sandbox/drill/2026/ on backend moto, from s3://prod/data/ on backend moto',
    );
    const rename = (key: string) => key.replace(/^data\//, 'drill/2026/');
    expect(
      stateDifferences(await currentState(s3, 'sandbox', 'drill/2026/'), history.expected, rename),
    ).toEqual([]);
    // The source is only read.
    expect(await allVersionIds(s3, 'prod', 'data/')).toEqual(prodBefore);
    const second = await runToEnd(ctx(op));
    expect(second.items).toEqual([]);
    expect(second.radius.leave.count).toBe(history.expected.size);
  });

  it('converges when a restore is cancelled half-way and run again', async () => {
    await makeBucket(s3, 'halfway');
    const history = await makeHistory(s3, 'halfway', 'x/', { keys: 100 });
    const op = operation('restore-to-instant', 'halfway', 'x/', history.at, null, {
      concurrency: 2,
    });
    const controller = new AbortController();
    const cancelled = await runToEnd(
      { ...ctx(op), signal: controller.signal },
      { page: { keys: 5, ms: 60_000 }, onPage: () => controller.abort() },
    );
    expect(cancelled.outcome.cancelled).toBe(true);
    const total =
      cancelled.radius.overwrite.count +
      cancelled.radius.bringBack.count +
      cancelled.radius.hide.count;
    expect(cancelled.items.length).toBeGreaterThan(0);
    expect(cancelled.items.length).toBeLessThan(total);
    expect(cancelled.failed).toEqual([]);

    const again = await runToEnd(ctx(op));
    expect(again.outcome).toMatchObject({ failed: 0, cancelled: false });
    expect(again.items.length).toBeLessThan(total);
    expect(stateDifferences(await currentState(s3, 'halfway', 'x/'), history.expected)).toEqual([]);
    expect((await planOperation(ctx(op), false)).radius.leave.count).toBe(history.expected.size);
  });
});
