// Which ssh host names are one host when a drill writes next to production (confine-remote.ts):
// names of other machines, or another port, never hold a drill up, and its host is not even asked;
// every spelling of this machine (::1, 0:0:0:0:0:0:0:1, 127.0.0.2, ::ffff:7f00:1, 0.0.0.0, ::) is this machine;
// one far machine written two ways is one host, and when it cannot be reached the drill is refused.
import { mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hostWorkspace,
  isolatedSsh,
  MAPPED,
  trustMappedHost,
} from '../../test-support/host-workspace';
import { startSshd, type TestSshd } from '../../test-support/sshd';
import { makeTempDir } from '../../test-support/temp';
import { sharedSshPool } from '../catalog/backends/ssh-pool';
import { assertConfined } from './confine';
import { remoteConfinementProblem } from './confine-remote';

const label = (host: string, port: number) => `${host.includes(':') ? `[${host}]` : host}:${port}`;

describe('a drill next to production on a host: which names are one host', () => {
  let sshd: TestSshd;
  const temp = makeTempDir('confine-hosts');
  let root: string;
  // A far host that cannot answer fails within a second instead of ssh's 20 s.
  const ssh = () => isolatedSsh(root, { readyTimeoutMs: 1000 });
  const place = (path: string) => ({ kind: 'host', backend: 'lab', path }) as const;

  beforeAll(async () => {
    sshd = await startSshd();
    root = realpathSync(temp.path);
    trustMappedHost(root, sshd);
  }, 60_000);
  afterAll(async () => {
    await sharedSshPool.closeAll();
    await sshd?.stop();
    temp.remove();
  });

  it('lets a sandbox write at a production path of another machine or another port through, without asking its host', async () => {
    // The sandbox host cannot be reached: were it asked, the drill would be refused.
    const workspace = await hostWorkspace(
      join(root, 'ws-far'),
      {
        lab: { host: '203.0.113.9', port: 22 },
        far: { host: '198.51.100.7', port: 22 },
        here: { host: '127.0.0.1', port: 22 },
        v6: { host: '2001:db8::5', port: 22 },
        'lab-admin': { host: '203.0.113.9', port: 2222 },
      },
      {
        'prod-far': { environment: 'production', backend: 'far', path: '/srv/data' },
        'prod-here': { environment: 'production', backend: 'here', path: '/srv/data' },
        'prod-v6': { environment: 'production', backend: 'v6', path: '/srv/data' },
        'prod-admin': { environment: 'production', backend: 'lab-admin', path: '/srv/data' },
        'lab-scratch': { environment: 'sandbox', backend: 'lab', path: '/srv/scratch' },
      },
    );
    expect(await remoteConfinementProblem(workspace, place('/srv/data'), 'drill', ssh())).toBe(
      null,
    );
  });

  it('refuses a drill on a far host written two ways when that host cannot say where the bytes land', async () => {
    for (const [lab, prod] of [
      ['203.0.113.9', '::ffff:203.0.113.9'],
      ['2001:db8::5', '2001:DB8:0:0::5'],
    ] as const) {
      const workspace = await hostWorkspace(
        join(root, `ws-two-ways-${lab.length}`),
        { lab: { host: lab, port: 22 }, prod: { host: prod, port: 22 } },
        { 'prod-data': { environment: 'production', backend: 'prod', path: '/srv/data' } },
      );
      const problem = await remoteConfinementProblem(workspace, place('/srv/data'), 'drill', ssh());
      expect(problem).toMatch(
        new RegExp(
          `^a drill writes next to production on ${label(lab, 22).replace(/[.[\]]/g, '\\$&')} only where that host can say where the bytes land, and resolving /srv/data there failed \\(.+\\)$`,
          's',
        ),
      );
    }
  });

  it('takes a name that does not resolve as one host with itself, whatever its case or final dot', async () => {
    const workspace = await hostWorkspace(
      join(root, 'ws-unresolved'),
      { lab: { host: 'lab.invalid', port: 22 }, prod: { host: 'LAB.Invalid.', port: 22 } },
      { 'prod-data': { environment: 'production', backend: 'prod', path: '/srv/data' } },
    );
    expect(await remoteConfinementProblem(workspace, place('/srv/data'), 'drill', ssh())).toMatch(
      /^a drill writes next to production on lab\.invalid:22 only where that host can say where the bytes land, and resolving \/srv\/data there failed \(.+\)$/s,
    );
  });

  it('stops a sandbox at a production folder reached by any spelling of this machine', async () => {
    const production = join(root, 'prod-data');
    mkdirSync(production);
    for (const name of ['::1', '0:0:0:0:0:0:0:1', '127.0.0.2', '::ffff:7f00:1', '0.0.0.0', '::']) {
      const workspace = await hostWorkspace(
        join(root, `ws-${name.replaceAll(':', '-')}`),
        {
          lab: { host: MAPPED, port: sshd.port, user: sshd.user, identityFile: sshd.clientKeyPath },
          prod: { host: name, port: sshd.port, user: sshd.user },
        },
        { 'prod-host': { environment: 'production', backend: 'prod', path: production } },
      );
      expect(await remoteConfinementProblem(workspace, place(production), 'drill', ssh())).toBe(
        `a drill cannot write to ${production} on ${label(MAPPED, sshd.port)}: it is the same folder as the production target prod-host (${production} on ${label(name, sshd.port)}, the same host (both names reach this machine))`,
      );
    }
  }, 60_000);

  it('leaves a host place on a backend the workspace does not have to the check that refuses it', async () => {
    const workspace = await hostWorkspace(
      join(root, 'ws-unknown'),
      { prod: { host: '127.0.0.1', port: 22 } },
      { 'prod-data': { environment: 'production', backend: 'prod', path: '/srv/data' } },
    );
    const elsewhere = { kind: 'host', backend: 'nowhere', path: '/srv/data' } as const;
    expect(await remoteConfinementProblem(workspace, elsewhere, 'drill', ssh())).toBeNull();
    expect(() => assertConfined(workspace, elsewhere, 'drill', '"Restore"')).toThrow(
      '"Restore" was stopped before writing: a drill writes only where the workspace can tell what it reaches, and backend nowhere is not an ssh backend of this workspace.',
    );
  });
});
