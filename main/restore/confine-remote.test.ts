// Confinement on a real OpenSSH sshd, where only the host can tell where bytes land: a sandbox
// host folder that is, on the host, a link into a production host folder, and one sshd reached under
// two names (localhost and ::ffff:127.0.0.1). Either way an ssh step of a drill is stopped before its
// command starts, with a sentence saying what resolved to what, and nothing is written. (localhost,
// 127.0.0.1 and 127.1 are already one place at load time, by a list of loopback names and ssh -G; the
// IPv4-mapped address reaches the same 127.0.0.1 sshd under a name no list knows, like a DNS alias.)
import { mkdirSync, readdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type TestSshd } from '../../test-support/sshd';
import { makeTempDir } from '../../test-support/temp';
import { sharedSshPool } from '../catalog/backends/ssh-pool';
import { generateKeyPair } from '../audit/keys';
import { planRunbook, type RunbookFile } from '../runbook/plan';
import { parseDuration } from '../workspace/duration';
import { loadWorkspace } from '../workspace/load';
import { startSession } from './start';
import { remoteConfinementProblem } from './confine-remote';
import { freePort } from '../../test-support/ports';
import { stepRules } from './rules';

const IPV4_MAPPED = '::ffff:127.0.0.1';
const MAPPED = `[${IPV4_MAPPED}]`;

const runbook: RunbookFile = {
  title: 'Write on the host',
  params: { target: { type: 'target', default: 'sandbox-host' } },
  steps: [
    {
      id: 'write',
      kind: 'ssh',
      title: 'Write a file on the host',
      on: '{{target}}',
      cwd: '{{target.path}}',
      run: ['sh', '-c', 'echo restored > restored.txt'],
    },
  ],
};

describe('a drill on an ssh host is confined by where the host puts the bytes', () => {
  let sshd: TestSshd;
  const temp = makeTempDir('confine-remote');
  let root: string;
  const ssh = () => ({
    sshConfigPath: null,
    knownHostsFiles: [join(root, 'known_hosts')],
    agentSocket: null,
    defaultKeys: false,
    home: root,
  });

  beforeAll(async () => {
    sshd = await startSshd();
    root = realpathSync(temp.path);
    const line = sshd.knownHostsLine.replace(/^\S+/, '');
    const names = ['127.0.0.1', IPV4_MAPPED, 'localhost'];
    writeFileSync(
      join(root, 'known_hosts'),
      names.map((n) => `[${n}]:${sshd.port}${line}\n`).join(''),
    );
  }, 60_000);
  afterAll(async () => {
    await sharedSshPool.closeAll();
    await sshd?.stop();
    temp.remove();
  });

  /** A workspace with a production and a sandbox host target, on backends reached by these names. */
  async function workspaceWith(
    dir: string,
    hosts: { production: string; sandbox: string },
    paths: { production: string; sandbox: string },
    port = sshd.port,
  ) {
    const backend = (name: string, host: string) => [
      `  ${name}:`,
      '    type: ssh',
      `    host: "${host}"`,
      `    port: ${port}`,
      `    user: ${sshd.user}`,
      `    identityFile: ${sshd.clientKeyPath}`,
    ];
    const target = (name: string, environment: string, backendName: string, path: string) => [
      `  ${name}:`,
      '    kind: host',
      `    environment: ${environment}`,
      `    backend: ${backendName}`,
      `    path: ${path}`,
    ];
    const ws = join(root, dir);
    mkdirSync(ws);
    writeFileSync(
      join(ws, 'dapple.yaml'),
      [
        'name: confine-remote',
        'backends:',
        ...backend('prod-box', hosts.production),
        ...backend('lab-box', hosts.sandbox),
        'targets:',
        ...target('prod-host', 'production', 'prod-box', paths.production),
        ...target('sandbox-host', 'sandbox', 'lab-box', paths.sandbox),
        '',
      ].join('\n'),
    );
    const loaded = await loadWorkspace(ws);
    if (!loaded.workspace) throw new Error(JSON.stringify(loaded.problems));
    return loaded.workspace;
  }

  async function drill(...args: Parameters<typeof workspaceWith>) {
    const workspace = await workspaceWith(...args);
    const plan = planRunbook('runbooks/host.yaml', runbook, {
      cut: null,
      targets: workspace.targets,
      pointPath: () => null,
      rtoSeconds: parseDuration,
    });
    return startSession({
      workspace,
      plan,
      cut: null,
      rules: stepRules(runbook),
      runbookBytes: Buffer.from(JSON.stringify(runbook)),
      mode: 'drill',
      operator: { ...generateKeyPair(), name: 'tester', createdAt: new Date().toISOString() },
      appVersion: 'test',
      ssh: ssh(),
    });
  }

  it('stops a step whose sandbox folder is, on the host, a link to the production folder', async () => {
    const production = join(root, 'prod-data');
    const link = join(root, 'sandbox-link');
    mkdirSync(production);
    symlinkSync(production, link);
    // One name for both, so only the link on the host can tell them apart.
    const session = await drill(
      'ws-link',
      { production: IPV4_MAPPED, sandbox: IPV4_MAPPED },
      { production, sandbox: link },
    );
    await expect(session.act({ type: 'run', step: 'write' })).rejects.toThrow(
      `"Write a file on the host" was stopped before writing: a drill cannot write to ${link}, which resolves to ${production} there on ${MAPPED}:${sshd.port}: it is the same folder as the production target prod-host (${production} on ${MAPPED}:${sshd.port}).`,
    );
    await session.idle();
    expect(session.view().state.commands).toEqual([]);
    expect(readdirSync(production)).toEqual([]);
  }, 60_000);

  it('treats two names reaching one sshd as one host, and stops a sandbox inside production', async () => {
    const production = join(root, 'prod-two');
    const sandbox = join(production, 'scratch');
    mkdirSync(sandbox, { recursive: true });
    const session = await drill(
      'ws-names',
      { production: IPV4_MAPPED, sandbox: 'localhost' },
      { production, sandbox },
    );
    await expect(session.act({ type: 'run', step: 'write' })).rejects.toThrow(
      `"Write a file on the host" was stopped before writing: a drill cannot write to ${sandbox} on localhost:${sshd.port}: it lies inside the production target prod-host (${production} on ${MAPPED}:${sshd.port}, the same host (both names reach this machine)).`,
    );
    await session.idle();
    expect(session.view().state.commands).toEqual([]);
    expect(readdirSync(sandbox)).toEqual([]);
  }, 60_000);

  it('stops a sandbox that is, on the host, a link to a parent of production, and one the host cannot resolve', async () => {
    const production = join(root, 'prod-three', 'data');
    const up = join(root, 'sandbox-up');
    mkdirSync(production, { recursive: true });
    symlinkSync(join(root, 'prod-three'), up);
    const workspace = await workspaceWith(
      'ws-parent',
      { production: IPV4_MAPPED, sandbox: IPV4_MAPPED },
      { production, sandbox: up },
    );
    const place = { kind: 'host', backend: 'lab-box', path: up } as const;
    expect(await remoteConfinementProblem(workspace, place, 'drill', ssh())).toBe(
      `a drill cannot write to ${up}, which resolves to ${join(root, 'prod-three')} there on ${MAPPED}:${sshd.port}: it contains the production target prod-host (${production} on ${MAPPED}:${sshd.port})`,
    );
    // A live restore is meant for production: the host is not asked.
    expect(await remoteConfinementProblem(workspace, place, 'live', ssh())).toBeNull();

    // Nothing listens on this port: what cannot be resolved is refused, not allowed.
    const closed = await freePort();
    const unreachable = await workspaceWith(
      'ws-closed',
      { production: IPV4_MAPPED, sandbox: IPV4_MAPPED },
      { production, sandbox: join(root, 'elsewhere') },
      closed,
    );
    expect(await remoteConfinementProblem(unreachable, place, 'drill', ssh())).toMatch(
      new RegExp(
        `^a drill writes next to production on \\[::ffff:127\\.0\\.0\\.1\\]:${closed} only where that host can say where the bytes land, and resolving ${up} there failed \\(.+\\)$`,
      ),
    );
  }, 60_000);
});
