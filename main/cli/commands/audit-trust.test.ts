// `dapple audit verify` names what its verdict rests on: the trust file, its SHA-256 and the keys
// that signed; it warns when git shows that file uncommitted or changed after the log began (a
// log re-signed with new keys and shipped with a matching trust file), and says the outcome.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { person, tempDir, writeTestLog } from '../../audit/test-helpers';
import { runCli } from '../run';

async function verify(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['audit', 'verify', ...args], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: {},
    cwd,
  });
  return { code, stdout, stderr };
}

/** git in the workspace, committing at a fixed date (before or after the log began). */
function git(ws: string, args: string[], date = '2026-01-01T00:00:00Z') {
  execFileSync('git', args, {
    cwd: ws,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.org',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.org',
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    },
    stdio: 'ignore',
  });
}

const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await fs.readFile(file))
    .digest('hex');

describe('dapple audit verify and its trust file', () => {
  it('names the trust file, its SHA-256, the signing keys and the outcome; warns about a trust file changed with the log', async () => {
    const ws = tempDir();
    const alice = person('Alice Operator');
    const bob = person('Bob Approver');
    const trustFile = path.join(ws, 'keys', 'trusted.json');
    await fs.mkdir(path.join(ws, 'keys'));
    await fs.writeFile(trustFile, JSON.stringify({ v: 1, keys: [alice.entry, bob.entry] }));
    git(ws, ['init', '-q']);
    git(ws, ['add', '.']);
    git(ws, ['commit', '-qm', 'trust']);
    const log = path.join(ws, 'audit', 'session.jsonl');
    await fs.mkdir(path.dirname(log));
    await (await writeTestLog(log, alice, bob, { sealed: false })).seal('aborted');

    const clean = await verify(['audit/session.jsonl'], ws);
    expect(clean.code).toBe(0);
    expect(clean.stdout.split('\n').slice(1)).toEqual([
      'Outcome: aborted.',
      `Trust file: ${trustFile} (found above the log), SHA-256 ${await sha256(trustFile)}`,
      `Signed with: Alice Operator, key fingerprint (SHA-256) ${alice.entry.keyId}`,
      `Signed with: Bob Approver, key fingerprint (SHA-256) ${bob.entry.keyId}`,
      '',
    ]);

    // Mallory re-signs the log with her own keys and ships a trust file that matches them.
    const mallory = person('Alice Operator');
    const mole = person('Bob Approver');
    await fs.rm(log);
    await writeTestLog(log, mallory, mole);
    await fs.writeFile(trustFile, JSON.stringify({ v: 1, keys: [mallory.entry, mole.entry] }));
    const forged = await verify(['audit/session.jsonl', '--json'], ws);
    const report = JSON.parse(forged.stdout) as {
      verdict: string;
      outcome: string;
      trust: { file: string; sha256: string; source: string; git: { state: string } };
      fingerprints: { keyId: string }[];
      warnings: string[];
    };
    expect(report).toMatchObject({
      verdict: 'VALID',
      outcome: 'completed',
      trust: {
        file: trustFile,
        sha256: await sha256(trustFile),
        source: 'found',
        git: { state: 'uncommitted' },
      },
      fingerprints: [{ keyId: mallory.entry.keyId }, { keyId: mole.entry.keyId }],
    });
    expect(report.warnings).toEqual([
      `${trustFile} has uncommitted changes in its git repository, so nothing shows who put these keys there: a verdict is only as good as the trust file: pin one you got from a channel you trust (--trusted).`,
    ]);

    // Committed after the log began: still a warning, naming the commit.
    git(ws, ['commit', '-qam', 'new keys'], '2026-06-01T00:00:00Z');
    const committed = await verify(['audit/session.jsonl'], ws);
    expect(committed.stdout).toMatch(
      /\nWarning: .*trusted\.json changed in git after this log began \(1 commit, first [0-9a-f]{12} at 2026-06-01T00:00:00\+00:00\): keys added later can vouch for a re-signed log; .*pin one you got from a channel you trust \(--trusted\)\.\n$/,
    );
    // The reviewer's own pinned copy says INVALID.
    const pinned = path.join(tempDir(), 'pinned.json');
    await fs.writeFile(pinned, JSON.stringify({ v: 1, keys: [alice.entry, bob.entry] }));
    const strict = await verify(['audit/session.jsonl', '--trusted', pinned], ws);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/^INVALID /);
    expect(strict.stdout).toContain(`Trust file: ${pinned} (given with --trusted)`);
  });
});
