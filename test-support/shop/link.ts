// The network between the console and the db host: a TCP relay on 127.0.0.1 in front of the test
// sshd. The workspace's db-host backend points at the relay, so a test can drop the link (every
// connection reset, new ones refused) and bring it back, while sshd, its host key and its port
// stay as they are. Chosen over stopping sshd (its per-connection processes call setsid and outlive
// the listener, and the port can be taken between stop and start) and over a network namespace
// (the db host's clusters and the console's psql checks would then live in different networks).
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';

/** The relay and its switch. */
export type DbLink = {
  port: number;
  /** Is the link up? */
  up: () => boolean;
  /** Drop the link: reset every open connection and every new one until restore(). */
  cut: () => void;
  /** Bring the link back: new connections reach sshd again. */
  restore: () => void;
  /**
   * Drop the link while a command runs on the db host: wait for a process whose command line
   * matches (and for `ready()`, e.g. "the target folder has files"), freeze it (SIGSTOP), cut the
   * link, wait until the sshd session that ran it has gone, then let it go on (SIGCONT) as a
   * command whose client vanished. Returns its pid and command line.
   */
  cutDuring: (
    command: RegExp,
    options?: { ready?: () => boolean; timeoutMs?: number },
  ) => Promise<{ pid: number; cmdline: string }>;
  /** Connections relayed so far (to see that a step went over the link). */
  connections: () => number;
  stop: () => Promise<void>;
};

type Pair = { client: Socket; server: Socket };

/** Start a relay from a free 127.0.0.1 port to sshd's port. */
export async function startDbLink(sshdPort: number): Promise<DbLink> {
  const pairs = new Set<Pair>();
  let isUp = true;
  let count = 0;
  const server: Server = createServer((client) => {
    if (!isUp) {
      client.resetAndDestroy();
      return;
    }
    count++;
    const upstream = connect({ host: '127.0.0.1', port: sshdPort });
    const pair = { client, server: upstream };
    pairs.add(pair);
    const close = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
  const cut = () => {
    isUp = false;
    for (const { client, server: upstream } of pairs) {
      client.resetAndDestroy();
      upstream.resetAndDestroy();
    }
    pairs.clear();
  };
  return {
    port,
    up: () => isUp,
    cut,
    restore: () => {
      isUp = true;
    },
    cutDuring: async (command, options = {}) => {
      const deadline = Date.now() + (options.timeoutMs ?? 60_000);
      const found = await poll(deadline, () => {
        const hit = findProcess(command);
        return hit && (options.ready?.() ?? true) ? hit : null;
      });
      if (!found)
        throw new Error(`no process matching ${String(command)} ran on the db host in time`);
      const session = sshdAncestor(found.pid);
      process.kill(found.pid, 'SIGSTOP');
      try {
        cut();
        if (session !== null) await poll(deadline, () => (alive(session) ? null : true));
      } finally {
        try {
          process.kill(found.pid, 'SIGCONT');
        } catch {
          // killed while frozen (the session's watchdog): that is the outcome we wanted
        }
      }
      return found;
    },
    connections: () => count,
    stop: async () => {
      cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// Watching another program's processes has no event to await: poll /proc briefly.
async function poll<T>(deadline: number, probe: () => T | null): Promise<T | null> {
  for (;;) {
    const value = probe();
    if (value !== null) return value;
    if (Date.now() > deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function cmdlineOf(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return null;
  }
}

function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields start after the last ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    return null;
  }
}

const alive = (pid: number) => cmdlineOf(pid) !== null;

function findProcess(command: RegExp): { pid: number; cmdline: string } | null {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    const cmdline = cmdlineOf(Number(name));
    if (cmdline && command.test(cmdline)) return { pid: Number(name), cmdline };
  }
  return null;
}

// The "sshd: user@notty" process serving the connection the command came in on.
function sshdAncestor(pid: number): number | null {
  for (let at = parentOf(pid); at !== null && at > 1; at = parentOf(at)) {
    if (/^sshd(-session)?: /.test(cmdlineOf(at) ?? '')) return at;
  }
  return null;
}
