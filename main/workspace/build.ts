// From a schema-valid dapple.yaml value to the engine's Workspace, with the cross-reference checks.
import { isAbsolute, resolve } from 'node:path';
import type { WorkspaceProblem } from '../../preload/schemas/workspace';
import { parseDuration } from './duration';
import type {
  BackendConfig,
  GroupConfig,
  RetentionPolicy,
  ServiceConfig,
  SourceConfig,
  TargetConfig,
  Workspace,
} from './types';
import { lineOf, problem } from './yaml-file';
import type { YamlFile } from './yaml-file';

// The shape dapple.yaml has once the schema accepted it (see resources/schemas/workspace.schema.json).
type Raw = Record<string, unknown>;
type RawFile = {
  name: string;
  drillEvery?: string;
  backends?: Record<string, Raw>;
  sources?: Record<string, Raw>;
  services?: Record<string, Raw>;
  groups?: Record<string, Raw>;
  targets?: Record<string, Raw>;
  approvals?: string;
};

/** Default retention tiers in days: daily 30 days, weekly 3 months, monthly 1 year, yearly 7 years. */
export const DEFAULT_RETENTION: RetentionPolicy = {
  daily: 30,
  weekly: 91,
  monthly: 365,
  yearly: 2555,
};

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const tags = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
const seconds = (value: unknown): number => parseDuration(String(value)) ?? 0;

/** Resolve a path written in dapple.yaml: absolute as is, relative to the workspace folder otherwise. */
export function workspacePath(root: string, path: string): string {
  return isAbsolute(path) ? path : resolve(root, path);
}

function backend(root: string, name: string, raw: Raw): BackendConfig {
  const t = tags(raw.tags);
  if (raw.type === 'local')
    return { name, type: 'local', path: workspacePath(root, String(raw.path)), tags: t };
  if (raw.type === 'ssh') {
    const port = typeof raw.port === 'number' ? raw.port : null;
    return {
      name,
      type: 'ssh',
      host: String(raw.host),
      port,
      user: str(raw.user),
      identityFile: str(raw.identityFile),
      tags: t,
    };
  }
  const forcePathStyle = typeof raw.forcePathStyle === 'boolean' ? raw.forcePathStyle : null;
  return {
    name,
    type: 's3',
    endpoint: str(raw.endpoint),
    region: str(raw.region),
    profile: str(raw.profile),
    forcePathStyle,
    tags: t,
  };
}

function secret(raw: unknown): Extract<SourceConfig, { type: 'restic' }>['password'] {
  if (typeof raw !== 'object' || raw === null) return null;
  const value = raw as Raw;
  if (typeof value.file === 'string') return { from: 'file', path: value.file };
  if (Array.isArray(value.command)) return { from: 'command', argv: value.command.map(String) };
  if (typeof value.env === 'string') return { from: 'env', name: value.env };
  if (typeof value.keychain === 'string') return { from: 'keychain', name: value.keychain };
  return null;
}

function source(name: string, raw: Raw): SourceConfig {
  const base = { name, backend: String(raw.backend) };
  const service = String(raw.service);
  switch (raw.type) {
    case 'restic':
      return {
        ...base,
        type: 'restic',
        service,
        repository: String(raw.repository),
        password: secret(raw.password),
      };
    case 'borg':
      return {
        ...base,
        type: 'borg',
        service,
        repository: String(raw.repository),
        passphrase: secret(raw.passphrase),
      };
    case 'pgbackrest':
      return {
        ...base,
        type: 'pgbackrest',
        service,
        stanza: String(raw.stanza),
        config: str(raw.config),
      };
    case 'manifest':
      return {
        ...base,
        type: 'manifest',
        service: str(raw.service),
        path: String(raw.path),
        bucket: str(raw.bucket),
      };
    default:
      return {
        ...base,
        type: 's3-versions',
        service,
        bucket: String(raw.bucket),
        prefix: str(raw.prefix) ?? '',
      };
  }
}

function service(name: string, raw: Raw): ServiceConfig {
  const tiers = (raw.retention ?? {}) as Raw;
  const days = (tier: keyof RetentionPolicy): number =>
    tiers[tier] === undefined ? DEFAULT_RETENTION[tier] : Math.ceil(seconds(tiers[tier]) / 86_400);
  const retention = {
    daily: days('daily'),
    weekly: days('weekly'),
    monthly: days('monthly'),
    yearly: days('yearly'),
  };
  return {
    name,
    owner: String(raw.owner),
    rpoSeconds: seconds(raw.rpo),
    rtoSeconds: seconds(raw.rto),
    retention,
  };
}

/** Turn a schema-valid dapple.yaml into a Workspace, reporting references that point nowhere. */
export function buildWorkspace(
  root: string,
  file: YamlFile,
): { workspace: Workspace; problems: WorkspaceProblem[] } {
  const raw = file.value as RawFile;
  const problems: WorkspaceProblem[] = [];
  const report = (
    path: (string | number)[],
    sentence: string,
    severity: WorkspaceProblem['severity'] = 'error',
  ): void => {
    problems.push(problem(file.label, lineOf(file, path), sentence, severity));
  };
  const entries = (section: Record<string, Raw> | undefined): [string, Raw][] =>
    Object.entries(section ?? {});

  const backends = new Map(
    entries(raw.backends).map(([name, value]) => [name, backend(root, name, value)]),
  );
  const services = new Map(
    entries(raw.services).map(([name, value]) => [name, service(name, value)]),
  );
  const known = (kind: string, names: Map<string, unknown>): string =>
    names.size === 0
      ? `there are no ${kind} in this workspace`
      : `known ${kind}: ${[...names.keys()].join(', ')}`;

  const sources = new Map<string, SourceConfig>();
  for (const [name, value] of entries(raw.sources)) {
    const config = source(name, value);
    let usable = true;
    if (!backends.has(config.backend)) {
      report(
        ['sources', name, 'backend'],
        `sources.${name} uses backend '${config.backend}', which is not defined (${known('backends', backends)}).`,
      );
      usable = false;
    }
    if (config.service !== null && !services.has(config.service)) {
      report(
        ['sources', name, 'service'],
        `sources.${name} protects service '${config.service}', which is not defined under services (${known('services', services)}).`,
      );
      usable = false;
    }
    const type = backends.get(config.backend)?.type;
    if (
      (config.type === 's3-versions' || (config.type === 'manifest' && config.bucket !== null)) &&
      type !== undefined &&
      type !== 's3'
    ) {
      report(
        ['sources', name, 'backend'],
        `sources.${name} names a bucket, but backend '${config.backend}' is ${type}, not s3.`,
      );
      usable = false;
    }
    if (config.type === 'manifest' && config.bucket === null && type === 's3') {
      report(
        ['sources', name],
        `sources.${name} reads manifests from s3 backend '${config.backend}' but names no bucket: add 'bucket'.`,
      );
      usable = false;
    }
    // A source that points nowhere is left out so that readers never meet a dangling name.
    if (usable) sources.set(name, config);
  }

  const groups = new Map<string, GroupConfig>();
  for (const [name, value] of entries(raw.groups)) {
    const declared = (value.members as string[] | undefined) ?? [];
    const members = declared.filter((member, index) => {
      if (services.has(member)) return true;
      report(
        ['groups', name, 'members', index],
        `groups.${name} lists member '${member}', which is not a service (${known('services', services)}).`,
      );
      return false;
    });
    let order = ((value.order as string[] | undefined) ?? members).filter(
      (m) => members.includes(m) || !declared.includes(m),
    );
    const strangers = order.filter((m) => !members.includes(m));
    const missing = members.filter((m) => !order.includes(m));
    if (strangers.length > 0)
      report(
        ['groups', name, 'order'],
        `groups.${name}.order names ${strangers.map((s) => `'${s}'`).join(', ')}, which ${strangers.length === 1 ? 'is' : 'are'} not among its members.`,
      );
    if (missing.length > 0)
      report(
        ['groups', name, 'order'],
        `groups.${name}.order leaves out ${missing.map((s) => `'${s}'`).join(', ')}: list every member once, in restore order.`,
      );
    order = [...order.filter((m) => members.includes(m)), ...missing];
    const runbook = str(value.runbook);
    groups.set(name, { name, members, toleranceSeconds: seconds(value.tolerance), order, runbook });
  }

  const targets = new Map<string, TargetConfig>();
  for (const [name, value] of entries(raw.targets)) {
    const kind = value.kind as TargetConfig['kind'];
    const environment = value.environment as TargetConfig['environment'];
    const backendName = str(value.backend);
    const wanted = kind === 'host' ? 'ssh' : kind === 'bucket' ? 's3' : null;
    const found = backendName === null ? undefined : backends.get(backendName);
    if (kind === 'folder' && backendName !== null) {
      report(
        ['targets', name, 'backend'],
        `targets.${name} is a folder target: remove 'backend' (a folder target is a path on this machine).`,
      );
    } else if (backendName !== null && !found) {
      report(
        ['targets', name, 'backend'],
        `targets.${name} uses backend '${backendName}', which is not defined (${known('backends', backends)}).`,
      );
      continue;
    } else if (found && wanted && found.type !== wanted) {
      report(
        ['targets', name, 'backend'],
        `targets.${name} is a ${kind} target, so its backend must be ${wanted}, but '${backendName}' is ${found.type}.`,
      );
      continue;
    }
    const path = kind === 'folder' ? workspacePath(root, String(value.path)) : String(value.path);
    targets.set(name, {
      name,
      kind,
      environment,
      backend: kind === 'folder' ? null : backendName,
      path,
    });
  }

  let drillEverySeconds: number | null = null;
  if (raw.drillEvery !== undefined) {
    drillEverySeconds = seconds(raw.drillEvery);
    if (drillEverySeconds <= 0) {
      report(
        ['drillEvery'],
        `drillEvery is ${raw.drillEvery}: no runbook can be drilled that often. Write a duration such as 30d (the default) or 1w.`,
      );
      drillEverySeconds = null;
    }
  }

  const workspace: Workspace = {
    root,
    name: raw.name,
    drillEverySeconds,
    backends,
    sources,
    services,
    groups,
    targets,
    approvalsDir: typeof raw.approvals === 'string' ? workspacePath(root, raw.approvals) : null,
  };
  return { workspace, problems };
}
