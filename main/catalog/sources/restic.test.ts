// restic source against real repositories: locally and on a host reached over the test sshd.
import { existsSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecoveryPoint } from '../../../preload/schemas/catalog';
import { makeResticRepo } from '../../../test-support/backup-repos';
import type { TestRepo } from '../../../test-support/backup-repos';
import { runCommand } from '../../../test-support/process';
import { startSshd } from '../../../test-support/sshd';
import type { TestSshd } from '../../../test-support/sshd';
import { makeTempDir } from '../../../test-support/temp';
import {
  runAsUser,
  runnerBackend,
  sshBackendFor,
  swapProgram,
} from '../../../test-support/tool-backends';
import { localRunner } from '../backends/local-runner';
import { SshPool } from '../backends/ssh-pool';
import type { SecretRef } from '../../workspace/types';
import { ResticSource } from './restic';

const HOSTILE_TAG = '$(touch /tmp/dapple-restic-pwned)`id`;"\'';
const LONG_TAG = 'L'.repeat(10_000);

describe('restic source', () => {
  const temp = makeTempDir('restic-source');
  const pool = new SshPool();
  let repo: TestRepo;
  let sshd: TestSshd;
  let truth: { id: string; time: string; tags?: string[]; hostname: string }[];

  beforeAll(async () => {
    [repo, sshd] = await Promise.all([
      makeResticRepo(join(temp.path, 'r'), {
        snapshots: [
          {
            files: { 'etc/app.conf': 'a=1', 'var/data.db': 'x'.repeat(1000) },
            tags: ['daily'],
            host: 'db1',
            time: '2024-05-01T01:00:00Z',
          },
          {
            files: { 'etc/app.conf': 'a=2' },
            tags: [HOSTILE_TAG, '🦆'],
            host: 'db1',
            time: '2024-05-02T01:00:00Z',
          },
          {
            files: { 'x.txt': 'x' },
            tags: [LONG_TAG],
            host: 'web-☕',
            time: '2024-05-03T01:00:00Z',
          },
        ],
      }),
      startSshd(),
    ]);
    const out = await runCommand('restic', ['--repo', repo.repository, 'snapshots', '--json'], {
      env: { ...process.env, RESTIC_PASSWORD_FILE: repo.passwordFile },
    });
    truth = JSON.parse(out) as typeof truth;
  });
  afterAll(async () => {
    await pool.closeAll();
    await sshd?.stop();
    temp.remove();
  });

  const source = (
    backend = runnerBackend('nas', localRunner),
    password: SecretRef | null = { from: 'file', path: repo.passwordFile },
    repository = repo.repository,
  ) =>
    new ResticSource(
      {
        name: 'files-restic',
        type: 'restic',
        backend: backend.name,
        service: 'files',
        repository,
        password,
      },
      backend,
    );

  function expectMatchesRestic(
    points: Awaited<ReturnType<ResticSource['list']>>,
    backendName: string,
  ) {
    // Every point fits the one shape the contract carries to the renderer.
    expect(RecoveryPoint.array().safeParse(points).success).toBe(true);
    expect(points).toHaveLength(3);
    for (const snap of truth) {
      const point = points.find((p) => p.id === snap.id);
      expect(point).toMatchObject({
        source: 'files-restic',
        service: 'files',
        time: new Date(snap.time).toISOString(),
        kind: 'snapshot',
        parent: null,
        copies: [backendName],
        endTime: null,
      });
      expect(point?.tags).toEqual([...(snap.tags ?? []), `host:${snap.hostname}`]);
    }
  }

  it('lists the snapshots restic reports, locally, with hostile tags kept as text', async () => {
    const progress: string[] = [];
    const points = await source().list({ progress: (p) => progress.push(p.message) });
    expect(progress).toEqual([
      'Running restic snapshots --json on local',
      'restic listed 3 points',
    ]);
    expectMatchesRestic(points, 'nas');
    expect(points.flatMap((p) => p.tags)).toContain(HOSTILE_TAG);
    expect(points.flatMap((p) => p.tags)).toContain(LONG_TAG);
    expect(existsSync('/tmp/dapple-restic-pwned')).toBe(false);
  });

  it('lists the same snapshots when restic runs on the host over SSH, password sent out of argv', async () => {
    const points = await source(sshBackendFor(sshd, pool)).list({});
    expectMatchesRestic(points, 'backup-host');
  });

  it('takes the password from a command or an environment variable', async () => {
    process.env.DAPPLE_TEST_RESTIC_PW = repo.password;
    const viaEnv = await source(undefined, { from: 'env', name: 'DAPPLE_TEST_RESTIC_PW' }).list({});
    const viaCommand = await source(undefined, {
      from: 'command',
      argv: ['cat', repo.passwordFile],
    }).list({});
    expect(viaEnv.map((p) => p.id).sort()).toEqual(viaCommand.map((p) => p.id).sort());
    delete process.env.DAPPLE_TEST_RESTIC_PW;
  });

  it('browses the files of a snapshot, folder by folder, over SSH', async () => {
    const first = truth.find((s) => s.tags?.includes('daily'));
    const reader = source(sshBackendFor(sshd, pool));
    const top = await reader.listFiles(first?.id ?? '', '/');
    expect(top.map((e) => [e.name, e.type])).toEqual([['tmp', 'dir']]);
    const data = repo.dataDirs[0] ?? '';
    const inside = await reader.listFiles(first?.id ?? '', data);
    expect(inside.map((e) => [e.name, e.type])).toEqual([
      ['etc', 'dir'],
      ['var', 'dir'],
    ]);
    const var_ = await reader.listFiles(first?.id ?? '', `${data}/var/`);
    expect(var_).toEqual([
      expect.objectContaining({ path: `${data}/var/data.db`, type: 'file', sizeBytes: 1000 }),
    ]);
    await expect(reader.listFiles('$(id)', '/')).rejects.toMatchObject({ code: 'BAD_SNAPSHOT_ID' });
    await expect(reader.listFiles('deadbeef', '/')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('says the password is wrong, without showing it', async () => {
    const wrong = join(temp.path, 'wrong-pw');
    writeFileSync(wrong, 'hunter2-not-it\n');
    const error = await source(sshBackendFor(sshd, pool), { from: 'file', path: wrong })
      .list({})
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'WRONG_PASSWORD' });
    expect(JSON.stringify(error) + String(error)).not.toContain('hunter2');
    expect((error as Error).message).toContain('files-restic');
  });

  it('treats a hostile repository name as a path: nothing is executed', async () => {
    const hostile = '/tmp/$(touch /tmp/dapple-restic-pwned2)`touch /tmp/dapple-restic-pwned3`';
    for (const backend of [runnerBackend('nas', localRunner), sshBackendFor(sshd, pool)]) {
      await expect(source(backend, undefined, hostile).list({})).rejects.toMatchObject({
        code: 'REPOSITORY_NOT_FOUND',
      });
    }
    expect(existsSync('/tmp/dapple-restic-pwned2') || existsSync('/tmp/dapple-restic-pwned3')).toBe(
      false,
    );
    await expect(
      source(undefined, undefined, `/srv/${'💾'.repeat(5000)}`).list({}),
    ).rejects.toMatchObject({
      code: 'SOURCE_CONFIG_INVALID',
    });
  });

  it('explains a missing restic, junk output and a missing password as sentences', async () => {
    const missing = runnerBackend('nas', swapProgram(localRunner, 'dapple-no-restic-here'));
    await expect(source(missing).list({})).rejects.toMatchObject({
      code: 'TOOL_MISSING',
      message: expect.stringMatching(/restic is not installed on local.*"files-restic"/),
      hint: expect.stringContaining('apt-get install restic'),
    });
    const junk = join(temp.path, 'junk-restic');
    writeFileSync(junk, '#!/bin/sh\necho "Warning: something"; echo "[{\\"id\\": 1}"\n');
    chmodSync(junk, 0o755);
    await expect(
      source(runnerBackend('nas', swapProgram(localRunner, junk))).list({}),
    ).rejects.toMatchObject({
      code: 'TOOL_OUTPUT_INVALID',
    });
    // Valid JSON of the wrong shape: an id that is not a hash, tags that are not text.
    const shapes = [
      '[{"id": "1", "time": "2024-01-01T00:00:00Z"}]',
      `[{"id": "${'a'.repeat(64)}", "time": "2024-01-01T00:00:00Z", "tags": [1]}]`,
      '{"id": "x"}',
    ];
    for (const [i, json] of shapes.entries()) {
      const odd = join(temp.path, `odd-restic-${i}`);
      writeFileSync(odd, `#!/bin/sh\necho '${json}'\n`);
      chmodSync(odd, 0o755);
      await expect(
        source(runnerBackend('nas', swapProgram(localRunner, odd))).list({}),
      ).rejects.toMatchObject({
        code: 'TOOL_OUTPUT_INVALID',
        message: expect.stringContaining('does not have the expected fields'),
      });
    }
    await expect(source(undefined, null).list({})).rejects.toMatchObject({
      code: 'SECRET_MISSING',
    });
  });

  it('says the repository cannot be read when the OS user lacks permission', async () => {
    const denied = await source(runnerBackend('nas', runAsUser(localRunner, 'nobody')))
      .list({})
      .catch((e: unknown) => e);
    expect(denied).toMatchObject({
      code: 'PERMISSION_DENIED',
      message: expect.stringMatching(
        /restic was denied access on nobody@local while reading source "files-restic": .*permission denied/,
      ),
    });
  });
});
