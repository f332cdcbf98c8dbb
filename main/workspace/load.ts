// Loading a workspace folder: dapple.yaml, runbooks/ and keys/trusted.json. Problems are reported, never thrown.
import { access, stat } from 'node:fs/promises';
import { readRegularFile } from './regular-file';
import { basename, join, relative, resolve, sep } from 'node:path';
import type { WorkspaceProblem, WorkspaceView } from '../../preload/schemas/workspace';
import { buildWorkspace } from './build';
import { runbookReferenceProblems, trustedNames } from './runbook-refs';
import { loadRunbooks } from './runbooks';
import { schemaProblems } from './schema-errors';
import { targetOverlaps } from './targets-overlap';
import type { BackendConfig, RunbookSummary, TargetConfig, Workspace } from './types';
import { validators } from './validators';
import { lineOf, problem, readYamlFile } from './yaml-file';
import type { YamlFile } from './yaml-file';

/** The workspace file every workspace folder holds. */
export const WORKSPACE_FILE = 'dapple.yaml';
/** The trusted signers of audit logs, relative to the workspace. */
export const TRUSTED_KEYS_FILE = 'keys/trusted.json';

/** What loading a workspace found: the workspace (null when dapple.yaml is unusable) and every problem. */
export type LoadResult = {
  /** Absolute workspace folder. */
  root: string;
  workspace: Workspace | null;
  problems: WorkspaceProblem[];
  runbooks: RunbookSummary[];
  /** Absolute path of keys/trusted.json, or null when the workspace has none. */
  trustedKeys: string | null;
};

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function checkTrustedKeys(
  root: string,
): Promise<{ path: string | null; problems: WorkspaceProblem[]; json: unknown }> {
  const path = join(root, TRUSTED_KEYS_FILE);
  let text: string;
  try {
    const read = await readRegularFile(path, 2 * 1024 * 1024);
    if ('refused' in read) {
      return {
        path: null,
        problems: [problem(TRUSTED_KEYS_FILE, null, `${read.refused}.`)],
        json: null,
      };
    }
    text = read.text;
  } catch {
    const sentence = `there is no list of trusted keys, so audit logs of this workspace cannot be checked against it. Add your public key there (dapple can export it).`;
    return {
      path: null,
      problems: [problem(TRUSTED_KEYS_FILE, null, sentence, 'warning')],
      json: null,
    };
  }
  try {
    return { path, problems: [], json: JSON.parse(text) as unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      path,
      problems: [problem(TRUSTED_KEYS_FILE, null, `the file is not valid JSON (${reason}).`)],
      json: null,
    };
  }
}

// A group's runbook must be a file inside the workspace.
async function checkGroupRunbooks(
  root: string,
  workspace: Workspace,
  file: YamlFile,
): Promise<WorkspaceProblem[]> {
  const problems: WorkspaceProblem[] = [];
  for (const group of workspace.groups.values()) {
    if (group.runbook === null) continue;
    const where = lineOf(file, ['groups', group.name, 'runbook']);
    const full = resolve(root, group.runbook);
    const inside = relative(root, full);
    if (inside.startsWith('..') || inside === '' || resolve(root, inside) !== full) {
      problems.push(
        problem(
          file.label,
          where,
          `groups.${group.name}.runbook '${group.runbook}' is outside the workspace: keep runbooks under runbooks/.`,
        ),
      );
    } else if (!(await exists(full))) {
      problems.push(
        problem(
          file.label,
          where,
          `groups.${group.name}.runbook '${group.runbook}' does not exist in the workspace: check the file name under runbooks/.`,
        ),
      );
    }
  }
  return problems;
}

// Services nobody backs up deserve a word: their lanes would stay empty.
function unprotectedServices(workspace: Workspace, file: YamlFile): WorkspaceProblem[] {
  const covered = new Set<string>();
  let open = false;
  for (const source of workspace.sources.values()) {
    if (source.service === null) open = true;
    else covered.add(source.service);
  }
  if (open) return [];
  return [...workspace.services.keys()]
    .filter((name) => !covered.has(name))
    .map((name) =>
      problem(
        file.label,
        lineOf(file, ['services', name], 'key'),
        `services.${name} has no source, so no backups of it will be found: add a source with service: ${name}.`,
        'warning',
      ),
    );
}

async function missingWorkspace(root: string): Promise<WorkspaceProblem> {
  try {
    const info = await stat(root);
    if (!info.isDirectory())
      return problem(
        root,
        null,
        'this is a file, not a workspace folder: open the folder that holds dapple.yaml.',
      );
    return problem(
      WORKSPACE_FILE,
      null,
      `there is no ${WORKSPACE_FILE} in ${root}: create one (see docs/workspace.md) or open the demo workspace.`,
    );
  } catch {
    return problem(
      root,
      null,
      'the workspace folder does not exist: check the path, or open the demo workspace.',
    );
  }
}

/** Load and check a workspace folder. Never throws: everything wrong is in `problems`. */
export async function loadWorkspace(dir: string): Promise<LoadResult> {
  const root = resolve(dir);
  const empty: LoadResult = {
    root,
    workspace: null,
    problems: [],
    runbooks: [],
    trustedKeys: null,
  };
  const path = join(root, WORKSPACE_FILE);
  if (!(await exists(path))) return { ...empty, problems: [await missingWorkspace(root)] };

  const [{ file, problems: parseProblems }, runbooks, keys] = await Promise.all([
    readYamlFile(path, WORKSPACE_FILE),
    loadRunbooks(root),
    checkTrustedKeys(root),
  ]);
  const result: LoadResult = { ...empty, runbooks: runbooks.runbooks, trustedKeys: keys.path };
  const rest = [...runbooks.problems, ...keys.problems];
  if (file.value === undefined) return { ...result, problems: [...parseProblems, ...rest] };
  if (file.value === null) {
    const sentence = `the file is empty: start it with 'name:' and 'backends:' (see docs/workspace.md).`;
    return {
      ...result,
      problems: [...parseProblems, problem(WORKSPACE_FILE, 1, sentence), ...rest],
    };
  }
  const validate = validators().workspace;
  if (!validate(file.value)) {
    return {
      ...result,
      problems: [...parseProblems, ...schemaProblems(file, validate.errors ?? []), ...rest],
    };
  }
  const built = buildWorkspace(root, file);
  const checks = [
    ...built.problems,
    ...(await checkGroupRunbooks(root, built.workspace, file)),
    ...unprotectedServices(built.workspace, file),
    ...targetOverlaps(built.workspace).map((o) =>
      problem(file.label, lineOf(file, ['targets', o.target, 'path']), o.message),
    ),
  ];
  const trusted = trustedNames(keys.json);
  const references = runbooks.files.flatMap((f) =>
    runbookReferenceProblems(f, built.workspace, trusted),
  );
  checks.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const workspace: Workspace = {
    ...built.workspace,
    runbooks: runbooks.runbooks,
    trustedKeys: keys.path,
  };
  return {
    ...result,
    workspace,
    problems: [...parseProblems, ...checks, ...runbooks.problems, ...references, ...keys.problems],
  };
}

/** A short human location of a backend: a folder, user@host:port, or endpoint (region). */
export function backendLocation(backend: BackendConfig): string {
  if (backend.type === 'local') return backend.path;
  if (backend.type === 'ssh')
    return `${backend.user ? `${backend.user}@` : ''}${backend.host}${backend.port ? `:${backend.port}` : ''}`;
  const endpoint = backend.endpoint ?? 'AWS S3';
  return backend.region ? `${endpoint} (${backend.region})` : endpoint;
}

/** Where a target writes, in words: a folder, host:folder or s3://bucket. */
export function targetLocation(target: TargetConfig, workspace: Workspace): string {
  const backend = target.backend === null ? undefined : workspace.backends.get(target.backend);
  if (target.kind === 'bucket')
    return `s3://${target.path}${backend?.type === 's3' && backend.endpoint ? ` at ${backend.endpoint}` : ''}`;
  if (target.kind === 'host' && backend) return `${backendLocation(backend)}:${target.path}`;
  return target.path;
}

/** The service shown for a manifest source whose manifests name their own services. */
export const PER_MANIFEST_SERVICE = '(named in each manifest)';

/** What the renderer sees of a load: names, settings and problems, never secrets. */
export function toWorkspaceView(result: LoadResult): WorkspaceView {
  const ws = result.workspace;
  const root = result.root;
  const runbooks = result.runbooks.map((r) => ({ file: r.file, title: r.title, steps: r.steps }));
  const base = { path: root, problems: result.problems, runbooks };
  if (!ws) {
    const name = basename(root) || root.split(sep).join('/');
    return { ...base, name, backends: [], sources: [], services: [], groups: [], targets: [] };
  }
  return {
    ...base,
    name: ws.name,
    backends: [...ws.backends.values()].map((b) => ({
      name: b.name,
      type: b.type,
      location: backendLocation(b),
      tags: b.tags,
    })),
    sources: [...ws.sources.values()].map((s) => ({
      name: s.name,
      type: s.type,
      backend: s.backend,
      service: s.service ?? PER_MANIFEST_SERVICE,
    })),
    services: [...ws.services.values()].map((s) => ({
      name: s.name,
      owner: s.owner,
      rpoSeconds: s.rpoSeconds,
      rtoSeconds: s.rtoSeconds,
    })),
    groups: [...ws.groups.values()].map((g) => ({
      name: g.name,
      members: g.members,
      toleranceSeconds: g.toleranceSeconds,
      order: g.order,
      runbook: g.runbook,
    })),
    targets: [...ws.targets.values()].map((t) => ({
      name: t.name,
      kind: t.kind,
      environment: t.environment,
      location: targetLocation(t, ws),
    })),
  };
}
