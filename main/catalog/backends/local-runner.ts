// Runs argv on this machine with spawn and no shell: what restic, borg and pgbackrest need locally.
import { spawn } from 'node:child_process';
import { UserError } from '../../ground/errors';
import type { RunOptions, RunResult, Runner } from '../types';

// Tool output beyond this is a runaway, not a catalog.
const MAX_OUTPUT = 512 * 1024 * 1024;

/** A Runner for this machine. Extra env values are added to Dapple's own environment. */
export class LocalRunner implements Runner {
  readonly where = 'local';

  run(argv: string[], options: RunOptions = {}): Promise<RunResult> {
    const [program, ...args] = argv;
    if (!program) {
      return Promise.reject(
        new UserError(
          'ARGV_EMPTY',
          'A command with no program name cannot be run.',
          'Give at least the program to run.',
        ),
      );
    }
    return new Promise((resolve, reject) => {
      const child = spawn(program, args, {
        env: { ...process.env, ...options.env },
        stdio: ['pipe', 'pipe', 'pipe'],
        shell: false,
        windowsHide: true,
      });
      const chunks: Buffer[] = [];
      let size = 0;
      let stderr = '';
      let failure: Error | null = null;
      const stop = (error: Error) => {
        failure ??= error;
        child.kill('SIGKILL');
      };
      const timer =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(
              () =>
                stop(
                  new UserError(
                    'COMMAND_TIMEOUT',
                    `${program} did not finish within ${Math.round(options.timeoutMs! / 1000)} s on this machine.`,
                    'Check that the repository is reachable and not locked, then refresh again.',
                  ),
                ),
              options.timeoutMs,
            );
      const onAbort = () =>
        stop(
          new UserError(
            'CANCELLED',
            `${program} was cancelled.`,
            'Start the refresh again when ready.',
          ),
        );
      if (options.signal?.aborted) onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });

      child.stdout.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_OUTPUT) {
          stop(
            new UserError(
              'OUTPUT_TOO_LARGE',
              `${program} printed more than 512 MB.`,
              'Narrow the command.',
            ),
          );
        } else chunks.push(chunk);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        if (stderr.length < 1_000_000) stderr += chunk.toString('utf8');
      });
      child.stdin.on('error', () => {
        // the program exited without reading its input: its exit code tells the story
      });
      child.stdin.end(options.stdin ?? '');

      let spawnError: NodeJS.ErrnoException | null = null;
      child.once('error', (error: NodeJS.ErrnoException) => {
        spawnError = error;
      });
      child.once('close', (code, signal) => {
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        if (failure) return reject(failure);
        // Report a missing program the way a shell does, so every runner says "127" alike.
        if (spawnError?.code === 'ENOENT') {
          return resolve({
            stdout: Buffer.alloc(0),
            stderr: `${program}: command not found`,
            code: 127,
          });
        }
        if (spawnError?.code === 'EACCES') {
          return resolve({
            stdout: Buffer.alloc(0),
            stderr: `${program}: Permission denied`,
            code: 126,
          });
        }
        if (spawnError) return reject(spawnError);
        resolve({ stdout: Buffer.concat(chunks), stderr, code: code ?? (signal ? 128 + 9 : 1) });
      });
    });
  }
}

/** The shared local runner. */
export const localRunner: Runner = new LocalRunner();
