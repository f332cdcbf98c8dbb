// One SSH connection per user@host:port, shared by every source and step that talks to that host.
import type { Client, ClientChannel, SFTPWrapper } from 'ssh2';
import { UserError } from '../../ground/errors';
import { quoteArgv } from '../../runbook/quote';
import type { RunOptions, RunResult } from '../types';
import { connectSsh } from './ssh-connect';
import type { SshOptions } from './ssh-connect';
import type { SshTarget } from './ssh-config';

// OpenSSH allows 10 sessions per connection by default; stay under it.
const MAX_CHANNELS = 8;
const MAX_OUTPUT = 512 * 1024 * 1024;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The first line a step's remote shell writes on stderr: this mark, then its process group. */
export const PGID_MARK = 'dapple-pgid ';

/**
 * The remote command line for argv. Secret env values travel on stdin, one line each, read by the
 * remote shell first (sshd drops most env requests). With a watchdog, the program's stdin is
 * /dev/null and a background `cat` waits for our side to close the channel: when it does (timeout,
 * cancel, lost connection), the program is killed instead of running on. sshd alone would not.
 */
export function remoteCommand(
  argv: string[],
  env: Record<string, string> = {},
  watchdog = false,
  announce = false,
): { command: string; preamble: string } {
  const names = Object.keys(env);
  for (const name of names) {
    const value = env[name] ?? '';
    if (!ENV_NAME.test(name) || /[\n\r\0]/.test(value)) {
      throw new UserError(
        'SSH_ENV_INVALID',
        `The value for ${ENV_NAME.test(name) ? name : 'an environment variable'} cannot be sent over SSH: it contains a line break or NUL.`,
        'Use a password without line breaks, or a password file on the remote host.',
      );
    }
  }
  const run = quoteArgv(argv);
  const body = watchdog
    ? // Background jobs get /dev/null as stdin: keep the channel's stdin on fd 3 for the watchdog.
      `exec 3<&0; ${run} </dev/null 3<&- & p=$!; { cat <&3 >/dev/null 2>&1; kill -9 -- -$$ 2>/dev/null || kill -9 $p 2>/dev/null; } & w=$!; exec 3<&-; wait $p; s=$?; kill $w 2>/dev/null; exit $s`
    : `exec ${run}`;
  // sshd makes the remote shell a session and group leader: its $$ is the command's process group,
  // told first on stderr (before anything runs) for the log's cmd.pid.
  const told = announce ? `printf '${PGID_MARK}%s\\n' "$$" >&2; ` : '';
  if (names.length === 0) return { command: `${told}${watchdog ? body : run}`, preamble: '' };
  const reads = names.map((n) => `IFS= read -r ${n} || exit 125`).join('; ');
  return {
    command: `${told}${reads}; export ${names.join(' ')}; ${body}`,
    preamble: names.map((n) => `${env[n] ?? ''}\n`).join(''),
  };
}

/** A live connection: exec with a cap on parallel channels, and one lazily opened SFTP session. */
export class SshConnection {
  private sftpSession: Promise<SFTPWrapper> | null = null;
  private active = 0;
  private waiting: (() => void)[] = [];
  closed = false;

  constructor(
    readonly client: Client,
    readonly where: string,
  ) {
    client.once('close', () => {
      this.closed = true;
    });
  }

  private async slot(): Promise<() => void> {
    if (this.active >= MAX_CHANNELS) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    return () => {
      this.active--;
      this.waiting.shift()?.();
    };
  }

  /** Run argv on the host through the one quoting function; env values go over stdin, never argv. */
  async exec(argv: string[], options: RunOptions = {}): Promise<RunResult> {
    // Without stdin of its own, the program gets a watchdog that kills it when we hang up.
    const watchdog = options.stdin === undefined;
    const { command, preamble } = remoteCommand(argv, options.env, watchdog);
    const release = await this.slot();
    try {
      return await this.execChannel(argv[0] ?? '', command, preamble, watchdog, options);
    } finally {
      release();
    }
  }

  private execChannel(
    program: string,
    command: string,
    preamble: string,
    watchdog: boolean,
    options: RunOptions,
  ): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      if (options.signal?.aborted) return reject(cancelled(program, this.where));
      this.client.exec(command, (error, channel: ClientChannel) => {
        if (error) {
          return reject(
            new UserError(
              'SSH_EXEC_FAILED',
              `Could not start ${program} on ${this.where}: ${error.message}.`,
              'Check the connection and try again.',
            ),
          );
        }
        const chunks: Buffer[] = [];
        let size = 0;
        let stderr = '';
        let code: number | null = null;
        let failure: UserError | null = null;
        let settled = false;
        const settle = (fn: () => void) => {
          if (settled) return;
          settled = true;
          if (timer) clearTimeout(timer);
          options.signal?.removeEventListener('abort', onAbort);
          fn();
        };
        // sshd keeps a channel open until its process exits: kill it, and do not wait for the close.
        const stop = (reason: UserError) => {
          failure ??= reason;
          channel.signal('KILL');
          channel.close();
          settle(() => reject(reason));
        };
        const timer =
          options.timeoutMs === undefined
            ? undefined
            : setTimeout(
                () =>
                  stop(
                    new UserError(
                      'COMMAND_TIMEOUT',
                      `${program} did not finish within ${Math.round((options.timeoutMs ?? 0) / 1000)} s on ${this.where}.`,
                      'Check that the repository is reachable and not locked, then refresh again.',
                    ),
                  ),
                options.timeoutMs,
              );
        const onAbort = () => stop(cancelled(program, this.where));
        options.signal?.addEventListener('abort', onAbort, { once: true });
        // Cancelled while the channel was opening.
        if (options.signal?.aborted) onAbort();
        channel.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_OUTPUT)
            stop(
              new UserError(
                'OUTPUT_TOO_LARGE',
                `${program} printed more than 512 MB on ${this.where}.`,
                'Narrow the command.',
              ),
            );
          else chunks.push(chunk);
        });
        channel.stderr.on('data', (chunk: Buffer) => {
          if (stderr.length < 1_000_000) stderr += chunk.toString('utf8');
        });
        channel.on('exit', (exitCode: number | null, signal?: string) => {
          code = exitCode ?? (signal ? 128 + 9 : null);
        });
        channel.once('close', () =>
          settle(() => {
            if (failure) return reject(failure);
            if (code === null) {
              return reject(
                new UserError(
                  'SSH_COMMAND_LOST',
                  `The connection to ${this.where} closed before ${program} finished.`,
                  'Check the network and refresh again.',
                ),
              );
            }
            resolve({ stdout: Buffer.concat(chunks), stderr, code });
          }),
        );
        // The watchdog's stdin stays open until the channel closes.
        if (watchdog) channel.write(preamble);
        else channel.end(Buffer.concat([Buffer.from(preamble), Buffer.from(options.stdin ?? '')]));
      });
    });
  }

  /** The SFTP session of this connection, opened on first use. */
  sftp(): Promise<SFTPWrapper> {
    this.sftpSession ??= new Promise<SFTPWrapper>((resolve, reject) =>
      this.client.sftp((error, sftp) => {
        if (error) {
          this.sftpSession = null;
          reject(
            new UserError(
              'SFTP_UNAVAILABLE',
              `SFTP is not available on ${this.where}: ${error.message}.`,
              'Enable the sftp subsystem in sshd_config on that host.',
            ),
          );
        } else resolve(sftp);
      }),
    );
    return this.sftpSession;
  }

  end(): void {
    this.closed = true;
    this.client.end();
  }
}

function cancelled(program: string, where: string): UserError {
  return new UserError(
    'CANCELLED',
    `${program} on ${where} was cancelled.`,
    'Start the refresh again when ready.',
  );
}

/** Connections keyed by user@host:port (and the jump path); a dropped one is replaced on next use. */
export class SshPool {
  private connections = new Map<string, Promise<SshConnection>>();

  static key(target: SshTarget): string {
    return `${target.user}@${target.hostName}:${target.port}${target.proxyJump.length ? ` via ${target.proxyJump.join(',')}` : ''}`;
  }

  async get(target: SshTarget, options: SshOptions): Promise<SshConnection> {
    const key = SshPool.key(target);
    const existing = this.connections.get(key);
    if (existing) {
      const connection = await existing.catch(() => null);
      if (connection && !connection.closed) return connection;
      if (this.connections.get(key) === existing) this.connections.delete(key);
    }
    const opening = connectSsh(target, options).then((client) => {
      const connection = new SshConnection(
        client,
        `${target.user}@${target.hostName}:${target.port}`,
      );
      client.once('close', () => {
        if (this.connections.get(key) === opening) this.connections.delete(key);
      });
      return connection;
    });
    this.connections.set(key, opening);
    opening.catch(() => {
      if (this.connections.get(key) === opening) this.connections.delete(key);
    });
    return opening;
  }

  /** How many connections are open or opening (for tests and the status bar). */
  get size(): number {
    return this.connections.size;
  }

  /** Close the connection to one target, if open. */
  async close(target: SshTarget): Promise<void> {
    const key = SshPool.key(target);
    const opening = this.connections.get(key);
    this.connections.delete(key);
    (await opening?.catch(() => null))?.end();
  }

  /** Close every connection. */
  async closeAll(): Promise<void> {
    const all = [...this.connections.values()];
    this.connections.clear();
    for (const connection of await Promise.allSettled(all)) {
      if (connection.status === 'fulfilled') connection.value.end();
    }
  }
}

/** The process-wide pool. */
export const sharedSshPool = new SshPool();
