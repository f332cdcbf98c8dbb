// When, and by whom, each signer's key entered the workspace's trust file, read from git. A
// reviewer should hear when an approver's key was trusted just before the session, or was put
// there by the operator themselves: then the "second person" may be the operator with a second
// key. Git is asked with argv only (no shell); no git, or no repository, is said plainly.
import { execFile } from 'node:child_process';
import path from 'node:path';

/** How one key entered the trust file. */
export type KeyAddition = {
  keyId: string;
  /** The first commit whose keys/trusted.json holds the key id; null: in no commit (uncommitted). */
  commit: string | null;
  /** Commit time (ISO) and author, when committed. */
  at: string | null;
  author: string | null;
  email: string | null;
};

/** The history as git tells it, or why it cannot. */
export type TrustHistory = { ok: true; keys: KeyAddition[] } | { ok: false; reason: string };

/** A note for the reviewer about one signer's key. */
export type KeyNote = { keyId: string; name: string; tone: 'warn' | 'info'; sentence: string };

/** "Shortly before the session": keys trusted less than this before it opened are pointed out. */
export const RECENT_TRUST_MS = 7 * 24 * 3600_000;

function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd, timeout: 10_000, maxBuffer: 4 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C' } },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    );
  });
}

/** Read, for each key id, the first commit that put it into the trust file. */
export async function trustHistory(trustFile: string, keyIds: string[]): Promise<TrustHistory> {
  const dir = path.dirname(trustFile);
  const top = await git(dir, ['rev-parse', '--show-toplevel']).then(
    (out) => out.trim(),
    (error: NodeJS.ErrnoException & { stderr?: string }) => (error.code === 'ENOENT' ? null : ''),
  );
  if (top === null) return { ok: false, reason: 'git is not installed on this machine' };
  if (top === '') return { ok: false, reason: 'the workspace is not a git repository' };
  const relative = path.relative(top, trustFile);
  const keys: KeyAddition[] = [];
  for (const keyId of keyIds) {
    // -S finds commits that change how often the key id occurs; the oldest is the one that added it.
    const out = await git(top, [
      'log',
      '--reverse',
      '--format=%H%x09%aI%x09%an%x09%ae',
      `-S${keyId}`,
      '--',
      relative,
    ]).catch(() => '');
    const [commit, at, author, email] = (out.split('\n')[0] ?? '').split('\t');
    keys.push(
      commit
        ? {
            keyId,
            commit,
            at: at ? new Date(at).toISOString() : null,
            author: author ?? null,
            email: email ?? null,
          }
        : { keyId, commit: null, at: null, author: null, email: null },
    );
  }
  return { ok: true, keys };
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Whether a commit author is the operator, by name or by the name part of their email. */
export function isOperator(
  addition: Pick<KeyAddition, 'author' | 'email'>,
  operatorName: string,
): boolean {
  if (addition.author && same(addition.author, operatorName)) return true;
  const local = addition.email?.split('@')[0] ?? '';
  return local !== '' && same(local, operatorName);
}

function span(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 90) return `${minutes} min`;
  const hours = Math.round(ms / 3600_000);
  return hours < 48 ? `${hours} h` : `${Math.round(ms / 86_400_000)} days`;
}

/**
 * What a reviewer should be told about the signers' keys: trusted shortly before (or after) the
 * session opened, trusted by the operator themselves (for keys other than theirs), or never
 * committed at all. Pure: the history comes in.
 */
export function keyNotes(
  signers: readonly { keyId: string; name: string }[],
  history: TrustHistory,
  session: { startedAt: string | null; operator: { name: string; keyId: string } | null },
): KeyNote[] {
  if (!history.ok) {
    return [
      {
        keyId: '',
        name: '',
        tone: 'info',
        sentence: `When each signer's key was trusted cannot be checked: ${history.reason}.`,
      },
    ];
  }
  const notes: KeyNote[] = [];
  const started = session.startedAt ? Date.parse(session.startedAt) : NaN;
  for (const signer of signers) {
    const added = history.keys.find((k) => k.keyId === signer.keyId);
    if (!added) continue;
    const own = session.operator?.keyId === signer.keyId;
    const who = own ? `${signer.name}'s (the operator's) key` : `${signer.name}'s key`;
    if (added.commit === null) {
      notes.push({
        keyId: signer.keyId,
        name: signer.name,
        tone: 'warn',
        sentence: `${who} is in keys/trusted.json but in no commit: nobody has reviewed it being trusted.`,
      });
      continue;
    }
    const commit = `commit ${added.commit.slice(0, 10)} by ${added.author ?? 'unknown'}${added.at ? `, ${added.at.slice(0, 16).replace('T', ' ')} UTC` : ''}`;
    const at = added.at ? Date.parse(added.at) : NaN;
    if (Number.isFinite(at) && Number.isFinite(started)) {
      if (at > started) {
        notes.push({
          keyId: signer.keyId,
          name: signer.name,
          tone: 'warn',
          sentence: `${who} was added to keys/trusted.json ${span(at - started)} after the session began (${commit}).`,
        });
      } else if (started - at < RECENT_TRUST_MS) {
        notes.push({
          keyId: signer.keyId,
          name: signer.name,
          tone: 'warn',
          sentence: `${who} was added to keys/trusted.json ${span(started - at)} before the session (${commit}).`,
        });
      }
    }
    if (!own && session.operator && isOperator(added, session.operator.name)) {
      notes.push({
        keyId: signer.keyId,
        name: signer.name,
        tone: 'warn',
        sentence: `${who} was added to keys/trusted.json by ${session.operator.name}, the operator of this session (${commit}): its approvals may not be a second person's.`,
      });
    }
  }
  return notes;
}
