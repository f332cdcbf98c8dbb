// Files that are not files: a runbook that is a link out of the workspace, a FIFO or a device is
// reported (never followed, never read), a dapple.yaml or keys/trusted.json that is a FIFO never
// hangs the loader, and `dapple workspace check` says so. Real links, FIFOs and /dev/null.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../cli/command';
import { workspaceCommand } from '../cli/commands/workspace';
import { loadWorkspace } from './load';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const RUNBOOK =
  'title: Fine\nversion: 1\nsteps:\n  - { id: a, kind: manual, title: A, checklist: [x] }\n';

async function workspace(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dapple-types-'));
  dirs.push(dir);
  await mkdir(join(dir, 'runbooks'), { recursive: true });
  await mkdir(join(dir, 'keys'));
  await writeFile(join(dir, 'keys', 'trusted.json'), '{"v":1,"keys":[]}');
  await writeFile(join(dir, 'dapple.yaml'), 'name: t\n');
  await writeFile(join(dir, 'runbooks', 'fine.yaml'), RUNBOOK);
  return dir;
}

const fifo = (path: string) => execFileSync('mkfifo', [path]);

describe('workspace files that are not regular files', () => {
  it('reports runbooks that are links out, FIFOs or devices, and follows a link inside', async () => {
    const dir = await workspace();
    const outside = await mkdtemp(join(tmpdir(), 'dapple-outside-'));
    dirs.push(outside);
    await writeFile(join(outside, 'evil.yaml'), RUNBOOK.replace('Fine', 'Evil'));
    await symlink(join(outside, 'evil.yaml'), join(dir, 'runbooks', 'out.yaml'));
    await symlink('fine.yaml', join(dir, 'runbooks', 'alias.yaml'));
    fifo(join(dir, 'runbooks', 'pipe.yaml'));
    await symlink('/dev/null', join(dir, 'runbooks', 'null.yaml'));
    const result = await loadWorkspace(dir);
    expect(result.runbooks.map((r) => [r.file, r.title])).toEqual([
      ['runbooks/alias.yaml', 'Fine'],
      ['runbooks/fine.yaml', 'Fine'],
    ]);
    expect(result.problems.map((p) => p.message)).toEqual([
      `runbooks/null.yaml: it is a link to /dev/null, outside the workspace: Dapple never follows a link out of the workspace. Copy the runbook into runbooks/ so it is reviewed with the workspace.`,
      `runbooks/out.yaml: it is a link to ${join(outside, 'evil.yaml')}, outside the workspace: Dapple never follows a link out of the workspace. Copy the runbook into runbooks/ so it is reviewed with the workspace.`,
      'runbooks/pipe.yaml: it is a FIFO (named pipe), not a runbook file: Dapple reads only regular files.',
    ]);
    let out = '';
    const io: CliIo = { stdout: (t) => (out += t), stderr: (t) => (out += t), env: {}, cwd: dir };
    expect(await workspaceCommand.run(['check'], io)).toBe(1);
    expect(out).toContain('runbooks/pipe.yaml: it is a FIFO (named pipe)');
  });

  it('never hangs on a dapple.yaml or a trust file that is a FIFO', async () => {
    const dir = await workspace();
    await rm(join(dir, 'dapple.yaml'));
    fifo(join(dir, 'dapple.yaml'));
    await rm(join(dir, 'keys', 'trusted.json'));
    fifo(join(dir, 'keys', 'trusted.json'));
    const result = await loadWorkspace(dir);
    expect(result.workspace).toBeNull();
    expect(result.problems.map((p) => p.message)).toEqual(
      expect.arrayContaining([
        'dapple.yaml: it is a FIFO (named pipe), not a file: Dapple reads only regular files.',
        'keys/trusted.json: it is a FIFO (named pipe), not a file: Dapple reads only regular files.',
      ]),
    );
  }, 10_000);
});
