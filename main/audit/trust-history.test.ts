// A reviewer hears when a signer's key was trusted shortly before the session, by the operator
// themselves, or never committed: read from a real git repository's history of keys/trusted.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyNotes, trustHistory } from './trust-history';
import { tempDir } from './test-helpers';

const operator = { name: 'erin', keyId: 'a'.repeat(64) };
const approver = { name: 'sam', keyId: 'b'.repeat(64) };
const stranger = { name: 'kim', keyId: 'c'.repeat(64) };

function repo(): { root: string; commit: (who: string, at: string, keys: string[]) => void } {
  const root = tempDir('dapple-trust-git-');
  mkdirSync(path.join(root, 'keys'));
  const run = (args: string[], env: Record<string, string> = {}) =>
    execFileSync('git', args, { cwd: root, env: { ...process.env, ...env }, stdio: 'pipe' });
  run(['init', '-q']);
  const commit = (who: string, at: string, keys: string[]) => {
    const entries = keys.map((keyId) => ({ keyId }));
    writeFileSync(path.join(root, 'keys', 'trusted.json'), JSON.stringify({ keys: entries }));
    run(['add', 'keys/trusted.json']);
    run(['commit', '-q', '-m', `trust ${keys.length} keys`], {
      GIT_AUTHOR_NAME: who,
      GIT_AUTHOR_EMAIL: `${who}@example.org`,
      GIT_COMMITTER_NAME: who,
      GIT_COMMITTER_EMAIL: `${who}@example.org`,
      GIT_AUTHOR_DATE: at,
      GIT_COMMITTER_DATE: at,
    });
  };
  return { root, commit };
}

describe('trust history', () => {
  it('finds the commit that trusted each key and warns about the suspicious ones', async () => {
    const { root, commit } = repo();
    commit('lee', '2026-01-05T10:00:00Z', [operator.keyId]);
    // The operator adds an "approver" key two hours before the session.
    commit('erin', '2026-03-01T07:00:00Z', [operator.keyId, approver.keyId]);
    // A key in the file that no commit holds.
    writeFileSync(
      path.join(root, 'keys', 'trusted.json'),
      JSON.stringify({ keys: [operator, approver, stranger].map((k) => ({ keyId: k.keyId })) }),
    );
    const file = path.join(root, 'keys', 'trusted.json');
    const history = await trustHistory(file, [operator.keyId, approver.keyId, stranger.keyId]);
    expect(history).toMatchObject({
      ok: true,
      keys: [
        { keyId: operator.keyId, author: 'lee', at: '2026-01-05T10:00:00.000Z' },
        { keyId: approver.keyId, author: 'erin', email: 'erin@example.org' },
        { keyId: stranger.keyId, commit: null },
      ],
    });
    const notes = keyNotes([operator, approver, stranger], history, {
      startedAt: '2026-03-01T09:00:00Z',
      operator,
    });
    expect(notes.map((n) => n.sentence)).toEqual([
      expect.stringMatching(
        /^sam's key was added to keys\/trusted\.json 2 h before the session \(commit [0-9a-f]{10} by erin, 2026-03-01 07:00 UTC\)\.$/,
      ),
      expect.stringMatching(
        /^sam's key was added to keys\/trusted\.json by erin, the operator of this session .*not be a second person's\.$/,
      ),
      "kim's key is in keys/trusted.json but in no commit: nobody has reviewed it being trusted.",
    ]);
    // The operator's own key, trusted two months before by someone else, is not pointed out.
    expect(notes.some((n) => n.keyId === operator.keyId)).toBe(false);
  });

  it('says so when the workspace is not in git', async () => {
    const root = tempDir('dapple-trust-nogit-');
    const file = path.join(root, 'trusted.json');
    writeFileSync(file, '{"keys":[]}');
    const history = await trustHistory(file, [operator.keyId]);
    expect(history).toEqual({ ok: false, reason: 'the workspace is not a git repository' });
    expect(keyNotes([operator], history, { startedAt: null, operator })[0]?.sentence).toBe(
      "When each signer's key was trusted cannot be checked: the workspace is not a git repository.",
    );
  });
});
