// The operator's side of the drop folder: while an approval step waits, new files in the
// workspace's approvals folder are offered to the session as responses. Files named for another
// session are someone else's; every other file (a response, or junk) is judged by the same gates
// as a pasted line, so junk is refused with a sentence and recorded once, and nothing runs.
import path from 'node:path';
import { toAppError } from '../ground/errors';
import { RESPONSE_SUFFIX, scanDrop } from '../approvals/drop-folder';
import type { RestoreSession } from './session';

const OTHER_SESSION = new RegExp(`^([0-9a-f]{8})-.*\\${RESPONSE_SUFFIX}$`);

/** What one look at the drop folder did. */
export type DropOutcome = { offered: number; accepted: number; refusals: string[] };

// Per session: the files already offered (name and content), so each is judged once however many
// watchers look (the console's and the terminal's), and one look at a time.
const seenBy = new WeakMap<RestoreSession, Set<string>>();
const lookBy = new WeakMap<RestoreSession, Promise<unknown>>();

/** Offer the drop folder's new files to the session's waiting approval step, oldest first. */
export function collectDrop(session: RestoreSession): Promise<DropOutcome> {
  const previous = lookBy.get(session) ?? Promise.resolve();
  const look = previous.catch(() => undefined).then(() => lookOnce(session));
  lookBy.set(session, look);
  return look;
}

async function lookOnce(session: RestoreSession): Promise<DropOutcome> {
  let seen = seenBy.get(session);
  if (!seen) seenBy.set(session, (seen = new Set()));
  const outcome: DropOutcome = { offered: 0, accepted: 0, refusals: [] };
  const dir = session.ctx.workspace.approvalsDir;
  const wait = session.view().approval;
  if (!dir || !wait?.request) return outcome;
  const opened = session.state.approvalRequests.find((r) => r.sha256 === wait.request?.sha256);
  const since = opened ? Date.parse(opened.ts) - 2000 : 0;
  const files = await scanDrop(dir, { want: 'responses', sinceMs: since, seen });
  for (const file of files) {
    const other = OTHER_SESSION.exec(file.name);
    if (other && other[1] !== session.id.slice(0, 8)) continue;
    const current = session.view().approval;
    if (!current || current.step !== wait.step) break;
    outcome.offered += 1;
    try {
      await session.act({
        type: 'respond',
        step: wait.step,
        text: file.text ?? `(unreadable: ${file.problem ?? 'unknown'})`,
        source: 'drop',
        file: path.basename(file.file),
      });
      outcome.accepted += 1;
    } catch (error) {
      outcome.refusals.push(`${file.name}: ${toAppError(error).message}`);
    }
  }
  return outcome;
}

/** Look at the drop folder every `ms` while the session waits for an approval; returns stop(). */
export function watchDrop(session: RestoreSession, ms = 1500): () => void {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    if (session.state.sealed) return clearInterval(timer);
    if (!session.view().approval?.request) return;
    busy = true;
    collectDrop(session)
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, ms);
  timer.unref();
  return () => clearInterval(timer);
}
