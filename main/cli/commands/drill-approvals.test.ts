// `dapple drill` and approvals from the terminal: it waits for a real approver's response (never
// inventing one), and runs unattended from a script with a standing approval, reporting JSON and
// a distinct exit code; a live run refuses a standing approval.
import { spawn } from 'node:child_process';
import {
  chmod,
  copyFile,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_KEY_PASSPHRASE } from '../../audit/demo-log';
import { prepareDemoWorkspace } from '../../workspace/demo';
import { runCli } from '../run';
import { approveCommandWith } from './approve';
import { drillCommandWith } from './drill';

const NOW = '2026-11-26T03:00:00Z';
const repo = resolve(__dirname, '..', '..', '..');
let dir = '';
let data = '';
let approverData = '';
let bundle = '';
const env = () => ({ DAPPLE_DATA_DIR: data, DAPPLE_KEY_PASSPHRASE: 'cli operator pass' });
const approverEnv = () => ({
  DAPPLE_DATA_DIR: approverData,
  DAPPLE_KEY_PASSPHRASE: DEMO_KEY_PASSPHRASE,
});
const quiet = { stdout: () => undefined, stderr: () => undefined };
const until = new Date(Date.now() + 30 * 86_400_000).toISOString();

/** The demo runbook marks its manual steps unattended: ok; this copy needs a person for them. */
const attended = (text: string) => text.replace(/\n {4}unattended: ok/g, '');
const scheduled = (text: string) => text;

async function cli(argv: string[], envOf = env) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: envOf(),
    cwd: dir,
  });
  return { code, stdout, stderr };
}

/** Sign a standing approval for a runbook in the approver's data folder; its file. */
async function standingFor(runbook: string): Promise<string> {
  const out = join(approverData, `${runbook.replace(/\W/g, '_')}.standing-approval`);
  const signed = await cli(
    [
      'approve',
      '--standing',
      '--runbook',
      runbook,
      '--until',
      until,
      '--statement',
      'Weekly sandbox drill.',
      '--out',
      out,
    ],
    approverEnv,
  );
  expect(signed.stderr).toBe('');
  return out;
}

/** Run the built CLI as a scheduler would: a shell script, its stdout and exit code. */
function fromScript(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = `exec "${process.execPath}" "${bundle}" drill ${args.map((a) => `'${a}'`).join(' ')} </dev/null`;
  return new Promise((done) => {
    const child = spawn('bash', ['-c', script], {
      cwd: dir,
      env: { ...process.env, ...env(), NODE_PATH: join(repo, 'node_modules') },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dapple-drill-approvals-ws-'));
  data = await mkdtemp(join(tmpdir(), 'dapple-drill-approvals-op-'));
  approverData = await mkdtemp(join(tmpdir(), 'dapple-drill-approvals-approver-'));
  await prepareDemoWorkspace({ now: new Date(NOW), into: dir });
  const io = { ...quiet, env: env(), cwd: dir };
  expect(await runCli(['audit', 'keygen', '--name', 'cli-operator'], io)).toBe(0);
  expect(await runCli(['audit', 'export-key', '--into', 'keys/trusted.json'], io)).toBe(0);
  await mkdir(join(approverData, 'keys'), { recursive: true });
  await copyFile(
    join(dir, 'keys', 'demo-approver.key'),
    join(approverData, 'keys', 'operator.key'),
  );
  await chmod(join(approverData, 'keys', 'operator.key'), 0o600);
  const text = await readFile(join(dir, 'runbooks', 'shop-restore.yaml'), 'utf8');
  expect(text).toContain('unattended: ok');
  await writeFile(join(dir, 'runbooks', 'scheduled.yaml'), scheduled(text));
  await writeFile(join(dir, 'runbooks', 'attended.yaml'), attended(text));
  await writeFile(
    join(dir, 'runbooks', 'scheduled-prod.yaml'),
    scheduled(text).replace('default: sandbox-restore', 'default: shop-production'),
  );
  // A drill that cannot fit its RTO: one second, and a step that takes longer.
  await writeFile(
    join(dir, 'runbooks', 'slow.yaml'),
    scheduled(text)
      .replace('rto: 1h', 'rto: 1s')
      .replace(
        '  - id: done\n',
        "  - id: pause\n    kind: local\n    title: Wait a moment\n    run: [sleep, '1.2']\n  - id: done\n",
      ),
  );
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
  for (const d of [dir, data, approverData]) await rm(d, { recursive: true, force: true });
});

const shop = ['--workspace', '.', '--group', 'shop', '--now', NOW];

describe('dapple drill at an approval step', () => {
  it('never invents an approval: stdin ending there aborts the session with no approval in the log', async () => {
    let stdout = '';
    const command = drillCommandWith(() => Readable.from(['y\ny\n']));
    const code = await command.run(shop, {
      stdout: (t) => (stdout += t),
      stderr: () => undefined,
      env: env(),
      cwd: dir,
    });
    expect(code).toBe(1);
    expect(stdout).toMatch(/demo-approver must approve, on their machine with their key\./);
    expect(stdout).toMatch(/\ndapple-approval-request:v1:[A-Za-z0-9_-]+\n/);
    expect(stdout).toContain('Outcome: aborted.');
    const log = /Log: (\S+)/.exec(stdout)?.[1] ?? '';
    expect(await readFile(log, 'utf8')).not.toContain('"type":"approval"');
  }, 60_000);

  it('waits for the response made by dapple approve in the approver’s data folder, pasted as a line', async () => {
    const stdin = new PassThrough();
    let stdout = '';
    const command = drillCommandWith(() => stdin);
    const running = command.run(shop, {
      stdout: (t) => (stdout += t),
      stderr: () => undefined,
      env: env(),
      cwd: dir,
    });
    stdin.write('y\ny\n');
    await expect
      .poll(() => /Request \(answerable until [^)]+\): (\S+)/.exec(stdout)?.[1] ?? '', {
        timeout: 30_000,
      })
      .not.toBe('');
    const requestFile = /Request \(answerable until [^)]+\): (\S+)/.exec(stdout)?.[1] ?? '';
    let approved = '';
    const approve = approveCommandWith(() => Readable.from(['']));
    expect(
      await approve.run([requestFile, '--approve', '--statement', 'Sandbox drill, cut checked.'], {
        stdout: (t) => (approved += t),
        stderr: (t) => (approved += t),
        env: approverEnv(),
        cwd: dir,
      }),
    ).toBe(0);
    const line = /dapple-approval-response:v1:\S+/.exec(approved)?.[0] ?? '';
    // A garbled paste is refused and asked again; then the whole line counts.
    stdin.write(`${line.slice(0, 50)}\n${line}\nsandbox-restore\ny\ny\ny\n`);
    stdin.end();
    expect(await running).toBe(0);
    expect(stdout).toMatch(/Refused: The pasted approval response is cut off or garbled/);
    const verified = await cli(['audit', 'verify', /Log: (\S+)/.exec(stdout)?.[1] ?? '']);
    expect(verified.stdout).toMatch(/^VALID .*demo-approver \(1 approval\)/);
  }, 90_000);
});

describe('dapple drill --unattended', () => {
  it('runs from a script with a standing approval: JSON summary, exit 0, VALID log', async () => {
    const standing = await standingFor('runbooks/scheduled.yaml');
    const run = await fromScript([
      ...shop,
      '--runbook',
      'runbooks/scheduled.yaml',
      '--unattended',
      '--approval',
      standing,
      '--json',
    ]);
    expect(run.stderr.split('\n').filter((l) => /Stopped|Refused|^dapple/.test(l))).toEqual([]);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as Record<string, unknown> & {
      steps: { id: string; status: string; durationMs: number }[];
    };
    expect(summary).toMatchObject({
      outcome: 'completed',
      exitCode: 0,
      rtoMs: 3_600_000,
      verdict: 'VALID',
      point: { choice: 'newest' },
    });
    expect(summary.steps.map((s) => `${s.id}:${s.status}`)).toEqual([
      'announce:done',
      'approve:done',
      'confirm-target:done',
      'restore-orders:done',
      'restore-uploads:done',
      'restore-search:done',
      'verify:done',
      'done:done',
    ]);
    expect(summary.steps.every((s) => typeof s.durationMs === 'number')).toBe(true);
    expect(typeof summary.totalMs).toBe('number');
    const log = await readFile(summary.logPath as string, 'utf8');
    expect(log).toContain('done by the schedule (unattended: ok): Posted in #incident');
    expect(log).toContain('\\"via\\":\\"standing\\"');
  }, 90_000);

  it('stops as "needs a person" (exit 4) at a manual step not marked unattended: ok, or with no standing approval', async () => {
    let run = await cli([
      'drill',
      ...shop,
      '--runbook',
      'runbooks/attended.yaml',
      '--unattended',
      '--json',
    ]);
    expect(run.code).toBe(4);
    let summary = JSON.parse(run.stdout) as {
      outcome: string;
      stoppedAt: { step: string; reason: string };
    };
    expect(summary.outcome).toBe('needs-a-person');
    expect(summary.stoppedAt).toMatchObject({
      step: 'announce',
      reason: expect.stringMatching(/needs a person: the runbook does not mark it unattended: ok/),
    });
    run = await cli([
      'drill',
      ...shop,
      '--runbook',
      'runbooks/scheduled.yaml',
      '--unattended',
      '--json',
    ]);
    expect(run.code).toBe(4);
    summary = JSON.parse(run.stdout);
    expect(summary.stoppedAt).toMatchObject({
      step: 'approve',
      reason: expect.stringMatching(/no standing approval is left/),
    });
  }, 90_000);

  // The demo keeps real files for the last twelve hours' sets (older sets are manifests only).
  it('--point random --within 12h drills a random consistent cut of the last 12 hours', async () => {
    const standing = await standingFor('runbooks/scheduled.yaml');
    const run = await cli([
      'drill',
      ...shop,
      '--runbook',
      'runbooks/scheduled.yaml',
      '--unattended',
      '--approval',
      standing,
      '--point',
      'random',
      '--within',
      '12h',
      '--json',
    ]);
    expect(run.stderr.split('\n').filter((l) => /^dapple|Stopped|Refused/.test(l))).toEqual([]);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as {
      point: { choice: string; within: string; how: string; time: string };
    };
    expect(summary.point).toMatchObject({ choice: 'random', within: '12h' });
    expect(summary.point.how).toMatch(/^a random consistent cut of the \d+ in the last 12h$/);
    const age = Date.parse(NOW) - Date.parse(summary.point.time);
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThanOrEqual(12 * 3_600_000);
    expect((await cli(['drill', ...shop, '--point', 'oldest'])).code).toBe(2);
  }, 90_000);

  it('completed over the RTO exits 3', async () => {
    const standing = await standingFor('runbooks/slow.yaml');
    const run = await cli([
      'drill',
      ...shop,
      '--runbook',
      'runbooks/slow.yaml',
      '--unattended',
      '--approval',
      standing,
      '--json',
    ]);
    expect(JSON.parse(run.stdout)).toMatchObject({
      outcome: 'completed-over-rto',
      exitCode: 3,
      rtoMs: 1000,
    });
    expect(run.code).toBe(3);
  }, 90_000);
});

describe('a standing approval never approves a live restore', () => {
  it('is refused for a live run on the sandbox, and for a target in production; both recorded', async () => {
    const standing = await standingFor('runbooks/scheduled.yaml');
    let stdout = '';
    let code = await drillCommandWith(() => Readable.from(['y\ny\n'])).run(
      [...shop, '--runbook', 'runbooks/scheduled.yaml', '--mode', 'live', '--approval', standing],
      { stdout: (t) => (stdout += t), stderr: () => undefined, env: env(), cwd: dir },
    );
    expect(code).toBe(1);
    expect(stdout).toContain(
      'Refused the standing approval: A standing approval is for drills only, and this is a live restore',
    );
    let log = await readFile(/Log: (\S+)/.exec(stdout)?.[1] ?? '', 'utf8');
    expect(log).toContain('\\"code\\":\\"STANDING_NOT_DRILL\\"');
    expect(log).not.toContain('"type":"approval"');

    const prod = await standingFor('runbooks/scheduled-prod.yaml');
    stdout = '';
    code = await drillCommandWith(() => Readable.from(['y\ny\n'])).run(
      [...shop, '--runbook', 'runbooks/scheduled-prod.yaml', '--mode', 'live', '--approval', prod],
      { stdout: (t) => (stdout += t), stderr: () => undefined, env: env(), cwd: dir },
    );
    expect(code).toBe(1);
    expect(stdout).toContain(
      'A standing approval covers sandbox targets only, and this plan writes to production (shop-production)',
    );
    log = await readFile(/Log: (\S+)/.exec(stdout)?.[1] ?? '', 'utf8');
    expect(log).toContain('\\"code\\":\\"STANDING_PRODUCTION\\"');
    // --unattended is for drills only: a usage error.
    expect((await cli(['drill', ...shop, '--mode', 'live', '--unattended'])).code).toBe(2);
    expect(await readdir(join(dir, 'audit'))).toBeTruthy();
  }, 90_000);
});
