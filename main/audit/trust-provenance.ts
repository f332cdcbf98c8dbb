// Which trust file a verdict rests on, and whether it deserves that: a log re-signed with new keys
// and shipped with a matching keys/trusted.json verifies VALID, so the verdict names the file, its
// SHA-256, and warns when git shows it uncommitted or changed after the log began.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** What git says about the trust file. */
export type TrustGit =
  | { state: 'outside-git' }
  | { state: 'untracked' | 'uncommitted' | 'committed'; changedAfterStart: TrustChange[] };

/** A commit that changed the trust file. */
export type TrustChange = { commit: string; date: string };

/** The trust file a verdict used. */
export type TrustProvenance = {
  file: string;
  sha256: string;
  /** 'given' with --trusted, or 'found' in a folder above the log. */
  source: 'given' | 'found';
  git: TrustGit;
  /** Sentences for the reviewer; empty when nothing is suspicious. */
  warnings: string[];
};

function git(cwd: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('git', ['-C', cwd, ...args], { timeout: 10_000 }, (error, stdout) =>
      resolve(error ? null : stdout),
    );
  });
}

async function gitState(file: string, since: string | null): Promise<TrustGit> {
  const dir = path.dirname(file);
  if ((await git(dir, ['rev-parse', '--show-toplevel'])) === null) return { state: 'outside-git' };
  const name = path.basename(file);
  const tracked = (await git(dir, ['ls-files', '--error-unmatch', '--', name])) !== null;
  const status = (await git(dir, ['status', '--porcelain', '--', name])) ?? '';
  const state = !tracked ? 'untracked' : status.trim() !== '' ? 'uncommitted' : 'committed';
  const changedAfterStart: TrustChange[] = [];
  if (tracked && since !== null) {
    const out = (await git(dir, ['log', '--format=%H %cI', `--since=${since}`, '--', name])) ?? '';
    for (const line of out.split('\n').filter(Boolean)) {
      const [commit = '', date = ''] = line.split(' ');
      // git's --since is by commit date at second precision: keep strictly later ones.
      if (Date.parse(date) > Date.parse(since)) changedAfterStart.push({ commit, date });
    }
  }
  return { state, changedAfterStart };
}

/** Describe the trust file used to verify a log that began at `logStart` (ISO, or null). */
export async function trustProvenance(
  file: string,
  source: 'given' | 'found',
  logStart: string | null,
): Promise<TrustProvenance> {
  const bytes = await fs.readFile(file);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const state = await gitState(file, logStart);
  const warnings: string[] = [];
  const pin =
    'a verdict is only as good as the trust file: pin one you got from a channel you trust (--trusted).';
  if (state.state === 'untracked' || state.state === 'uncommitted') {
    warnings.push(
      `${file} has ${state.state === 'untracked' ? 'never been committed' : 'uncommitted changes'} in its git repository, so nothing shows who put these keys there: ${pin}`,
    );
  }
  if (state.state !== 'outside-git' && state.changedAfterStart.length > 0) {
    const first = state.changedAfterStart.at(-1) as TrustChange;
    warnings.push(
      `${file} changed in git after this log began (${state.changedAfterStart.length} commit${state.changedAfterStart.length > 1 ? 's' : ''}, first ${first.commit.slice(0, 12)} at ${first.date}): keys added later can vouch for a re-signed log; ${pin}`,
    );
  }
  if (state.state === 'outside-git' && source === 'found') {
    warnings.push(`${file} is not in a git repository, and it was found beside the log: ${pin}`);
  }
  return { file, sha256, source, git: state, warnings };
}
