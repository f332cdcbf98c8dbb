// One command of a step: its start recorded, its output streamed into the log in bounded chunks,
// and its end recorded with what went wrong as a sentence. The session decides what that means
// for the step.
import type { RunbookPlan } from '../../preload/schemas/runbook';
import type { SshOptions } from '../catalog/backends/ssh';
import type { AuditWriter } from '../audit/writer';
import type { Workspace } from '../workspace/types';
import { OutputSink } from './output-sink';
import { runLocal, type CommandEnd } from './run-local';
import { sshBackendFor, sshStepRunner } from './run-ssh';

type PlanStep = RunbookPlan['steps'][number];

/** A started command: abort it with the controller; `ended` gives null on success, else why not. */
export type StepCommand = { controller: AbortController; ended: Promise<string | null> };

/** Record cmd.start, then run the step's argv locally or over SSH (resolves once started). */
export async function startStepCommand(options: {
  writer: AuditWriter;
  workspace: Workspace;
  ssh: SshOptions;
  step: PlanStep;
  argv: string[];
  cmd: string;
  timeoutMs: number | null;
}): Promise<StepCommand> {
  const { writer, step, argv, cmd } = options;
  const runner =
    step.kind === 'ssh'
      ? sshStepRunner(sshBackendFor(options.workspace, step.where ?? ''), options.ssh)
      : null;
  const host = runner ? runner.where : 'localhost';
  await writer.append('cmd.start', { cmd, step: step.id, host, argv });
  const controller = new AbortController();
  const sink = new OutputSink((stream, bytes) => writer.output(cmd, stream, bytes));
  const command = {
    argv,
    cwd: step.cwd,
    timeoutMs: options.timeoutMs,
    signal: controller.signal,
    onOutput: (stream: 'stdout' | 'stderr', bytes: Buffer) => sink.push(stream, bytes),
  };
  const finish = async (end: CommandEnd): Promise<string | null> => {
    const dropped = await sink.close();
    if (dropped > 0)
      await writer.append('note', {
        step: step.id,
        text: `${dropped} bytes of output beyond the limit were not kept in the log.`,
      });
    const { exitCode, signal, durationMs } = end;
    await writer.append('cmd.end', { cmd, exitCode, signal, durationMs });
    if (end.error === null && exitCode === 0) return null;
    const program = argv[0] ?? step.kind;
    return (
      end.error ??
      (signal ? `${program} was stopped by ${signal}` : `${program} exited with status ${exitCode}`)
    );
  };
  const ended = (runner ? runner.run(command) : runLocal(command)).then(finish);
  return { controller, ended };
}
