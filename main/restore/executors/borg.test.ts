// borg-extract of the paths chosen in the file browser from a local borg repository: real borg,
// the real binder and executor, a signed log; progress from borg's --progress --log-json lines.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressText } from '../../../preload/schemas/progress-words';
import { makeBorgRepo, type TestRepo } from '../../../test-support/backup-repos';
import { hashFolder } from '../../../test-support/shop/files';
import { makeTempDir } from '../../../test-support/temp';
import {
  planToolStep,
  pointOf,
  runPlanStep,
  workspaceOf,
  type ToolWorld,
} from '../../../test-support/tool-step';

const ARCHIVE = 'app-2026-12-01T03:00';
const FILES: Record<string, string> = {
  'etc/app.conf': 'port=8080\n',
  'etc/secrets/key.pem': '-----BEGIN KEY-----\nnot chosen\n',
  // Large enough for borg to report several percentages while it extracts.
  'var/db/orders.db': 'o'.repeat(3 * 1024 * 1024),
  'var/db/orders.wal': 'w'.repeat(1234),
  'var/log/app.log': 'log line\n'.repeat(500),
  'home/a b/notes +%20 ☕.txt': 'café ☕ 100%\n',
  'home/other.txt': 'not chosen either\n',
};
// Chosen in the file browser (the catalog shows borg paths with a leading slash).
const CHOSEN = ['/etc/app.conf', '/home/a b', '/var/db'];
const RESTORED = [
  'etc/app.conf',
  'home/a b/notes +%20 ☕.txt',
  'var/db/orders.db',
  'var/db/orders.wal',
];

describe('borg-extract into a folder on this machine', () => {
  const temp = makeTempDir('borg-extract');
  const saved = process.env.BORG_BASE_DIR;
  let repo: TestRepo;

  beforeAll(async () => {
    repo = await makeBorgRepo(join(temp.path, 'r'), {
      archives: [{ name: ARCHIVE, files: FILES, time: '2026-12-01T03:00:00Z' }],
      password: 'borg: tr0ub4dor &3 $(id)',
    });
    // borg keeps its cache and security files under BORG_BASE_DIR: this test's, not root's home.
    process.env.BORG_BASE_DIR = join(temp.path, 'borg-home');
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.BORG_BASE_DIR;
    else process.env.BORG_BASE_DIR = saved;
    temp.remove();
  });

  const world = (sandbox: string): ToolWorld => ({
    backends: [{ name: 'console', type: 'local', path: temp.path, tags: [] }],
    sources: [
      {
        name: 'app-borg',
        type: 'borg',
        backend: 'console',
        service: 'files',
        repository: repo.repository,
        passphrase: { from: 'command', argv: ['cat', repo.passwordFile] },
      },
    ],
    targets: [
      {
        name: 'files-production',
        kind: 'folder',
        environment: 'production',
        backend: null,
        path: repo.dataDirs[0] ?? '',
      },
      {
        name: 'files-sandbox',
        kind: 'folder',
        environment: 'sandbox',
        backend: null,
        path: sandbox,
      },
    ],
  });

  it('extracts exactly the chosen paths, with their bytes, and shows borg’s own progress', async () => {
    // A sandbox folder that does not exist yet, as on a drill's first run: the step makes it.
    const sandbox = join(temp.path, 'sandbox');
    const w = world(sandbox);
    const plan = planToolStep(
      w,
      'borg-extract',
      pointOf('app-borg', ARCHIVE, '2026-12-01T03:00:00Z'),
      'files-sandbox',
      CHOSEN,
    );
    const dir = join(temp.path, 'chosen');
    mkdirSync(dir);
    const ran = await runPlanStep(plan, workspaceOf(w, temp.path), { dir, mode: 'drill' });

    expect(ran.view?.error ?? null).toBeNull();
    expect(ran.view?.state).toBe('done');
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    expect(hashFolder(sandbox)).toEqual(
      Object.fromEntries(RESTORED.map((p) => [p, sha(FILES[p] ?? '')])),
    );
    // The selection became borg's path arguments (no leading slash), run in the target folder.
    expect(ran.command?.argv).toEqual([
      'borg',
      'extract',
      '--progress',
      '--log-json',
      '--',
      `${repo.repository}::${ARCHIVE}`,
      'etc/app.conf',
      'home/a b',
      'var/db',
    ]);
    expect(ran.command?.exitCode).toBe(0);

    // borg's progress_percent lines (on stderr) are in the output, and the records follow them:
    // bytes of the chosen paths, the last one full.
    const lines = ran.output
      .split(/\r\n|\n|\r/)
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const percents = lines.filter((l) => l.type === 'progress_percent' && l.msgid === 'extract');
    expect(percents.length).toBeGreaterThan(0);
    const total = RESTORED.reduce((n, p) => n + Buffer.byteLength(FILES[p] ?? ''), 0);
    expect(percents.map((p) => p.total).filter((t) => t !== undefined)).toContain(total);
    expect(ran.progress.length).toBeGreaterThan(0);
    for (const record of ran.progress)
      expect(record).toMatchObject({ unit: 'bytes', total, bytesTotal: total });
    expect(ran.progress.at(-1)).toMatchObject({ done: total, bytesDone: total, etaSeconds: 0 });
    expect(ran.view?.progress && progressText(ran.view.progress)).toBe('3.0 MiB of 3.0 MiB, done');
    expect(ran.logText).not.toContain('tr0ub4dor');
  }, 180_000);

  it('fails with a sentence, running nothing, when the target folder cannot be made', async () => {
    // A sandbox under a file: no one, not even root, can make a folder there.
    const blocker = join(temp.path, 'a-file');
    writeFileSync(blocker, 'not a folder\n');
    const w = world(join(blocker, 'sandbox'));
    const plan = planToolStep(
      w,
      'borg-extract',
      pointOf('app-borg', ARCHIVE, '2026-12-01T03:00:00Z'),
      'files-sandbox',
      CHOSEN,
    );
    const dir = join(temp.path, 'blocked');
    mkdirSync(dir);
    const ran = await runPlanStep(plan, workspaceOf(w, temp.path), { dir, mode: 'drill' });
    expect(ran.view?.state).toBe('failed');
    expect(ran.view?.error).toBe(
      `The target folder ${join(blocker, 'sandbox')} could not be made on localhost, so nothing was extracted. Check that the folder can be created there by the user Dapple runs as (its parent is a folder, writable, with space), or bind another target, then retry.`,
    );
    expect(ran.command).toBeUndefined();
    expect(existsSync(join(blocker, 'sandbox'))).toBe(false);
  }, 120_000);
});
