// A backup tool that is not installed where the step runs, for real: a host on the test sshd whose
// PATH has a shell's few helpers but no restic or borg (exit 127), and this machine with a PATH
// without restic. Each is a failed step with a sentence, nothing written, the log VALID.
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedSshPool } from '../../catalog/backends/ssh-pool';
import type { SshOptions } from '../../catalog/backends/ssh';
import { requireProgram } from '../../../test-support/programs';
import { startSshd, type TestSshd } from '../../../test-support/sshd';
import { makeTempDir } from '../../../test-support/temp';
import {
  planToolStep,
  pointOf,
  runPlanStep,
  workspaceOf,
  type ToolWorld,
} from '../../../test-support/tool-step';

const PASSWORD = 'missing tool: tr0ub4dor &3';

describe('a restore tool that is not installed where the step runs', () => {
  const temp = makeTempDir('tool-missing');
  // What the remote shell needs (the watchdog's cat, confinement's realpath, the target's mkdir),
  // and no backup tool.
  const bare = join(temp.path, 'bare-bin');
  let sshd: TestSshd;
  let ssh: SshOptions;

  beforeAll(async () => {
    mkdirSync(bare);
    for (const tool of ['cat', 'realpath', 'mkdir'])
      symlinkSync(requireProgram(tool, 'coreutils'), join(bare, tool));
    sshd = await startSshd([`SetEnv PATH=${bare}`]);
    const knownHosts = join(temp.path, 'known_hosts');
    writeFileSync(knownHosts, `${sshd.knownHostsLine}\n`);
    ssh = {
      sshConfigPath: null,
      knownHostsFiles: [knownHosts],
      agentSocket: null,
      defaultKeys: false,
      home: sshd.dir,
    };
    writeFileSync(join(temp.path, 'password'), `${PASSWORD}\n`, { mode: 0o600 });
  });
  afterAll(async () => {
    await sharedSshPool.closeAll();
    await sshd?.stop();
    temp.remove();
  });

  const world = (where: 'host' | 'here', sandbox: string): ToolWorld => ({
    backends: [
      { name: 'console', type: 'local', path: temp.path, tags: [] },
      {
        name: 'files-host',
        type: 'ssh',
        host: sshd.host,
        port: sshd.port,
        user: sshd.user,
        identityFile: sshd.clientKeyPath,
        tags: [],
      },
    ],
    sources: [
      {
        name: 'host-restic',
        type: 'restic',
        backend: where === 'host' ? 'files-host' : 'console',
        service: 'files',
        repository: join(temp.path, 'restic-repo'),
        password: { from: 'command', argv: ['cat', join(temp.path, 'password')] },
      },
      {
        name: 'host-borg',
        type: 'borg',
        backend: 'files-host',
        service: 'files',
        repository: join(temp.path, 'borg-repo'),
        passphrase: { from: 'command', argv: ['cat', join(temp.path, 'password')] },
      },
    ],
    targets: [
      where === 'host'
        ? {
            name: 'sandbox',
            kind: 'host',
            environment: 'sandbox',
            backend: 'files-host',
            path: sandbox,
          }
        : { name: 'sandbox', kind: 'folder', environment: 'sandbox', backend: null, path: sandbox },
    ],
  });

  const run = async (
    kind: 'restic-restore' | 'borg-extract',
    where: 'host' | 'here',
    name: string,
  ) => {
    const sandbox = join(temp.path, `${name}-sandbox`);
    mkdirSync(sandbox);
    const w = world(where, sandbox);
    const source = kind === 'restic-restore' ? 'host-restic' : 'host-borg';
    const id = kind === 'restic-restore' ? 'a'.repeat(64) : 'app-2026-12-01';
    const plan = planToolStep(w, kind, pointOf(source, id, '2026-12-01T03:00:00Z'), 'sandbox', [
      '/etc',
    ]);
    const dir = join(temp.path, name);
    mkdirSync(dir);
    const ran = await runPlanStep(plan, workspaceOf(w, temp.path), { dir, mode: 'drill', ssh });
    expect(ran.view?.state).toBe('failed');
    expect(readdirSync(sandbox)).toEqual([]);
    expect(ran.logText).not.toContain(PASSWORD);
    return ran;
  };

  it('restic on a host whose PATH lacks it: exit 127 and the sentence that says to install it there', async () => {
    const ran = await run('restic-restore', 'host', 'restic-host');
    expect(ran.command?.exitCode).toBe(127);
    expect(ran.command?.host).toBe(`${sshd.user}@${sshd.host}:${sshd.port}`);
    expect(ran.view?.error).toBe(
      `restic is not installed on ${sshd.user}@${sshd.host}:${sshd.port} (exit 127): install it there (apt-get install restic) or put it on PATH for that user, then retry.`,
    );
  }, 120_000);

  it('borg on a host whose PATH lacks it: exit 127 and the sentence that says to install it there', async () => {
    const ran = await run('borg-extract', 'host', 'borg-host');
    expect(ran.command?.exitCode).toBe(127);
    expect(ran.view?.error).toBe(
      `borg is not installed on ${sshd.user}@${sshd.host}:${sshd.port} (exit 127): install it there (apt-get install borgbackup) or put it on PATH for that user, then retry.`,
    );
  }, 120_000);

  it('restic on this machine with a PATH without it: the same sentence, for this machine', async () => {
    const saved = process.env.PATH;
    process.env.PATH = bare;
    try {
      const ran = await run('restic-restore', 'here', 'restic-here');
      expect(ran.view?.error).toBe(
        'restic is not installed on this machine (not found on PATH): install it (apt-get install restic) or put it on the PATH Dapple starts with, then retry.',
      );
    } finally {
      process.env.PATH = saved;
    }
    expect(existsSync(join(temp.path, 'restic-repo'))).toBe(false);
  }, 120_000);
});
