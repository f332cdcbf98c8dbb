// After a crash, a command the log shows started may still run: its process group (cmd.pid) is
// checked here or on its ssh host. A live one is watched until it ends, or stopped on cancel, so
// Retry can never start a second copy next to it.
import type { CommandView } from '../../preload/schemas/audit';
import type { PlanStep } from '../../preload/schemas/runbook';
import type { SshOptions } from '../catalog/backends/ssh';
import type { Workspace } from '../workspace/types';
import {
  localGroupRuns,
  remoteGroupRuns,
  signalLocalGroup,
  signalRemoteGroup,
  thisMachine,
  type ProcessRef,
} from './process-group';
import { sshBackendFor } from './run-ssh';

/** How to look at and stop one command's group; null when Dapple cannot reach where it runs. */
type GroupHandle = { runs: () => Promise<boolean>; stop: (hard: boolean) => Promise<void> };

/** What the resume learned about a command left open by a crash. */
export type LeftCommand =
  | { runs: true; ref: ProcessRef; handle: GroupHandle }
  | { runs: false; ref: ProcessRef | null; why: string | null };

// How often a watched group is looked at (it is not our child: no exit event reaches us).
const POLL_MS = 500;
const STOP_GRACE_MS = 3000;

function handleFor(
  cmd: CommandView,
  step: PlanStep | undefined,
  workspace: Workspace,
  ssh: SshOptions,
): GroupHandle | string {
  const ref = cmd.process as ProcessRef;
  if (ref.machine === thisMachine() && cmd.host === 'localhost') {
    return {
      runs: async () => localGroupRuns(ref),
      stop: async (hard) => void signalLocalGroup(ref.pgid, hard ? 'SIGKILL' : 'SIGTERM'),
    };
  }
  if (cmd.host !== 'localhost' && step?.where) {
    const config = sshBackendFor(workspace, step.where);
    return {
      runs: () => remoteGroupRuns(config, ref, ssh),
      stop: (hard) => signalRemoteGroup(config, ref.pgid, hard ? 'KILL' : 'TERM', ssh),
    };
  }
  return `it ran on ${ref.machine}, not on this machine (${thisMachine()})`;
}

/** Whether an open command still runs, asked where it runs. */
export async function leftCommand(
  cmd: CommandView,
  step: PlanStep | undefined,
  workspace: Workspace,
  ssh: SshOptions,
): Promise<LeftCommand> {
  if (!cmd.process) return { runs: false, ref: null, why: 'its process group was not recorded' };
  const ref = cmd.process;
  let handle: GroupHandle | string;
  try {
    handle = handleFor(cmd, step, workspace, ssh);
  } catch (error) {
    handle = error instanceof Error ? error.message : String(error);
  }
  if (typeof handle === 'string') return { runs: false, ref, why: handle };
  try {
    return (await handle.runs()) ? { runs: true, ref, handle } : { runs: false, ref, why: null };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return { runs: false, ref, why: `Dapple could not ask ${ref.machine}: ${text}` };
  }
}

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((done) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), done()), { once: true });
  });

/** Watch a live group until it ends; abort stops it (TERM, then KILL after a grace). */
export function watchGroup(
  program: string,
  handle: GroupHandle,
): { controller: AbortController; ended: Promise<string> } {
  const controller = new AbortController();
  const ended = (async () => {
    let stoppedAt: number | null = null;
    for (;;) {
      if (controller.signal.aborted && stoppedAt === null) {
        stoppedAt = Date.now();
        await handle.stop(false).catch(() => undefined);
      } else if (stoppedAt !== null && Date.now() - stoppedAt > STOP_GRACE_MS) {
        await handle.stop(true).catch(() => undefined);
      }
      if (!(await handle.runs().catch(() => false))) break;
      await pause(stoppedAt === null ? POLL_MS : 100, controller.signal);
    }
    return stoppedAt !== null
      ? `${program} was stopped after the resume: it had run on since before Dapple stopped.`
      : `${program} finished while Dapple was not watching, so its exit status is unknown: check the target, then run it again or skip it with a reason.`;
  })();
  return { controller, ended };
}
