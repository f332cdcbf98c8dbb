// A read-only helper command run where the step runs (e.g. restic ls to count what a restore
// will write), its stdout collected; it is not a step's command and writes nothing.
import { runLocal } from '../run-local';
import { commandHost } from './command';
import type { ExecutorContext } from './types';

// More than this is not a listing we can use for a count.
const MAX_BYTES = 256 * 1024 * 1024;

/** Run argv where the step runs; resolves with stdout, or null when it failed or was too large. */
export async function captureOutput(
  ctx: ExecutorContext,
  argv: string[],
  env: Record<string, string>,
  signal: AbortSignal,
): Promise<Buffer | null> {
  const { runner } = commandHost(ctx);
  const parts: Buffer[] = [];
  let size = 0;
  const run = {
    argv,
    cwd: null,
    timeoutMs: 10 * 60_000,
    signal,
    env,
    onOutput: (stream: 'stdout' | 'stderr', bytes: Buffer) => {
      if (stream !== 'stdout' || size > MAX_BYTES) return;
      size += bytes.length;
      parts.push(bytes);
    },
  };
  const end = await (runner ? runner.run(run) : runLocal(run));
  return end.exitCode === 0 && end.error === null && size <= MAX_BYTES
    ? Buffer.concat(parts)
    : null;
}
