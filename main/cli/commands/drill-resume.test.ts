// A drill whose process is killed mid-command (SIGKILL, a real crash) leaves a log that verifies
// up to its last record; `dapple drill --resume` continues it to a sealed log that verifies VALID.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTrust } from '../../audit/trust';
import { verifyLogDetailed } from '../../audit/verify';
import { prepareDemoWorkspace } from '../../workspace/demo';
import { runCli } from '../run';
import { drillCommandWith } from './drill';

const RUNBOOK = `title: Wait and check
version: 1
steps:
  - id: start
    kind: manual
    title: Start
    checklist: [Ready]
  - id: slow
    kind: local
    title: A long copy
    run: [sleep, '20']
  - id: check
    kind: manual
    title: Check
    checklist: [Checked]
`;

const repo = resolve(__dirname, '..', '..', '..');
let dir = '';
let data = '';
let bundle = '';
const env = () => ({ DAPPLE_DATA_DIR: data, DAPPLE_KEY_PASSPHRASE: 'resume pass' });
const quiet = { stdout: () => undefined, stderr: () => undefined };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dapple-resume-ws-'));
  data = await mkdtemp(join(tmpdir(), 'dapple-resume-data-'));
  await prepareDemoWorkspace({ now: new Date(), into: dir });
  await writeFile(join(dir, 'runbooks', 'wait.yaml'), RUNBOOK);
  const io = { ...quiet, env: env(), cwd: dir };
  expect(await runCli(['audit', 'keygen', '--name', 'crash-tester'], io)).toBe(0);
  expect(await runCli(['audit', 'export-key', '--into', 'keys/trusted.json'], io)).toBe(0);
  // Our own bundle of the CLI: out/ may be rebuilt by someone else while this runs.
  bundle = join(data, 'dapple-cli.cjs');
  await build({
    entryPoints: [join(repo, 'main', 'cli', 'index.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    logLevel: 'error',
  });
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(data, { recursive: true, force: true });
});

/** Resolve once `check` holds for the text so far of a growing output. */
function until(stream: Readable, check: (text: string) => boolean): Promise<string> {
  let text = '';
  return new Promise((done, fail) => {
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (check(text)) done(text);
    });
    stream.once('end', () => fail(new Error(`the output ended without it:\n${text}`)));
  });
}

describe('dapple drill --resume', () => {
  it('continues a drill whose process was killed mid-command', async () => {
    const child = spawn(
      process.execPath,
      [bundle, 'drill', '--workspace', dir, '--runbook', join(dir, 'runbooks', 'wait.yaml')],
      { env: { ...process.env, ...env(), NODE_PATH: join(repo, 'node_modules') }, stdio: 'pipe' },
    );
    const exited = new Promise((r) => child.once('exit', r));
    const stderr = until(child.stderr, () => false).catch((e: Error) => e.message);
    child.stdin.write('y\n');
    await until(child.stdout, (t) => t.includes('$ sleep 20'));
    // cmd.start is appended right after the prompt line; wait for it on disk, bounded.
    const logs = async () =>
      (await readdir(join(dir, 'audit'))).filter((n) =>
        /^drill-[\d-]+-[0-9a-f]{8}\.jsonl$/.test(n),
      );
    let log = '';
    for (let i = 0; i < 200 && !log; i++) {
      for (const name of await logs()) {
        const text = await readFile(join(dir, 'audit', name), 'utf8');
        if (text.includes('cmd.start')) log = join(dir, 'audit', name);
      }
      if (!log) await new Promise((r) => setTimeout(r, 50));
    }
    expect(log, await Promise.race([stderr, Promise.resolve('')])).not.toBe('');
    child.kill('SIGKILL');
    await exited;

    const trusted = await loadTrust(join(dir, 'keys', 'trusted.json'));
    const crashed = await verifyLogDetailed(log, { trusted });
    expect(crashed.report).toMatchObject({ verdict: 'UNSEALED', firstError: null });

    let stdout = '';
    const resume = drillCommandWith(() =>
      Readable.from(['s\nThe copy was cut off; redone by hand.\ny\n']),
    );
    const code = await resume.run(['--workspace', dir, '--resume'], {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stdout += t),
      env: env(),
      cwd: dir,
    });
    expect(stdout).toContain(`Resumed: Drill of Wait and check; the log is ${log}`);
    expect(stdout).toContain('Interrupted: Dapple stopped while this step ran');
    expect(stdout).toContain('Outcome: completed.');
    expect(code).toBe(0);
    const finished = await verifyLogDetailed(log, { trusted });
    expect(finished.report).toMatchObject({ verdict: 'VALID', sealed: true });
  }, 120_000);
});
