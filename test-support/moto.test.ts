// The moto helper starts a real S3 server that keeps versions and can check credentials.
import {
  CreateBucketCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMoto, type Moto } from './moto';

describe('startMoto', () => {
  let moto: Moto;
  beforeAll(async () => {
    moto = await startMoto();
  });
  afterAll(async () => {
    await moto?.stop();
  });

  it('answers S3 calls on 127.0.0.1 and keeps object versions', async () => {
    expect(moto.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const s3 = moto.client();
    await s3.send(new CreateBucketCommand({ Bucket: 'helper-check' }));
    await s3.send(
      new PutBucketVersioningCommand({
        Bucket: 'helper-check',
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    );
    await s3.send(new PutObjectCommand({ Bucket: 'helper-check', Key: 'a.txt', Body: 'one' }));
    await s3.send(new PutObjectCommand({ Bucket: 'helper-check', Key: 'a.txt', Body: 'two' }));
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: 'helper-check' }));
    expect(listed.Versions?.length).toBe(2);
  });

  it('rejects unknown keys once auth is on, and reset turns it off again', async () => {
    const user = await moto.createUser('nobody');
    expect(user.accessKeyId).toMatch(/^AKIA/);
    await moto.enableAuth();
    const stranger = moto.client({ accessKeyId: 'AKIANOTAREALKEY00000', secretAccessKey: 'x' });
    await expect(stranger.send(new CreateBucketCommand({ Bucket: 'nope' }))).rejects.toMatchObject({
      name: 'InvalidAccessKeyId',
    });
    await moto.reset();
    await expect(
      stranger.send(new CreateBucketCommand({ Bucket: 'now-fine' })),
    ).resolves.toBeDefined();
  });

  it('stops, and the port no longer answers', async () => {
    const other = await startMoto();
    await other.stop();
    await expect(fetch(`${other.endpoint}/moto-api/`)).rejects.toThrow();
  });
});
