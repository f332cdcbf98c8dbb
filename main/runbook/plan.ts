// Binds a runbook's parameters to a chosen cut, target and values, producing the exact argv of
// every step. Values are substituted inside argv words only (a list such as {{p.chain}} becomes
// one word per item): nothing is ever pasted into a shell string.
import type { Cut, CutMember } from '../../preload/schemas/groups';
import type { PlanChoice, PlanStep, RunbookPlan } from '../../preload/schemas/runbook';
import type { BackendConfig, SourceConfig, TargetConfig } from '../workspace/types';
import { bindParams, type BoundPoint, type BoundValues, type ParamSpec } from './params';
import { bindS3, overlappingTargets, writePlace, type S3Spec } from './s3-bind';
import { bindToolStep, isToolKind, type ToolStepSpec } from './tool-steps';

/** One runbook step as validated by its schema (the fields the plan reads). */
export type RunbookStep = {
  id: string;
  kind: PlanStep['kind'];
  title: string;
  description?: string;
  checklist?: string[];
  destructive?: boolean;
  target?: string;
  run?: string[];
  on?: string;
  cwd?: string;
  s3?: S3Spec;
} & Omit<ToolStepSpec, 'kind' | 'target' | 'on'>;

/** The runbook file as validated by its schema (the fields the plan reads). */
export type RunbookFile = {
  title: string;
  description?: string;
  rto?: string;
  params?: Record<string, ParamSpec>;
  steps: (RunbookStep & { rollback?: RunbookStep[] })[];
};

/** Facts a binding can use: the cut's points (with their chains, when known) and the workspace. */
export type BindingFacts = {
  cut: Cut | null;
  targets: Map<string, TargetConfig>;
  /** The folder holding a point's files, when the catalog knows it (manifest sets). */
  pointPath: (service: string, pointId: string) => string | null;
  rtoSeconds: (text: string) => number | null;
  /** The catalog's facts about a cut member's point: chain, folders, sizes, raw record. */
  point?: (member: CutMember) => BoundPoint | null;
  /** Sources and backends, for tool-aware steps. */
  sources?: Map<string, SourceConfig>;
  backends?: Map<string, BackendConfig>;
  /** Where a target writes, in words. */
  location?: (target: TargetConfig) => string;
  /** The target, values and file selection the engineer chose. */
  choice?: PlanChoice;
};

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_-]*)(?:\.([A-Za-z]+))?\s*\}\}/g;

/** Substitutes placeholders, collecting what could not be bound. */
function binder(values: BoundValues, unbound: Set<string>) {
  const key = (name: string, field: string | undefined) => (field ? `${name}.${field}` : name);
  const word = (text: string): string =>
    text.replace(PLACEHOLDER, (whole, name: string, field: string | undefined) => {
      const k = key(name, field);
      const value = values.words.get(k);
      if (value === undefined) {
        unbound.add(k);
        return whole;
      }
      return value;
    });
  // A word holding one list placeholder becomes one word per item, the text around it repeated.
  const words = (text: string): string[] => {
    const lists = [...text.matchAll(PLACEHOLDER)].filter((m) =>
      values.lists.has(key(m[1] as string, m[2])),
    );
    const first = lists[0];
    if (!first || lists.length > 1) return [word(text)];
    const items = values.lists.get(key(first[1] as string, first[2])) ?? [];
    const [before, after] = [
      text.slice(0, first.index),
      text.slice((first.index ?? 0) + first[0].length),
    ];
    return items.map((item) => `${word(before)}${item}${word(after)}`);
  };
  return { word, words };
}

function bindStep(
  step: RunbookStep,
  values: BoundValues,
  facts: BindingFacts,
  targetParams: string[],
  rollbackOf: string | null,
): PlanStep {
  const unbound = new Set<string>();
  const { word, words } = binder(values, unbound);
  const targetParam = step.target ?? (targetParams.length === 1 ? targetParams[0] : undefined);
  const targetName = targetParam ? (values.words.get(targetParam) ?? null) : null;
  const target = targetName ? facts.targets.get(targetName) : undefined;
  const s3Facts = {
    backends: facts.backends ?? new Map<string, BackendConfig>(),
    sources: facts.sources ?? new Map<string, SourceConfig>(),
    targets: facts.targets,
  };
  const s3 = step.s3
    ? bindS3(
        {
          ...step.s3,
          bucket: word(step.s3.bucket),
          ...(step.s3.prefix !== undefined ? { prefix: word(step.s3.prefix) } : {}),
          ...(step.s3.to !== undefined ? { to: word(step.s3.to) } : {}),
          ...(step.s3.at !== undefined ? { at: word(step.s3.at) } : {}),
        },
        s3Facts,
      )
    : null;
  // Decide by where bytes land: an s3 step writing where a production target overlaps is production.
  const lands = s3 ? writePlace(s3) : null;
  const landsInProduction =
    lands !== null && overlappingTargets(lands, s3Facts, 'production').length > 0;
  const base: PlanStep = {
    id: step.id,
    kind: step.kind,
    title: step.title,
    description: step.description ?? '',
    checklist: step.checklist ?? [],
    destructive: step.destructive === true,
    confirmTarget: step.destructive === true ? targetName : null,
    production: target?.environment === 'production' || landsInProduction,
    argv: step.run ? step.run.flatMap(words) : null,
    where: step.run ? (step.on ? word(step.on) : 'this machine') : null,
    cwd: step.cwd ? word(step.cwd) : null,
    unbound: [],
    point: null,
    source: null,
    work: null,
    problems: s3?.problem ? [s3.problem] : [],
    rollbackOf,
    s3,
  };
  if (isToolKind(step.kind)) {
    const tool = bindToolStep(
      { ...step, ...(step.on ? { on: step.on } : {}) },
      values,
      {
        targets: facts.targets,
        sources: facts.sources ?? new Map(),
        backends: facts.backends ?? new Map(),
        ...(facts.choice?.selection ? { selection: facts.choice.selection } : {}),
      },
      targetParam,
      word,
    );
    Object.assign(base, tool);
  }
  return { ...base, unbound: [...unbound] };
}

/** Bind every parameter and step of a runbook. Pure: the same inputs give the same plan. */
export function planRunbook(file: string, runbook: RunbookFile, facts: BindingFacts): RunbookPlan {
  const { plan: params, values } = bindParams(runbook.params ?? {}, {
    cut: facts.cut,
    targets: facts.targets,
    pointPath: facts.pointPath,
    ...(facts.point ? { point: facts.point } : {}),
    ...(facts.location ? { location: facts.location } : {}),
    ...(facts.choice ? { choice: facts.choice } : {}),
  });
  const targetParams = Object.entries(runbook.params ?? {})
    .filter(([, p]) => p.type === 'target')
    .map(([name]) => name);
  const steps = runbook.steps.map((s) => bindStep(s, values, facts, targetParams, null));
  const rollback = runbook.steps.flatMap((s) =>
    (s.rollback ?? []).map((r) => bindStep(r, values, facts, targetParams, s.id)),
  );
  return {
    file,
    title: runbook.title,
    description: runbook.description?.trim() ?? '',
    rtoSeconds: runbook.rto ? facts.rtoSeconds(runbook.rto) : null,
    params,
    steps,
    rollback,
  };
}
