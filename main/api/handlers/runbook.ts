// runbook.* calls: a runbook bound to a cut, exactly as it would run, before anything runs.
import path from 'node:path';
import { UserError } from '../../ground/errors';
import type { AppContext } from '../context';
import type { Cut } from '../../../preload/schemas/groups';
import { localSetPath } from '../../catalog/sources/manifest';
import { planRunbook, type RunbookFile } from '../../runbook/plan';
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

/** The local folders of the cut's manifest sets (what {{param.path}} binds to), keyed by point id. */
async function setFolders(ctx: AppContext, cut: Cut | null): Promise<Map<string, string>> {
  const folders = new Map<string, string>();
  const workspace = ctx.workspace;
  if (!cut || !workspace) return folders;
  for (const member of cut.members) {
    if (!member.pointId) continue;
    // The raw record (with the manifest's file) stays on disk until a point is opened.
    const point = await catalogService(ctx)
      .point(workspace, member.source, member.pointId)
      .catch(() => null);
    const folder = point ? localSetPath(workspace, point) : null;
    if (folder) folders.set(member.pointId, folder);
  }
  return folders;
}

export const runbookHandlers: HandlersFor<'runbook'> = {
  'runbook.plan': async (request, ctx) => {
    const runbook = await readRunbook(ctx, request.file);
    const folders = await setFolders(ctx, request.cut);
    return planRunbook(request.file, runbook, {
      cut: request.cut,
      targets: ctx.workspace?.targets ?? new Map(),
      backends: ctx.workspace?.backends ?? new Map(),
      sources: ctx.workspace?.sources ?? new Map(),
      pointPath: (_service, pointId) => folders.get(pointId) ?? null,
      rtoSeconds: parseDuration,
    });
  },
};
