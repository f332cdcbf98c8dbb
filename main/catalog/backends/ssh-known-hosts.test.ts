// known_hosts matching agrees with ssh-keygen on plain, [host]:port, hashed and revoked entries.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkHostKey, keyTypeOf, parseKnownHosts, sha256Fingerprint } from './ssh-known-hosts';

const dir = mkdtempSync(join(tmpdir(), 'dapple-kh-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function makeKey(name: string): { line: string; blob: Buffer } {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, name)]);
  const line = readFileSync(join(dir, `${name}.pub`), 'utf8').trim();
  return { line, blob: Buffer.from(line.split(' ')[1] ?? '', 'base64') };
}

describe('known_hosts checks', () => {
  const a = makeKey('a');
  const b = makeKey('b');
  const typeAndKey = a.line.split(' ').slice(0, 2).join(' ');

  it('knows a key listed for [host]:port and a plain host on port 22', () => {
    const entries = parseKnownHosts(`[db1]:2222 ${typeAndKey}\nweb,10.0.0.5 ${typeAndKey}\n`);
    expect(checkHostKey(entries, 'db1', 2222, a.blob)).toBe('known');
    expect(checkHostKey(entries, '10.0.0.5', 22, a.blob)).toBe('known');
    expect(checkHostKey(entries, 'db1', 22, a.blob)).toBe('unknown');
  });

  it('reports a different key of the same type as changed, never as known', () => {
    const entries = parseKnownHosts(`db1 ${typeAndKey}\n`);
    expect(checkHostKey(entries, 'db1', 22, b.blob)).toBe('changed');
  });

  it('matches lines hashed by ssh-keygen -H', () => {
    const file = join(dir, 'known_hosts');
    writeFileSync(file, `[db1.internal]:2222 ${typeAndKey}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('|1|')).toBe(true);
    const entries = parseKnownHosts(text);
    expect(checkHostKey(entries, 'db1.internal', 2222, a.blob)).toBe('known');
    expect(checkHostKey(entries, 'db2.internal', 2222, a.blob)).toBe('unknown');
  });

  it('refuses a revoked key and honours wildcards', () => {
    const entries = parseKnownHosts(`@revoked * ${typeAndKey}\n*.internal ${typeAndKey}\n`);
    expect(checkHostKey(entries, 'x.internal', 22, a.blob)).toBe('revoked');
  });

  it('prints the fingerprint ssh-keygen prints', () => {
    const out = execFileSync('ssh-keygen', ['-lf', join(dir, 'a.pub')], { encoding: 'utf8' });
    expect(out).toContain(sha256Fingerprint(a.blob));
    expect(keyTypeOf(a.blob)).toBe('ssh-ed25519');
  });
});
