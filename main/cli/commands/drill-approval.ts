// How `dapple drill` waits at an approval step: it never invents an approval. It makes the signed
// request, shows its file and line, and waits for the approver's response — a pasted line, a
// response file's path, or a file in the workspace's drop folder — or for the approver typing
// their passphrase at this terminal (recorded as in person). Refusals are said and asked again.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { SessionAction } from '../../../preload/schemas/session';
import { toAppError } from '../../ground/errors';
import { kindOfText } from '../../approvals/envelope';
import { collectDrop } from '../../restore/drop-watch';
import type { RestoreSession } from '../../restore/session';
import type { CliIo } from '../command';
import type { LineReader } from './drill-io';

const DROP_POLL_MS = 1500;

/** Whether the session still waits for an approval of `step`. */
const waiting = (session: RestoreSession, step: string) =>
  session.view().next?.need === 'approval' && session.view().next?.step === step;

/** Act, and say a refusal instead of throwing it; true when it was accepted. */
async function tryAct(session: RestoreSession, action: SessionAction, out: (t: string) => void) {
  try {
    await session.act(action);
    await session.idle();
    return true;
  } catch (error) {
    const e = toAppError(error);
    out(`  Refused: ${e.message}${e.hint ? ` ${e.hint}` : ''}\n`);
    return false;
  }
}

/** The approver at this terminal: their key file and passphrase, decision and statement. */
async function inPerson(
  session: RestoreSession,
  step: string,
  lines: LineReader,
  io: CliIo,
  out: (t: string) => void,
): Promise<boolean | null> {
  const approvers = session.view().approval?.approvers ?? [];
  const fallback = approvers[0] ? `keys/${approvers[0]}.key` : 'keys/<approver>.key';
  out('  In person: the approver types at this terminal; their key, not yours, signs.\n');
  const keyFile = await lines.ask(`  Approver’s key file (Enter for ${fallback}): `);
  if (keyFile === null) return null;
  const passphrase =
    io.env.DAPPLE_APPROVER_PASSPHRASE ??
    (await lines.ask('  Approver’s key passphrase: ', { secret: true }));
  if (passphrase === null) return null;
  let decision: 'approved' | 'rejected' | null = null;
  while (decision === null) {
    const a = (await lines.ask('  Approve or reject? (approve/reject) '))?.toLowerCase();
    if (a === undefined) return null;
    if (a === 'approve' || a === 'a' || a === 'y') decision = 'approved';
    if (a === 'reject' || a === 'r' || a === 'n') decision = 'rejected';
  }
  let statement = '';
  while (statement === '') {
    const a = await lines.ask('  Approver’s statement (what they checked): ');
    if (a === null) return null;
    statement = a.trim().slice(0, 2000);
  }
  const accepted = await tryAct(
    session,
    { type: 'approve', step, ...(keyFile ? { keyFile } : {}), passphrase, decision, statement },
    out,
  );
  // The same environment passphrase would fail the same way again.
  if (!accepted && io.env.DAPPLE_APPROVER_PASSPHRASE) return null;
  return accepted;
}

/** Show the open request: where its files are, and the line to paste into a chat. */
function showRequest(session: RestoreSession, out: (t: string) => void): void {
  const wait = session.view().approval;
  const request = wait?.request;
  if (!wait || !request) return;
  const who = wait.approvers.join(' or ') || 'a second engineer';
  out(
    `  ${who} must approve${wait.approvals > 1 ? ` (${wait.have} of ${wait.approvals} so far)` : ''}, on their machine with their key.\n` +
      `  Request (answerable until ${request.expires}): ${request.file}\n` +
      (request.dropFile
        ? `  Also in the drop folder: ${request.dropFile} (watched for the response)\n`
        : '') +
      `  They run: dapple approve FILE   (or paste the line into dapple approve -)\n\n${request.line}\n\n`,
  );
}

/** Read a response given as a path, or take the text as pasted. */
async function offered(text: string, cwd: string): Promise<{ text: string; file: string | null }> {
  if (kindOfText(text) !== null) return { text, file: null };
  const file = path.resolve(cwd, text);
  const content = await fs.readFile(file, 'utf8').catch(() => null);
  return content === null ? { text, file: null } : { text: content, file };
}

/**
 * Wait until the approval step is answered (true), or the operator stops (false: abort). The
 * drop folder, when the workspace has one, is watched while the terminal waits for a line.
 */
export async function awaitApproval(
  session: RestoreSession,
  step: string,
  lines: LineReader,
  io: CliIo,
  out: (t: string) => void,
): Promise<boolean> {
  if (!(await tryAct(session, { type: 'request', step }, out))) return false;
  showRequest(session, out);
  const dropped = async (): Promise<'dropped'> => {
    for (;;) {
      await delay(DROP_POLL_MS, undefined, { ref: false });
      const found = await collectDrop(session);
      for (const refusal of found.refusals) out(`  Refused from the drop folder: ${refusal}\n`);
      if (!waiting(session, step)) return 'dropped';
    }
  };
  const watch = session.ctx.workspace.approvalsDir ? dropped() : null;
  while (waiting(session, step)) {
    const question = lines.ask(
      '  Paste the response line or its file’s path (or: in person / renew / abort): ',
    );
    const got = await (watch ? Promise.race([question, watch]) : question);
    if (got === 'dropped') {
      out('\n  The response arrived through the drop folder.\n');
      break;
    }
    if (got === null || got.toLowerCase() === 'abort') return false;
    if (got === '') continue;
    if (got.toLowerCase() === 'in person') {
      const given = await inPerson(session, step, lines, io, out);
      if (given === null) return false;
      continue;
    }
    if (got.toLowerCase() === 'renew') {
      if (await tryAct(session, { type: 'request', step }, out)) showRequest(session, out);
      continue;
    }
    const { text, file } = await offered(got, io.cwd);
    const source = file ? 'file' : kindOfText(text) === 'standing' ? 'standing' : 'paste';
    const accepted = await tryAct(
      session,
      { type: 'respond', step, text, source, ...(file ? { file } : {}) },
      out,
    );
    if (accepted && waiting(session, step)) showRequest(session, out);
  }
  return true;
}
