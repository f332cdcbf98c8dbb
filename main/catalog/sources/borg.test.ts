// borg source against a real repository: locally and on a host reached over the test sshd.
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecoveryPoint } from '../../../preload/schemas/catalog';
import { makeBorgRepo } from '../../../test-support/backup-repos';
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
import { BorgSource } from './borg';

// borg refuses "/" in archive names: this one would create ~/.dapple-borg-pwned if ever run by a shell.
const HOSTILE_NAME = 'web-$(cd;touch .dapple-borg-pwned)-`cd;touch .dapple-borg-pwned`-☕';
const PWNED = join(homedir(), '.dapple-borg-pwned');

describe('borg source', () => {
  const temp = makeTempDir('borg-source');
  const pool = new SshPool();
  let repo: TestRepo;
  let sshd: TestSshd;
  let truth: { name: string; start: string; hostname: string }[];
  let infoTruth: { name: string; stats: { original_size: number } }[];

  beforeAll(async () => {
    [repo, sshd] = await Promise.all([
      makeBorgRepo(join(temp.path, 'b'), {
        archives: [
          {
            name: 'web-2024-05-01',
            files: { 'etc/nginx.conf': 'server {}', 'www/index.html': 'x'.repeat(500) },
            time: '2024-05-01T01:00:00Z',
          },
          {
            name: HOSTILE_NAME,
            files: {
              'etc/nginx.conf': 'server { listen 80; }',
              'we$ird [dir]+(1)/f.txt': 'q',
              'we$ird [dir]+(1)/sub/deep.txt': 'deep',
            },
            comment: '$(reboot)',
          },
        ],
      }),
      startSshd(),
    ]);
    const env = {
      ...process.env,
      BORG_PASSPHRASE: repo.password,
      BORG_BASE_DIR: join(temp.path, 'b', 'borg-home'),
      TZ: 'UTC',
    };
    truth = (
      JSON.parse(
        await runCommand('borg', ['list', '--json', '--format', '{hostname}', repo.repository], {
          env,
        }),
      ) as { archives: typeof truth }
    ).archives;
    infoTruth = (
      JSON.parse(
        await runCommand('borg', ['info', '--json', '--glob-archives', '*', repo.repository], {
          env,
        }),
      ) as { archives: typeof infoTruth }
    ).archives;
  });
  afterAll(async () => {
    await pool.closeAll();
    await sshd?.stop();
    temp.remove();
  });

  const source = (
    backend = runnerBackend('nas', localRunner),
    passphrase: SecretRef | null = { from: 'file', path: repo.passwordFile },
    repository = repo.repository,
  ) =>
    new BorgSource(
      {
        name: 'web-borg',
        type: 'borg',
        backend: backend.name,
        service: 'web',
        repository,
        passphrase,
      },
      backend,
    );

  function expectMatchesBorg(points: Awaited<ReturnType<BorgSource['list']>>, backendName: string) {
    // Every point fits the one shape the contract carries to the renderer.
    expect(RecoveryPoint.array().safeParse(points).success).toBe(true);
    expect(points.map((p) => p.id)).toEqual(truth.map((a) => a.name));
    for (const archive of truth) {
      const point = points.find((p) => p.id === archive.name);
      expect(point).toMatchObject({
        source: 'web-borg',
        service: 'web',
        time: new Date(`${archive.start}Z`).toISOString(),
        kind: 'snapshot',
        parent: null,
        copies: [backendName],
        tags: [`host:${archive.hostname}`],
        sizeBytes: infoTruth.find((i) => i.name === archive.name)?.stats.original_size,
      });
    }
  }

  it('lists the archives borg reports, with sizes from borg info, hostile names kept as text', async () => {
    const points = await source().list({});
    expectMatchesBorg(points, 'nas');
    expect(points[0]?.time).toBe('2024-05-01T01:00:00.000Z');
    expect(existsSync(PWNED)).toBe(false);
  });

  it('lists the same archives when borg runs on the host over SSH', async () => {
    expectMatchesBorg(await source(sshBackendFor(sshd, pool)).list({}), 'backup-host');
    expect(existsSync(PWNED)).toBe(false);
  });

  it('browses the files of an archive folder by folder, even one with a hostile name', async () => {
    const reader = source(sshBackendFor(sshd, pool));
    const top = await reader.listFiles('web-2024-05-01', '/');
    expect(top.map((e) => [e.path, e.type])).toEqual([
      ['/etc', 'dir'],
      ['/www', 'dir'],
    ]);
    expect(await reader.listFiles('web-2024-05-01', '/www')).toEqual([
      expect.objectContaining({
        path: '/www/index.html',
        name: 'index.html',
        type: 'file',
        sizeBytes: 500,
      }),
    ]);
    await expect(reader.listFiles('web-1999-01-01', '/')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const hostile = await reader.listFiles(HOSTILE_NAME, '/etc');
    expect(hostile.map((e) => e.sizeBytes)).toEqual([21]);
    // Regex characters in a folder name are matched literally, and only direct children come back.
    const weird = await reader.listFiles(HOSTILE_NAME, '/we$ird [dir]+(1)/');
    expect(weird.map((e) => [e.path, e.type])).toEqual([
      ['/we$ird [dir]+(1)/f.txt', 'file'],
      ['/we$ird [dir]+(1)/sub', 'dir'],
    ]);
    expect(existsSync(PWNED)).toBe(false);
  });

  it('says the passphrase is wrong without showing it, and names a missing repository', async () => {
    const wrong = join(temp.path, 'wrong');
    writeFileSync(wrong, 'swordfish-not-it\n');
    for (const backend of [runnerBackend('nas', localRunner), sshBackendFor(sshd, pool)]) {
      const error = await source(backend, { from: 'file', path: wrong })
        .list({})
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'WRONG_PASSWORD',
        message: expect.stringContaining('web-borg'),
      });
      expect(String((error as Error).message) + (error as { hint: string }).hint).not.toContain(
        'swordfish',
      );
    }
    await expect(
      source(undefined, undefined, join(temp.path, '$(cd;touch .dapple-borg-pwned)')).list({}),
    ).rejects.toMatchObject({
      code: 'REPOSITORY_NOT_FOUND',
    });
    expect(existsSync(PWNED)).toBe(false);
  });

  it('explains a missing borg and an encrypted repository without a passphrase', async () => {
    const missing = runnerBackend('nas', swapProgram(localRunner, 'dapple-no-borg-here'));
    await expect(source(missing).list({})).rejects.toMatchObject({
      code: 'TOOL_MISSING',
      hint: expect.stringContaining('borgbackup'),
    });
    await expect(source(undefined, null).list({})).rejects.toMatchObject({
      code: 'WRONG_PASSWORD',
    });
  });

  it('says the repository cannot be read when the OS user lacks permission, and reads junk as junk', async () => {
    const denied = await source(runnerBackend('nas', runAsUser(localRunner, 'nobody')))
      .list({})
      .catch((e: unknown) => e);
    expect(denied).toMatchObject({
      code: 'PERMISSION_DENIED',
      message: expect.stringMatching(
        /borg was denied access on nobody@local while reading source "web-borg": PermissionError: .*Permission denied/,
      ),
    });
    const junk = join(temp.path, 'junk-borg');
    writeFileSync(junk, '#!/bin/sh\necho "{\\"archives\\": [{\\"name\\": 5}]}"\n');
    chmodSync(junk, 0o755);
    await expect(
      source(runnerBackend('nas', swapProgram(localRunner, junk))).list({}),
    ).rejects.toMatchObject({
      code: 'TOOL_OUTPUT_INVALID',
      message: expect.stringContaining('web-borg'),
    });
  });
});
