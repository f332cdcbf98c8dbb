// What a drill next to production on an ssh host is told, word for word, where the host itself
// resolves the paths (a real OpenSSH sshd): the refusal a client receives from the engine
// (WRITE_IN_PRODUCTION and its hint), a production path that is a link, a folder whose name only
// begins like production's, a step with no working folder (the login's home), a folder of this machine.
import { mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hostWorkspace,
  isolatedSsh,
  MAPPED,
  trustMappedHost,
  type HostTarget,
} from '../../test-support/host-workspace';
import { startSshd, type TestSshd } from '../../test-support/sshd';
import { makeTempDir } from '../../test-support/temp';
import { sharedSshPool } from '../catalog/backends/ssh-pool';
import { UserError } from '../ground/errors';
import { planRunbook, type RunbookFile } from '../runbook/plan';
import { parseDuration } from '../workspace/duration';
import { assertDrillConfined, remoteConfinementProblem } from './confine-remote';

const runbook: RunbookFile = {
  title: 'Restore on the host',
  params: { target: { type: 'target', default: 'sandbox-host' } },
  steps: [
    {
      id: 'write',
      kind: 'ssh',
      title: 'Restore',
      on: '{{target}}',
      cwd: '{{target.path}}',
      run: ['sh', '-c', 'echo restored > restored.txt'],
    },
  ],
};

describe('a drill next to production on an ssh host, in words', () => {
  let sshd: TestSshd;
  const temp = makeTempDir('confine-words');
  let root: string;
  let at: (host: string) => string;
  const ssh = () => isolatedSsh(root);

  beforeAll(async () => {
    sshd = await startSshd();
    root = realpathSync(temp.path);
    at = (host) => `${host.includes(':') ? `[${host}]` : host}:${sshd.port}`;
    trustMappedHost(root, sshd);
  }, 60_000);
  afterAll(async () => {
    await sharedSshPool.closeAll();
    await sshd?.stop();
    temp.remove();
  });

  /** The sandbox host reached as ::ffff:127.0.0.1, production as `prodHost`, both on the test sshd. */
  const workspace = (dir: string, prodHost: string, targets: Record<string, HostTarget>) =>
    hostWorkspace(
      join(root, dir),
      {
        lab: { host: MAPPED, port: sshd.port, user: sshd.user, identityFile: sshd.clientKeyPath },
        prod: { host: prodHost, port: sshd.port, user: sshd.user },
      },
      targets,
    );

  it('stops a drill whose sandbox is the production folder under another name of the same host, with the code and hint a client reads', async () => {
    const real = join(root, 'prod-real');
    const link = join(root, 'prod-link');
    mkdirSync(real);
    symlinkSync(real, link);
    const ws = await workspace('ws-refusal', '::1', {
      'prod-host': { environment: 'production', backend: 'prod', path: link },
      'sandbox-host': { environment: 'sandbox', backend: 'lab', path: real },
    });
    const plan = planRunbook('runbooks/host.yaml', runbook, {
      cut: null,
      targets: ws.targets,
      pointPath: () => null,
      rtoSeconds: parseDuration,
    });
    const refused = await assertDrillConfined(
      { workspace: ws, plan, ssh: ssh() },
      '"Restore"',
    ).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(UserError);
    const { code, message, hint } = refused as UserError;
    expect({ code, message, hint }).toEqual({
      code: 'WRITE_IN_PRODUCTION',
      message: `"Restore" was stopped before writing: a drill cannot write to ${real} on ${at(MAPPED)}: it is the same folder as the production target prod-host (${link}, which resolves to ${real} on ${at('::1')}, the same host (both names reach this machine)).`,
      hint: 'Bind the drill to a sandbox target that shares no folder with production on that host, whatever name reaches it.',
    });
  }, 30_000);

  it('lets a folder whose name only begins like the production folder through, once the host has resolved both', async () => {
    const production = join(root, 'shop');
    mkdirSync(production);
    const ws = await workspace('ws-sibling', '127.0.0.2', {
      'prod-host': { environment: 'production', backend: 'prod', path: production },
    });
    const place = { kind: 'host', backend: 'lab', path: `${production}-copy` } as const;
    expect(await remoteConfinementProblem(ws, place, 'drill', ssh())).toBeNull();
    // The same folder written with a final slash is still the production folder.
    const slash = { kind: 'host', backend: 'lab', path: `${production}/` } as const;
    expect(await remoteConfinementProblem(ws, slash, 'drill', ssh())).toBe(
      `a drill cannot write to ${production}/, which resolves to ${production} there on ${at(MAPPED)}: it is the same folder as the production target prod-host (${production} on ${at('127.0.0.2')}, the same host (both names reach this machine))`,
    );
  }, 30_000);

  it("stops a step with no working folder, which writes in the login's home, when production lies in that home", async () => {
    const home = realpathSync(userInfo().homedir);
    // Never created: the host resolves where it would be.
    const production = join(home, `dapple-prod-${process.pid}`);
    const ws = await workspace('ws-home', '127.0.0.2', {
      'prod-host': { environment: 'production', backend: 'prod', path: production },
    });
    const place = { kind: 'host', backend: 'lab', path: '' } as const;
    expect(await remoteConfinementProblem(ws, place, 'drill', ssh())).toBe(
      `a drill cannot write to ., which resolves to ${home} there on ${at(MAPPED)}: it contains the production target prod-host (${production} on ${at('127.0.0.2')}, the same host (both names reach this machine))`,
    );
  }, 30_000);

  it('does not ask any host about a drill writing to a folder of this machine', async () => {
    const production = join(root, 'prod-local');
    const ws = await workspace('ws-folder', '127.0.0.2', {
      'prod-host': { environment: 'production', backend: 'prod', path: production },
    });
    const place = { kind: 'folder', path: production } as const;
    expect(await remoteConfinementProblem(ws, place, 'drill', ssh())).toBeNull();
  });
});
