// restic-restore of the files chosen in the file browser, from a repository reached over SFTP
// through the test sshd: real restic, real OpenSSH, the real binder and executor, a signed log.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressText } from '../../../preload/schemas/progress-words';
import { makeResticRepo, type TestRepo } from '../../../test-support/backup-repos';
import { runCommand } from '../../../test-support/process';
import { requireProgram } from '../../../test-support/programs';
import { FILES_HOST_ALIAS, hashFolder, sshConfigText } from '../../../test-support/shop/files';
import { startSshd, type TestSshd } from '../../../test-support/sshd';
import { makeTempDir } from '../../../test-support/temp';
import {
  planToolStep,
  pointOf,
  runPlanStep,
  workspaceOf,
  type ToolWorld,
} from '../../../test-support/tool-step';

const PASSWORD = 'sftp restic: tr0ub4dor &3 $(id)';
const FILES: Record<string, string> = {
  'etc/app.conf': 'port=8080\n',
  'etc/secrets/key.pem': '-----BEGIN KEY-----\nnot chosen\n',
  'var/db/orders.db': 'o'.repeat(70_000),
  'var/db/orders.wal': 'w'.repeat(1234),
  'var/log/app.log': 'log line\n'.repeat(500),
  'home/a b/notes +%20 ☕.txt': 'café ☕ 100%\n',
  'home/other.txt': 'not chosen either\n',
};
// Chosen in the file browser: a file, a folder with a space, a folder of two files.
const CHOSEN = ['etc/app.conf', 'home/a b', 'var/db'];
const RESTORED = [
  'etc/app.conf',
  'home/a b/notes +%20 ☕.txt',
  'var/db/orders.db',
  'var/db/orders.wal',
];

describe('restic-restore over SFTP through the test sshd', () => {
  const temp = makeTempDir('restic-restore');
  const saved = { PATH: process.env.PATH, RESTIC_CACHE_DIR: process.env.RESTIC_CACHE_DIR };
  let repo: TestRepo;
  let sshd: TestSshd;
  let snapshot: { id: string; time: string };
  let data: string;

  beforeAll(async () => {
    [repo, sshd] = await Promise.all([
      makeResticRepo(join(temp.path, 'r'), { snapshots: [{ files: FILES }], password: PASSWORD }),
      startSshd(),
    ]);
    data = repo.dataDirs[0] ?? '';
    // restic starts `ssh` from PATH: a wrapper that uses only this test's ssh_config (never ~/.ssh).
    const bin = join(temp.path, 'bin');
    mkdirSync(bin);
    const knownHosts = join(temp.path, 'known_hosts');
    writeFileSync(knownHosts, `${sshd.knownHostsLine}\n`);
    writeFileSync(join(temp.path, 'ssh_config'), sshConfigText(sshd, knownHosts));
    const ssh = requireProgram('ssh', 'openssh-client');
    writeFileSync(join(bin, 'ssh'), `#!/bin/sh\nexec ${ssh} -F ${temp.path}/ssh_config "$@"\n`, {
      mode: 0o755,
    });
    process.env.PATH = `${bin}:${saved.PATH ?? ''}`;
    process.env.RESTIC_CACHE_DIR = join(temp.path, 'cache');
    const out = await runCommand('restic', ['--repo', repo.repository, 'snapshots', '--json'], {
      env: { ...process.env, RESTIC_PASSWORD_FILE: repo.passwordFile },
    });
    snapshot = (JSON.parse(out) as { id: string; time: string }[])[0] ?? { id: '', time: '' };
  });
  afterAll(async () => {
    process.env.PATH = saved.PATH;
    if (saved.RESTIC_CACHE_DIR === undefined) delete process.env.RESTIC_CACHE_DIR;
    else process.env.RESTIC_CACHE_DIR = saved.RESTIC_CACHE_DIR;
    await sshd?.stop();
    temp.remove();
  });

  const world = (password: string, sandbox = join(temp.path, 'sandbox')): ToolWorld => {
    // The password comes from a command, so the executor must carry it in env and blank it.
    const passwordFile = join(temp.path, `pw-${password.length}`);
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    return {
      backends: [{ name: 'console', type: 'local', path: temp.path, tags: [] }],
      sources: [
        {
          name: 'app-files',
          type: 'restic',
          backend: 'console',
          service: 'files',
          repository: `sftp:${FILES_HOST_ALIAS}:${repo.repository}`,
          password: { from: 'command', argv: ['cat', passwordFile] },
        },
      ],
      targets: [
        {
          name: 'files-production',
          kind: 'folder',
          environment: 'production',
          backend: null,
          path: data,
        },
        {
          name: 'files-sandbox',
          kind: 'folder',
          environment: 'sandbox',
          backend: null,
          path: sandbox,
        },
      ],
    };
  };

  it('restores exactly the chosen files, with their bytes, and shows restic-counted progress', async () => {
    const w = world(PASSWORD);
    const point = pointOf('app-files', snapshot.id, snapshot.time);
    const chosen = CHOSEN.map((p) => join(data, p));
    const plan = planToolStep(w, 'restic-restore', point, 'files-sandbox', chosen);
    const dir = join(temp.path, 'chosen');
    mkdirSync(dir);
    const ran = await runPlanStep(plan, workspaceOf(w, temp.path), { dir, mode: 'drill' });

    expect(ran.view?.error ?? null).toBeNull();
    expect(ran.view?.state).toBe('done');

    // restic restores a snapshot's absolute paths under the target: only the chosen ones are there.
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    const expected = Object.fromEntries(
      RESTORED.map((p) => [join(data, p).slice(1), sha(FILES[p] ?? '')]),
    );
    expect(hashFolder(join(temp.path, 'sandbox'))).toEqual(expected);

    // The selection became --include items of the argv shown in the plan and run.
    expect(ran.command?.argv).toEqual([
      'restic',
      `--repo=sftp:${FILES_HOST_ALIAS}:${repo.repository}`,
      'restore',
      snapshot.id,
      `--target=${join(temp.path, 'sandbox')}`,
      ...chosen.map((p) => `--include=${p}`),
      '--json',
    ]);
    expect(ran.command?.exitCode).toBe(0);

    // The totals come from restic's own listing (ls --json) of the chosen paths; the bar ends full.
    const bytes = RESTORED.reduce((n, p) => n + Buffer.byteLength(FILES[p] ?? ''), 0);
    expect(ran.notes).toContain(
      `To restore: ${RESTORED.length} files, ${bytes} bytes (counted with restic ls --json ${snapshot.id.slice(0, 8)}).`,
    );
    // restic 0.17+ prints --json status lines for restore: the bar's bytes follow its summary (its
    // file counts include folders: 13 for these 4 files, so the files stay the ones counted here).
    // Older restic (0.14 on Debian 12) prints none: the bar is the target folder measured against
    // that count. Both were run: 0.14 from Debian, 0.17.3 built with go install.
    const statuses = ran.output.split('\n').filter((l) => l.includes('"message_type":"s'));
    if (statuses.length > 0) {
      expect(JSON.parse(statuses.at(-1) ?? '')).toMatchObject({
        message_type: 'summary',
        bytes_restored: bytes,
      });
    } else {
      expect(ran.output).toMatch(/^restoring <Snapshot [0-9a-f]{8} of /);
      for (const record of ran.progress)
        expect(record).toMatchObject({ total: RESTORED.length, bytesTotal: bytes });
    }
    const last = ran.progress.at(-1);
    expect(last).toMatchObject({
      step: 'restore',
      unit: 'files',
      done: RESTORED.length,
      total: RESTORED.length,
      bytesDone: bytes,
      bytesTotal: bytes,
      etaSeconds: 0,
    });
    expect(ran.view?.progress && progressText(ran.view.progress)).toBe(
      `${RESTORED.length} of ${RESTORED.length} files (70 KiB of 70 KiB), done`,
    );

    // The password is in none of: the argv, the output kept, the log (nor the plan).
    expect(ran.command?.argv.join(' ')).not.toContain(PASSWORD);
    expect(ran.logText).not.toContain(PASSWORD);
    expect(JSON.stringify(plan)).not.toContain(PASSWORD);
  }, 180_000);

  it('fails with a sentence naming the repository when the password is wrong, and writes nothing', async () => {
    const wrong = 'not it: hunter2 `id` $(id)';
    const sandbox = join(temp.path, 'sandbox-wrong');
    const w = world(wrong, sandbox);
    const point = pointOf('app-files', snapshot.id, snapshot.time);
    const plan = planToolStep(w, 'restic-restore', point, 'files-sandbox', [join(data, 'etc')]);
    const dir = join(temp.path, 'wrong');
    mkdirSync(dir);
    const ran = await runPlanStep(plan, workspaceOf(w, temp.path), { dir, mode: 'drill' });

    expect(ran.view?.state).toBe('failed');
    expect(ran.command?.exitCode).not.toBe(0);
    expect(ran.view?.error).toBe(
      `restic could not open the repository sftp:${FILES_HOST_ALIAS}:${repo.repository} of source app-files: the password is wrong. Check the password configured for the source (file, command or environment variable), then retry.`,
    );
    // restic's own words stay in the output; neither password is anywhere in the log.
    expect(ran.output).toMatch(/wrong password|no key found/i);
    for (const secret of [wrong, PASSWORD]) expect(ran.logText).not.toContain(secret);
    expect(existsSync(sandbox)).toBe(false);
  }, 180_000);
});
