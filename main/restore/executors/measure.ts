// Progress for tools that print none (restic before 0.16): how many files and bytes the target
// folder holds now, over its baseline, measured by walking it here or over SFTP — no command runs.
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createSshBackend } from '../../catalog/backends/ssh';
import { sshBackendFor } from '../run-ssh';
import { runsRemotely } from './command';
import type { ExecutorContext } from './types';

/** Files and bytes under a folder. */
export type Amount = { files: number; bytes: number };

// A walk stops counting here: progress is an estimate, not an inventory.
const MAX_ENTRIES = 200_000;

async function walkLocal(dir: string): Promise<Amount> {
  const total = { files: 0, bytes: 0 };
  const stack = [dir];
  let seen = 0;
  while (stack.length > 0 && seen < MAX_ENTRIES) {
    const folder = stack.pop() as string;
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      seen++;
      const path = join(folder, entry.name);
      // Links are not followed: only what was written inside the target counts.
      if (entry.isDirectory()) stack.push(path);
      else if (entry.isFile()) {
        total.files++;
        total.bytes += (await lstat(path).catch(() => ({ size: 0 }))).size;
      }
    }
  }
  return total;
}

/** How to measure the step's target folder where it runs. */
export function targetMeasure(ctx: ExecutorContext, folder: string): () => Promise<Amount> {
  if (!runsRemotely(ctx.step)) return () => walkLocal(folder);
  const backend = createSshBackend(sshBackendFor(ctx.workspace, ctx.step.where ?? ''), ctx.ssh);
  return async () => {
    const total = { files: 0, bytes: 0 };
    try {
      for await (const file of backend.list(folder)) {
        total.files++;
        total.bytes += file.sizeBytes;
        if (total.files >= MAX_ENTRIES) break;
      }
    } catch {
      // Not there yet (the tool makes it): nothing written so far.
    }
    return total;
  };
}

/**
 * Measure the folder now and then while a tool runs, reporting what was added over `baseline`.
 * Walks are spaced by at least 1 s and five times their own duration. `stop` measures once more.
 */
export function watchFolder(
  measure: () => Promise<Amount>,
  baseline: Amount,
  onAmount: (added: Amount) => void,
): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const added = (now: Amount) => ({
    files: Math.max(0, now.files - baseline.files),
    bytes: Math.max(0, now.bytes - baseline.bytes),
  });
  const tick = async () => {
    const started = performance.now();
    const now = await measure();
    if (stopped) return;
    onAmount(added(now));
    timer = setTimeout(() => void tick(), Math.max(1000, (performance.now() - started) * 5));
  };
  timer = setTimeout(() => void tick(), 1000);
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    onAmount(added(await measure()));
  };
}
