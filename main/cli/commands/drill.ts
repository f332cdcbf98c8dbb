// `dapple drill`: run a workspace runbook as a session from the terminal (drill, rehearsal or
// live), through the same session engine and gates as the console, writing the signed audit log.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Cut } from '../../../preload/schemas/groups';
import type { SessionMode } from '../../../preload/schemas/session';
import { createContext, type AppContext } from '../../api/context';
import { UserError } from '../../ground/errors';
import { catalogService } from '../../api/handlers/catalog';
import { drillsHandlers } from '../../api/handlers/drills';
import { activeSession, operatorKey, sessionHandlers } from '../../api/handlers/session';
import { openWorkspace } from '../../api/handlers/workspace';
import { fileKeyStore } from '../../audit/key-store';
import { defaultDataDir } from '../../paths';
import { operatorKeyFile } from '../../restore/operator';
import type { RestoreSession } from '../../restore/session';
import type { Workspace } from '../../workspace/types';
import { flagString, parseArgs, type CliIo, type Command, type ParsedArgs } from '../command';
import { progressText } from '../../../preload/schemas/progress-words';
import type { RecordData } from '../../audit/record-data';
import { drive } from './drill-drive';
import { lineReader } from './drill-io';
import { chooseCut, pointChoice, type PointChoice } from './drill-point';
import { checkUnattended, drillSummary, driveUnattended, type Stop } from './drill-unattended';
import { cutText, instantFlag } from './groups';
import { liveWarning, selfCommand } from './drill-words';

const help = `Usage: dapple drill --workspace DIR [--group G | --runbook FILE] [options]
       dapple drill --workspace DIR --resume
       dapple drill --workspace DIR --group G --unattended --approval FILE [--point random --within 30d] --json

Run a workspace runbook as a session, step by step, asking on stdin (typed or piped, one
answer per line): tick each checklist item (y), type the target's name before a destructive
step, and retry / skip / abort when a command fails. Every fact is appended first to the
signed audit log audit/<mode>-<date>-<id>.jsonl of the workspace.

  --workspace DIR  the workspace folder (default: the current folder)
  --group G        the consistency group: its runbook, bound to its newest consistent cut
  --runbook FILE   the runbook (default: the group's); with no --group, the group that names it
  --mode M         drill (default: runs against the sandbox target, timed against the RTO;
                   refuses any production target), rehearsal (runs nothing, logs what would
                   run) or live (runs for real)
  --before ISO     the cut: newest consistent cut strictly before this instant (default: now)
  --target NAME    where to restore: a target the runbook's target parameter allows (default:
                   the runbook's default; a drill takes sandbox targets only)
  --param N=VALUE  a value for the runbook's parameter N (an instant such as
                   2026-11-25T02:14:00Z, a string); repeat for several
  --point P        newest (default: the newest consistent cut) or random: a random consistent
                   cut of the last --within (default 30d), so older backups get tested too
  --refresh        read the sources now instead of the cached catalog
  --now ISO        choose the cut as if now were this instant (reproduce a past incident)
  --key FILE       your operator key file (default: $DAPPLE_DATA_DIR/keys/operator.key, made
                   on first use); its passphrase comes from DAPPLE_KEY_PASSPHRASE
  --resume         continue your newest unsealed session in the workspace (after Dapple
                   or the terminal stopped mid-session); a command cut off is marked
                   interrupted and asks retry / skip / abort
  --approval F[,F] standing approvals (dapple approve --standing) offered at approval steps;
                   they count for drills on sandbox targets only
  --unattended     nobody at the terminal (cron, systemd, CI): manual steps marked
                   unattended: ok are recorded as done by the schedule, approvals come from
                   --approval only, anything else stops the drill as "needs a person"
  --json           print the summary as JSON (outcome, steps with status and durationMs,
                   totalMs, rtoMs, logPath, verdict); questions then go to stderr

Approvals: the session writes a signed request (a file, a line to paste into a chat, and the
workspace's drop folder when it has one) and waits for the approver's response, made on
their machine with dapple approve: paste its line or give its file; a response dropped in
the drop folder is picked up by itself. "in person" lets the approver type their key's
passphrase here instead (DAPPLE_APPROVER_PASSPHRASE for scripts).

Exit codes: 0 completed within the RTO (or with none), 3 completed over the RTO, 1 failed
or aborted, 4 needs a person (unattended), 2 usage error. At the end it prints the command
that checks the log, spelled the way this dapple was started.
`;

/** The --param N=VALUE flags (they may repeat), and the other arguments. */
export function takeParams(args: string[]): { rest: string[]; params: Record<string, string> } {
  const rest: string[] = [];
  const params: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg !== '--param' && !arg.startsWith('--param=')) {
      rest.push(arg);
      continue;
    }
    const pair = arg === '--param' ? args[++i] : arg.slice('--param='.length);
    const eq = pair?.indexOf('=') ?? -1;
    if (pair === undefined || eq <= 0) {
      throw new UserError(
        'BAD_ARGS',
        `--param needs NAME=VALUE${pair === undefined ? '' : `, not ${JSON.stringify(pair.slice(0, 80))}`}.`,
        'Write it as --param instant=2026-11-25T02:14:00Z (one per parameter).',
      );
    }
    params[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return { rest, params };
}
const VALUED = [
  'workspace',
  'group',
  'runbook',
  'mode',
  'before',
  'key',
  'now',
  'point',
  'within',
  'approval',
  'target',
];
const BOOLEANS = ['json', 'refresh', 'resume', 'unattended'];
const MODES: SessionMode[] = ['drill', 'rehearsal', 'live'];

function modeFrom(parsed: ParsedArgs): SessionMode {
  const text = flagString(parsed, 'mode') ?? 'drill';
  const mode = MODES.find((m) => m === text);
  if (!mode) {
    throw new UserError(
      'BAD_ARGS',
      `--mode ${JSON.stringify(text.slice(0, 40))} is not a session mode.`,
      'Use --mode drill, rehearsal or live.',
    );
  }
  return mode;
}

/** A console context without a window: the same handlers, the key file as the operator key. */
async function cliContext(parsed: ParsedArgs, io: CliIo): Promise<AppContext> {
  const dataDir = defaultDataDir(io.env);
  const given = flagString(parsed, 'key');
  const keyFile = given ? path.resolve(io.cwd, given) : operatorKeyFile(dataDir);
  const passphrase = io.env.DAPPLE_KEY_PASSPHRASE;
  const ctx = createContext({
    version: io.env.DAPPLE_VERSION ?? '0.1.0',
    transport: 'browser',
    dataDir,
    emit: () => undefined,
    operatorKeys: async () => {
      if (!passphrase)
        throw new UserError(
          'NO_PASSPHRASE',
          `No passphrase for your operator key file ${keyFile}.`,
          'Set DAPPLE_KEY_PASSPHRASE to the passphrase that protects it (dapple audit keygen makes one).',
        );
      return fileKeyStore(keyFile, passphrase);
    },
  });
  const dir = path.resolve(io.cwd, flagString(parsed, 'workspace') ?? '.');
  await openWorkspace(dir, ctx);
  if (!ctx.workspace) {
    const first = ctx.current?.problems.find((p) => p.severity === 'error');
    throw new UserError(
      'BAD_WORKSPACE',
      `The workspace at ${dir} could not be loaded${first ? ` (${first.file}: ${first.message})` : ''}.`,
      'Fix dapple.yaml, or check the folder with dapple workspace check.',
    );
  }
  return ctx;
}

/** The runbook (workspace-relative) and the group whose cut binds it. */
function runbookAndGroup(workspace: Workspace, parsed: ParsedArgs, io: CliIo) {
  const groupName = flagString(parsed, 'group');
  const group = groupName === undefined ? undefined : workspace.groups.get(groupName);
  if (groupName !== undefined && !group) {
    throw new UserError(
      'NO_GROUP',
      `The workspace has no consistency group named ${JSON.stringify(groupName.slice(0, 80))}.`,
      `Groups here: ${[...workspace.groups.keys()].join(', ') || 'none'}.`,
    );
  }
  const given = flagString(parsed, 'runbook');
  const file = given
    ? path.relative(workspace.root, path.resolve(io.cwd, given)).split(path.sep).join('/')
    : (group?.runbook ?? null);
  if (!file) {
    throw new UserError(
      'BAD_ARGS',
      group
        ? `The group ${group.name} names no runbook.`
        : 'Name the runbook with --runbook FILE or the group with --group G.',
      `Groups with a runbook: ${
        [...workspace.groups.values()]
          .filter((g) => g.runbook)
          .map((g) => g.name)
          .join(', ') || 'none'
      }.`,
    );
  }
  return { file, group: group ?? [...workspace.groups.values()].find((g) => g.runbook === file) };
}

async function findCut(
  ctx: AppContext,
  workspace: Workspace,
  group: ReturnType<typeof runbookAndGroup>['group'],
  parsed: ParsedArgs,
  choice: PointChoice,
  out: (t: string) => void,
): Promise<{ cut: Cut; how: string } | null> {
  if (!group) return null;
  const service = catalogService(ctx);
  if (parsed.flags.has('refresh')) service.refresh(workspace);
  await service.catalog(workspace);
  await service.settled(workspace);
  const catalog = await service.catalog(workspace);
  const now = instantFlag(parsed, 'now') ?? Date.now();
  const found = chooseCut(group, catalog.points, choice, {
    now,
    before: instantFlag(parsed, 'before'),
  });
  out(`Cut of ${group.name} (${found.how}):\n${cutText(found.cut)}\n`);
  return found;
}

const seconds = (ms: number) => Math.round(ms / 1000);
const minutes = (s: number) => (s >= 120 ? `${Math.round(s / 60)} min` : `${s} s`);

/** The standing approvals given with --approval FILE[,FILE…], as text. */
async function standingTexts(parsed: ParsedArgs, io: CliIo): Promise<string[]> {
  const given = flagString(parsed, 'approval');
  if (!given) return [];
  return Promise.all(
    given.split(',').map(async (name) => {
      const file = path.resolve(io.cwd, name.trim());
      return fs.readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
        throw new UserError(
          'BAD_ARGS',
          `The standing approval file ${file} cannot be read (${e.code ?? 'error'}).`,
          'Give the file dapple approve --standing wrote.',
        );
      });
    }),
  );
}

async function run(
  args: string[],
  io: CliIo,
  input: () => NodeJS.ReadableStream & { isTTY?: boolean },
): Promise<number> {
  const { rest, params } = takeParams(args);
  const parsed = parseArgs(rest, VALUED, BOOLEANS);
  const target = flagString(parsed, 'target');
  const json = parsed.flags.has('json');
  const unattended = parsed.flags.has('unattended');
  const out = json ? io.stderr : io.stdout;
  const mode = modeFrom(parsed);
  if (unattended) checkUnattended(mode, parsed.flags.has('resume'));
  const choice = pointChoice(parsed);
  const standing = await standingTexts(parsed, io);
  const ctx = await cliContext(parsed, io);
  const workspace = ctx.workspace as Workspace;
  const { key } = await operatorKey(ctx);
  if (key.created) out(`Made your operator key ${key.keyId.slice(0, 16)}… (${key.name}).\n`);
  let point: Parameters<typeof drillSummary>[2] = null;
  if (parsed.flags.has('resume')) {
    // The same path a console takes after a restart: the newest unsealed session of this key.
    if (!(await sessionHandlers['session.active']({}, ctx))) {
      throw new UserError(
        'NOTHING_TO_RESUME',
        `${workspace.root}/audit holds no unsealed session of yours whose runbook is unchanged.`,
        'Start a new session (without --resume).',
      );
    }
  } else {
    const { file, group } = runbookAndGroup(workspace, parsed, io);
    const found = await findCut(ctx, workspace, group, parsed, choice, out);
    point = { ...choice, how: found?.how ?? 'no cut', time: found?.cut.time ?? null };
    const before = instantFlag(parsed, 'before');
    // --before is when the incident began: the log keeps it for the review's "Restored to".
    const incident = before === undefined ? null : new Date(before).toISOString();
    const cut = found?.cut ?? null;
    // How long it should take, from past drills of this runbook (a rehearsal runs nothing).
    if (mode !== 'rehearsal') {
      const p = await drillsHandlers['drills.predict']({ file, cut }, ctx).catch(() => null);
      if (p) out(`${p.summary[0]?.toUpperCase() ?? ''}${p.summary.slice(1)}.\n`);
    }
    await sessionHandlers['session.start'](
      {
        file,
        cut,
        mode,
        incident,
        ...(target ? { target } : {}),
        ...(Object.keys(params).length > 0 ? { params } : {}),
      },
      ctx,
    );
  }
  const session = activeSession(ctx) as RestoreSession;
  const shownMode = session.state.mode ?? mode;
  out(
    `${parsed.flags.has('resume') ? 'Resumed: ' : ''}${shownMode[0]?.toUpperCase()}${shownMode.slice(1)} of ${session.ctx.plan.title}; the log is ${session.writer.file}\n`,
  );
  if (shownMode === 'live') out(`${liveWarning(workspace, session.ctx.plan)}\n`);
  const bound = session.ctx.plan.params.filter((p) => p.type !== 'recovery-point' && p.bound);
  if (bound.length > 0)
    out(`Bound: ${bound.map((p) => `${p.name}=${p.bound ?? ''}`).join(', ')}\n`);
  if (!session.operatorTrusted)
    out(
      `Note: your key is not in ${workspace.name}'s keys/trusted.json, so the log will not verify there until it is (dapple audit export-key --into keys/trusted.json).\n`,
    );
  // Command output and progress as they reach the log.
  session.onChange((_s, record) => {
    if (record?.payload.type === 'progress') {
      out(`  … ${progressText(record.payload.data as RecordData<'progress'>)}\n`);
      return;
    }
    if (record?.payload.type !== 'output') return;
    const data = record.payload.data as { text?: string; bytes: number; blob?: boolean };
    out(
      data.text ?? `[${data.bytes} bytes${data.blob ? ', kept as a blob' : ' of binary output'}]\n`,
    );
  });
  let stop: Stop = null;
  if (unattended) {
    stop = await driveUnattended(session, standing, out);
  } else {
    const lines = lineReader(input(), out);
    try {
      await drive(session, lines, io, out, standing);
    } finally {
      lines.close();
      await session.idle();
    }
  }
  await session.idle();
  const trustFile = workspace.trustedKeys ?? path.join(workspace.root, 'keys', 'trusted.json');
  const { exitCode, summary } = await drillSummary(
    session,
    stop,
    point,
    trustFile,
    selfCommand(io.env),
  );
  const view = session.view();
  const elapsed = seconds(view.state.elapsedMs ?? 0);
  const rto = view.plan.rtoSeconds;
  if (json) {
    const extra = unattended ? {} : { elapsedSeconds: elapsed, rtoSeconds: rto, session: view };
    io.stdout(`${JSON.stringify({ ...summary, ...extra }, null, 2)}\n`);
  } else {
    const against =
      rto === null
        ? ''
        : ` against an RTO of ${minutes(rto)}${elapsed > rto ? ' (over the RTO)' : ''}`;
    io.stdout(
      `\nOutcome: ${summary.outcome === 'needs-a-person' ? 'needs a person' : view.state.outcome}. Took ${minutes(elapsed)}${against}.\nLog: ${view.logPath} (${summary.verdict})\nCheck it: ${summary.verify}\n`,
    );
  }
  return exitCode;
}

/** The drill command reading answers from `input` (tests pipe a stream). */
export function drillCommandWith(
  input: () => NodeJS.ReadableStream & { isTTY?: boolean },
): Command {
  return {
    name: 'drill',
    summary: 'run a runbook as a drill, rehearsal or live session, writing the signed audit log',
    help,
    run: (args, io) => run(args, io, input),
  };
}

/** `dapple drill`. */
export const drillCommand: Command = drillCommandWith(() => process.stdin);
