// `dapple drill` end to end on a copy of the demo workspace: answers piped on stdin, real cp and
// sha256sum, a key made with `dapple audit keygen` and trusted with `export-key --into`.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_KEY_PASSPHRASE } from '../../audit/demo-log';
import { prepareDemoWorkspace } from '../../workspace/demo';
import { runCli } from '../run';
import { drillCommandWith } from './drill';

const NOW = '2026-11-26T03:00:00Z';
let dir = '';
let data = '';

const env = () => ({ DAPPLE_DATA_DIR: data, DAPPLE_KEY_PASSPHRASE: 'cli operator pass' });

async function cli(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: (t: string) => (stdout += t),
    stderr: (t: string) => (stderr += t),
    env: env(),
    cwd: dir,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

async function drill(args: string[], answers: string[], extraEnv: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const command = drillCommandWith(() => Readable.from([answers.map((a) => `${a}\n`).join('')]));
  const code = await command.run(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: { ...env(), ...extraEnv },
    cwd: dir,
  });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dapple-drill-ws-'));
  data = await mkdtemp(join(tmpdir(), 'dapple-drill-data-'));
  await prepareDemoWorkspace({ now: new Date(NOW), into: dir });
  expect((await cli(['audit', 'keygen', '--name', 'cli-operator'])).code).toBe(0);
  expect((await cli(['audit', 'export-key', '--into', 'keys/trusted.json'])).code).toBe(0);
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(data, { recursive: true, force: true });
});

// The approver types at this terminal ("in person"): key file (Enter: keys/demo-approver.key),
// passphrase, decision and statement.
const IN_PERSON = [
  'in person',
  '',
  DEMO_KEY_PASSPHRASE,
  'approve',
  'Checked the cut and the sandbox.',
];
const GATES = ['y', 'y', ...IN_PERSON, 'sandbox-restore', 'y'];

describe('dapple drill', () => {
  it('starts a live session with a warning that names where it writes, and names a verify command that runs as started', async () => {
    const out = await drill(
      ['--workspace', '.', '--group', 'shop', '--mode', 'live', '--before', NOW, '--now', NOW],
      [],
    );
    expect(out.stdout).toContain(
      '  !!! LIVE RESTORE: nothing here is a drill or a rehearsal.\n  !!! Every command runs for real and writes to sandbox-restore.\n',
    );
    // stdin ended at the first question: aborted, and the check names this Node and script.
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/Outcome: aborted\./);
    const check = /Check it: (.*)\n/.exec(out.stdout)?.[1] ?? '';
    expect(check.startsWith(`${process.execPath} `)).toBe(true);
    expect(check).toMatch(/ audit verify \/.*\/audit\/live-[\d-]+-[0-9a-f]{8}\.jsonl$/);
  }, 60_000);

  it('runs the demo drill from piped answers to a sealed log that verifies VALID', async () => {
    const out = await drill(
      ['--workspace', '.', '--group', 'shop', '--before', NOW, '--now', NOW],
      [...GATES, 'y', 'y'],
    );
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(
      'Step 3/8: Confirm the target will be overwritten (manual) [destructive]',
    );
    // The demo's drill history predicts the time before the drill starts.
    expect(out.stdout).toMatch(/\nPredicted \d+–\d+ min; RTO 1 h( — it may run over)?\.\n/);
    expect(out.stdout).toMatch(/Restores set orders-db-\S+: \d+ sets \(1 full/);
    expect(out.stdout).toMatch(/… \d+ of \d+ files \(.* of .*\), done\n/);
    expect(out.stdout).toMatch(/: OK\n/);
    expect(out.stdout).toMatch(/Outcome: completed\. Took \d+ s against an RTO of 60 min\./);
    const logPath = /Log: (\S+)/.exec(out.stdout)?.[1] ?? '';
    expect(logPath).toMatch(/audit[/\\]drill-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.jsonl$/);
    const verified = await cli(['audit', 'verify', logPath]);
    expect(verified.stdout).toMatch(
      /^VALID .* sealed, signed by cli-operator .*demo-approver \(1 approval\)/,
    );
    expect(verified.code).toBe(0);
  }, 60_000);

  it('asks again after a wrong target name; stdin ending aborts the session (exit 1)', async () => {
    const out = await drill(
      ['--workspace', '.', '--group', 'shop', '--before', NOW, '--now', NOW],
      ['y', 'y', ...IN_PERSON, 'shop-production'],
    );
    expect(out.stdout).toContain('but the target is sandbox-restore: nothing was overwritten');
    expect(out.stdout).toContain('Outcome: aborted.');
    expect(out.code).toBe(1);
  }, 60_000);

  it('rehearses without running anything (--json)', async () => {
    const before = await readdir(join(dir, 'sandbox'));
    const out = await drill(
      [
        '--workspace',
        '.',
        '--group',
        'shop',
        '--mode',
        'rehearsal',
        '--before',
        NOW,
        '--now',
        NOW,
        '--json',
      ],
      [...GATES.filter((a) => a !== DEMO_KEY_PASSPHRASE), 'y', 'y'],
      { DAPPLE_APPROVER_PASSPHRASE: DEMO_KEY_PASSPHRASE },
    );
    expect(out.code).toBe(0);
    const result = JSON.parse(out.stdout) as {
      outcome: string;
      session: { state: { notes: { text: string }[] } };
    };
    expect(result.outcome).toBe('completed');
    expect(
      result.session.state.notes.some((n) =>
        n.text.startsWith('rehearsal: would restore set orders-db-'),
      ),
    ).toBe(true);
    // The terminal says "would run", never the "$ " of a real run.
    expect(out.stderr).toMatch(/ {2}would restore set orders-db-\S+: \d+ sets/);
    expect(out.stderr).toContain('  would run: [sha256sum] [--check] [');
    expect(out.stderr).toContain('; a rehearsal runs nothing)');
    expect(out.stderr).not.toContain('$ [sha256sum]');
    expect(await readdir(join(dir, 'sandbox'))).toEqual(before);
  }, 60_000);

  it('refuses a drill whose runbook targets production, before any log is written', async () => {
    const text = await readFile(join(dir, 'runbooks', 'shop-restore.yaml'), 'utf8');
    await writeFile(
      join(dir, 'runbooks', 'prod.yaml'),
      text.replace('default: sandbox-restore', 'default: shop-production'),
    );
    const logs = await readdir(join(dir, 'audit'));
    const out = await cli([
      'drill',
      '--workspace',
      '.',
      '--group',
      'shop',
      '--runbook',
      'runbooks/prod.yaml',
      '--now',
      NOW,
    ]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(
      /A drill can never run against a production target.*shop-production/,
    );
    expect(await readdir(join(dir, 'audit'))).toEqual(logs);
    await rm(join(dir, 'runbooks', 'prod.yaml'));
  }, 60_000);
});
