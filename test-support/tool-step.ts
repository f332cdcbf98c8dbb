// One tool-aware restore step, planned by the real binder (runbook → plan, the file browser's
// selection included) and run through its real executor as a session runs it: step.start, the
// progress recorder, the command, step.end with the executor's sentence, a signed log that must
// verify VALID, and the session state the console shows folded from that log.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Cut } from '../preload/schemas/groups';
import type { PlanChoice, PlanStep, RunbookPlan } from '../preload/schemas/runbook';
import type { SessionMode } from '../preload/schemas/session';
import { replaySession } from '../main/audit/reducer';
import { person, testOpen, trustOf } from '../main/audit/test-helpers';
import { verifyLogDetailed } from '../main/audit/verify';
import { createLog } from '../main/audit/writer';
import type { SshOptions } from '../main/catalog/backends/ssh';
import { UserError } from '../main/ground/errors';
import { executorOf } from '../main/restore/executors/index';
import { ProgressRecorder } from '../main/restore/executors/progress';
import type { BoundPoint } from '../main/runbook/params';
import { planRunbook, type RunbookFile } from '../main/runbook/plan';
import type { BackendConfig, SourceConfig, TargetConfig, Workspace } from '../main/workspace/types';

/** The parts of dapple.yaml a tool step reads. */
export type ToolWorld = {
  backends: BackendConfig[];
  sources: SourceConfig[];
  targets: TargetConfig[];
};

const byName = <T extends { name: string }>(items: T[]) =>
  new Map(items.map((i) => [i.name, i] as const));

/** The workspace of a world, rooted at `root`. */
export function workspaceOf(world: ToolWorld, root: string): Workspace {
  return {
    root,
    name: 'tool-steps',
    backends: byName(world.backends),
    sources: byName(world.sources),
    services: new Map(),
    groups: new Map(),
    targets: byName(world.targets),
  };
}

/** A catalog point of a snapshot/archive (what the catalog's restic/borg source lists). */
export function pointOf(source: string, id: string, time: string): BoundPoint {
  return {
    id,
    source,
    service: source,
    time,
    endTime: null,
    kind: 'snapshot',
    sizeBytes: null,
    path: null,
    chain: [{ id, kind: 'snapshot', time, sizeBytes: null, files: null, path: null }],
    missingParent: null,
    raw: {},
  } as BoundPoint;
}

/** Plan a one-step runbook `{kind, point, target}` with the file browser's selection. */
export function planToolStep(
  world: ToolWorld,
  kind: 'restic-restore' | 'borg-extract',
  point: BoundPoint,
  target: string,
  selection: string[],
): RunbookPlan {
  const runbook: RunbookFile = {
    title: 'Restore chosen files',
    params: {
      point: { type: 'recovery-point', service: point.service },
      target: { type: 'target', default: target },
    },
    steps: [{ id: 'restore', kind, title: 'Restore the chosen files', point: 'point' }],
  };
  const cut: Cut = {
    group: 'g',
    time: point.time,
    skewSeconds: 0,
    toleranceSeconds: 60,
    consistent: true,
    reason: 'one member',
    snapshotId: null,
    members: [
      {
        service: point.service,
        source: point.source,
        pointId: point.id,
        windowId: null,
        time: point.time,
        lagSeconds: 0,
      },
    ],
  };
  const choice: PlanChoice = {
    selection: { source: point.source, pointId: point.id, paths: selection },
  };
  return planRunbook('runbooks/chosen.yaml', runbook, {
    cut,
    targets: byName(world.targets),
    sources: byName(world.sources),
    backends: byName(world.backends),
    pointPath: () => null,
    point: () => point,
    rtoSeconds: () => null,
    choice,
  });
}

/** What the operator sees of the step afterwards, and the log it left. */
export type StepRan = {
  step: RunbookPlan['steps'][number];
  state: ReturnType<typeof replaySession>;
  /** The folded step: state, error, latest progress. */
  view: ReturnType<typeof replaySession>['steps'][number] | undefined;
  command: ReturnType<typeof replaySession>['commands'][number] | undefined;
  /** Every progress record's data, in order. */
  progress: Record<string, unknown>[];
  notes: string[];
  /** The command's output as text (both streams, in order). */
  output: string;
  /** The whole log file. */
  logText: string;
};

/** Run step `id` of the plan through its executor, as a session's launch does. */
export async function runPlanStep(
  plan: RunbookPlan,
  workspace: Workspace,
  options: { dir: string; mode: SessionMode; ssh?: SshOptions },
): Promise<StepRan> {
  const step = plan.steps[0] as PlanStep;
  if (step.problems.length > 0)
    throw new Error(`the plan has problems: ${step.problems.join(' ')}`);
  const file = join(options.dir, 'session.jsonl');
  const operator = person('Olivia');
  const open = {
    ...testOpen,
    mode: options.mode,
    runbook: {
      ...testOpen.runbook,
      steps: [{ id: step.id, title: step.title, kind: step.kind }],
    },
  };
  const writer = await createLog({ file, signer: operator.signer, checkpoint: null }, open);
  await writer.append('step.start', { step: step.id, attempt: 1 });
  const recorder = new ProgressRecorder(writer, step.id);
  let error: string | null;
  try {
    const run = await executorOf(step)?.start({
      writer,
      workspace,
      ssh: options.ssh ?? {},
      step,
      plan,
      points: () => Promise.resolve(null),
      mode: options.mode,
      cmd: 'c1',
      timeoutMs: 10 * 60_000,
      progress: recorder.report,
    });
    if (!run) throw new Error(`no executor for ${step.kind}`);
    error = await run.ended;
  } catch (e) {
    // The session's words for an executor that cannot start.
    error = e instanceof UserError ? `${e.message} ${e.hint}`.trim() : String(e);
  }
  await recorder.close();
  await writer.append('step.end', {
    step: step.id,
    attempt: 1,
    state: error === null ? 'done' : 'failed',
    error,
  });
  await writer.seal(error === null ? 'completed' : 'failed');
  const { report, records } = await verifyLogDetailed(file, { trusted: trustOf(operator) });
  if (report.verdict !== 'VALID') throw new Error(`the step's log is ${report.verdict}`);
  const state = replaySession(records);
  const command = state.commands.find((c) => c.step === step.id);
  return {
    step,
    state,
    view: state.steps.find((s) => s.id === step.id),
    command,
    progress: records
      .filter((r) => r.payload.type === 'progress')
      .map((r) => r.payload.data as Record<string, unknown>),
    notes: state.notes.map((n) => n.text),
    output: (command?.output ?? []).map((o) => o.text ?? '').join(''),
    logText: readFileSync(file, 'utf8'),
  };
}
