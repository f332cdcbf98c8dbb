// The repository helpers make real repositories that the tools themselves list back.
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { makeBorgRepo, makeResticRepo } from './backup-repos';
import { runCommand } from './process';
import { makeTempDir } from './temp';

const temp = makeTempDir('repos');
afterAll(() => temp.remove());

describe('makeResticRepo', () => {
  it('creates snapshots with their tags, hosts and times', async () => {
    const repo = await makeResticRepo(join(temp.path, 'restic'), {
      snapshots: [
        { files: { 'a.txt': 'one' }, tags: ['daily'], host: 'db1', time: '2024-03-01T02:00:00Z' },
        {
          files: { 'b/c.txt': 'two' },
          tags: ['weekly', 'x'],
          host: 'db2',
          time: '2024-03-02T02:00:00Z',
        },
      ],
    });
    const out = await runCommand('restic', ['--repo', repo.repository, 'snapshots', '--json'], {
      env: { ...process.env, RESTIC_PASSWORD_FILE: repo.passwordFile },
    });
    const snapshots = (
      JSON.parse(out) as { hostname: string; tags: string[]; time: string }[]
    ).sort((a, b) => a.time.localeCompare(b.time));
    expect(snapshots.map((s) => [s.hostname, s.tags])).toEqual([
      ['db1', ['daily']],
      ['db2', ['weekly', 'x']],
    ]);
    expect(new Date(snapshots[0]?.time ?? '').toISOString()).toBe('2024-03-01T02:00:00.000Z');
  });
});

describe('makeBorgRepo', () => {
  it('creates archives with their names, comments and timestamps', async () => {
    const repo = await makeBorgRepo(join(temp.path, 'borg'), {
      archives: [
        { name: 'web-2024-03-01', files: { 'index.html': '<h1>' }, time: '2024-03-01T03:00:00Z' },
        { name: 'web-2024-03-02', files: { 'index.html': '<h2>' }, comment: 'before upgrade' },
      ],
    });
    const out = await runCommand('borg', ['list', '--json', repo.repository], {
      env: {
        ...process.env,
        BORG_PASSPHRASE: repo.password,
        BORG_BASE_DIR: join(temp.path, 'borg', 'borg-home'),
      },
    });
    const archives = (JSON.parse(out) as { archives: { name: string; time: string }[] }).archives;
    expect(archives.map((a) => a.name)).toEqual(['web-2024-03-01', 'web-2024-03-02']);
    expect(archives[0]?.time).toMatch(/^2024-03-01T03:00:00/);
  });
});
