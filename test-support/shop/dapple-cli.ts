// Run the built `dapple` CLI as one of the shop's engineers (their data folder, home and key, the
// shop's ssh wrapper on PATH), as a separate process: tools it starts see that environment only.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const cli = resolve(__dirname, '..', '..', 'out', 'cli', 'index.js');

/** What a CLI run printed and its exit code. */
export type CliRun = { code: number | null; stdout: string; stderr: string };

/** Run `dapple …args` with this environment; resolves when it exits. `tee` also gets its output as it comes. */
export function runDapple(
  args: string[],
  env: NodeJS.ProcessEnv,
  input = '',
  tee?: (chunk: string) => void,
): Promise<CliRun> {
  if (!existsSync(cli))
    throw new Error(
      `The CLI is not built (${join('out', 'cli', 'index.js')}): run \`npm run build\` first.`,
    );
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
      tee?.(c.toString('utf8'));
    });
    child.once('error', reject);
    child.once('close', (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

/** Run and parse stdout as JSON; throws with what it printed when it fails. */
export async function dappleJson<T>(args: string[], env: NodeJS.ProcessEnv): Promise<T> {
  const run = await runDapple(args, env);
  if (run.code !== 0)
    throw new Error(`dapple ${args.join(' ')} exited ${run.code}:\n${run.stderr}${run.stdout}`);
  return JSON.parse(run.stdout) as T;
}
