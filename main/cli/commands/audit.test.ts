// `dapple audit` as a user runs it: verdict lines, exit codes, --json, keygen and export-key.
import { promises as fs, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { linesOf, person, tempDir, writeLines, writeTestLog } from '../../audit/test-helpers';
import { runCli } from '../run';

async function cli(args: string[], env: NodeJS.ProcessEnv = {}, cwd = process.cwd()) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env,
    cwd,
  });
  return { code, stdout, stderr };
}

describe('dapple audit', () => {
  it('verify prints one verdict line, exits 0 only for VALID, and --json gives the report', async () => {
    const ws = tempDir();
    const alice = person('Alice Operator');
    const bob = person('Bob Approver');
    await fs.mkdir(path.join(ws, 'keys'));
    await fs.writeFile(
      path.join(ws, 'keys', 'trusted.json'),
      JSON.stringify({ v: 1, keys: [alice.entry, bob.entry] }),
    );
    const file = path.join(ws, 'audit', 'session.jsonl');
    await fs.mkdir(path.dirname(file));
    await writeTestLog(file, alice, bob);

    // The trust file is found in the workspace above the log.
    const ok = await cli(['audit', 'verify', 'audit/session.jsonl'], {}, ws);
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    expect(ok.stdout.split('\n')[0]).toBe(
      'VALID audit/session.jsonl: 11 records, sealed, signed by Alice Operator (10 records), Bob Approver (1 approval)',
    );

    const json = await cli([
      'audit',
      'verify',
      file,
      '--json',
      '--trusted',
      path.join(ws, 'keys', 'trusted.json'),
    ]);
    expect(json.code).toBe(0);
    expect(Object.keys(JSON.parse(json.stdout) as object)).toEqual([
      'verdict',
      'records',
      'sealed',
      'firstError',
      'signers',
      'outcome',
      'trust',
      'fingerprints',
      'warnings',
    ]);

    await writeLines(file, (await linesOf(file)).slice(0, -1));
    expect(await cli(['audit', 'verify', file])).toMatchObject({
      code: 1,
      stdout: expect.stringMatching(/^UNSEALED .*: 10 records, signed by/),
    });
    const lines = await linesOf(file);
    const otherSig = (JSON.parse(lines[1] as string) as { sig: string }).sig;
    lines[2] = (lines[2] as string).replace(/"sig":"[^"]+"/, `"sig":"${otherSig}"`);
    await writeLines(file, lines);
    const bad = await cli(['audit', 'verify', file]);
    expect(bad).toMatchObject({
      code: 1,
      stdout: expect.stringMatching(
        /^INVALID .*: 2 records, .*; line 3 \(seq 2\): the signature does not verify\n/,
      ),
    });
    expect(bad.stdout.split('\n')[1]).toMatch(/^Outcome: none recorded/);
  });

  it('verify explains a missing file or trust file, and --help lists every subcommand', async () => {
    const dir = tempDir();
    expect(await cli(['audit', 'verify', path.join(dir, 'nope.jsonl')])).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/There is no audit log file at/),
    });
    await fs.writeFile(path.join(dir, 'x.jsonl'), '');
    expect(await cli(['audit', 'verify', path.join(dir, 'x.jsonl')])).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(
        /No keys\/trusted.json found.*\n {2}Pass the workspace trust file with --trusted/,
      ),
    });
    expect(await cli(['audit', 'verify'])).toMatchObject({ code: 2 });
    const help = await cli(['audit', 'verify', '--help']);
    expect(help.code).toBe(0);
    for (const sub of ['verify FILE', 'keygen', 'export-key', '--anchors', '--json'])
      expect(help.stdout).toContain(sub);
    expect((await cli(['--help'])).stdout).toMatch(/audit\s+verify an audit log offline/);
  });

  it('keygen makes a 0600 key once; export-key prints its entry or adds it to a trust file', async () => {
    const dir = tempDir();
    const env = { DAPPLE_DATA_DIR: dir, DAPPLE_KEY_PASSPHRASE: 'correct horse', USER: 'erin' };
    const made = await cli(['audit', 'keygen'], env);
    expect(made).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(
        /^Made the key of erin in .*operator\.key\nkey id [0-9a-f]{64}\n/,
      ),
    });
    expect(statSync(path.join(dir, 'keys', 'operator.key')).mode & 0o777).toBe(0o600);
    const again = await cli(['audit', 'keygen'], env);
    expect(again.stdout.split('\n')[1]).toBe(made.stdout.split('\n')[1]);
    expect(
      await cli(['audit', 'keygen'], { ...env, DAPPLE_KEY_PASSPHRASE: 'wrong' }),
    ).toMatchObject({ code: 1, stderr: expect.stringMatching(/The passphrase does not open/) });

    const printed = await cli(['audit', 'export-key', '--valid-from', '2026-01-01T00:00:00Z'], env);
    expect(JSON.parse(printed.stdout)).toMatchObject({
      name: 'erin',
      validFrom: '2026-01-01T00:00:00.000Z',
      validUntil: null,
      keyId: made.stdout.split('\n')[1]?.slice(7),
    });
    const trust = path.join(dir, 'ws', 'keys', 'trusted.json');
    expect(await cli(['audit', 'export-key', '--into', trust], env)).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^Added erin/),
    });
    expect((JSON.parse(await fs.readFile(trust, 'utf8')) as { keys: unknown[] }).keys).toHaveLength(
      1,
    );
    expect(await cli(['audit', 'export-key', '--valid-until', 'soon'], env)).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/not an ISO 8601 time/),
    });
  });
});
