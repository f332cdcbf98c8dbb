// A drill whose process is killed mid-command (SIGKILL, a real crash) leaves a log that verifies
// up to its last record; `dapple drill --resume` continues it to a sealed log that verifies VALID.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
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

/** Start a drill of `runbook` in a child process running the engine, and kill -9 it mid-command. */
async function crashMidCommand(runbook: string, prompt: string): Promise<string> {
  const earlier = new Set(await readdir(join(dir, 'audit')).catch(() => [] as string[]));
  const child = spawn(
    process.execPath,
    [bundle, 'drill', '--workspace', dir, '--runbook', join(dir, 'runbooks', runbook)],
    { env: { ...process.env, ...env(), NODE_PATH: join(repo, 'node_modules') }, stdio: 'pipe' },
  );
  const exited = new Promise((r) => child.once('exit', r));
  const stderr = until(child.stderr, () => false).catch((e: Error) => e.message);
  child.stdin.write('y\n');
  await until(child.stdout, (t) => t.includes(prompt));
  // cmd.pid is appended once the command exists; wait for it on disk, bounded.
  const logs = async () =>
    (await readdir(join(dir, 'audit'))).filter((n) => /^drill-[\d-]+-[0-9a-f]{8}\.jsonl$/.test(n));
  let log = '';
  for (let i = 0; i < 200 && !log; i++) {
    for (const name of await logs()) {
      const text = await readFile(join(dir, 'audit', name), 'utf8');
      if (!earlier.has(name) && text.includes('cmd.pid')) log = join(dir, 'audit', name);
    }
    if (!log) await new Promise((r) => setTimeout(r, 50));
  }
  expect(log, await Promise.race([stderr, Promise.resolve('')])).not.toBe('');
  child.kill('SIGKILL');
  await exited;
  return log;
}

/** The process group the log recorded for the command. */
async function recordedGroup(log: string): Promise<number> {
  const line = (await readFile(log, 'utf8')).split('\n').find((l) => l.includes('cmd.pid'));
  const pgid = /\\"pgid\\":(\d+)|"pgid":(\d+)/.exec(line ?? '');
  return Number(pgid?.[1] ?? pgid?.[2]);
}

const groupRuns = (pgid: number): boolean => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('dapple drill --resume', () => {
  it('after kill -9, says the command still runs and stops it before a retry can start a second copy', async () => {
    const log = await crashMidCommand('wait.yaml', '$ [sleep] [20]');
    const pgid = await recordedGroup(log);
    // The engine is gone; the command it started is not.
    expect(groupRuns(pgid)).toBe(true);

    const trusted = await loadTrust(join(dir, 'keys', 'trusted.json'));
    const crashed = await verifyLogDetailed(log, { trusted });
    expect(crashed.report).toMatchObject({ verdict: 'UNSEALED', firstError: null });

    let stdout = '';
    const resume = drillCommandWith(() =>
      Readable.from(['stop\ns\nThe copy was cut off; redone by hand.\ny\n']),
    );
    const code = await resume.run(['--workspace', dir, '--resume'], {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stdout += t),
      env: env(),
      cwd: dir,
    });
    expect(stdout).toContain(`Resumed: Drill of Wait and check; the log is ${log}`);
    expect(stdout).toContain(
      `sleep (c1) still runs as process group ${pgid} on ${hostname()}, started before Dapple stopped. Wait for it to finish, or cancel to stop it; Retry comes after.`,
    );
    expect(stdout).toContain(
      'sleep was stopped after the resume: it had run on since before Dapple stopped.',
    );
    expect(stdout).toContain('Outcome: completed.');
    expect(code).toBe(0);
    expect(groupRuns(pgid)).toBe(false);
    const finished = await verifyLogDetailed(log, { trusted });
    expect(finished.report).toMatchObject({ verdict: 'VALID', sealed: true });
  }, 120_000);

  it('after kill -9, waits for the command that still runs instead of starting it again', async () => {
    await writeFile(
      join(dir, 'runbooks', 'short.yaml'),
      RUNBOOK.replace("'20'", "'3'").replace('Wait and check', 'Short wait'),
    );
    const log = await crashMidCommand('short.yaml', '$ [sleep] [3]');
    const pgid = await recordedGroup(log);
    expect(groupRuns(pgid)).toBe(true);
    let stdout = '';
    const resume = drillCommandWith(() => Readable.from(['wait\ns\nIt ran to its end.\ny\n']));
    const code = await resume.run(['--workspace', dir, '--resume'], {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stdout += t),
      env: env(),
      cwd: dir,
    });
    expect(stdout).toContain(`still runs as process group ${pgid}`);
    expect(stdout).toContain(
      'sleep finished while Dapple was not watching, so its exit status is unknown',
    );
    expect(code).toBe(0);
    // One copy only: the log holds one command, never a second start.
    const text = await readFile(log, 'utf8');
    expect(text.split('\n').filter((l) => l.includes('cmd.start'))).toHaveLength(1);
  }, 120_000);
});
