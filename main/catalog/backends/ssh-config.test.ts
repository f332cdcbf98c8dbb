// ~/.ssh/config aliases resolve the way OpenSSH resolves them for the fields Dapple uses.
import { describe, expect, it } from 'vitest';
import { parseJump, resolveSshTarget } from './ssh-config';

const config = `
# backups
Host db1 db1.internal
    HostName 10.1.2.3
    User backup
    Port 2222
    IdentityFile ~/.ssh/backup_%h
    ProxyJump admin@bastion:2200

Host *.internal !skip.internal
    User ops
    IdentityFile=/keys/ops

Match exec "false"
    User never

Host *
    User fallback
    Port 22
`;

describe('resolveSshTarget', () => {
  it('applies HostName, User, Port, IdentityFile and ProxyJump of an alias', () => {
    const t = resolveSshTarget({ host: 'db1' }, { configText: config, home: '/home/me' });
    expect(t).toEqual({
      alias: 'db1',
      hostName: '10.1.2.3',
      port: 2222,
      user: 'backup',
      identityFiles: ['/home/me/.ssh/backup_10.1.2.3'],
      proxyJump: ['admin@bastion:2200'],
    });
  });

  it('keeps the first value found, skips Match blocks, honours negated patterns', () => {
    expect(resolveSshTarget({ host: 'web.internal' }, { configText: config }).user).toBe('ops');
    expect(resolveSshTarget({ host: 'skip.internal' }, { configText: config }).user).toBe(
      'fallback',
    );
    expect(
      resolveSshTarget({ host: 'web.internal' }, { configText: config }).identityFiles,
    ).toEqual(['/keys/ops']);
  });

  it('lets the workspace override port, user and key', () => {
    const t = resolveSshTarget(
      { host: 'db1', port: 22, user: 'root', identityFile: '/k' },
      { configText: config, home: '/h' },
    );
    expect([t.port, t.user, t.identityFiles[0]]).toEqual([22, 'root', '/k']);
  });

  it('parses jump specs with user, port and brackets', () => {
    expect(parseJump('admin@bastion:2200')).toEqual({ user: 'admin', host: 'bastion', port: 2200 });
    expect(parseJump('gw')).toEqual({ user: null, host: 'gw', port: null });
    expect(parseJump('[::1]:22')).toEqual({ user: null, host: '::1', port: 22 });
  });
});
