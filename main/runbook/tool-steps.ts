// Tool-aware restore steps bound to a recovery point: the argv is built here from the catalog's
// point and the workspace's source and target, never from free text in the runbook. The step runs
// where its target is (this machine for a folder, the host for a host target).
import type { PlanChoice, PlanStep, StepWork } from '../../preload/schemas/runbook';
import type { BackendConfig, SourceConfig, TargetConfig } from '../workspace/types';
import { bytesText } from '../../preload/schemas/progress-words';
import { chainOf, type BoundPoint, type BoundValues } from './params';

/** The fields of a runbook step that tool-aware kinds read. */
export type ToolStepSpec = {
  kind: string;
  point?: string;
  target?: string;
  on?: string;
  /** Paths inside the snapshot to restore (restic --include, borg paths); placeholders allowed. */
  paths?: string[];
  pgbackrest?: { recovery?: 'set' | 'time'; at?: string; delta?: boolean };
};

/** What the workspace adds to the bound values. */
export type ToolFacts = {
  targets: Map<string, TargetConfig>;
  sources: Map<string, SourceConfig>;
  backends: Map<string, BackendConfig>;
  selection?: PlanChoice['selection'];
};

/** The bound parts of a tool-aware step. */
export type BoundToolStep = Pick<
  PlanStep,
  'argv' | 'where' | 'cwd' | 'point' | 'source' | 'work' | 'problems'
>;

const THIS_MACHINE = 'this machine';
const TOOL_SOURCE: Record<string, SourceConfig['type']> = {
  'restic-restore': 'restic',
  'borg-extract': 'borg',
  'pgbackrest-restore': 'pgbackrest',
  'manifest-restore': 'manifest',
};

/** True for the kinds this file binds. */
export function isToolKind(kind: string): boolean {
  return kind in TOOL_SOURCE;
}

/** The pgBackRest time format for --target: "2026-11-25 02:14:00+00" (whole seconds, UTC). */
export function pgTime(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 19).replace('T', ' ')}+00`;
}

/** Where the step runs, decided by its target; `on:` must agree. Problems say why not. */
function placeOf(
  spec: ToolStepSpec,
  target: TargetConfig,
  on: string | null,
  facts: ToolFacts,
  problems: string[],
): string {
  const onBackend = on === null ? null : (facts.targets?.get(on)?.backend ?? on);
  if (target.kind === 'bucket') {
    problems.push(
      `${target.name} is a bucket; a ${spec.kind} step restores into a folder or a host.`,
    );
    return THIS_MACHINE;
  }
  if (target.kind === 'folder') {
    if (onBackend !== null)
      problems.push(
        `The step runs on ${on}, but its target ${target.name} is a folder on this machine: leave on: out, or choose a host target on ${on}.`,
      );
    return THIS_MACHINE;
  }
  if (onBackend !== null && onBackend !== target.backend)
    problems.push(
      `The step runs on ${on}, but its target ${target.name} is on ${target.backend ?? 'another host'}.`,
    );
  return target.name;
}

/** A repository the runner reaches by itself (a URL) can be used from any host. */
const REMOTE_REPOSITORY = /^(s3|sftp|rest|b2|azure|gs|swift|rclone|ssh):/;

function checkRepositoryPlace(
  source: SourceConfig,
  where: string,
  target: TargetConfig,
  facts: ToolFacts,
  problems: string[],
): void {
  if (source.type === 'manifest') return;
  const repository = 'repository' in source ? source.repository : null;
  if (repository && REMOTE_REPOSITORY.test(repository)) return;
  const backend = facts.backends.get(source.backend);
  const sourceHost = backend?.type === 'ssh' ? backend.name : null;
  const stepHost = where === THIS_MACHINE ? null : target.backend;
  if (sourceHost !== stepHost) {
    problems.push(
      `The ${source.type} repository of source ${source.name} is ${sourceHost ? `on ${sourceHost}` : 'on this machine'}, but the step runs ${stepHost ? `on ${stepHost}` : 'on this machine'} (where its target ${target.name} is): restore into a target on the repository's machine.`,
    );
  }
}

/** The selection of the Catalog file browser when it was made in this point. */
function selectedPaths(point: BoundPoint, facts: ToolFacts): string[] {
  const s = facts.selection;
  return s && s.source === point.source && s.pointId === point.id ? s.paths : [];
}

function pathsOf(
  spec: ToolStepSpec,
  point: BoundPoint,
  facts: ToolFacts,
  bind: (w: string) => string,
) {
  return [...(spec.paths ?? []).map(bind), ...selectedPaths(point, facts)];
}

function workOf(
  point: BoundPoint,
  files: number | null,
  bytes: number | null,
  what: string,
): StepWork {
  const chain = chainOf(point);
  const amounts = [
    files === null ? null : `${files} file${files === 1 ? '' : 's'}`,
    bytes === null || bytes === chain.bytes ? null : bytesText(bytes),
  ].filter((x): x is string => x !== null);
  const restores = amounts.length > 0 ? `; restores ${amounts.join(', ')}` : '';
  return { sets: chain.sets, files, bytes, summary: `${what}: ${chain.summary}${restores}` };
}

type Built = { argv: string[] | null; cwd: string | null; work: StepWork };

function restic(
  source: Extract<SourceConfig, { type: 'restic' }>,
  point: BoundPoint,
  target: string,
  paths: string[],
): Built {
  return {
    argv: [
      'restic',
      `--repo=${source.repository}`,
      'restore',
      point.id,
      `--target=${target}`,
      ...paths.map((p) => `--include=${p}`),
      '--json',
    ],
    cwd: null,
    work: workOf(
      point,
      null,
      paths.length > 0 ? null : point.sizeBytes,
      `snapshot ${point.id.slice(0, 8)}${paths.length ? `, ${paths.length} selected path${paths.length === 1 ? '' : 's'}` : ''}`,
    ),
  };
}

function borg(
  source: Extract<SourceConfig, { type: 'borg' }>,
  point: BoundPoint,
  target: string,
  paths: string[],
): Built {
  // borg stores paths without their leading slash, and extracts into the working folder.
  const inner = paths.map((p) => p.replace(/^\/+/, '')).filter((p) => p !== '');
  return {
    argv: [
      'borg',
      'extract',
      '--progress',
      '--log-json',
      '--',
      `${source.repository}::${point.id}`,
      ...inner,
    ],
    cwd: target,
    work: workOf(
      point,
      null,
      inner.length > 0 ? null : point.sizeBytes,
      `archive ${point.id}${inner.length ? `, ${inner.length} selected path${inner.length === 1 ? '' : 's'}` : ''}`,
    ),
  };
}

function pgbackrest(
  source: Extract<SourceConfig, { type: 'pgbackrest' }>,
  spec: ToolStepSpec,
  point: BoundPoint,
  target: TargetConfig,
  bind: (w: string) => string,
  problems: string[],
): Built {
  const options = spec.pgbackrest ?? {};
  const recovery = options.recovery ?? (point.kind === 'window' ? 'time' : 'set');
  const argv = [
    'pgbackrest',
    ...(source.config ? [`--config=${source.config}`] : []),
    `--stanza=${source.stanza}`,
    `--pg1-path=${target.path}`,
  ];
  if (recovery === 'set') {
    if (point.kind === 'window')
      problems.push(
        `${point.id} is a WAL window, not a backup set: use recovery: time with an instant inside it.`,
      );
    argv.push(`--set=${point.id}`, '--type=immediate', '--target-action=promote');
  } else {
    const at = options.at === undefined ? '' : bind(options.at);
    const time = Date.parse(at);
    const start = Date.parse(point.time);
    const end = point.endTime ? Date.parse(point.endTime) : start;
    if (!at || at.includes('{{')) {
      problems.push('A time recovery needs an instant: set pgbackrest.at to an instant parameter.');
    } else if (Number.isNaN(time)) {
      problems.push(`"${at.slice(0, 60)}" is not an instant.`);
    } else if (point.kind === 'window' ? time < start || time > end : time < start) {
      problems.push(
        point.kind === 'window'
          ? `${new Date(time).toISOString()} is outside the WAL window of ${point.id} (${point.time} to ${point.endTime ?? point.time}).`
          : `${new Date(time).toISOString()} is before backup ${point.id} ended (${point.time}).`,
      );
    }
    if (point.kind !== 'window') argv.push(`--set=${point.id}`);
    argv.push(
      '--type=time',
      `--target=${Number.isNaN(time) ? at : pgTime(at)}`,
      '--target-action=promote',
    );
  }
  if (options.delta === true) argv.push('--delta');
  // A sandbox copy must never archive WAL into the stanza of the database it was copied from.
  if (target.environment === 'sandbox') argv.push('--archive-mode=off');
  argv.push(
    '--log-level-console=detail',
    '--log-level-stderr=off',
    '--log-level-file=off',
    'restore',
  );
  const raw = point.raw as { info?: { size?: number } } | null;
  const size = typeof raw?.info?.size === 'number' ? raw.info.size : null;
  return {
    argv,
    cwd: null,
    work: workOf(point, null, size, point.kind === 'window' ? 'WAL window' : `backup ${point.id}`),
  };
}

function manifest(point: BoundPoint): Built {
  const counts = point.chain.map((l) => l.files);
  const files = counts.every((n): n is number => n !== null)
    ? counts.reduce((a, b) => a + b, 0)
    : null;
  return { argv: null, cwd: null, work: workOf(point, files, null, `set ${point.id}`) };
}

/** Bind a tool-aware step to its point and target; problems say why it cannot run as bound. */
export function bindToolStep(
  spec: ToolStepSpec,
  values: BoundValues,
  facts: ToolFacts,
  targetParam: string | undefined,
  bind: (word: string) => string,
): BoundToolStep {
  const problems: string[] = [];
  const none: BoundToolStep = {
    argv: null,
    where: null,
    cwd: null,
    point: spec.point ?? null,
    source: null,
    work: null,
    problems,
  };
  const point = spec.point ? values.points.get(spec.point) : undefined;
  const target = targetParam ? values.targets.get(targetParam) : undefined;
  if (!point) {
    problems.push(
      `No recovery point is bound to ${spec.point ?? 'the step'}: choose a cut whose points the catalog holds.`,
    );
    return none;
  }
  const source = facts.sources.get(point.source);
  const want = TOOL_SOURCE[spec.kind];
  if (!source || source.type !== want) {
    problems.push(
      `${point.source} is ${source ? `a ${source.type}` : 'not a'} source; a ${spec.kind} step restores ${want} points.`,
    );
    return { ...none, source: point.source };
  }
  if (point.missingParent)
    problems.push(
      `The chain of ${point.id} is broken: set ${point.missingParent} is not in the catalog.`,
    );
  if (!target) {
    problems.push('No target is bound: choose where to restore.');
    return { ...none, source: source.name };
  }
  const on = spec.on ? bind(spec.on) : null;
  const where = placeOf(spec, target, on, facts, problems);
  checkRepositoryPlace(source, where, target, facts, problems);
  const paths = pathsOf(spec, point, facts, bind);
  const built =
    source.type === 'restic'
      ? restic(source, point, target.path, paths)
      : source.type === 'borg'
        ? borg(source, point, target.path, paths)
        : source.type === 'pgbackrest'
          ? pgbackrest(source, spec, point, target, bind, problems)
          : { ...manifest(point), cwd: target.path };
  if (source.type === 'manifest' && where !== THIS_MACHINE)
    problems.push('A manifest-restore step copies into a folder on this machine.');
  return { ...built, where, point: spec.point ?? null, source: source.name, problems };
}
