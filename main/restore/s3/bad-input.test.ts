// What breaks the tools people use today for this, on moto: objects from before versioning,
// archived versions, a bucket without versioning, instants out of range, AccessDenied half-way,
// a throttling storm. Each fails with a sentence naming key and version, or restores anyway;
// nothing is lost, and a re-run converges.
import {
  DeleteBucketPolicyCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMoto, type Moto } from '../../../test-support/moto';
import {
  allVersionIds,
  currentState,
  makeBucket,
  makeHistory,
  nextSecond,
  put,
  type ObjectState,
} from '../../../test-support/s3-history';
import { startThrottleProxy } from '../../../test-support/s3-throttle';
import { UserError } from '../../ground/errors';
import type { S3Backend } from '../../catalog/backends/s3';
import { planOperation } from './operation';
import { operation, runToEnd, stateDifferences, testBackend } from './test-setup';

const text = (body: string, contentType = 'text/plain'): ObjectState => ({
  body: Buffer.from(body),
  contentType,
  metadata: {},
});

describe('S3 restore on bad input (moto)', () => {
  let moto: Moto;
  let s3: S3Client;
  let backend: S3Backend;
  const ctx = (op: ReturnType<typeof operation>, b = backend) => ({ op, backend: () => b });
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected a refusal');
      },
      (error: unknown) => {
        expect(error).toBeInstanceOf(UserError);
        return error as UserError;
      },
    );

  beforeAll(async () => {
    moto = await startMoto();
    s3 = moto.client();
    backend = testBackend(moto.endpoint);
  });
  afterAll(async () => {
    await backend?.close();
    await moto?.stop();
  });

  it('brings back objects written before versioning was enabled (version id "null")', async () => {
    await makeBucket(s3, 'legacy', { versioning: false });
    const before = new Map<string, ObjectState>();
    for (const name of ['a.txt', 'b.txt', 'c.txt', 'd.txt']) {
      before.set(`old/${name}`, text(`from the unversioned days: ${name}`));
      await put(s3, 'legacy', `old/${name}`, before.get(`old/${name}`) as ObjectState);
    }
    await s3.send(
      new PutBucketVersioningCommand({
        Bucket: 'legacy',
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    );
    const at = new Date((await nextSecond()) - 1);
    await put(s3, 'legacy', 'old/a.txt', text('overwritten after T'));
    await put(s3, 'legacy', 'old/b.txt', text('overwritten after T', 'text/html'));
    await put(s3, 'legacy', 'old/new.txt', text('born after T'));
    const run = await runToEnd(ctx(operation('restore-to-instant', 'legacy', 'old/', at)));
    expect(run.outcome.failed).toBe(0);
    expect(
      run.items
        .filter((i) => i.version === 'null')
        .map((i) => i.key)
        .sort(),
    ).toEqual(['old/a.txt', 'old/b.txt']);
    expect(stateDifferences(await currentState(s3, 'legacy', 'old/'), before)).toEqual([]);
  });

  it('refuses, naming keys and versions, when a version at T sits in GLACIER or DEEP_ARCHIVE; nothing is written', async () => {
    await makeBucket(s3, 'cold');
    await put(s3, 'cold', 'c/frozen.bin', text('archived'), { StorageClass: 'GLACIER' });
    await put(s3, 'cold', 'c/deep.bin', text('very archived'), { StorageClass: 'DEEP_ARCHIVE' });
    await put(s3, 'cold', 'c/warm.bin', text('standard'));
    const at = new Date((await nextSecond()) - 1);
    for (const key of ['c/frozen.bin', 'c/deep.bin', 'c/warm.bin'])
      await put(s3, 'cold', key, text(`new ${key}`));
    const versions = await allVersionIds(s3, 'cold', 'c/');
    const error = await refusal(
      planOperation(ctx(operation('restore-to-instant', 'cold', 'c/', at)), true),
    );
    expect(error.code).toBe('S3_ARCHIVED');
    expect(error.message).toMatch(
      /^2 versions at .* are in an archive storage class and not restored/,
    );
    expect(error.message).toMatch(/"c\/frozen\.bin" \(version [^)]+, GLACIER\)/);
    expect(error.message).toMatch(/"c\/deep\.bin" \(version [^)]+, DEEP_ARCHIVE\)/);
    expect(error.hint).toMatch(
      /aws s3api restore-object --bucket cold --key "c\/(deep|frozen)\.bin" --version-id \S+/,
    );
    expect(await allVersionIds(s3, 'cold', 'c/')).toEqual(versions);
  });

  it('refuses a bucket without versioning, and instants before its history or in the future', async () => {
    await makeBucket(s3, 'plain', { versioning: false });
    await put(s3, 'plain', 'p/a', text('a'));
    const unversioned = await refusal(
      planOperation(ctx(operation('restore-to-instant', 'plain', 'p/', new Date())), true),
    );
    expect(unversioned.message).toBe(
      'Bucket plain does not keep versions, so s3://plain/p/ has no past state to restore.',
    );

    await makeBucket(s3, 'young');
    await put(s3, 'young', 'y/a', text('a'));
    const tooOld = await refusal(
      planOperation(
        ctx(operation('restore-to-instant', 'young', 'y/', new Date(Date.now() - 3_600_000))),
        true,
      ),
    );
    expect(tooOld.code).toBe('S3_INSTANT_TOO_OLD');
    expect(tooOld.message).toMatch(
      /is before the oldest version under s3:\/\/young\/y\/ \(\d{4}-.*Z\)/,
    );
    const future = await refusal(
      planOperation(
        ctx(operation('restore-to-instant', 'young', 'y/', new Date(Date.now() + 3_600_000))),
        true,
      ),
    );
    expect(future.code).toBe('S3_INSTANT_FUTURE');
    expect(future.message).toMatch(/is in the future/);
  });

  it('keeps going through AccessDenied half-way, names each key and version refused, and converges once allowed', async () => {
    // moto enforces bucket policies without IAM auth: a Deny on part of the prefix stands in for
    // a role that lacks s3:PutObject there.
    await makeBucket(s3, 'guarded');
    const history = await makeHistory(s3, 'guarded', 'g/', { keys: 60 });
    const versions = await allVersionIds(s3, 'guarded', 'g/');
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: 'guarded',
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Deny',
              Principal: '*',
              Action: 's3:PutObject',
              Resource: 'arn:aws:s3:::guarded/g/k01*',
            },
          ],
        }),
      }),
    );
    const op = operation('restore-to-instant', 'guarded', 'g/', history.at);
    const denied = await runToEnd(ctx(op));
    expect(denied.outcome.failed).toBeGreaterThan(0);
    expect(denied.outcome.keys).toBeGreaterThan(0);
    for (const failure of denied.failed) {
      expect(failure.key).toMatch(/^g\/k01/);
      expect(failure.version).toMatch(/\S/);
      expect(failure.error).toContain(`${JSON.stringify(failure.key)} (version ${failure.version}`);
      expect(failure.error).toMatch(/S3 denied s3:PutObject on bucket guarded/);
    }
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: 'guarded' }));
    const again = await runToEnd(ctx(op));
    expect(again.outcome.failed).toBe(0);
    expect(again.items.map((i) => i.key).sort()).toEqual(denied.failed.map((f) => f.key).sort());
    expect(stateDifferences(await currentState(s3, 'guarded', 'g/'), history.expected)).toEqual([]);
    const now = await allVersionIds(s3, 'guarded', 'g/');
    expect([...versions].filter((v) => !now.has(v))).toEqual([]);
  });

  it('rides out a throttling storm (503 SlowDown from a proxy: moto cannot throttle), and names keys when it never ends', async () => {
    await makeBucket(s3, 'busy');
    const history = await makeHistory(s3, 'busy', 'b/', { keys: 40 });
    const writes = (method: string | undefined) => method === 'PUT' || method === 'DELETE';
    // A storm: during the first 120 requests every write is refused twice before it passes.
    const refused = new Map<string, number>();
    const storm = await startThrottleProxy(moto.endpoint, (req, i) => {
      if (!writes(req.method) || i >= 120) return false;
      const times = refused.get(req.url ?? '') ?? 0;
      refused.set(req.url ?? '', times + 1);
      return times < 2;
    });
    const through = testBackend(storm.endpoint, undefined, 1);
    try {
      const op = operation('restore-to-instant', 'busy', 'b/', history.at, null, {
        concurrency: 8,
      });
      const run = await runToEnd(ctx(op, through));
      expect(storm.throttled()).toBeGreaterThan(10);
      expect(run.outcome.failed).toBe(0);
      expect(stateDifferences(await currentState(s3, 'busy', 'b/'), history.expected)).toEqual([]);
    } finally {
      await through.close();
      await storm.stop();
    }

    await makeBucket(s3, 'flooded');
    const small = await makeHistory(s3, 'flooded', 'f/', { keys: 20 });
    const endless = await startThrottleProxy(moto.endpoint, (req) => writes(req.method));
    const drowned = testBackend(endless.endpoint, undefined, 1);
    try {
      const op = operation('restore-to-instant', 'flooded', 'f/', small.at, null, {
        concurrency: 4,
      });
      const run = await runToEnd(ctx(op, drowned), { maxRetries: 1 });
      expect(run.outcome.keys).toBe(0);
      expect(run.failed.length).toBe(
        run.radius.overwrite.count + run.radius.bringBack.count + run.radius.hide.count,
      );
      for (const failure of run.failed)
        expect(failure.error).toMatch(
          /^".+" \(version .+\): S3 kept answering SlowDown \(HTTP 503\) to s3:(PutObject|DeleteObject) on bucket flooded/,
        );
    } finally {
      await drowned.close();
      await endless.stop();
    }
    const calm = await runToEnd(ctx(operation('restore-to-instant', 'flooded', 'f/', small.at)));
    expect(calm.outcome.failed).toBe(0);
    expect(stateDifferences(await currentState(s3, 'flooded', 'f/'), small.expected)).toEqual([]);
  });
});
