// Everything a helper starts or creates is registered here, so a crashed test still leaves nothing behind.
import { rmSync } from 'node:fs';

type Entry = { name: string; sync: () => void };
const entries = new Set<Entry>();
let hooked = false;

function runAll(): void {
  for (const entry of [...entries].reverse()) {
    try {
      entry.sync();
    } catch {
      // best effort at exit: the process is going away anyway
    }
  }
  entries.clear();
}

/** Register a synchronous last-resort cleanup; returns a function that unregisters it. */
export function onExitCleanup(name: string, sync: () => void): () => void {
  if (!hooked) {
    hooked = true;
    process.once('exit', runAll);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        runAll();
        process.kill(process.pid, signal);
      });
    }
  }
  const entry = { name, sync };
  entries.add(entry);
  return () => entries.delete(entry);
}

/** Remove a folder now, ignoring one that is already gone. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}
