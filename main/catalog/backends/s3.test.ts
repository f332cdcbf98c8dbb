// The s3 backend against a real moto_server: listing, reading, and sentences for what goes wrong.
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOTO_CREDENTIALS, startMoto, type Moto } from '../../../test-support/moto';
import { freePort } from '../../../test-support/ports';
import { UserError } from '../../ground/errors';
import { S3Backend, splitS3Path, type S3BackendConfig, type S3BackendOptions } from './s3';
import { describeS3Error } from './s3-errors';

const config = (endpoint: string, extra: Partial<S3BackendConfig> = {}): S3BackendConfig => ({
  name: 'archive',
  type: 's3',
  endpoint,
  region: 'us-east-1',
  profile: null,
  forcePathStyle: null,
  tags: [],
  ...extra,
});

/** Collect a listing into an array. */
async function collect(iterable: AsyncIterable<{ path: string; sizeBytes: number }>) {
  const out: { path: string; sizeBytes: number }[] = [];
  for await (const item of iterable) out.push({ path: item.path, sizeBytes: item.sizeBytes });
  return out;
}

describe('S3Backend on moto', () => {
  let moto: Moto;
  const make = (options: S3BackendOptions = {}, extra: Partial<S3BackendConfig> = {}) =>
    new S3Backend(config(moto.endpoint, extra), {
      credentials: MOTO_CREDENTIALS,
      maxAttempts: 1,
      ...options,
    });

  beforeAll(async () => {
    moto = await startMoto();
    const s3 = moto.client();
    await s3.send(new CreateBucketCommand({ Bucket: 'shop-backups' }));
    for (const name of ['a.json', 'b.json', 'c.json', 'd.json', 'e.json']) {
      await s3.send(
        new PutObjectCommand({
          Bucket: 'shop-backups',
          Key: `daily/${name}`,
          Body: `{"n":"${name}"}`,
        }),
      );
    }
    await s3.send(new PutObjectCommand({ Bucket: 'shop-backups', Key: 'other/x.bin', Body: 'x' }));
  });
  afterAll(async () => {
    await moto?.stop();
  });

  it('lists every object under a prefix across pages', async () => {
    const backend = make({ pageSize: 2 });
    const listed = await collect(backend.list('shop-backups/daily/'));
    expect(listed.map((f) => f.path)).toEqual(
      ['a', 'b', 'c', 'd', 'e'].map((n) => `shop-backups/daily/${n}.json`),
    );
    expect(listed[0]?.sizeBytes).toBe('{"n":"a.json"}'.length);
    await backend.close();
  });

  it('reads an object as bytes, and refuses one larger than its limit', async () => {
    const backend = make({ maxReadBytes: 8 });
    await expect(backend.read('shop-backups/other/x.bin')).resolves.toEqual(Buffer.from('x'));
    await expect(backend.read('shop-backups/daily/a.json')).rejects.toThrow(
      /more than Dapple reads into memory/,
    );
    await backend.close();
  });

  it('names a missing bucket in a sentence', async () => {
    const backend = make();
    const error = await collect(backend.list('shop-uploadz/')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('S3_NO_SUCH_BUCKET');
    expect((error as UserError).message).toBe(
      `Bucket shop-uploadz does not exist at ${moto.endpoint} (backend archive).`,
    );
    await backend.close();
  });

  it('says a missing object is missing', async () => {
    const backend = make();
    await expect(backend.read('shop-backups/nope.json')).rejects.toMatchObject({
      code: 'S3_NOT_FOUND',
    });
    await backend.close();
  });

  it('says when the endpoint cannot be reached, after its retries', async () => {
    const port = await freePort();
    const backend = new S3Backend(config(`http://127.0.0.1:${port}`), {
      credentials: MOTO_CREDENTIALS,
      maxAttempts: 2,
    });
    const error = (await collect(backend.list('shop-backups/')).catch(
      (e: unknown) => e,
    )) as UserError;
    expect(error.code).toBe('S3_UNREACHABLE');
    expect(error.message).toContain(`could not reach the S3 endpoint http://127.0.0.1:${port}`);
    expect(error.hint).toMatch(/network path/);
    await backend.close();
  });

  it('refuses a path without a bucket', () => {
    expect(() => splitS3Path('/', 'archive')).toThrow(/does not name a bucket/);
    expect(splitS3Path('b/k/ey', 'archive')).toEqual({ bucket: 'b', key: 'k/ey' });
  });

  describe('with moto checking credentials', () => {
    let reader: { accessKeyId: string; secretAccessKey: string };
    beforeAll(async () => {
      reader = await moto.createUser('no-permissions');
      await moto.enableAuth();
    });

    it('says an unknown access key was not accepted', async () => {
      const backend = make({
        credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'nope' },
      });
      const error = (await collect(backend.list('shop-backups/')).catch(
        (e: unknown) => e,
      )) as UserError;
      expect(error.code).toBe('S3_BAD_CREDENTIALS');
      expect(error.message).toContain('did not accept');
      expect(error.message).toContain('InvalidAccessKeyId');
      await backend.close();
    });

    it('says which permission is missing when access is denied', async () => {
      const backend = make({ credentials: reader }, { profile: 'shop-readonly' });
      const error = (await collect(backend.list('shop-backups/')).catch(
        (e: unknown) => e,
      )) as UserError;
      expect(error.code).toBe('S3_ACCESS_DENIED');
      expect(error.message).toBe(
        'S3 denied s3:ListBucket on bucket shop-backups on backend archive to the AWS profile "shop-readonly".',
      );
      await backend.close();
    });
  });
});

// moto cannot expire a session token or answer from another region, so these feed describeS3Error
// the error shapes AWS returns (as the SDK parses them) and check the sentences.
describe('describeS3Error for what moto cannot simulate', () => {
  const place = {
    backend: 'prod-s3',
    endpoint: 'AWS S3',
    region: 'us-east-1',
    profile: 'ops',
    bucket: 'shop-uploads',
    action: 's3:ListBucketVersions',
  };

  it('says expired credentials are expired and how to renew them', () => {
    const error = describeS3Error(
      {
        name: 'ExpiredToken',
        message: 'The provided token has expired.',
        $metadata: { httpStatusCode: 400 },
      },
      place,
    );
    expect(error.code).toBe('S3_CREDENTIALS_EXPIRED');
    expect(error.message).toContain('the AWS profile "ops" have expired');
  });

  it('names the region the bucket is really in', () => {
    const error = describeS3Error(
      {
        name: 'AuthorizationHeaderMalformed',
        message:
          "The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'",
        $metadata: { httpStatusCode: 400 },
      },
      place,
    );
    expect(error.code).toBe('S3_WRONG_REGION');
    expect(error.message).toBe(
      'Bucket shop-uploads on backend prod-s3 is in region eu-west-1, but the backend uses us-east-1.',
    );
    expect(error.hint).toBe('Set region: eu-west-1 on backend prod-s3 in dapple.yaml.');
  });

  it('clips hostile 10 KB names instead of pasting them whole', () => {
    const error = describeS3Error(
      { name: 'NoSuchBucket' },
      { ...place, bucket: `$(rm -rf /)${'x'.repeat(10_000)}` },
    );
    expect(error.message.length).toBeLessThan(300);
    expect(error.message).toContain('$(rm -rf /)');
  });
});
