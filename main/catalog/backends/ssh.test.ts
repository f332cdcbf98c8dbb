// The ssh backend against a real OpenSSH sshd: host keys, keys, exec, SFTP, pooling and ProxyJump.
import { existsSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeKeyPair, startSshd } from '../../../test-support/sshd';
import type { TestSshd } from '../../../test-support/sshd';
import { makeTempDir } from '../../../test-support/temp';
import { freePort } from '../../../test-support/ports';
import { runCommand, startServer } from '../../../test-support/process';
import { createSshBackend } from './ssh';
import type { SshOptions } from './ssh';
import { SshPool, remoteCommand } from './ssh-pool';

// ssh-agent creates its socket shortly after starting: wait for it (or for the agent to die).
async function waitForSocket(path: string, exited: Promise<unknown>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  for (let i = 0; i < 200 && !gone; i++) {
    if (existsSync(path)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`ssh-agent did not create ${path}`);
}

describe('ssh backend', () => {
  let sshd: TestSshd;
  let other: TestSshd;
  const temp = makeTempDir('ssh-backend');
  const pool = new SshPool();
  let knownHosts: string;

  beforeAll(async () => {
    [sshd, other] = await Promise.all([startSshd(), startSshd()]);
    knownHosts = join(temp.path, 'known_hosts');
    writeFileSync(knownHosts, `${sshd.knownHostsLine}\n`);
  });
  afterAll(async () => {
    await pool.closeAll();
    await Promise.all([sshd?.stop(), other?.stop()]);
    temp.remove();
  });

  // Only the files the test names: never the real ~/.ssh or agent of the machine.
  const isolated = (extra: SshOptions = {}): SshOptions => ({
    sshConfigPath: null,
    knownHostsFiles: [knownHosts],
    agentSocket: null,
    defaultKeys: false,
    home: temp.path,
    ...extra,
  });
  const backendFor = (server: TestSshd, options: SshOptions, p = pool) =>
    createSshBackend(
      {
        name: 'h',
        type: 'ssh',
        host: server.host,
        port: server.port,
        user: server.user,
        identityFile: server.clientKeyPath,
        tags: [],
      },
      options,
      p,
    );

  it('runs argv on the host with hostile text passed as data, and returns exit code and stderr', async () => {
    const runner = backendFor(sshd, isolated()).runner();
    const args = ['$(touch /tmp/pwned)', '`id`', "it's", 'a\nb', '💾', 'x'.repeat(10_000)];
    const result = await runner.run(['printf', '%s\\0', ...args]);
    expect(result.code).toBe(0);
    expect(result.stdout.toString().split('\0').slice(0, -1)).toEqual(args);
    const failing = await runner.run(['sh', '-c', 'echo broken >&2; exit 7']);
    expect(failing).toMatchObject({ code: 7, stderr: 'broken\n' });
    expect((await runner.run(['dapple-no-such-tool'])).code).toBe(127);
  });

  it('sends env values over stdin, never on the command line', async () => {
    const secret = "pa ss'$(id)`w`";
    const { command } = remoteCommand(['restic', 'snapshots'], { RESTIC_PASSWORD: secret });
    expect(command).not.toContain(secret);
    const result = await backendFor(sshd, isolated())
      .runner()
      .run(['sh', '-c', 'printf "%s|" "$RESTIC_PASSWORD"; cat'], {
        env: { RESTIC_PASSWORD: secret },
        stdin: 'rest',
      });
    expect(result.stdout.toString()).toBe(`${secret}|rest`);
  });

  it('reuses one connection per host for many commands', async () => {
    const p = new SshPool();
    const backend = backendFor(sshd, isolated(), p);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => backend.runner().run(['echo', String(i)])),
    );
    expect(results.map((r) => r.stdout.toString().trim())).toEqual(
      Array.from({ length: 12 }, (_, i) => String(i)),
    );
    expect(p.size).toBe(1);
    await p.closeAll();
  });

  it('lists and reads files over SFTP, refusing paths with ..', async () => {
    const root = join(sshd.dir, 'backups');
    mkdirSync(join(root, 'daily'), { recursive: true });
    writeFileSync(join(root, 'daily', 'm1.json'), '{"a":1}');
    writeFileSync(join(root, 'top.json'), 'top');
    const backend = backendFor(sshd, isolated());
    const files = [];
    for await (const f of backend.list(root)) files.push(f);
    expect(files.map((f) => [f.path, f.sizeBytes])).toEqual([
      [join(root, 'top.json'), 3],
      [join(root, 'daily', 'm1.json'), 7],
    ]);
    expect((await backend.read(join(root, 'daily', 'm1.json'))).toString()).toBe('{"a":1}');
    await expect(backend.read(join(root, 'nope.json'))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    // A sparse 65 MB file: refused by size before any byte is transferred.
    writeFileSync(join(root, 'disk.img'), '');
    truncateSync(join(root, 'disk.img'), 65 * 1024 * 1024);
    await expect(backend.read(join(root, 'disk.img'))).rejects.toMatchObject({
      code: 'FILE_TOO_LARGE',
    });
    await expect(backend.read(`${root}/../etc/passwd`)).rejects.toMatchObject({
      code: 'PATH_REFUSED',
    });
  });

  it('refuses an unknown host key, showing its SHA-256 fingerprint', async () => {
    const error = await backendFor(other, isolated())
      .runner()
      .run(['true'])
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HOST_KEY_UNKNOWN' });
    expect((error as Error).message).toContain(other.hostFingerprint);
  });

  it('accepts an unknown key only after an explicit yes, and remembers it in the workspace file', async () => {
    const workspaceKnownHosts = join(temp.path, 'workspace_known_hosts');
    const asked: string[] = [];
    const p = new SshPool();
    const options = isolated({
      workspaceKnownHosts,
      acceptHostKey: async (info) => {
        asked.push(info.fingerprint);
        return true;
      },
    });
    expect(
      (await backendFor(other, options, p).runner().run(['echo', 'ok'])).stdout.toString(),
    ).toBe('ok\n');
    expect(asked).toEqual([other.hostFingerprint]);
    expect(readFileSync(workspaceKnownHosts, 'utf8')).toContain(other.hostPublicKey.split(' ')[1]);
    await p.closeAll();
    // A "no" leaves it refused.
    const refused = await backendFor(
      other,
      isolated({ acceptHostKey: async () => false }),
      new SshPool(),
    )
      .runner()
      .run(['true'])
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'HOST_KEY_UNKNOWN' });
  });

  it('refuses a changed host key even when acceptHostKey would say yes', async () => {
    const forged = join(temp.path, 'forged_known_hosts');
    // known_hosts says this port belongs to the first server's key: the second one is an impostor.
    writeFileSync(forged, `[127.0.0.1]:${other.port} ${sshd.hostPublicKey}\n`);
    const error = await backendFor(
      other,
      isolated({ knownHostsFiles: [forged], acceptHostKey: async () => true }),
      new SshPool(),
    )
      .runner()
      .run(['true'])
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HOST_KEY_CHANGED' });
    expect((error as Error).message).toContain(other.hostFingerprint);
  });

  it('asks for the passphrase of an encrypted key, and says so when it is wrong', async () => {
    const keyPath = join(temp.path, 'locked_key');
    const pub = await makeKeyPair(keyPath, 'open sesame');
    writeFileSync(
      join(sshd.dir, 'authorized_keys'),
      `${readFileSync(join(sshd.dir, 'authorized_keys'), 'utf8')}${pub}\n`,
    );
    const config = {
      name: 'h',
      type: 'ssh' as const,
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
      identityFile: keyPath,
      tags: [],
    };
    const good = createSshBackend(
      config,
      isolated({ askPassphrase: async () => 'open sesame' }),
      new SshPool(),
    );
    expect((await good.runner().run(['echo', 'in'])).stdout.toString()).toBe('in\n');
    await good.close();
    const bad = createSshBackend(
      config,
      isolated({ askPassphrase: async () => 'wrong' }),
      new SshPool(),
    );
    await expect(bad.runner().run(['true'])).rejects.toMatchObject({ code: 'SSH_KEY_PASSPHRASE' });
  });

  it('says which login failed when the key is not authorized', async () => {
    const stranger = join(temp.path, 'stranger');
    await makeKeyPair(stranger);
    const config = {
      name: 'h',
      type: 'ssh' as const,
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
      identityFile: stranger,
      tags: [],
    };
    const error = await createSshBackend(config, isolated(), new SshPool())
      .runner()
      .run(['true'])
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SSH_AUTH_FAILED' });
    expect((error as Error).message).toContain(`${sshd.user}@127.0.0.1:${sshd.port}`);
  });

  it('follows a ~/.ssh/config alias with ProxyJump through a jump host', async () => {
    const sshConfigPath = join(temp.path, 'ssh_config');
    writeFileSync(
      sshConfigPath,
      [
        'Host backup-target',
        '  HostName 127.0.0.1',
        `  Port ${sshd.port}`,
        `  User ${sshd.user}`,
        `  IdentityFile ${sshd.clientKeyPath}`,
        '  ProxyJump jumpbox',
        'Host jumpbox',
        '  HostName 127.0.0.1',
        `  Port ${other.port}`,
        `  IdentityFile ${other.clientKeyPath}`,
        '',
      ].join('\n'),
    );
    const both = join(temp.path, 'both_known_hosts');
    writeFileSync(both, `${sshd.knownHostsLine}\n${other.knownHostsLine}\n`);
    const p = new SshPool();
    const backend = createSshBackend(
      {
        name: 'j',
        type: 'ssh',
        host: 'backup-target',
        port: null,
        user: null,
        identityFile: null,
        tags: [],
      },
      isolated({ sshConfigPath, knownHostsFiles: [both] }),
      p,
    );
    expect(backend.runner().where).toBe(`${sshd.user}@127.0.0.1:${sshd.port}`);
    expect((await backend.runner().run(['echo', 'jumped'])).stdout.toString()).toBe('jumped\n');
    await p.closeAll();
  });
  it('logs in with a key held by a real ssh-agent', async () => {
    const agentSocket = join(temp.path, 'agent.sock');
    const agent = startServer('ssh-agent', ['-D', '-a', agentSocket]);
    try {
      await waitForSocket(agentSocket, agent.exited);
      await runCommand('ssh-add', ['-q', sshd.clientKeyPath], {
        env: { ...process.env, SSH_AUTH_SOCK: agentSocket },
      });
      const config = {
        name: 'h',
        type: 'ssh' as const,
        host: sshd.host,
        port: sshd.port,
        user: sshd.user,
        identityFile: null,
        tags: [],
      };
      const p = new SshPool();
      const result = await createSshBackend(config, isolated({ agentSocket }), p)
        .runner()
        .run(['echo', 'agent']);
      expect(result.stdout.toString()).toBe('agent\n');
      await p.closeAll();
    } finally {
      await agent.stop();
    }
  });

  it('stops a command that outlives its timeout or is cancelled, and keeps the connection usable', async () => {
    const runner = backendFor(sshd, isolated()).runner();
    await expect(runner.run(['sleep', '31.5'], { timeoutMs: 300 })).rejects.toMatchObject({
      code: 'COMMAND_TIMEOUT',
    });
    // The remote process is killed too, not left running on the host.
    const left = await runner.run(['sh', '-c', 'sleep 0.3; pgrep -f "^sleep 31.5"']);
    expect(left.stdout.toString()).toBe('');
    const controller = new AbortController();
    const pending = runner.run(['sleep', '30'], { signal: controller.signal });
    setImmediate(() => controller.abort());
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
    expect((await runner.run(['echo', 'still-here'])).stdout.toString()).toBe('still-here\n');
  });

  it('opens a new connection when the old one dropped', async () => {
    const p = new SshPool();
    const backend = backendFor(sshd, isolated(), p);
    await backend.runner().run(['true']);
    const first = await p.get(backend.target, isolated());
    first.client.end();
    await new Promise<void>((resolve) => first.client.once('close', () => resolve()));
    expect((await backend.runner().run(['echo', 'again'])).stdout.toString()).toBe('again\n');
    expect(await p.get(backend.target, isolated())).not.toBe(first);
    await p.closeAll();
  });

  it('says plainly when nothing listens on the port', async () => {
    const closed = { ...sshd, port: await freePort() };
    await expect(
      backendFor(closed, isolated(), new SshPool()).runner().run(['true']),
    ).rejects.toMatchObject({
      code: 'SSH_UNREACHABLE',
      message: expect.stringContaining('refused'),
    });
  });
  it('tries ~/.ssh/id_ed25519 like OpenSSH, and says so when there is no key at all', async () => {
    const home = join(temp.path, 'home');
    mkdirSync(join(home, '.ssh'), { recursive: true });
    const config = {
      name: 'h',
      type: 'ssh' as const,
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
      identityFile: null,
      tags: [],
    };
    const none = await createSshBackend(
      config,
      isolated({ home, defaultKeys: true }),
      new SshPool(),
    )
      .runner()
      .run(['true'])
      .catch((e: unknown) => e);
    expect(none).toMatchObject({ code: 'SSH_NO_CREDENTIALS' });
    writeFileSync(join(home, '.ssh', 'id_ed25519'), readFileSync(sshd.clientKeyPath));
    const p = new SshPool();
    const result = await createSshBackend(config, isolated({ home, defaultKeys: true }), p)
      .runner()
      .run(['echo', 'default']);
    expect(result.stdout.toString()).toBe('default\n');
    await p.closeAll();
  });
});
