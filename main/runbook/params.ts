// Binding a runbook's parameters: recovery points from the cut (with their chains, from the
// catalog), the target the engineer chose among those allowed, instants and strings checked
// as typed. Values are data: they only ever become whole argv words or parts of one.
import type { CutMember, Cut } from '../../preload/schemas/groups';
import type {
  PlanChoice,
  PlanParam,
  PointChain,
  TargetChoice,
} from '../../preload/schemas/runbook';
import { bytesText } from '../../preload/schemas/progress-words';
import { UserError } from '../ground/errors';
import { parseDuration } from '../workspace/duration';
import type { TargetConfig } from '../workspace/types';

/** One set of a point's chain. */
export type ChainLink = {
  id: string;
  kind: string;
  time: string;
  sizeBytes: number | null;
  /** How many files the set holds, when its record says (manifest sets). */
  files: number | null;
  /** The set's folder on this machine (local manifest sets), else null. */
  path: string | null;
};

/** What the catalog knows of a bound point: its chain oldest first (itself last), and raw record. */
export type BoundPoint = {
  id: string;
  source: string;
  service: string;
  time: string;
  endTime: string | null;
  kind: string;
  sizeBytes: number | null;
  path: string | null;
  chain: ChainLink[];
  /** The id of a parent the catalog does not hold (a broken chain), else null. */
  missingParent: string | null;
  raw: unknown;
};

/** A runbook parameter as the schema allows it. */
export type ParamSpec = {
  type: string;
  service?: string;
  description?: string;
  default?: string;
  pattern?: string;
  environment?: string[];
  kind?: string;
  /** Another target parameter whose environment this one follows when not chosen itself. */
  follows?: string;
};

/** Values for placeholders: one word each, or a list that expands into several words. */
export type BoundValues = {
  words: Map<string, string>;
  lists: Map<string, string[]>;
  /** Bound recovery points and targets, by parameter name. */
  points: Map<string, BoundPoint>;
  targets: Map<string, TargetConfig>;
};

/** The facts parameters bind from. */
export type ParamFacts = {
  cut: Cut | null;
  targets: Map<string, TargetConfig>;
  /** The catalog's facts about a cut member's point, when known. */
  point?: (member: CutMember) => BoundPoint | null;
  /** Fallback for a point's folder when `point` is not given. */
  pointPath?: (service: string, pointId: string) => string | null;
  /** Where a target writes, in words (defaults to its path). */
  location?: (target: TargetConfig) => string;
  choice?: PlanChoice;
};

const bad = (sentence: string, hint: string) => new UserError('BAD_PARAM', sentence, hint);
const clip = (text: string, max = 80) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** The chain of a point in words: how many sets of which kinds, and their bytes. */
export function chainOf(point: BoundPoint): PointChain {
  const kinds = new Map<string, number>();
  for (const link of point.chain) kinds.set(link.kind, (kinds.get(link.kind) ?? 0) + 1);
  const sizes = point.chain.map((l) => l.sizeBytes);
  const bytes = sizes.every((s): s is number => s !== null)
    ? sizes.reduce((a, b) => a + b, 0)
    : null;
  const parts = [...kinds].map(([kind, n]) => `${n} ${kind}`).join(' + ');
  const broken = point.missingParent ? `; BROKEN: set ${point.missingParent} is missing` : '';
  return {
    sets: point.chain.length,
    bytes,
    summary: `${point.chain.length === 1 ? '1 set' : `${point.chain.length} sets (${parts})`}${bytes === null ? '' : `, ${bytesText(bytes)}`}${broken}`,
  };
}

function allows(spec: ParamSpec, target: TargetConfig): boolean {
  if (spec.environment && !spec.environment.includes(target.environment)) return false;
  return spec.kind === undefined || spec.kind === target.kind;
}

function checkChosenTarget(name: string, spec: ParamSpec, value: string, facts: ParamFacts) {
  const target = facts.targets.get(value);
  if (!target) {
    throw bad(
      `There is no target "${clip(value)}" in this workspace for ${name}.`,
      `Targets: ${[...facts.targets.keys()].join(', ') || 'none'}.`,
    );
  }
  if (!allows(spec, target)) {
    throw bad(
      `${name} does not allow ${target.name}, a ${target.environment} ${target.kind} target.`,
      `Choose one of: ${[...facts.targets.values()]
        .filter((t) => allows(spec, t))
        .map((t) => t.name)
        .join(', ')}.`,
    );
  }
  return target;
}

// An instant as typed: ISO 8601 with a date, a time and an offset; normalised to UTC.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

function checkValue(name: string, spec: ParamSpec, value: string): string {
  if (/[\0]/.test(value)) throw bad(`The value of ${name} contains a NUL byte.`, 'Type it again.');
  if (spec.type === 'instant') {
    const time = Date.parse(value);
    if (!ISO_INSTANT.test(value) || Number.isNaN(time)) {
      throw bad(
        `"${clip(value)}" is not an instant for ${name}.`,
        'Give an ISO 8601 time with its offset, e.g. 2026-11-25T02:14:00Z.',
      );
    }
    return new Date(time).toISOString();
  }
  if (spec.type === 'duration' && parseDuration(value) === null) {
    throw bad(`"${clip(value)}" is not a duration for ${name}.`, 'Write it as 30s, 5m, 1h30m.');
  }
  if (spec.type === 'string' && spec.pattern !== undefined) {
    let ok = false;
    try {
      ok = new RegExp(`^(?:${spec.pattern})$`, 'u').test(value);
    } catch {
      ok = false;
    }
    if (!ok) {
      throw bad(
        `"${clip(value)}" is not a valid ${name}: it must match ${clip(spec.pattern, 120)}.`,
        'Check the value against the runbook’s description of the parameter.',
      );
    }
  }
  return value;
}

/** The engineer's values by parameter, checked against the runbook (unknown names refused). */
function chosenValues(params: Record<string, ParamSpec>, choice: PlanChoice | undefined) {
  const chosen = new Map(Object.entries(choice?.params ?? {}));
  for (const name of chosen.keys()) {
    if (!params[name]) {
      throw bad(
        `The runbook has no parameter "${clip(name, 64)}".`,
        `Its parameters: ${Object.keys(params).join(', ') || 'none'}.`,
      );
    }
    if (params[name].type === 'recovery-point') {
      throw bad(
        `${name} is a recovery point: it comes from the cut, not from a typed value.`,
        'Choose the cut on the Timeline (or --before on the command line).',
      );
    }
  }
  if (choice?.target) {
    const first = Object.entries(params).find(([, p]) => p.type === 'target');
    if (!first) throw bad('This runbook has no target parameter to choose.', 'Leave --target out.');
    if (!chosen.has(first[0])) chosen.set(first[0], choice.target);
  }
  return chosen;
}

function bindPoint(name: string, member: CutMember, facts: ParamFacts, values: BoundValues) {
  const bound = member.pointId ?? member.windowId ?? `${member.source}@${member.time}`;
  const known = facts.point?.(member) ?? null;
  const set = (field: string, value: string) => values.words.set(`${name}.${field}`, value);
  values.words.set(name, bound);
  set('id', bound);
  set('time', member.time);
  set('service', member.service);
  set('source', member.source);
  const folder =
    known?.path ??
    (member.pointId && facts.pointPath ? facts.pointPath(member.service, member.pointId) : null);
  if (folder) set('path', folder);
  if (known) {
    values.points.set(name, known);
    values.lists.set(
      `${name}.chainIds`,
      known.chain.map((l) => l.id),
    );
    const folders = known.chain.map((l) => l.path);
    if (folders.every((f): f is string => f !== null)) values.lists.set(`${name}.chain`, folders);
  }
  return { bound, chain: known ? chainOf(known) : null };
}

/** Bind every parameter: the PlanParams to show and the values placeholders take. */
export function bindParams(
  params: Record<string, ParamSpec>,
  facts: ParamFacts,
): { plan: PlanParam[]; values: BoundValues } {
  const values: BoundValues = {
    words: new Map(),
    lists: new Map(),
    points: new Map(),
    targets: new Map(),
  };
  const chosen = chosenValues(params, facts.choice);
  const location = facts.location ?? ((t: TargetConfig) => t.path);
  // A target parameter that follows another takes the one target it allows in that one's
  // environment: choosing production for the database moves the bucket and the folder with it.
  const following = (name: string, spec: ParamSpec): string | undefined => {
    const leader = spec.follows ? params[spec.follows] : undefined;
    if (!spec.follows || leader?.type !== 'target' || spec.follows === name) return undefined;
    const leaderName = chosen.get(spec.follows) ?? leader.default;
    const environment = leaderName ? facts.targets.get(leaderName)?.environment : undefined;
    const same = [...facts.targets.values()].filter(
      (t) => t.environment === environment && allows(spec, t),
    );
    return same.length === 1 ? same[0]?.name : undefined;
  };
  const plan = Object.entries(params).map(([name, spec]): PlanParam => {
    const base = {
      name,
      type: spec.type,
      description: spec.description ?? '',
      bound: null as string | null,
      choices: [] as TargetChoice[],
      chain: null as PointChain | null,
      pattern: spec.type === 'string' ? (spec.pattern ?? null) : null,
    };
    if (spec.type === 'recovery-point') {
      const member = facts.cut?.members.find((m) => m.service === spec.service);
      if (!member) return base;
      const { bound, chain } = bindPoint(name, member, facts, values);
      return { ...base, bound, chain };
    }
    if (spec.type === 'target') {
      const choices = [...facts.targets.values()]
        .filter((t) => allows(spec, t))
        .sort((a, b) =>
          a.environment === b.environment ? 0 : a.environment === 'production' ? -1 : 1,
        )
        .map((t) => ({
          name: t.name,
          environment: t.environment,
          kind: t.kind,
          location: location(t),
        }));
      const wanted = chosen.get(name) ?? following(name, spec) ?? spec.default;
      const target = chosen.has(name)
        ? checkChosenTarget(name, spec, wanted ?? '', facts)
        : wanted === undefined
          ? undefined
          : facts.targets.get(wanted);
      if (!target) return { ...base, choices };
      values.targets.set(name, target);
      values.words.set(name, target.name);
      values.words.set(`${name}.name`, target.name);
      values.words.set(`${name}.path`, target.path);
      if (target.backend) values.words.set(`${name}.host`, target.backend);
      return { ...base, choices, bound: target.name };
    }
    const given = chosen.get(name);
    const value = given !== undefined ? checkValue(name, spec, given) : spec.default;
    if (value === undefined) return base;
    values.words.set(name, value);
    return { ...base, bound: value };
  });
  return { plan, values };
}
