// runbook.* calls: a runbook bound to a cut, exactly as it would run, before anything runs.
import path from 'node:path';
import { UserError } from '../../ground/errors';
import type { AppContext } from '../context';
import type { RecoveryPoint } from '../../../preload/schemas/catalog';
import type { Cut, CutMember } from '../../../preload/schemas/groups';
import type { PlanChoice, RunbookPlan, S3Operation } from '../../../preload/schemas/runbook';
import { localSetPath, type ManifestRaw } from '../../catalog/sources/manifest';
import type { BoundPoint, ChainLink } from '../../runbook/params';
import { planRunbook, type RunbookFile } from '../../runbook/plan';
import { previewRadius } from '../../restore/s3/preview';
import { targetLocation } from '../../workspace/load';
import type { TargetConfig, Workspace } from '../../workspace/types';
import { catalogService } from './catalog';
import { parseDuration } from '../../workspace/duration';
import { validators } from '../../workspace/validators';
import { readYamlFile } from '../../workspace/yaml-file';
import type { HandlersFor } from './types';

/** Read a workspace runbook that passed its schema; anything else is a sentence. */
export async function readRunbook(ctx: AppContext, file: string): Promise<RunbookFile> {
  const current = ctx.current;
  if (!current)
    throw new UserError('NO_WORKSPACE', 'No workspace is open.', 'Open a workspace first.');
  const known = current.runbooks.find((r) => r.file === file);
  if (!known) {
    throw new UserError(
      'NO_RUNBOOK',
      `The workspace has no runbook ${file.slice(0, 200)}.`,
      'Pick one of the runbooks listed in the Restore section.',
    );
  }
  const absolute = path.join(current.root, known.file);
  const { file: yaml, problems } = await readYamlFile(absolute, known.file);
  const validate = validators().runbook;
  if (yaml.value === undefined || !validate(yaml.value)) {
    const first = problems[0]?.message ?? `${known.file} does not match the runbook schema`;
    throw new UserError(
      'BAD_RUNBOOK',
      first,
      'Fix the runbook (the Health section lists its problems) and reload the workspace.',
    );
  }
  return yaml.value as RunbookFile;
}

// A chain longer than this is a catalog problem, not a restore plan.
const MAX_CHAIN = 1000;

/** What the catalog knows of one cut member's point: its chain (oldest first) and folders. */
async function boundPoint(
  ctx: AppContext,
  workspace: Workspace,
  member: CutMember,
): Promise<BoundPoint | null> {
  const id = member.pointId ?? member.windowId;
  if (!id) return null;
  const service = catalogService(ctx);
  const point = await service.point(workspace, member.source, id).catch(() => null);
  if (!point) return null;
  const link = (p: RecoveryPoint): ChainLink => {
    const files = (p.raw as Partial<ManifestRaw> | null)?.manifest?.files;
    return {
      id: p.id,
      kind: p.kind,
      time: p.time,
      sizeBytes: p.sizeBytes,
      files: Array.isArray(files) ? files.length : null,
      path: localSetPath(workspace, p),
    };
  };
  const chain = [link(point)];
  let missingParent: string | null = null;
  for (let parent = point.parent; parent !== null && chain.length < MAX_CHAIN;) {
    const found = await service.point(workspace, member.source, parent).catch(() => null);
    if (!found) {
      missingParent = parent;
      break;
    }
    chain.unshift(link(found));
    parent = found.parent;
  }
  return {
    id: point.id,
    source: point.source,
    service: point.service,
    time: point.time,
    endTime: point.endTime,
    kind: point.kind,
    sizeBytes: point.sizeBytes,
    path: localSetPath(workspace, point),
    chain,
    missingParent,
    raw: point.raw,
  };
}

const memberKey = (m: CutMember) => `${m.source}\u0000${m.pointId ?? m.windowId ?? ''}`;

/** Bind a workspace runbook to a cut and the engineer's choice (target, values, selection). */
export async function planFor(
  ctx: AppContext,
  file: string,
  cut: Cut | null,
  choice: PlanChoice = {},
): Promise<RunbookPlan> {
  const runbook = await readRunbook(ctx, file);
  const workspace = ctx.workspace;
  const points = new Map<string, BoundPoint>();
  for (const member of workspace ? (cut?.members ?? []) : []) {
    const found = await boundPoint(ctx, workspace as Workspace, member);
    if (found) points.set(memberKey(member), found);
  }
  return planRunbook(file, runbook, {
    cut,
    targets: workspace?.targets ?? new Map(),
    sources: workspace?.sources ?? new Map(),
    backends: workspace?.backends ?? new Map(),
    pointPath: () => null,
    point: (member) => points.get(memberKey(member)) ?? null,
    ...(workspace ? { location: (t: TargetConfig) => targetLocation(t, workspace) } : {}),
    rtoSeconds: parseDuration,
    choice,
  });
}

/** The S3 operation of a bound step, or a sentence when the step has none. */
export function s3StepOf(steps: RunbookPlan['steps'], id: string): S3Operation {
  const step = steps.find((s) => s.id === id);
  if (!step?.s3) {
    throw new UserError(
      'NOT_S3',
      step
        ? `"${step.title}" is not an S3 step: it has no blast radius.`
        : `The runbook has no step ${id.slice(0, 100)}.`,
      'Ask for the blast radius of an s3 step.',
    );
  }
  return step.s3;
}

export const runbookHandlers: HandlersFor<'runbook'> = {
  'runbook.plan': async ({ file, cut, ...choice }, ctx) => planFor(ctx, file, cut, choice),
  'runbook.blastRadius': async ({ file, cut, step, ...choice }, ctx) => {
    const plan = await planFor(ctx, file, cut, choice);
    const workspace = ctx.workspace;
    if (!workspace)
      throw new UserError('NO_WORKSPACE', 'No workspace is open.', 'Open a workspace first.');
    return previewRadius(workspace, s3StepOf([...plan.steps, ...plan.rollback], step));
  },
};
