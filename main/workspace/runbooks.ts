// The runbooks/ folder of a workspace: each file checked against the runbook schema and summarised.
import { lstat, readdir, readlink, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { notAFile } from './regular-file';
import type { WorkspaceProblem } from '../../preload/schemas/workspace';
import type { RunbookSummary } from './types';
import { schemaProblems } from './schema-errors';
import { validators } from './validators';
import { lineOf, problem, readYamlFile } from './yaml-file';
import type { YamlFile } from './yaml-file';

export type { RunbookSummary };

type RawStep = {
  id: string;
  kind: string;
  run?: string[];
  on?: string;
  cwd?: string;
  destructive?: boolean;
  target?: string;
  point?: string;
  paths?: string[];
  pgbackrest?: { at?: string };
  rollback?: RawStep[];
};
type RawRunbook = { title: string; params?: Record<string, { type: string }>; steps: RawStep[] };

/** Every step with its path in the file: the runbook's own, then each one's rollback steps. */
function allSteps(raw: RawRunbook): { step: RawStep; path: (string | number)[] }[] {
  return raw.steps.flatMap((step, index) => [
    { step, path: ['steps', index] },
    ...(step.rollback ?? []).map((r, i) => ({ step: r, path: ['steps', index, 'rollback', i] })),
  ]);
}

// {{name}} or {{name.field}}, with optional spaces inside the braces.
const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_-]*)(?:\.([A-Za-z]+))?\s*\}\}/g;

// Checks the schema cannot express: unique step ids, placeholders naming declared params, destructive targets.
function crossCheck(file: YamlFile): WorkspaceProblem[] {
  const raw = file.value as RawRunbook;
  const params = raw.params ?? {};
  const problems: WorkspaceProblem[] = [];
  const report = (path: (string | number)[], sentence: string): void => {
    problems.push(problem(file.label, lineOf(file, path), sentence));
  };
  const targetParams = Object.entries(params)
    .filter(([, p]) => p.type === 'target')
    .map(([name]) => name);
  const seen = new Set<string>();
  for (const { step, path: at } of allSteps(raw)) {
    const where = at.join('.').replace(/\.(\d+)/g, '[$1]');
    if (seen.has(step.id))
      report([...at, 'id'], `${where} reuses the id '${step.id}': every step needs its own id.`);
    seen.add(step.id);
    const texts: [(string | number)[], string][] = [
      ...(step.run ?? []).map((word, i): [(string | number)[], string] => [
        [...at, 'run', i],
        word,
      ]),
      ...(step.paths ?? []).map((word, i): [(string | number)[], string] => [
        [...at, 'paths', i],
        word,
      ]),
    ];
    if (step.on !== undefined) texts.push([[...at, 'on'], step.on]);
    if (step.cwd !== undefined) texts.push([[...at, 'cwd'], step.cwd]);
    if (step.pgbackrest?.at !== undefined)
      texts.push([[...at, 'pgbackrest', 'at'], step.pgbackrest.at]);
    if (step.point !== undefined && params[step.point]?.type !== 'recovery-point')
      report(
        [...at, 'point'],
        `step '${step.id}' restores '${step.point}', which is not a recovery-point parameter under params.`,
      );
    for (const [path, text] of texts) {
      for (const match of text.matchAll(PLACEHOLDER)) {
        const name = match[1] ?? '';
        if (!(name in params))
          report(
            path,
            `step '${step.id}' uses {{${name}}}, but the runbook declares no parameter '${name}' under params.`,
          );
      }
    }
    if (step.destructive === true) {
      const target = step.target ?? (targetParams.length === 1 ? targetParams[0] : undefined);
      if (target === undefined) {
        report(
          at,
          `step '${step.id}' is destructive but names no target to confirm: add 'target: <a target parameter>'.`,
        );
      } else if (params[target]?.type !== 'target') {
        report(
          [...at, 'target'],
          `step '${step.id}' confirms '${target}', which is not a target parameter.`,
        );
      }
    }
  }
  return problems;
}

/** Check one runbook file: schema, then cross-checks. Never throws. */
export async function loadRunbookFile(
  root: string,
  relative: string,
): Promise<{ summary: RunbookSummary; problems: WorkspaceProblem[]; file: YamlFile | null }> {
  const path = join(root, relative);
  const { file, problems } = await readYamlFile(path, relative);
  const summary: RunbookSummary = { file: relative, path, title: relative, steps: 0, valid: false };
  if (file.value === undefined) return { summary, problems, file: null };
  const validate = validators().runbook;
  if (!validate(file.value))
    return {
      summary,
      problems: [...problems, ...schemaProblems(file, validate.errors ?? [])],
      file: null,
    };
  const raw = file.value as RawRunbook;
  const checks = crossCheck(file);
  return {
    summary: { ...summary, title: raw.title, steps: raw.steps.length, valid: checks.length === 0 },
    problems: [...problems, ...checks],
    file,
  };
}

/**
 * Why an entry of runbooks/ that is not a plain file is not read (null: read it). A link is
 * followed only to a regular file inside the workspace; a FIFO, device, socket or folder is named.
 */
async function notARunbook(root: string, name: string): Promise<string | null> {
  const path = join(root, 'runbooks', name);
  const info = await lstat(path);
  if (!info.isSymbolicLink()) {
    return `it is ${notAFile(info) ?? 'not a regular file'}, not a runbook file: Dapple reads only regular files.`;
  }
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    return `it is a link to ${await readlink(path).catch(() => '?')}, which does not exist.`;
  }
  const inside = relative(await realpath(root), real);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    return `it is a link to ${real}, outside the workspace: Dapple never follows a link out of the workspace. Copy the runbook into runbooks/ so it is reviewed with the workspace.`;
  }
  const kind = notAFile(await stat(real));
  return kind === null
    ? null
    : `it is a link to ${kind}, not a runbook file: Dapple reads only regular files.`;
}

/** Load every *.yaml / *.yml in the workspace's runbooks/ folder (absent folder: none, no problem). */
export async function loadRunbooks(
  root: string,
): Promise<{ runbooks: RunbookSummary[]; problems: WorkspaceProblem[]; files: YamlFile[] }> {
  let names: string[];
  const refused: WorkspaceProblem[] = [];
  try {
    const entries = await readdir(join(root, 'runbooks'), { withFileTypes: true });
    names = [];
    for (const entry of entries.filter((e) => /\.ya?ml$/i.test(e.name))) {
      const why = entry.isFile() ? null : await notARunbook(root, entry.name);
      if (why === null) names.push(entry.name);
      else refused.push(problem(`runbooks/${entry.name}`, null, why));
    }
  } catch {
    return { runbooks: [], problems: [], files: [] };
  }
  const loaded = await Promise.all(
    names.sort().map((name) => loadRunbookFile(root, `runbooks/${name}`)),
  );
  return {
    runbooks: loaded.map((l) => l.summary),
    problems: [...refused, ...loaded.flatMap((l) => l.problems)],
    // The schema-valid files, for the checks against dapple.yaml (runbook-refs.ts).
    files: loaded.flatMap((l) => (l.file ? [l.file] : [])),
  };
}
