// Continuing a session after Dapple stopped: the log is read back (a torn last line is cut off
// and noted), its state is the fold of the records, and a command that was running when Dapple
// died is recorded as interrupted, so the operator decides whether to run it again.
import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import type { Cut } from '../../preload/schemas/groups';
import type { SessionMode } from '../../preload/schemas/session';
import { UserError } from '../ground/errors';
import type { SshOptions } from '../catalog/backends/ssh';
import type { OperatorKey } from '../audit/key-store';
import { keySigner } from '../audit/keys';
import type { RecordData } from '../audit/record-data';
import { decodeLine, type StoredRecord } from '../audit/records';
import { replaySession } from '../audit/reducer';
import { readChain } from '../audit/resume';
import { resumeLog } from '../audit/writer';
import type { PlanChoice, RunbookPlan } from '../../preload/schemas/runbook';
import type { Workspace } from '../workspace/types';
import { acquireLogLock, releaseLogLock } from './log-lock';
import { operatorTrustEntry, operatorTrusted } from './operator';
import { operatorWindowGate } from './gates';
import { leftCommand, watchGroup } from './orphan';
import { COMMAND_KINDS, DEFAULT_REQUEST_MS, type RunbookPolicy, type StepRules } from './rules';
import { productionNames } from './start';
import type { PointLookup } from './executors/index';
import { RestoreSession } from './session';

/** What the open record of an unsealed log says, enough to bind its runbook again. */
export type Resumable = {
  file: string;
  mode: SessionMode;
  runbookPath: string;
  runbookSha256: string;
  operatorKeyId: string;
  /** The cut the session was bound to (written by this version into the open record). */
  cut: Cut | null;
  /** The target, values and selection it was bound with. */
  choice: PlanChoice;
  modifiedMs: number;
};

/** The first and last complete lines of a log, without reading all of it. */
async function ends(file: string): Promise<{ first: string; last: string } | null> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const headBytes = Buffer.alloc(Math.min(size, 256 * 1024));
    await handle.read(headBytes, 0, headBytes.length, 0);
    const tailBytes = Buffer.alloc(Math.min(size, 256 * 1024));
    await handle.read(tailBytes, 0, tailBytes.length, size - tailBytes.length);
    const firstEnd = headBytes.indexOf(0x0a);
    const lastEnd = tailBytes.lastIndexOf(0x0a);
    if (firstEnd < 0 || lastEnd < 0) return null;
    const lastStart = tailBytes.lastIndexOf(0x0a, lastEnd - 1) + 1;
    return {
      first: headBytes.subarray(0, firstEnd).toString('utf8'),
      last: tailBytes.subarray(lastStart, lastEnd).toString('utf8'),
    };
  } finally {
    await handle.close();
  }
}

const payloadOf = (line: string): { type?: string; data?: unknown } | null => {
  const d = decodeLine(line);
  if (!d.ok) return null;
  try {
    return JSON.parse(d.payloadText) as { type?: string; data?: unknown };
  } catch {
    return null;
  }
};

/** Unsealed session logs in the workspace's audit folder, newest first. */
export async function findUnsealedLogs(root: string): Promise<Resumable[]> {
  const dir = path.join(root, 'audit');
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const found: Resumable[] = [];
  for (const name of names.filter((n) => n.endsWith('.jsonl'))) {
    const file = path.join(dir, name);
    const stat = await fs.stat(file).catch(() => null);
    const lines = stat?.isFile() ? await ends(file).catch(() => null) : null;
    if (!stat || !lines) continue;
    const open = payloadOf(lines.first);
    const last = payloadOf(lines.last);
    if (open?.type !== 'open' || last?.type === 'seal') continue;
    const data = open.data as RecordData<'open'> & { cut?: Cut | null; choice?: PlanChoice };
    found.push({
      file,
      mode: data.mode,
      runbookPath: data.runbook.path,
      runbookSha256: data.runbook.sha256,
      operatorKeyId: data.operator.keyId,
      cut: data.cut ?? null,
      choice: data.choice ?? {},
      modifiedMs: stat.mtimeMs,
    });
  }
  return found.sort((a, b) => b.modifiedMs - a.modifiedMs);
}

/**
 * After a restart: a command the log shows started but never ended was cut off with Dapple — or
 * still runs. Its process group (cmd.pid) is asked where it runs: a live one is held by the session
 * (Retry waits; cancel stops it), a gone one ends unknown and its step failed, so the operator
 * chooses what comes next.
 */
async function recordInterrupted(session: RestoreSession, note: string): Promise<void> {
  const { state, writer } = session;
  const { plan, workspace, ssh } = session.ctx;
  const now = Date.now();
  let held: { step: string; text: string } | null = null;
  const gone = new Map<string, string>();
  for (const cmd of state.commands.filter((c) => c.endedAt === null && c.startedAt)) {
    const step = plan.steps.find((s) => s.id === cmd.step);
    const left = await leftCommand(cmd, step, workspace, ssh);
    const program = cmd.argv[0] ?? 'the command';
    if (left.runs && step && !held) {
      const where = `process group ${left.ref.pgid} on ${left.ref.machine}`;
      const text = `${program} (${cmd.id}) still runs as ${where}, started before Dapple stopped. Wait for it to finish, or cancel to stop it; Retry comes after.`;
      await writer.append('note', { step: step.id, text });
      session.adoptRunning(step, cmd.id, cmd.startedAt, watchGroup(program, left.handle), text);
      held = { step: step.id, text };
      continue;
    }
    const durationMs = Math.max(0, now - Date.parse(cmd.startedAt));
    await writer.append('cmd.end', { cmd: cmd.id, exitCode: null, signal: null, durationMs });
    gone.set(
      cmd.step,
      left.runs
        ? ''
        : left.ref && left.why === null
          ? ` It no longer runs (process group ${left.ref.pgid} on ${left.ref.machine} is gone).`
          : ` Dapple could not tell whether it still runs: ${left.why ?? 'unknown'}; look there first.`,
    );
  }
  for (const step of state.steps.filter((s) => s.state === 'running')) {
    if (!COMMAND_KINDS.has(step.kind) || step.id === held?.step) continue;
    await writer.append('step.end', {
      step: step.id,
      attempt: Math.max(1, step.attempts),
      state: 'failed',
      error: `Interrupted: Dapple stopped while this step ran.${gone.get(step.id) ?? ''} Check the target before running it again.`,
    });
  }
  await writer.append('note', { step: null, text: note });
}

export type ResumeOptions = {
  file: string;
  workspace: Workspace;
  plan: RunbookPlan;
  rules: StepRules;
  operator: OperatorKey;
  ssh?: SshOptions;
  /** The catalog's points (manifest-restore reads a set's files from its record). */
  points?: PointLookup;
  clock?: () => Date;
  /** The runbook's version and approval request lifetime (default 30 min). */
  policy?: RunbookPolicy;
};

/** Continue an unsealed session log; refuses a log another operator's key opened. */
export async function resumeSession(options: ResumeOptions): Promise<RestoreSession> {
  const { file, operator } = options;
  const chain = await readChain(file);
  const open = chain.records[0]?.payload;
  const data = open?.data as RecordData<'open'> | undefined;
  if (open?.type !== 'open' || !data) {
    throw new UserError(
      'AUDIT_BROKEN',
      `${file} does not start with an open record.`,
      `Run dapple audit verify ${file}.`,
    );
  }
  if (data.operator.keyId !== operator.keyId) {
    throw new UserError(
      'RESUME_OTHER_OPERATOR',
      `The session in ${file} was opened by ${data.operator.name}; only their key can continue it.`,
      'Ask them to resume it, or start a new session.',
    );
  }
  const window = operatorWindowGate(
    await operatorTrustEntry(options.workspace, operator.keyId),
    (options.clock ?? (() => new Date()))(),
  );
  if (window) throw new UserError(window.code, window.message, window.hint);
  await acquireLogLock(file);
  try {
    let session: RestoreSession | null = null;
    const early: StoredRecord[] = [];
    const { writer, records } = await resumeLog({
      file,
      signer: keySigner(operator, operator.name),
      checkpoint: { records: 100, ms: 60_000 },
      ...(options.clock ? { clock: options.clock } : {}),
      onRecord: (record) => (session ? session.fold(record) : early.push(record)),
    });
    const created = new RestoreSession(
      writer,
      {
        workspace: options.workspace,
        plan: options.plan,
        rules: options.rules,
        mode: data.mode,
        operatorKeyId: operator.keyId,
        ssh: options.ssh ?? {},
        points: options.points ?? (() => Promise.resolve(null)),
        operatorTrusted: await operatorTrusted(options.workspace, operator.keyId),
        release: () => releaseLogLock(file),
        approvals: {
          signer: keySigner(operator, operator.name),
          cut: (data as { cut?: Cut | null }).cut ?? null,
          runbook: {
            path: data.runbook.path,
            title: data.runbook.name,
            sha256: data.runbook.sha256,
          },
          policy: options.policy ?? { version: null, requestMs: DEFAULT_REQUEST_MS },
          production: productionNames(options.workspace, options.plan),
          clock: options.clock ?? (() => new Date()),
        },
      },
      replaySession(records),
    );
    session = created;
    for (const record of early) created.fold(record);
    await recordInterrupted(created, `Resumed by ${operator.name} on ${hostname()}.`);
    return created;
  } catch (error) {
    await releaseLogLock(file);
    throw error;
  }
}
