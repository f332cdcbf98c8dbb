// One writer per log: a lock file next to the log names the process that appends to it, so a
// second console (or the CLI) cannot resume the same session and fork its chain. A lock left by
// a process that died on this machine is stale and taken over.
import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { UserError } from '../ground/errors';

const lockOf = (log: string): string => `${log}.lock`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Take the log's lock, or say who holds it. */
export async function acquireLogLock(log: string): Promise<void> {
  const file = lockOf(log);
  const mine = JSON.stringify({ pid: process.pid, host: hostname() });
  await fs.mkdir(path.dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(file, mine, { flag: 'wx', mode: 0o644 });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const held = await fs.readFile(file, 'utf8').then(
      (t) => JSON.parse(t) as { pid?: unknown; host?: unknown },
      () => ({}) as { pid?: unknown; host?: unknown },
    );
    const pid = typeof held.pid === 'number' ? held.pid : null;
    const sameHost = held.host === hostname();
    if (pid !== null && sameHost && !alive(pid)) {
      await fs.rm(file, { force: true });
      continue;
    }
    throw new UserError(
      'SESSION_LOCKED',
      `The session of ${log} is open in another Dapple (process ${pid ?? '?'} on ${typeof held.host === 'string' ? held.host : 'an unknown host'}).`,
      `Continue it there; if that Dapple is gone for good, delete ${file} and try again.`,
    );
  }
}

/** Give the lock back (after the seal, or when the console closes the session). */
export async function releaseLogLock(log: string): Promise<void> {
  await fs.rm(lockOf(log), { force: true });
}
