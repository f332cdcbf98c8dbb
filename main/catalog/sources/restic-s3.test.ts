// restic source with an s3: repository on moto_server: the backend's credentials reach restic through env.
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOTO_CREDENTIALS, startMoto } from '../../../test-support/moto';
import type { Moto } from '../../../test-support/moto';
import { runCommand } from '../../../test-support/process';
import { makeTempDir } from '../../../test-support/temp';
import { runnerBackend } from '../../../test-support/tool-backends';
import { localRunner } from '../backends/local-runner';
import { ResticSource } from './restic';

describe('restic source on an s3: repository', () => {
  const temp = makeTempDir('restic-s3');
  let moto: Moto;
  let repository: string;
  let truth: { id: string; time: string; tags: string[] }[];
  const password = 'moto repo password';
  const awsEnv = {
    AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
  };

  beforeAll(async () => {
    moto = await startMoto();
    await moto.client().send(new CreateBucketCommand({ Bucket: 'restic-repo' }));
    repository = `s3:${moto.endpoint}/restic-repo`;
    const env = {
      ...process.env,
      ...awsEnv,
      RESTIC_PASSWORD: password,
      RESTIC_CACHE_DIR: temp.path,
    };
    await runCommand('restic', ['--repo', repository, 'init'], { env });
    await runCommand(
      'restic',
      ['--repo', repository, 'backup', '--tag', 'nightly', '--host', 'files1', temp.path],
      { env },
    );
    truth = JSON.parse(
      await runCommand('restic', ['--repo', repository, 'snapshots', '--json'], { env }),
    ) as typeof truth;
  });
  afterAll(async () => {
    await moto?.stop();
    temp.remove();
  });

  it('lists what restic reports, with credentials from the backend and the password from env', async () => {
    process.env.DAPPLE_TEST_S3_RESTIC_PW = password;
    const backend = runnerBackend('s3-main', localRunner, awsEnv);
    const source = new ResticSource(
      {
        name: 'files-s3',
        type: 'restic',
        backend: 's3-main',
        service: 'files',
        repository,
        password: { from: 'env', name: 'DAPPLE_TEST_S3_RESTIC_PW' },
      },
      backend,
    );
    const points = await source.list({});
    delete process.env.DAPPLE_TEST_S3_RESTIC_PW;
    expect(points.map((p) => [p.id, p.time, p.tags, p.copies])).toEqual(
      truth.map((s) => [
        s.id,
        new Date(s.time).toISOString(),
        [...s.tags, 'host:files1'],
        ['s3-main'],
      ]),
    );
  });
});
