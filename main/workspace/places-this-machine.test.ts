// A host target on this machine is a folder here when written as one of its names or addresses:
// localhost, 127/8, ::1, and the unspecified address (a connection to 0.0.0.0 or :: reaches this
// machine on Linux). So a drill's sandbox folder at a production host path under such a name is refused at
// the start, before a log exists; a far host stays a host.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hostWorkspace } from '../../test-support/host-workspace';
import { makeTempDir } from '../../test-support/temp';
import { assertConfined } from '../restore/confine';
import { resolvePlace } from './places';

describe('a host target on this machine', () => {
  const temp = makeTempDir('places-this-machine');
  afterAll(() => temp.remove());

  // Other spellings (::ffff:127.0.0.1, 0:0:0:0:0:0:0:1) are found at write time: confine-remote-hosts.
  const names = ['localhost', '127.0.0.1', '127.0.0.2', '::1', '0.0.0.0', '::'];
  it.each(names)(
    'reached as %s is a folder here, and a sandbox folder there is refused',
    async (host) => {
      const workspace = await hostWorkspace(
        join(temp.path, `ws-${host.replaceAll(':', '-')}`),
        { prod: { host, port: 22 } },
        { 'prod-data': { environment: 'production', backend: 'prod', path: '/srv/shop/data' } },
      );
      const production = { kind: 'host', backend: 'prod', path: '/srv/shop/data' } as const;
      expect(resolvePlace(workspace, production)).toEqual({
        kind: 'folder',
        path: '/srv/shop/data',
      });
      const sandbox = { kind: 'folder', path: '/srv/shop/data/restore' } as const;
      expect(() => assertConfined(workspace, sandbox, 'drill', '"Restore"')).toThrow(
        /^"Restore" was stopped before writing: .*prod-data/,
      );
    },
  );

  it('a far host stays a host of its own', async () => {
    const workspace = await hostWorkspace(
      join(temp.path, 'ws-far'),
      { prod: { host: '203.0.113.9', port: 22 } },
      { 'prod-data': { environment: 'production', backend: 'prod', path: '/srv/shop/data' } },
    );
    const production = { kind: 'host', backend: 'prod', path: '/srv/shop/data' } as const;
    expect(resolvePlace(workspace, production)).toEqual({
      kind: 'host',
      host: '203.0.113.9:22',
      path: '/srv/shop/data',
    });
    const sandbox = { kind: 'folder', path: '/srv/shop/data/restore' } as const;
    expect(() => assertConfined(workspace, sandbox, 'drill', '"Restore"')).not.toThrow();
  });
});
