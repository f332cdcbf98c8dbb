// runbook.* calls: a runbook bound to a cut, exactly as it would run, before anything runs.
import path from 'node:path';
import { UserError } from '../errors';
import type { AppContext } from '../context';
import { planRunbook, type RunbookFile } from '../../runbook/plan';
import { parseDuration } from '../../workspace/duration';
import { validators } from '../../workspace/validators';
import { readYamlFile } from '../../workspace/yaml-file';
import type { HandlersFor } from './types';

/** Read a workspace runbook that passed its schema; anything else is a sentence. */
async function readRunbook(ctx: AppContext, file: string): Promise<RunbookFile> {
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

export const runbookHandlers: HandlersFor<'runbook'> = {
  'runbook.plan': async (request, ctx) => {
    const runbook = await readRunbook(ctx, request.file);
    return planRunbook(request.file, runbook, {
      cut: request.cut,
      targets: ctx.workspace?.targets ?? new Map(),
      pointPath: () => null,
      rtoSeconds: parseDuration,
    });
  },
};
