// Binds the `s3:` block of a step to places: which backend (endpoint, credentials), bucket and
// prefix it reads, where it writes (a bucket prefix or a folder) and which workspace target holds
// each place. Pure: the plan preview shows exactly what the engine will use.
import type { S3Operation, S3Place } from '../../preload/schemas/runbook';
import type { BackendConfig, SourceConfig, TargetConfig } from '../workspace/types';

/** The `s3:` block of a runbook step, as the schema allows it. */
export type S3Spec = {
  action: S3Operation['action'];
  bucket: string;
  prefix?: string;
  backend?: string;
  to?: string;
  at?: string;
  concurrency?: number;
  multipartThreshold?: string | number;
};

/** What binding needs of the workspace. */
export type S3Facts = {
  backends: Map<string, BackendConfig>;
  sources: Map<string, SourceConfig>;
  targets: Map<string, TargetConfig>;
};

type S3Backend = Extract<BackendConfig, { type: 's3' }>;

/** Default requests in flight, and the size above which copies go part by part (5 GiB). */
export const DEFAULT_CONCURRENCY = 16;
export const DEFAULT_MULTIPART_THRESHOLD = 5 * 1024 ** 3;

const UNITS: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

/** "5GiB" → bytes; a number is bytes already; null for anything else. */
export function parseSize(value: string | number | undefined): number | null {
  if (value === undefined) return null;
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : null;
  const match = /^(\d+)\s*(B|KiB|MiB|GiB)$/.exec(value.trim());
  if (!match) return null;
  const bytes = Number(match[1]) * (UNITS[match[2] as string] as number);
  return bytes > 0 ? bytes : null;
}

/** The endpoint of a backend in words; also the identity two places are compared by. */
export function endpointOf(backend: S3Backend): string {
  return backend.endpoint ? backend.endpoint.replace(/\/+$/, '').toLowerCase() : 'AWS S3';
}

/** Split "bucket/prefix" (a bucket target's path, or a bound `bucket:`) into its parts. */
export function splitBucketPath(text: string): { bucket: string; prefix: string } {
  const trimmed = text.replace(/^s3:\/\//, '').replace(/^\/+/, '');
  const slash = trimmed.indexOf('/');
  return slash < 0
    ? { bucket: trimmed, prefix: '' }
    : { bucket: trimmed.slice(0, slash), prefix: trimmed.slice(slash + 1) };
}

/** True when writing under one place can touch keys of the other (same endpoint and bucket, nested prefixes). */
export function placesOverlap(a: S3Place, b: S3Place): boolean {
  return (
    a.endpoint === b.endpoint &&
    a.bucket === b.bucket &&
    (a.prefix.startsWith(b.prefix) || b.prefix.startsWith(a.prefix))
  );
}

/** The bucket target's place, when its backend is an s3 backend of the workspace. */
export function targetPlace(target: TargetConfig, facts: S3Facts): S3Place | null {
  if (target.kind !== 'bucket' || target.backend === null) return null;
  const backend = facts.backends.get(target.backend);
  if (backend?.type !== 's3') return null;
  return {
    kind: 'bucket',
    backend: backend.name,
    endpoint: endpointOf(backend),
    ...splitBucketPath(target.path),
    target: target.name,
  };
}

/** The bucket target that holds a place (the longest prefix that contains it), or null. */
function holdingTarget(place: Omit<S3Place, 'target'>, facts: S3Facts): string | null {
  let best: { name: string; length: number } | null = null;
  for (const target of facts.targets.values()) {
    const held = targetPlace(target, facts);
    if (!held || held.endpoint !== place.endpoint || held.bucket !== place.bucket) continue;
    if (!place.prefix.startsWith(held.prefix)) continue;
    if (!best || held.prefix.length > best.length)
      best = { name: target.name, length: held.prefix.length };
  }
  return best?.name ?? null;
}

/** Which backend serves a bucket: named, else a target's or a source's on that bucket, else the only one. */
function backendFor(bucket: string, named: string | undefined, facts: S3Facts): S3Backend | string {
  const s3 = [...facts.backends.values()].filter((b): b is S3Backend => b.type === 's3');
  if (named) {
    const backend = facts.backends.get(named);
    if (backend?.type === 's3') return backend;
    return `backend '${named}' is not an s3 backend of the workspace (s3 backends: ${s3.map((b) => b.name).join(', ') || 'none'})`;
  }
  const candidates = new Set<string>();
  for (const target of facts.targets.values())
    if (
      target.kind === 'bucket' &&
      target.backend &&
      splitBucketPath(target.path).bucket === bucket
    )
      candidates.add(target.backend);
  for (const source of facts.sources.values())
    if (source.type === 's3-versions' && source.bucket === bucket) candidates.add(source.backend);
  const known = [...candidates].flatMap((name) => {
    const backend = facts.backends.get(name);
    return backend?.type === 's3' ? [backend] : [];
  });
  if (known.length === 1) return known[0] as S3Backend;
  if (known.length === 0 && s3.length === 1) return s3[0] as S3Backend;
  return known.length > 1
    ? `bucket ${bucket} is reached through several backends (${known.map((b) => b.name).join(', ')}): add 'backend:' to the s3 block`
    : `no s3 backend is known for bucket ${bucket}: add 'backend:' to the s3 block, or a bucket target or s3-versions source on it`;
}

/** A bound "bucket[/prefix]" or bucket target name as a place; a string says what is wrong. */
function placeOf(
  text: string,
  extraPrefix: string,
  named: string | undefined,
  facts: S3Facts,
): S3Place | string {
  const target = facts.targets.get(text);
  if (target) {
    const held = targetPlace(target, facts);
    if (!held) return `target ${text} is not a bucket target on an s3 backend`;
    return { ...held, prefix: held.prefix + extraPrefix };
  }
  const { bucket, prefix } = splitBucketPath(text);
  if (!bucket || text.includes('{{')) return `the bucket "${text}" is not bound`;
  const backend = backendFor(bucket, named, facts);
  if (typeof backend === 'string') return backend;
  const place = { kind: 'bucket' as const, backend: backend.name, endpoint: endpointOf(backend) };
  const full = { ...place, bucket, prefix: prefix + extraPrefix };
  return { ...full, target: holdingTarget(full, facts) };
}

const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;

const placeholder = (text: string) => ({
  kind: 'bucket' as const,
  backend: '',
  endpoint: '',
  bucket: text,
  prefix: '',
  target: null,
});

/** Bind a step's `s3:` block (its words already bound) to places and tuning. */
export function bindS3(spec: S3Spec, facts: S3Facts): S3Operation {
  const problems: string[] = [];
  const sourceOrProblem = placeOf(spec.bucket, spec.prefix ?? '', spec.backend, facts);
  const source = typeof sourceOrProblem === 'string' ? placeholder(spec.bucket) : sourceOrProblem;
  if (typeof sourceOrProblem === 'string') problems.push(sourceOrProblem);
  let to: S3Operation['to'] = null;
  if (spec.action === 'download') {
    const target = spec.to === undefined ? undefined : facts.targets.get(spec.to);
    if (target && target.kind === 'folder')
      to = { kind: 'folder', path: target.path, target: target.name };
    else if (spec.to !== undefined && spec.to.startsWith('/') && !target)
      to = { kind: 'folder', path: spec.to, target: null };
    else problems.push('a download needs `to:` naming a folder target or an absolute folder');
  } else if (spec.to !== undefined && spec.to !== '') {
    const place = placeOf(spec.to, '', undefined, facts);
    if (typeof place === 'string') problems.push(place);
    else to = place;
    if (typeof place !== 'string' && place.endpoint !== source.endpoint && source.endpoint)
      problems.push(
        `a copy stays server-side, so ${place.bucket} must be on the same S3 endpoint as ${source.bucket} (${place.endpoint} is not ${source.endpoint})`,
      );
  } else if (spec.action === 'copy') {
    problems.push('a copy needs `to:` naming a bucket target or bucket/prefix');
  }
  // restore-to-instant with `to:` — "make `to` list what the source listed at the instant": in
  // place when `to` is the source itself, else a copy there. One step serves a drill (a sandbox
  // bucket) and a live restore (production in place), the plan saying which it became.
  let action = spec.action;
  if (action === 'restore-to-instant' && to?.kind === 'bucket') {
    const same =
      to.endpoint === source.endpoint && to.bucket === source.bucket && to.prefix === source.prefix;
    if (same) to = null;
    else action = 'copy';
  }
  if (to?.kind === 'bucket' && action === 'copy' && placesOverlap(to, source))
    problems.push(
      `a copy cannot write into the prefix it reads (${to.bucket}/${to.prefix} overlaps ${source.bucket}/${source.prefix}); use restore-to-instant for in place`,
    );
  const at = spec.at ?? '';
  if (!at.includes('{{') && !ISO_INSTANT.test(at))
    problems.push(
      `the instant "${at}" is not an ISO 8601 time with an offset (e.g. 2026-11-26T02:14:00Z)`,
    );
  const threshold = parseSize(spec.multipartThreshold);
  if (spec.multipartThreshold !== undefined && threshold === null)
    problems.push(
      `multipartThreshold "${String(spec.multipartThreshold)}" is not a size such as 5GiB`,
    );
  return {
    action,
    source,
    at: ISO_INSTANT.test(at) ? new Date(Date.parse(at)).toISOString() : at,
    to,
    concurrency: spec.concurrency ?? DEFAULT_CONCURRENCY,
    multipartThresholdBytes: threshold ?? DEFAULT_MULTIPART_THRESHOLD,
    problem: problems.length ? `${problems.join('; ')}.` : null,
  };
}

/** Where an operation writes: the destination, the source itself in place, or nowhere (verify). */
export function writePlace(op: S3Operation): S3Operation['to'] {
  if (op.action === 'prefix-equals-instant') return null;
  return op.action === 'restore-to-instant' ? op.source : op.to;
}

/** The targets of an environment a place overlaps (bucket targets; a folder place names its own). */
export function overlappingTargets(
  place: NonNullable<S3Operation['to']>,
  facts: S3Facts,
  environment: TargetConfig['environment'],
): string[] {
  if (place.kind === 'folder') {
    const own = place.target ? facts.targets.get(place.target) : undefined;
    return own?.environment === environment ? [own.name] : [];
  }
  const names: string[] = [];
  for (const target of facts.targets.values()) {
    if (target.environment !== environment) continue;
    const held = targetPlace(target, facts);
    if (held && placesOverlap(held, place)) names.push(target.name);
  }
  return names;
}
