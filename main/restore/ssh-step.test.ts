// An ssh step against a real OpenSSH sshd: the argv reaches the host word for word through the
// one quoting function, runs in the step's folder, and its output and host land in the log.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type TestSshd } from '../../test-support/sshd';
import { makeTempDir } from '../../test-support/temp';
import { sharedSshPool } from '../catalog/backends/ssh-pool';
import { generateKeyPair } from '../audit/keys';
import { planRunbook, type RunbookFile } from '../runbook/plan';
import { parseDuration } from '../workspace/duration';
import { loadWorkspace } from '../workspace/load';
import type { BackendConfig, Workspace } from '../workspace/types';
import { remoteGroupRuns } from './process-group';
import { stepRules } from './rules';
import { startSession } from './start';

// Quotes, a dollar sign, a space and a line break: a shell pasting this would change it.
const AWKWARD = `it's "restored" $HOME \`id\`\nline two`;

const runbook: RunbookFile & { steps: { timeout?: string }[] } = {
  title: 'Write on the host',
  params: { target: { type: 'target', default: 'sandbox-host' } },
  steps: [
    {
      id: 'write',
      kind: 'ssh',
      title: 'Write a file on the host',
      on: '{{target}}',
      cwd: '{{target.path}}',
      run: [
        'sh',
        '-c',
        'printf "%s" "$1" > restored.txt && pwd && cat restored.txt',
        'sh',
        AWKWARD,
      ],
      timeout: '30s',
    },
    {
      id: 'slow',
      kind: 'ssh',
      title: 'Wait on the host',
      on: '{{target}}',
      // Not exec: the sleep is a child of the shell, so only stopping the whole group stops it.
      run: ['sh', '-c', 'echo started; sleep 30; echo never'],
      timeout: '3s',
    },
  ],
};

describe('an ssh step', () => {
  let sshd: TestSshd;
  const temp = makeTempDir('restore-ssh');
  let workspace: Workspace;
  const remote = join(temp.path, 'remote-sandbox');

  beforeAll(async () => {
    sshd = await startSshd();
    mkdirSync(remote);
    mkdirSync(join(temp.path, 'ws'));
    writeFileSync(
      join(temp.path, 'ws', 'dapple.yaml'),
      [
        'name: ssh-test',
        'backends:',
        '  lab:',
        '    type: ssh',
        `    host: ${sshd.host}`,
        `    port: ${sshd.port}`,
        `    user: ${sshd.user}`,
        `    identityFile: ${sshd.clientKeyPath}`,
        'targets:',
        '  sandbox-host:',
        '    kind: host',
        '    environment: sandbox',
        '    backend: lab',
        `    path: ${remote}`,
        '',
      ].join('\n'),
    );
    writeFileSync(join(temp.path, 'known_hosts'), `${sshd.knownHostsLine}\n`);
    const loaded = await loadWorkspace(join(temp.path, 'ws'));
    if (!loaded.workspace) throw new Error(JSON.stringify(loaded.problems));
    workspace = loaded.workspace;
  }, 60_000);
  afterAll(async () => {
    await sharedSshPool.closeAll();
    await sshd?.stop();
    temp.remove();
  });

  it('runs the argv word for word in the target folder, logs host and output, and stops at the timeout', async () => {
    const plan = planRunbook('runbooks/host.yaml', runbook, {
      cut: null,
      targets: workspace.targets,
      pointPath: () => null,
      rtoSeconds: parseDuration,
    });
    const ssh = {
      sshConfigPath: null,
      knownHostsFiles: [join(temp.path, 'known_hosts')],
      agentSocket: null,
      defaultKeys: false,
      home: temp.path,
    };
    const session = await startSession({
      workspace,
      plan,
      cut: null,
      rules: stepRules(runbook),
      runbookBytes: Buffer.from(JSON.stringify(runbook)),
      mode: 'drill',
      operator: { ...generateKeyPair(), name: 'tester', createdAt: new Date().toISOString() },
      appVersion: 'test',
      ssh,
    });
    await session.act({ type: 'run', step: 'write' });
    await session.idle();
    let state = session.view().state;
    expect(state.steps[0]).toMatchObject({ state: 'done' });
    const cmd = state.commands[0];
    expect(cmd?.host).toBe(`${sshd.user}@${sshd.host}:${sshd.port}`);
    expect(cmd?.argv.at(-1)).toBe(AWKWARD);
    expect(cmd?.output.map((o) => o.text ?? '').join('')).toBe(`${remote}\n${AWKWARD}`);
    expect(readFileSync(join(remote, 'restored.txt'), 'utf8')).toBe(AWKWARD);

    // The timeout hangs up; the watchdog on the host stops the program. Output came as it was printed.
    const t0 = performance.now();
    await session.act({ type: 'run', step: 'slow' });
    // The remote shell's process group is in the log (cmd.pid) and can be asked over the connection.
    let ref = session.view().state.commands[1]?.process;
    for (let i = 0; i < 100 && !ref; i++) {
      await new Promise((r) => setTimeout(r, 20));
      ref = session.view().state.commands[1]?.process;
    }
    if (!ref) throw new Error('no cmd.pid for the ssh command');
    expect(ref.machine).toBe(`${sshd.user}@${sshd.host}:${sshd.port}`);
    const lab = workspace.backends.get('lab') as Extract<BackendConfig, { type: 'ssh' }>;
    expect(await remoteGroupRuns(lab, ref, ssh)).toBe(true);
    await session.idle();
    // The hang-up stopped the whole group, not only the shell: nothing of it runs on.
    let runs = true;
    for (let i = 0; i < 50 && runs; i++) {
      runs = await remoteGroupRuns(lab, ref, ssh);
      if (runs) await new Promise((r) => setTimeout(r, 100));
    }
    expect(runs).toBe(false);
    expect(performance.now() - t0).toBeLessThan(10_000);
    state = session.view().state;
    expect(state.steps[1]?.state).toBe('failed');
    expect(state.steps[1]?.error).toBe("sh did not finish within 3 s (the step's timeout).");
    expect(state.commands[1]?.output.map((o) => o.text).join('')).toBe('started\n');
    await session.act({ type: 'skip', step: 'slow', reason: 'Only a test.' });
    expect(session.view().state.outcome).toBe('completed');
  }, 60_000);
});
