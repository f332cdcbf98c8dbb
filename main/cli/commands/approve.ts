// `dapple approve`: the approver's side of a four-eyes approval, on their own machine with their
// own key. Reads a request (file, pasted line, or the drop folder), checks its signature against
// their copy of the workspace's trusted keys, shows it in words, and signs a response.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../ground/errors';
import { linePrefix } from '../../approvals/envelope';
import { responseFile, waitingRequests, writeDocument } from '../../approvals/desk';
import { answerProblem, checkRequest, signResponse } from '../../approvals/respond';
import { paint, requestWords } from '../../approvals/words';
import { flagString, parseArgs, type CliIo, type Command, type ParsedArgs } from '../command';
import { approverKey, approverPlace } from './approver-desk';
import { lineReader, type LineReader } from './drill-io';
import { standingRun } from './approve-standing';

const help = `Usage: dapple approve FILE|- [options]
       dapple approve --drop [options]
       dapple approve --standing --runbook FILE --until DATE --statement TEXT [options]

Answer an approval request from another engineer's session, on your machine with your key.
The request (a .approval-request file, or the line dapple-approval-request:v1:… pasted on
stdin with -) is checked against your copy of the workspace's keys/trusted.json and shown in
words: the cut, the target (production in red), the mode, and every command that runs after
the approval. You approve or reject with a statement; your key signs the response, printed as
one line (dapple-approval-response:v1:…) for the operator to paste, and written as a file to
the workspace's drop folder (approvals: in dapple.yaml) or beside the request file.

  --workspace DIR   your copy of the workspace (default: the current folder): its
                    keys/trusted.json and drop folder
  --trusted FILE    the trust file to check the request against instead
  --key FILE        your key file (default: $DAPPLE_DATA_DIR/keys/operator.key); its
                    passphrase comes from DAPPLE_KEY_PASSPHRASE
  --approve | --reject   the decision (else asked)
  --statement TEXT  what you checked (else asked)
  --out FILE        write the response here
  --drop            answer the newest request waiting in the drop folder
  --json            print { decision, line, file, request } as JSON (questions go to stderr)

  --standing        sign a standing approval instead: drills of one runbook (as its text is
                    now) on sandbox targets, until --until DATE; dapple drill --unattended
                    --approval FILE uses it. A live restore can never use one.
  --runbook FILE    the runbook a standing approval covers
  --until DATE      the standing approval's last day (ISO 8601)

Exit 0 once a response is signed; 1 when the request is refused (altered, untrusted,
expired, your own) or you stop.
`;

const VALUED = ['workspace', 'trusted', 'key', 'statement', 'out', 'runbook', 'until'];
const BOOLEANS = ['approve', 'reject', 'drop', 'json', 'standing', 'color'];

/** The request text and its file: a file, a line on stdin, or the drop folder's newest. */
async function requestText(
  parsed: ParsedArgs,
  io: CliIo,
  lines: LineReader,
  place: Awaited<ReturnType<typeof approverPlace>>,
  say: (t: string) => void,
): Promise<{ text: string; file: string | null }> {
  const [source] = parsed.positional;
  if (parsed.flags.has('drop')) {
    const dir = place.workspace?.approvalsDir;
    if (!dir) {
      throw new UserError(
        'NO_DROP_FOLDER',
        `The workspace at ${place.dir} has no approvals drop folder.`,
        'Set approvals: in its dapple.yaml, or give the request file.',
      );
    }
    const waiting = (await waitingRequests(dir, place.trust, new Date())).filter(
      (w) => w.request && !w.request.expired,
    );
    const first = waiting[0];
    if (!first?.request) {
      throw new UserError(
        'NOTHING_WAITING',
        `No request waits in ${dir}.`,
        'Ask the operator to send theirs.',
      );
    }
    if (waiting.length > 1) say(`${waiting.length} requests wait in ${dir}; the newest first.\n`);
    return { text: first.request.doc.line, file: first.file };
  }
  if (source === undefined) {
    throw new UserError(
      'BAD_ARGS',
      'Give the request file, or - to paste its line.',
      'Run dapple approve --help.',
    );
  }
  if (source === '-') {
    for (;;) {
      const line = await lines.ask(`Paste the request line (${linePrefix('request')}…): `);
      if (line === null)
        throw new UserError('NO_REQUEST', 'No request line was pasted.', 'Paste the whole line.');
      if (line.trim() !== '') return { text: line, file: null };
    }
  }
  const file = path.resolve(io.cwd, source);
  const text = await fs.readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new UserError(
      'NO_REQUEST',
      `The request file ${file} cannot be read (${e.code ?? 'error'}).`,
      'Check the path.',
    );
  });
  return { text, file };
}

/** The decision and statement, from flags or asked. */
async function decide(parsed: ParsedArgs, lines: LineReader) {
  let decision: 'approved' | 'rejected' | null = parsed.flags.has('approve')
    ? 'approved'
    : parsed.flags.has('reject')
      ? 'rejected'
      : null;
  while (decision === null) {
    const a = (await lines.ask('Approve or reject? (approve/reject) '))?.toLowerCase();
    if (a === undefined)
      throw new UserError('STOPPED', 'Nothing was signed.', 'Run it again to answer.');
    if (a === 'approve' || a === 'a' || a === 'y') decision = 'approved';
    if (a === 'reject' || a === 'r' || a === 'n') decision = 'rejected';
  }
  let statement = flagString(parsed, 'statement')?.trim() ?? '';
  while (statement === '') {
    const a = await lines.ask('Statement (what you checked, one line): ');
    if (a === null)
      throw new UserError('STOPPED', 'Nothing was signed.', 'Run it again to answer.');
    statement = a.trim();
  }
  return { decision, statement: statement.slice(0, 2000) };
}

async function run(
  args: string[],
  io: CliIo,
  input: () => NodeJS.ReadableStream & { isTTY?: boolean },
): Promise<number> {
  const parsed = parseArgs(args, VALUED, BOOLEANS);
  if (parsed.flags.has('standing')) return standingRun(parsed, io);
  const json = parsed.flags.has('json');
  const say = json ? io.stderr : io.stdout;
  const place = await approverPlace(parsed, io);
  const lines = lineReader(input(), say);
  try {
    const { text, file } = await requestText(parsed, io, lines, place, say);
    const now = new Date();
    const req = checkRequest(text, place.trust, now);
    const color = parsed.flags.has('color') || (!json && process.stdout.isTTY === true);
    say(`${requestWords(req, paint(color), now).join('\n')}\n\n`);
    const key = await approverKey(parsed, io);
    const problem = answerProblem(req, key.keyId, place.trust);
    if (problem) throw new UserError('CANNOT_ANSWER', problem, 'Nothing was signed.');
    const name = place.trust.get(key.keyId)?.name ?? key.name;
    const answer = await decide(parsed, lines);
    const response = await signResponse(req, key, name, { ...answer, now: new Date() });
    const given = flagString(parsed, 'out');
    const out = given
      ? path.resolve(io.cwd, given)
      : responseFile(response, {
          dropFolder: place.workspace?.approvalsDir ?? null,
          requestFile: file,
        });
    if (out) await writeDocument(response, out);
    if (json) {
      io.stdout(
        `${JSON.stringify({ decision: answer.decision, line: response.line, file: out, request: req.doc.sha256 }, null, 2)}\n`,
      );
    } else {
      io.stdout(
        `Signed: ${answer.decision} by ${name} (key ${key.keyId.slice(0, 16)}…).\n${out ? `Response file: ${out}\n` : ''}Paste this line into ${req.operatorName}'s session:\n\n${response.line}\n`,
      );
    }
    return 0;
  } finally {
    lines.close();
  }
}

/** The approve command reading answers from `input` (tests pipe a stream). */
export function approveCommandWith(
  input: () => NodeJS.ReadableStream & { isTTY?: boolean },
): Command {
  return {
    name: 'approve',
    summary:
      'answer an approval request with your own key (or sign a standing approval for drills)',
    help,
    run: (args, io) => run(args, io, input),
  };
}

/** `dapple approve`. */
export const approveCommand: Command = approveCommandWith(() => process.stdin);
