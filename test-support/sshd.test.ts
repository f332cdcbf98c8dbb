// The test sshd accepts the generated client key, refuses others, and reports its host key correctly.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeKeyPair, startSshd } from './sshd';
import type { TestSshd } from './sshd';
import { readGreeting } from './ports';

describe('startSshd', () => {
  let sshd: TestSshd;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  function ssh(key: string, knownHosts: string, command: string): string {
    return execFileSync(
      'ssh',
      [
        ...['-i', key, '-p', String(sshd.port), '-o', `UserKnownHostsFile=${knownHosts}`],
        ...['-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes'],
        `${sshd.user}@${sshd.host}`,
        command,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
  }

  it('accepts the client key, with the host key given in its known_hosts line', () => {
    const knownHosts = join(sshd.dir, 'known_hosts');
    writeFileSync(knownHosts, `${sshd.knownHostsLine}\n`);
    expect(ssh(sshd.clientKeyPath, knownHosts, 'echo hello-from-sshd').trim()).toBe(
      'hello-from-sshd',
    );
  });

  it('reports the fingerprint ssh-keygen computes', () => {
    const out = execFileSync('ssh-keygen', ['-l', '-f', join(sshd.dir, 'host_ed25519.pub')], {
      encoding: 'utf8',
    });
    expect(out).toContain(sshd.hostFingerprint);
  });

  it('refuses a key that is not authorized', async () => {
    const otherKey = join(sshd.dir, 'stranger');
    await makeKeyPair(otherKey);
    const knownHosts = join(sshd.dir, 'known_hosts');
    writeFileSync(knownHosts, `${sshd.knownHostsLine}\n`);
    expect(() => ssh(otherKey, knownHosts, 'true')).toThrow(/Permission denied/);
  });

  it('stops cleanly: nothing listens on its port afterwards', async () => {
    const other = await startSshd();
    await other.stop();
    await expect(readGreeting(other.port, 500)).rejects.toThrow();
  });
});
