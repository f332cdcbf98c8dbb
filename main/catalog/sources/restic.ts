// restic source: `restic snapshots --json` becomes recovery points; `restic ls --json` browses a snapshot.
import { posix } from 'node:path';
import { UserError } from '../../ground/errors';
import type { SourceConfig } from '../../workspace/types';
import { describeSecret, resolveSecret } from '../secrets';
import type { SecretContext } from '../secrets';
import type { Backend, RecoveryPoint, SourceProgress, SourceReader } from '../types';
import { localRunner } from '../backends/local-runner';
import { earlyOrLocal } from './restic-early';
import {
  backendEnv,
  checkValue,
  invalidOutput,
  isoTime,
  parseToolJson,
  parseToolJsonLines,
  runTool,
  shorten,
  listWithProgress,
} from './tool-run';
import type { FileBrowser, SnapshotEntry, ToolContext } from './tool-run';

type ResticConfig = Extract<SourceConfig, { type: 'restic' }>;

/** One entry of `restic snapshots --json`: the fields we use; the rest is kept in raw as printed. */
type Snapshot = {
  id: string;
  time: string;
  hostname?: string;
  tags?: string[] | null;
  summary?: { total_bytes_processed?: number };
} & Record<string, unknown>;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrings = (v: unknown): boolean =>
  v === undefined || v === null || (Array.isArray(v) && v.every((x) => typeof x === 'string'));

const FIELDS = 'the snapshot list does not have the expected fields';

// Checked by hand, not with zod: a zod array parse cost ~100-200 ms per 2,000 snapshots, per refresh.
function asSnapshot(value: unknown): Snapshot | null {
  if (!isRecord(value)) return null;
  const { id, time, hostname, tags, paths, summary } = value;
  if (typeof id !== 'string' || !/^[0-9a-f]{64}$/.test(id) || typeof time !== 'string') return null;
  if (hostname !== undefined && typeof hostname !== 'string') return null;
  if (!isStrings(tags) || !isStrings(paths)) return null;
  if (summary !== undefined && !isRecord(summary)) return null;
  const bytes = summary?.total_bytes_processed;
  if (bytes !== undefined && typeof bytes !== 'number') return null;
  return value as Snapshot;
}

// Built on first use: loading zod costs a `dapple catalog list` run ~0.1 s, and listing never needs it.
async function nodeSchema() {
  const { z } = await import('zod');
  return z.looseObject({
    struct_type: z.literal('node').optional(),
    name: z.string(),
    type: z.string(),
    path: z.string(),
    size: z.number().optional(),
    mtime: z.string().optional(),
  });
}
let Node: ReturnType<typeof nodeSchema> | null = null;

/** restic's own messages for the failures people hit most, as sentences. */
function explain(source: string, repository: string, where: string) {
  return (stderr: string): UserError | null => {
    const repo = shorten(repository, 120);
    if (/wrong password|no key found/i.test(stderr)) {
      return new UserError(
        'WRONG_PASSWORD',
        `restic could not open the repository ${repo} of source "${source}": the password is wrong.`,
        'Check the password configured for this source (file, command or keychain entry).',
      );
    }
    if (
      /Is there a repository at the following location|unable to open config file|does not exist/i.test(
        stderr,
      )
    ) {
      return new UserError(
        'REPOSITORY_NOT_FOUND',
        `There is no restic repository at ${repo} (source "${source}", on ${where}).`,
        'Check the repository path in dapple.yaml and that the backup host can reach it.',
      );
    }
    return null;
  };
}

// A file's time as ISO, or null when the tool printed something unusable.
function safeIso(value: string | undefined): string | null {
  const date = value ? new Date(value) : null;
  return date && !Number.isNaN(date.getTime()) ? date.toISOString() : null;
}

/** Reads restic snapshots through the backend's runner (locally, or on the SSH host). */
export class ResticSource implements SourceReader, FileBrowser {
  readonly name: string;
  constructor(
    private readonly config: ResticConfig,
    private readonly backend: Backend,
    private readonly secrets: Omit<SecretContext, 'source'> = {},
  ) {
    this.name = config.name;
  }

  // The password reaches restic through env only: a file path locally, the value otherwise.
  private async context(): Promise<{ tool: ToolContext; env: Record<string, string> }> {
    const { config, backend } = this;
    checkValue(config.name, 'repository', config.repository);
    const runner = backend.runner();
    const reach = await backendEnv(backend);
    const env: Record<string, string> = { ...reach.env };
    const secrets: string[] = [...reach.secrets];
    const ref = config.password;
    if (ref?.from === 'file' && runner.where === 'local') env.RESTIC_PASSWORD_FILE = ref.path;
    else if (ref) {
      const value = await resolveSecret(ref, { ...this.secrets, source: config.name });
      env.RESTIC_PASSWORD = value;
      secrets.push(value);
    } else {
      throw new UserError(
        'SECRET_MISSING',
        `Source "${config.name}" has no password configured, and restic repositories always have one.`,
        'Add password: { from: file, path: ... } (or command/env/keychain) to this source in dapple.yaml.',
      );
    }
    const tool: ToolContext = {
      source: config.name,
      tool: 'restic',
      debianPackage: 'restic',
      runner,
      secrets,
      explain: explain(config.name, config.repository, runner.where),
    };
    return { tool, env };
  }

  private repoArgs(): string[] {
    // --repo=VALUE keeps a value that starts with "-" from being read as an option.
    return ['restic', `--repo=${this.config.repository}`, '--no-lock', '--quiet'];
  }

  async list(
    options: { signal?: AbortSignal; progress?: (p: SourceProgress) => void } = {},
  ): Promise<RecoveryPoint[]> {
    return listWithProgress(
      'restic',
      'restic snapshots --json',
      this.backend.runner().where,
      options,
      () => this.read(options),
    );
  }

  private async read(options: {
    signal?: AbortSignal;
    progress?: (p: SourceProgress) => void;
  }): Promise<RecoveryPoint[]> {
    const { tool, env } = await this.context();
    const argv = [...this.repoArgs(), 'snapshots', '--json'];
    // The CLI may have started this very command before its code loaded (restic-early.ts).
    const runner = tool.runner === localRunner ? earlyOrLocal(localRunner, argv, env) : tool.runner;
    const stdout = await runTool({ ...tool, runner }, argv, {
      env,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const list = parseToolJson(tool, stdout);
    // Plain loops, no spreads: this runs once per CLI call, mostly before V8 has optimised it.
    if (!Array.isArray(list)) throw invalidOutput(tool, FIELDS);
    for (const value of list as unknown[])
      if (!asSnapshot(value)) throw invalidOutput(tool, FIELDS);
    const { name: source, service } = this.config;
    const points = new Array<RecoveryPoint>(list.length);
    for (let i = 0; i < list.length; i++) {
      const snapshot = list[i] as Snapshot;
      const tags = snapshot.tags ? snapshot.tags.slice() : [];
      if (snapshot.hostname) tags.push(`host:${snapshot.hostname}`);
      points[i] = {
        id: snapshot.id,
        source,
        service,
        time: isoTime(tool, snapshot.time, `snapshot ${snapshot.id.slice(0, 8)}`),
        endTime: null,
        kind: 'snapshot',
        // restic's own "parent" is only a hint for change detection: every snapshot restores alone.
        parent: null,
        sizeBytes: snapshot.summary?.total_bytes_processed ?? null,
        copies: [this.backend.name],
        immutable: null,
        lastVerified: null,
        tags,
        raw: snapshot,
      };
    }
    return points;
  }

  /** The direct children of a folder inside a snapshot ("/" for its top). */
  async listFiles(
    snapshotId: string,
    path: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<SnapshotEntry[]> {
    if (!/^[0-9a-f]{8,64}$/.test(snapshotId)) {
      throw new UserError(
        'BAD_SNAPSHOT_ID',
        `"${shorten(snapshotId, 80)}" is not a restic snapshot id (source "${this.config.name}").`,
        'Pick a snapshot from the catalog.',
      );
    }
    checkValue(this.config.name, 'folder', path);
    const folder = posix.normalize(`/${path}`).replace(/(.)\/+$/, '$1');
    const { tool, env } = await this.context();
    const stdout = await runTool(tool, [...this.repoArgs(), 'ls', '--json', snapshotId, folder], {
      env,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const schema = await (Node ??= nodeSchema());
    const entries: SnapshotEntry[] = [];
    let found = false;
    for (const line of parseToolJsonLines(tool, stdout)) {
      if ((line as { struct_type?: string }).struct_type === 'snapshot') found = true;
      const node = schema.safeParse(line);
      if (!node.success || (line as { struct_type?: string }).struct_type === 'snapshot') continue;
      const { path: nodePath, type, name, size, mtime } = node.data;
      // restic prints the folder itself first; only its children belong in the listing.
      if (nodePath === folder || posix.dirname(nodePath) !== folder) continue;
      entries.push({
        path: nodePath,
        name,
        type: type === 'file' || type === 'dir' || type === 'symlink' ? type : 'other',
        sizeBytes: type === 'file' ? (size ?? 0) : null,
        modified: safeIso(mtime),
      });
    }
    // restic says "Ignoring ...: no matching ID" on stderr and exits 0 for an unknown snapshot.
    if (!found) {
      throw new UserError(
        'NOT_FOUND',
        `Snapshot ${snapshotId.slice(0, 8)} no longer exists in the restic repository of source "${this.config.name}".`,
        'Refresh the catalog: it may have been removed by a forget/prune run.',
      );
    }
    return entries;
  }

  /** Where the password comes from, for the source's status line. */
  describePassword(): string {
    return this.config.password ? describeSecret(this.config.password) : 'no password';
  }
}
