// A real OpenSSH sshd on 127.0.0.1 with its own config, host key and a generated client key.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort, readGreeting } from './ports';
import { startServer, runCommand } from './process';
import { requireProgram } from './programs';
import { makeTempDir } from './temp';

/** A running test sshd and everything a client needs to reach it. */
export type TestSshd = {
  host: string;
  port: number;
  user: string;
  /** Private key (OpenSSH format, no passphrase) in authorized_keys. */
  clientKeyPath: string;
  /** "ssh-ed25519 AAAA..." */
  hostPublicKey: string;
  /** "SHA256:..." as ssh-keygen -l prints it. */
  hostFingerprint: string;
  /** "[127.0.0.1]:port ssh-ed25519 AAAA..." for a known_hosts file. */
  knownHostsLine: string;
  /** The folder holding config, keys and logs. */
  dir: string;
  stop: () => Promise<void>;
};

/** The SHA-256 fingerprint of an OpenSSH public key line, as ssh-keygen -l shows it. */
export function fingerprintOf(publicKeyLine: string): string {
  const blob = Buffer.from(publicKeyLine.trim().split(/\s+/)[1] ?? '', 'base64');
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** Make an ed25519 key pair without passphrase (or with one); returns the public key line. */
export async function makeKeyPair(path: string, passphrase = ''): Promise<string> {
  const keygen = requireProgram('ssh-keygen', 'openssh-client');
  await runCommand(keygen, [
    '-q',
    '-t',
    'ed25519',
    '-N',
    passphrase,
    '-C',
    'dapple-test',
    '-f',
    path,
  ]);
  return readFileSync(`${path}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
}

/**
 * Start sshd on a free 127.0.0.1 port; resolves once it answers with its SSH banner.
 * `extraConfig`: more sshd_config lines (e.g. `SetEnv PATH=…` for a host without a tool).
 */
export async function startSshd(extraConfig: string[] = []): Promise<TestSshd> {
  const sshd = requireProgram('sshd', 'openssh-server');
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const temp = makeTempDir('sshd');
  const dir = temp.path;
  const hostKey = join(dir, 'host_ed25519');
  const clientKeyPath = join(dir, 'client_ed25519');
  const [hostPublicKey, clientPublic] = await Promise.all([
    makeKeyPair(hostKey),
    makeKeyPair(clientKeyPath),
  ]);
  writeFileSync(join(dir, 'authorized_keys'), `${clientPublic}\n`, { mode: 0o600 });
  const sftpServer = requireProgram('/usr/lib/openssh/sftp-server', 'openssh-sftp-server');

  // A port can be taken between freePort() and sshd's bind: try a few.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const config = join(dir, 'sshd_config');
    writeFileSync(
      config,
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${hostKey}`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        'StrictModes no',
        'UsePAM no',
        'PermitRootLogin prohibit-password',
        'PubkeyAuthentication yes',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'AllowTcpForwarding yes',
        'MaxSessions 20',
        'MaxStartups 50',
        `Subsystem sftp ${sftpServer}`,
        'LogLevel ERROR',
        ...extraConfig,
        '',
      ].join('\n'),
    );
    const server = startServer(sshd, ['-D', '-e', '-f', config]);
    const ready = await waitForBanner(port, server.exited);
    if (ready) {
      return {
        host: '127.0.0.1',
        port,
        user: userInfo().username,
        clientKeyPath,
        hostPublicKey,
        hostFingerprint: fingerprintOf(hostPublicKey),
        knownHostsLine: `[127.0.0.1]:${port} ${hostPublicKey}`,
        dir,
        stop: async () => {
          await server.stop();
          temp.remove();
        },
      };
    }
    await server.stop();
    if (attempt >= 5) {
      temp.remove();
      throw new Error(`sshd did not start on 127.0.0.1:\n${server.output()}`);
    }
  }
}

// Connect until the banner arrives; false if sshd exited first (e.g. the port was taken).
async function waitForBanner(port: number, exited: Promise<number | null>): Promise<boolean> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 20_000;
  while (!gone && Date.now() < deadline) {
    try {
      if ((await readGreeting(port, 1000)).startsWith('SSH-')) return true;
    } catch {
      // not listening yet: wait for either the next tick of the event loop or the exit
      await Promise.race([exited, new Promise((r) => setTimeout(r, 25))]);
    }
  }
  return false;
}
