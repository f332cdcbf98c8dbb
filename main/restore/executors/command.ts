// One command of a step: its start recorded, its output streamed into the log in bounded chunks
// (secrets blanked), and its end recorded with what went wrong as a sentence. Shared by the argv
// executor and the backup-tool executors.
import type { CommandEnd, CommandRun } from '../run-local';
import { runLocal } from '../run-local';
import { sshBackendFor, sshStepRunner } from '../run-ssh';
import { assertConfined, type WritePlace } from '../confine';
import { assertConfinedOnHost } from '../confine-remote';
import { OutputSink } from '../output-sink';
import { localStartTime, thisMachine } from '../process-group';
import type { ExecutorContext, StepRun } from './types';

type Stream = 'stdout' | 'stderr';

/** How a command differs from a plain argv step: secrets in env, an output reader, a better sentence. */
export type CommandOptions = {
  /** Passed through the environment (over SSH: stdin), never argv; every value is blanked in output. */
  env?: Record<string, string>;
  /** Values to blank in output kept in the log (passwords), besides those in env. */
  secrets?: string[];
  /** Sees every output chunk as it arrives (progress parsing). */
  onOutput?: (stream: Stream, bytes: Buffer) => void;
  /** Turns a failed end into a better sentence (a wrong password, a missing stanza), else null. */
  explain?: (end: CommandEnd, outputTail: string) => string | null;
  /** Runs as the command starts; the function it returns runs (and is awaited) when it ended. */
  whileRunning?: () => () => void | Promise<void>;
};

/** Where a plan step's command runs: on a host for ssh steps and tool steps bound to one. */
export function runsRemotely(step: ExecutorContext['step']): boolean {
  if (step.kind === 'ssh') return true;
  if (step.kind === 'local' || step.kind === 'verify') return false;
  return step.where !== null && step.where !== THIS_MACHINE;
}

/** The plan's word for "run here". */
export const THIS_MACHINE = 'this machine';

/**
 * Refuse, just before a tool writes, a folder where a drill must not write (production, or a
 * place overlapping it), decided by where its bytes land now: here, or on the step's host.
 */
export async function confineWrite(ctx: ExecutorContext, folder: string): Promise<void> {
  const place: WritePlace = runsRemotely(ctx.step)
    ? {
        kind: 'host',
        backend: sshBackendFor(ctx.workspace, ctx.step.where ?? '').name,
        path: folder,
      }
    : { kind: 'folder', path: folder };
  assertConfined(ctx.workspace, place, ctx.mode, `"${ctx.step.title}"`);
  await assertConfinedOnHost(ctx.workspace, place, ctx.mode, `"${ctx.step.title}"`, ctx.ssh);
}

/** How a step's command runs: the ssh runner (null locally) and the host for cmd.start. */
export function commandHost(ctx: ExecutorContext) {
  const { step } = ctx;
  const runner = runsRemotely(step)
    ? sshStepRunner(sshBackendFor(ctx.workspace, step.where ?? ''), ctx.ssh)
    : null;
  return { runner, host: runner ? runner.where : 'localhost' };
}

/** Replace every secret (3+ characters) in a chunk of output with •••. */
function blank(bytes: Buffer, secrets: readonly string[]): Buffer {
  if (secrets.length === 0) return bytes;
  let text = bytes.toString('utf8');
  let changed = false;
  for (const secret of secrets) {
    if (secret.length >= 3 && text.includes(secret)) {
      text = text.split(secret).join('•••');
      changed = true;
    }
  }
  return changed ? Buffer.from(text, 'utf8') : bytes;
}

// Keep the end of the output for explain(): the tool's last words say why it failed.
const TAIL_BYTES = 8192;

/** Record cmd.start, then run argv locally or over SSH (resolves once started). */
export async function startCommand(
  ctx: ExecutorContext,
  argv: string[],
  options: CommandOptions = {},
): Promise<StepRun> {
  const { writer, step, cmd } = ctx;
  const { runner, host } = commandHost(ctx);
  await writer.append('cmd.start', { cmd, step: step.id, host, argv });
  const controller = new AbortController();
  const secrets = [...Object.values(options.env ?? {}), ...(options.secrets ?? [])];
  const sink = new OutputSink((stream, bytes) => writer.output(cmd, stream, bytes));
  let tail = '';
  // The process group goes into the log as soon as it exists: a resume after a crash checks it.
  let pidRecorded: Promise<unknown> = Promise.resolve();
  const onStarted = (pgid: number) => {
    const machine = runner ? runner.where : thisMachine();
    const started = runner ? null : localStartTime(pgid);
    pidRecorded = writer.append('cmd.pid', { cmd, machine, pgid, started }).catch(() => undefined);
  };
  const command: CommandRun = {
    onStarted,
    argv,
    cwd: step.cwd,
    timeoutMs: ctx.timeoutMs,
    signal: controller.signal,
    ...(options.env ? { env: options.env } : {}),
    onOutput: (stream, bytes) => {
      const shown = blank(bytes, secrets);
      tail = (tail + shown.toString('utf8')).slice(-TAIL_BYTES);
      options.onOutput?.(stream, shown);
      sink.push(stream, shown);
    },
  };
  const stopWatching = options.whileRunning?.();
  const finish = async (end: CommandEnd): Promise<string | null> => {
    await stopWatching?.();
    await pidRecorded;
    const dropped = await sink.close();
    if (dropped > 0)
      await writer.append('note', {
        step: step.id,
        text: `${dropped} bytes of output beyond the limit were not kept in the log.`,
      });
    const { exitCode, signal, durationMs } = end;
    await writer.append('cmd.end', { cmd, exitCode, signal, durationMs });
    if (end.error === null && exitCode === 0) return null;
    // A tool missing on this machine is a host's exit 127: the executor's sentence says what to install.
    const seen = end.error === null ? end : end.notFound ? { ...end, exitCode: 127 } : null;
    const explained = seen ? options.explain?.(seen, tail) : null;
    if (explained) return explained;
    const program = argv[0] ?? step.kind;
    return (
      end.error ??
      (signal ? `${program} was stopped by ${signal}` : `${program} exited with status ${exitCode}`)
    );
  };
  const ended = (runner ? runner.run(command) : runLocal(command)).then(finish);
  return { controller, ended };
}
