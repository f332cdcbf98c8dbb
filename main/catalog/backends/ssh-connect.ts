// Opens one verified, authenticated SSH connection: host key check, agent and key files, ProxyJump hops.
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { AnyAuthMethod, Client, ConnectConfig, ParsedKey, ServerHostKeyAlgorithm } from 'ssh2';
import { UserError } from '../../ground/errors';
import { parseJump, readSshConfig, resolveSshTarget } from './ssh-config';
import type { SshTarget } from './ssh-config';
import {
  checkHostKey,
  keyTypeOf,
  knownHostsLine,
  knownKeyTypes,
  loadKnownHosts,
  sha256Fingerprint,
} from './ssh-known-hosts';

/** What the UI shows when asked to trust a host key it has never seen. */
import type { HostKeyInfo } from '../../ground/prompts';
export type { HostKeyInfo };

/** How SSH connections find keys, check hosts and ask the person at the keyboard. */
export type SshOptions = {
  /** ~/.ssh/config text source; null to ignore the user's config. */
  sshConfigPath?: string | null;
  /** known_hosts files to trust (default ~/.ssh/known_hosts). */
  knownHostsFiles?: string[];
  /** The workspace's own known_hosts: trusted too, and where accepted keys are written. */
  workspaceKnownHosts?: string | null;
  /** Asked for the passphrase of an encrypted key file; null means "skip this key". */
  askPassphrase?: (keyPath: string) => Promise<string | null>;
  /** Asked whether to trust an unknown host key; only an explicit true accepts it. */
  acceptHostKey?: (info: HostKeyInfo) => Promise<boolean>;
  /** ssh-agent socket (default SSH_AUTH_SOCK); null disables the agent. */
  agentSocket?: string | null;
  /** Look for id_ed25519, id_ecdsa, id_rsa in ~/.ssh when nothing else is configured (default true). */
  defaultKeys?: boolean;
  readyTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  home?: string;
};

// ssh2's default host key algorithms, in its order of preference.
const HOST_KEY_ALGORITHMS: string[] = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

const where = (t: { user: string; hostName: string; port: number }) =>
  `${t.user}@${t.hostName}:${t.port}`;

// ssh2 loads on the first connection: the app and the CLI start without it.
const ssh2 = () => import('ssh2');

// Key files to try, each parsed once: encrypted ones ask for the passphrase through the UI.
async function loadKey(path: string, options: SshOptions): Promise<ParsedKey | null> {
  const { utils } = await ssh2();
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch {
    return null;
  }
  let parsed = utils.parseKey(data);
  if (parsed instanceof Error && /passphrase/i.test(parsed.message)) {
    const passphrase = options.askPassphrase ? await options.askPassphrase(path) : null;
    if (passphrase === null) return null;
    parsed = utils.parseKey(data, passphrase);
    if (parsed instanceof Error) {
      throw new UserError(
        'SSH_KEY_PASSPHRASE',
        `The passphrase for the SSH key ${path} is not correct.`,
        'Type the passphrase again, or load the key into ssh-agent (ssh-add) and retry.',
      );
    }
  }
  if (parsed instanceof Error) return null;
  return Array.isArray(parsed) ? (parsed[0] ?? null) : parsed;
}

async function authMethods(target: SshTarget, options: SshOptions): Promise<AnyAuthMethod[]> {
  const home = options.home ?? homedir();
  const methods: AnyAuthMethod[] = [];
  const agent = options.agentSocket === undefined ? process.env.SSH_AUTH_SOCK : options.agentSocket;
  const publickey = (key: ParsedKey): AnyAuthMethod => ({
    type: 'publickey',
    username: target.user,
    key,
  });
  // Keys the workspace or ~/.ssh/config names come first: asking for their passphrase is expected.
  for (const file of target.identityFiles) {
    const key = await loadKey(file, options);
    if (key) methods.push(publickey(key));
  }
  if (agent) methods.push({ type: 'agent', username: target.user, agent });
  // Default keys as OpenSSH tries them; an encrypted one prompts only when nothing else can log in.
  if (target.identityFiles.length === 0 && options.defaultKeys !== false) {
    const prompt = methods.length === 0;
    for (const name of ['id_ed25519', 'id_ecdsa', 'id_rsa']) {
      const key = await loadKey(
        join(home, '.ssh', name),
        prompt ? options : { ...options, askPassphrase: async () => null },
      );
      if (key) methods.push(publickey(key));
    }
  }
  if (methods.length === 0) {
    throw new UserError(
      'SSH_NO_CREDENTIALS',
      `No SSH key or agent is available to log in to ${where(target)}.`,
      'Start ssh-agent and add a key (ssh-add), or set identityFile on this backend.',
    );
  }
  return methods;
}

// What the handshake learned: why it failed, and a hook that pauses the ready timer while a person decides.
type Failure = { error: UserError | null; asking: (waiting: boolean) => void; asked: boolean };

// Host key policy: known → go on; unknown → ask (never silently yes); changed or revoked → refuse.
function hostVerifier(target: SshTarget, options: SshOptions, failure: Failure) {
  const home = options.home ?? homedir();
  const files = [...(options.knownHostsFiles ?? [join(home, '.ssh', 'known_hosts')])];
  if (options.workspaceKnownHosts) files.push(options.workspaceKnownHosts);
  const entries = loadKnownHosts(files);
  const verify = (key: Buffer, done: (ok: boolean) => void) => {
    const verdict = checkHostKey(entries, target.hostName, target.port, key);
    const info = {
      host: target.hostName,
      port: target.port,
      keyType: keyTypeOf(key),
      fingerprint: sha256Fingerprint(key),
    };
    if (verdict === 'known') return done(true);
    if (verdict === 'changed' || verdict === 'revoked') {
      failure.error = new UserError(
        'HOST_KEY_CHANGED',
        `The SSH host key of ${target.hostName}:${target.port} has ${verdict === 'revoked' ? 'been revoked' : 'changed'}: it now presents ${info.keyType} ${info.fingerprint}, which does not match known_hosts. Someone may be intercepting the connection.`,
        'Confirm the new fingerprint with the host owner out of band; only then remove the old line from known_hosts (ssh-keygen -R) and connect again.',
      );
      return done(false);
    }
    const refuse = () => {
      failure.error = new UserError(
        'HOST_KEY_UNKNOWN',
        `The SSH host key of ${target.hostName}:${target.port} is not known: ${info.keyType} ${info.fingerprint}.`,
        `Compare this fingerprint with the one the host owner gives you (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub), then accept it in the console, or add it with: ssh-keyscan -p ${target.port} ${target.hostName} >> ${options.workspaceKnownHosts ?? join(home, '.ssh', 'known_hosts')} (check that the line it adds has this fingerprint: ssh-keygen -lf on that file).`,
      );
      done(false);
    };
    if (!options.acceptHostKey) return refuse();
    failure.asked = true;
    failure.asking(true);
    options.acceptHostKey(info).then(
      (yes) => {
        failure.asking(false);
        if (yes !== true) return refuse();
        const file = options.workspaceKnownHosts ?? files[0] ?? join(home, '.ssh', 'known_hosts');
        mkdirSync(dirname(file), { recursive: true });
        appendFileSync(file, `${knownHostsLine(target.hostName, target.port, key)}\n`);
        done(true);
      },
      () => {
        failure.asking(false);
        refuse();
      },
    );
  };
  return { verify, preferred: knownKeyTypes(entries, target.hostName, target.port) };
}

function networkError(
  target: SshTarget,
  error: NodeJS.ErrnoException & { level?: string },
): UserError {
  const place = where(target);
  if (error.code === 'ECONNREFUSED')
    return new UserError(
      'SSH_UNREACHABLE',
      `Could not connect to ${place}: the connection was refused.`,
      'Check that sshd runs on that host and port.',
    );
  if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN')
    return new UserError(
      'SSH_UNREACHABLE',
      `Could not find the host ${target.hostName} (name lookup failed).`,
      'Check the host name in the workspace or ~/.ssh/config, and your DNS or VPN.',
    );
  if (error.level === 'client-authentication')
    return new UserError(
      'SSH_AUTH_FAILED',
      `SSH login to ${place} was refused for every key tried.`,
      `Check that the key for ${target.user} is in the host's authorized_keys, or that ssh-agent holds it.`,
    );
  if (/timed out/i.test(error.message))
    return new UserError(
      'SSH_TIMEOUT',
      `SSH connection to ${place} timed out.`,
      'Check the network path (VPN, firewall, ProxyJump) and try again.',
    );
  return new UserError(
    'SSH_FAILED',
    `SSH connection to ${place} failed: ${error.message.slice(0, 300)}.`,
    'Check the host and try again.',
  );
}

/** Connect, verify the host key and log in; hops in ProxyJump are resolved and verified the same way. */
export async function connectSsh(
  target: SshTarget,
  options: SshOptions,
  sock?: Duplex,
): Promise<Client> {
  const { Client } = await ssh2();
  const configText = options.sshConfigPath === null ? '' : readSshConfig(options.sshConfigPath);
  let socket = sock;
  const hops: Client[] = [];
  if (!socket && target.proxyJump.length > 0) {
    // Each hop is its own verified connection; the next one rides on a forwarded channel of it.
    const chain = target.proxyJump.map((spec) =>
      resolveSshTarget(parseJump(spec), {
        configText,
        ...(options.home ? { home: options.home } : {}),
      }),
    );
    for (const [i, hop] of chain.entries()) {
      try {
        const client = await connectSsh({ ...hop, proxyJump: [] }, options, socket);
        hops.push(client);
        socket = await forward(client, hop, chain[i + 1] ?? target);
      } catch (error) {
        for (const h of hops) h.end();
        throw error;
      }
    }
  }
  const client = new Client();
  // Our own ready timer instead of ssh2's: it stops while a person compares a host key fingerprint.
  const readyMs = options.readyTimeoutMs ?? 20_000;
  let readyTimer: NodeJS.Timeout | undefined;
  let settled = false;
  const armReadyTimer = () => {
    clearTimeout(readyTimer);
    if (settled) return;
    readyTimer = setTimeout(() => {
      const error = Object.assign(new Error('Timed out while waiting for handshake'), {
        level: 'client-timeout',
      });
      client.emit('error', error);
    }, readyMs);
  };
  const failure: Failure = {
    error: null,
    asked: false,
    asking: (waiting) => (waiting ? clearTimeout(readyTimer) : armReadyTimer()),
  };
  const { verify, preferred } = hostVerifier(target, options, failure);
  const methods = await authMethods(target, options);
  const config: ConnectConfig = {
    host: target.hostName,
    port: target.port,
    username: target.user,
    readyTimeout: 0,
    keepaliveInterval: options.keepaliveIntervalMs ?? 15_000,
    keepaliveCountMax: 4,
    hostVerifier: (key: Buffer, done: (ok: boolean) => void) => verify(key, done),
    authHandler: methods,
    ...(socket ? { sock: socket } : {}),
  };
  if (preferred.length > 0) {
    // Offer the key types we already know for this host first, so a known host is not "unknown".
    const first = preferred.flatMap((t) =>
      t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t],
    );
    const order = [...first, ...HOST_KEY_ALGORITHMS].filter(
      (a, i, all) => HOST_KEY_ALGORITHMS.includes(a) && all.indexOf(a) === i,
    );
    config.algorithms = { serverHostKey: order as ServerHostKeyAlgorithm[] };
  }
  return new Promise<Client>((resolve, reject) => {
    const onError = (error: Error) => {
      settled = true;
      clearTimeout(readyTimer);
      client.off('close', onClose);
      // Late errors from a connection given up on must not crash the process.
      client.on('error', () => undefined);
      client.destroy();
      for (const hop of hops) hop.end();
      reject(failure.error ?? networkError(target, error));
    };
    // ssh2 reports a connection the server closed before login only as 'close'.
    const onClose = () =>
      onError(
        new Error(
          failure.asked
            ? 'the host closed the connection while Dapple waited for your answer about its key (sshd allows about 2 minutes to log in); connect again'
            : 'the host closed the connection before login',
        ),
      );
    client.once('error', onError);
    client.once('close', onClose);
    client.once('ready', () => {
      settled = true;
      clearTimeout(readyTimer);
      client.off('error', onError);
      client.off('close', onClose);
      // Later errors (a dropped connection) surface on the channels; keep the process alive.
      client.on('error', () => undefined);
      client.once('close', () => hops.forEach((h) => h.end()));
      resolve(client);
    });
    armReadyTimer();
    client.connect(config);
  });
}

function forward(client: Client, hop: SshTarget, target: SshTarget): Promise<Duplex> {
  return new Promise((resolve, reject) =>
    client.forwardOut('127.0.0.1', 0, target.hostName, target.port, (error, stream) => {
      if (error) {
        reject(
          new UserError(
            'SSH_JUMP_FAILED',
            `The jump host ${where(hop)} could not reach ${target.hostName}:${target.port}: ${error.message}.`,
            'Check ProxyJump in ~/.ssh/config and that the jump host allows TCP forwarding.',
          ),
        );
      } else resolve(stream);
    }),
  );
}
