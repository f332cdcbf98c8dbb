// Binds a runbook's parameters to a chosen cut and target, producing the exact argv of every step.
// Values are substituted inside argv words only: nothing is ever pasted into a shell string.
import type { Cut } from '../../preload/schemas/groups';
import type { PlanStep, RunbookPlan } from '../../preload/schemas/runbook';
import type { BackendConfig, SourceConfig, TargetConfig } from '../workspace/types';
import { bindS3, overlappingTargets, writePlace, type S3Spec } from './s3-bind';

/** The runbook file as validated by its schema (the fields the plan reads). */
export type RunbookFile = {
  title: string;
  description?: string;
  rto?: string;
  params?: Record<
    string,
    { type: string; service?: string; description?: string; default?: string }
  >;
  steps: {
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
  }[];
};

/** Facts a binding can use: the cut's points (with their folders, when known) and the targets. */
export type BindingFacts = {
  cut: Cut | null;
  targets: Map<string, TargetConfig>;
  /** The folder holding a point's files, when the catalog knows it (manifest sets). */
  pointPath: (service: string, pointId: string) => string | null;
  rtoSeconds: (text: string) => number | null;
  /** Backends and sources, to bind s3 steps to an endpoint (none: s3 steps name a problem). */
  backends?: Map<string, BackendConfig>;
  sources?: Map<string, SourceConfig>;
};

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_-]*)(?:\.([A-Za-z]+))?\s*\}\}/g;

/** Bind every parameter and step of a runbook. Pure: the same inputs give the same plan. */
export function planRunbook(file: string, runbook: RunbookFile, facts: BindingFacts): RunbookPlan {
  const values = new Map<string, string>();
  const params = Object.entries(runbook.params ?? {}).map(([name, spec]) => {
    let bound: string | null = null;
    if (spec.type === 'recovery-point' && facts.cut) {
      const member = facts.cut.members.find((m) => m.service === spec.service);
      if (member) {
        bound = member.pointId ?? `${member.source}@${member.time}`;
        values.set(`${name}`, bound);
        values.set(`${name}.id`, bound);
        values.set(`${name}.time`, member.time);
        const folder = member.pointId ? facts.pointPath(member.service, member.pointId) : null;
        if (folder) values.set(`${name}.path`, folder);
      }
    } else if (spec.type === 'target' && spec.default) {
      const target = facts.targets.get(spec.default);
      if (target) {
        bound = target.name;
        values.set(name, target.name);
        values.set(`${name}.name`, target.name);
        values.set(`${name}.path`, target.path);
      }
    } else if (spec.default !== undefined) {
      bound = spec.default;
      values.set(name, spec.default);
    }
    return { name, type: spec.type, description: spec.description ?? '', bound };
  });
  const targetParams = Object.entries(runbook.params ?? {}).filter(([, p]) => p.type === 'target');

  const steps = runbook.steps.map((step): PlanStep => {
    const unbound = new Set<string>();
    const bind = (word: string) =>
      word.replace(PLACEHOLDER, (whole, name: string, field: string | undefined) => {
        const key = field ? `${name}.${field}` : name;
        const value = values.get(key);
        if (value === undefined) {
          unbound.add(key);
          return whole;
        }
        return value;
      });
    const targetParam =
      step.target ?? (targetParams.length === 1 ? targetParams[0]?.[0] : undefined);
    const targetName = targetParam ? (values.get(targetParam) ?? null) : null;
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
            bucket: bind(step.s3.bucket),
            ...(step.s3.prefix !== undefined ? { prefix: bind(step.s3.prefix) } : {}),
            ...(step.s3.to !== undefined ? { to: bind(step.s3.to) } : {}),
            ...(step.s3.at !== undefined ? { at: bind(step.s3.at) } : {}),
          },
          s3Facts,
        )
      : null;
    // Decide by where bytes land: an s3 step writing where a production target overlaps is production.
    const lands = s3 ? writePlace(s3) : null;
    const landsInProduction =
      lands !== null && overlappingTargets(lands, s3Facts, 'production').length > 0;
    return {
      id: step.id,
      kind: step.kind,
      title: step.title,
      description: step.description ?? '',
      checklist: step.checklist ?? [],
      destructive: step.destructive === true,
      confirmTarget: step.destructive === true ? targetName : null,
      production: target?.environment === 'production' || landsInProduction,
      argv: step.run ? step.run.map(bind) : null,
      where: step.run ? (step.on ? bind(step.on) : 'this machine') : null,
      cwd: step.cwd ? bind(step.cwd) : null,
      unbound: [...unbound],
      s3,
    };
  });
  return {
    file,
    title: runbook.title,
    description: runbook.description?.trim() ?? '',
    rtoSeconds: runbook.rto ? facts.rtoSeconds(runbook.rto) : null,
    params,
    steps,
  };
}
