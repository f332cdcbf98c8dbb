// pgBackRest source: `pgbackrest info --output=json` becomes full/diff/incr points and a WAL window.
import { z } from 'zod';
import { UserError } from '../../ground/errors';
import type { SourceConfig } from '../../workspace/types';
import type { Backend, RecoveryPoint, SourceProgress, SourceReader } from '../types';
import {
  checkValue,
  invalidOutput,
  parseToolJson,
  runTool,
  shorten,
  listWithProgress,
} from './tool-run';
import type { ToolContext } from './tool-run';

type PgbackrestConfig = Extract<SourceConfig, { type: 'pgbackrest' }>;

const DbRef = z.looseObject({ id: z.number(), 'repo-key': z.number().optional() });
const Backup = z.looseObject({
  label: z.string(),
  type: z.enum(['full', 'diff', 'incr']),
  prior: z.string().nullish(),
  reference: z.array(z.string()).nullish(),
  timestamp: z.looseObject({ start: z.number(), stop: z.number() }),
  archive: z.looseObject({ start: z.string().nullish(), stop: z.string().nullish() }).nullish(),
  info: z
    .looseObject({
      size: z.number().optional(),
      delta: z.number().optional(),
      repository: z.looseObject({ delta: z.number().optional() }).optional(),
    })
    .optional(),
  database: DbRef,
  error: z.boolean().optional(),
});
const Stanza = z.looseObject({
  name: z.string(),
  status: z.looseObject({ code: z.number(), message: z.string() }),
  db: z.array(z.looseObject({ id: z.number(), version: z.string() })).default([]),
  archive: z
    .array(
      z.looseObject({
        id: z.string(),
        min: z.string().nullish(),
        max: z.string().nullish(),
        database: DbRef,
      }),
    )
    .default([]),
  backup: z.array(Backup).default([]),
  repo: z
    .array(
      z.looseObject({
        key: z.number(),
        status: z.looseObject({ code: z.number(), message: z.string() }),
      }),
    )
    .default([]),
});
const RepoLs = z.record(
  z.string(),
  z.looseObject({ type: z.string(), time: z.number().optional() }),
);

type Backup = z.infer<typeof Backup>;

// Status codes of `pgbackrest info` (see its command reference): some mean "nothing to list yet".
// The stanza says "other" for repository failures; the per-repository status says why.
function statusError(
  source: string,
  stanza: string,
  where: string,
  status: { code: number; message: string },
  repos: { key: number; status: { code: number; message: string } }[],
): UserError | null {
  const { code } = status;
  if (code === 0 || code === 2 || code === 6) return null;
  const detail = [
    status.message,
    ...repos.filter((r) => r.status.code !== 0).map((r) => `repo${r.key}: ${r.status.message}`),
  ].join('; ');
  if (/permission denied/i.test(detail)) {
    return new UserError(
      'PERMISSION_DENIED',
      `pgBackRest on ${where} may not read the repository of stanza "${shorten(stanza, 80)}" (source "${source}"): ${shorten(detail, 300)}.`,
      'Connect as the user that owns the repository (usually postgres), or grant it read access.',
    );
  }
  if (code === 1 || code === 3) {
    return new UserError(
      'STANZA_NOT_FOUND',
      `pgBackRest on ${where} has no stanza "${shorten(stanza, 80)}" (source "${source}"): ${shorten(detail)}.`,
      'Check the stanza name and the pgBackRest config path of this source (stanza-create must have run).',
    );
  }
  return new UserError(
    'PGBACKREST_STATUS',
    `pgBackRest reports a problem with stanza "${shorten(stanza, 80)}" on ${where} (source "${source}"): ${shorten(detail, 300)}.`,
    'Run `pgbackrest info` on that host to see the details, and fix the repository.',
  );
}

/** Reads a pgBackRest stanza through the backend's runner (usually the database or repository host over SSH). */
export class PgbackrestSource implements SourceReader {
  readonly name: string;
  constructor(
    private readonly config: PgbackrestConfig,
    private readonly backend: Backend,
  ) {
    this.name = config.name;
  }

  private tool(): ToolContext {
    return {
      source: this.config.name,
      tool: 'pgbackrest',
      debianPackage: 'pgbackrest',
      runner: this.backend.runner(),
      secrets: [],
    };
  }

  // Console logging off and file logging off: stdout stays pure JSON and nothing needs a writable log path.
  private argv(command: string[]): string[] {
    const { stanza, config } = this.config;
    checkValue(this.config.name, 'stanza', stanza, 255);
    if (config !== null) checkValue(this.config.name, 'config path', config);
    return [
      'pgbackrest',
      ...(config ? [`--config=${config}`] : []),
      `--stanza=${stanza}`,
      '--log-level-console=off',
      '--log-level-stderr=error',
      '--log-level-file=off',
      ...command,
      '--output=json',
    ];
  }

  async list(
    options: { signal?: AbortSignal; progress?: (p: SourceProgress) => void } = {},
  ): Promise<RecoveryPoint[]> {
    return listWithProgress(
      'pgbackrest',
      'pgbackrest info --output=json',
      this.backend.runner().where,
      options,
      () => this.read(options),
    );
  }

  private async read(options: {
    signal?: AbortSignal;
    progress?: (p: SourceProgress) => void;
  }): Promise<RecoveryPoint[]> {
    const tool = this.tool();
    const signal = options.signal ? { signal: options.signal } : {};
    const stdout = await runTool(tool, this.argv(['info']), { timeoutMs: 120_000, ...signal });
    const parsed = z.array(Stanza).safeParse(parseToolJson(tool, stdout));
    if (!parsed.success)
      throw invalidOutput(tool, 'the stanza info does not have the expected fields');
    const stanza = parsed.data.find((s) => s.name === this.config.stanza) ?? parsed.data[0];
    if (!stanza) throw invalidOutput(tool, 'it lists no stanza');
    const problem = statusError(
      this.config.name,
      this.config.stanza,
      tool.runner.where,
      stanza.status,
      stanza.repo,
    );
    if (problem) throw problem;

    const points = this.backupPoints(stanza.backup, stanza.db);
    for (const archive of stanza.archive) {
      const window = await this.windowPoint(tool, archive, stanza.backup, signal);
      if (window) points.push(window);
    }
    return points;
  }

  // The same label in several repositories is one point with several copies.
  private backupPoints(backups: Backup[], dbs: { id: number; version: string }[]): RecoveryPoint[] {
    const byLabel = new Map<string, RecoveryPoint>();
    for (const backup of backups) {
      const repoKey = backup.database['repo-key'] ?? 1;
      const copy = repoKey === 1 ? this.backend.name : `${this.backend.name}/repo${repoKey}`;
      const existing = byLabel.get(backup.label);
      if (existing) {
        existing.copies.push(copy);
        continue;
      }
      const version = dbs.find((d) => d.id === backup.database.id)?.version;
      byLabel.set(backup.label, {
        id: backup.label,
        source: this.config.name,
        service: this.config.service,
        // A backup is consistent (restorable) as of its stop time.
        time: new Date(backup.timestamp.stop * 1000).toISOString(),
        endTime: null,
        kind: backup.type,
        parent: backup.type === 'full' ? null : (backup.prior ?? backup.reference?.at(-1) ?? null),
        // What this backup added to the repository; raw.info has the database size too.
        sizeBytes: backup.info?.repository?.delta ?? backup.info?.delta ?? null,
        copies: [copy],
        immutable: null,
        lastVerified: null,
        tags: [
          ...(version ? [`postgres:${version}`] : []),
          ...(backup.error ? ['page-checksum-error'] : []),
        ],
        raw: backup,
      });
    }
    return [...byLabel.values()];
  }

  /** The continuous window: from the first backup whose WAL is archived to the last archived segment. */
  private async windowPoint(
    tool: ToolContext,
    archive: {
      id: string;
      min?: string | null | undefined;
      max?: string | null | undefined;
      database: { id: number };
    },
    backups: Backup[],
    signal: { signal?: AbortSignal },
  ): Promise<RecoveryPoint | null> {
    const { min, max } = archive;
    if (!min || !max) return null;
    // WAL segment names sort in order: a backup is recoverable here if its WAL starts inside the range.
    const usable = backups
      .filter(
        (b) => b.database.id === archive.database.id && b.archive?.start && b.archive.start >= min,
      )
      .sort((a, b) => a.timestamp.stop - b.timestamp.stop);
    const first = usable[0];
    const last = usable.at(-1);
    if (!first || !last) return null;
    const lastArchived = await this.lastArchivedTime(tool, archive.id, max, signal);
    const start = new Date(first.timestamp.stop * 1000);
    const end = new Date(Math.max(lastArchived ?? 0, last.timestamp.stop * 1000));
    return {
      id: `wal:${archive.id}`,
      source: this.config.name,
      service: this.config.service,
      time: start.toISOString(),
      endTime: end.toISOString(),
      kind: 'window',
      parent: null,
      sizeBytes: null,
      copies: [this.backend.name],
      immutable: null,
      lastVerified: null,
      tags: ['wal-archive'],
      raw: {
        ...archive,
        firstRecoverableBackup: first.label,
        lastArchivedAt: lastArchived ? new Date(lastArchived).toISOString() : null,
      },
    };
  }

  // When the newest WAL segment was archived, from `pgbackrest repo-ls`; null if that cannot be read.
  private async lastArchivedTime(
    tool: ToolContext,
    archiveId: string,
    max: string,
    signal: { signal?: AbortSignal },
  ): Promise<number | null> {
    if (!/^[0-9A-Za-z-]+$/.test(archiveId) || !/^[0-9A-F]{24}$/.test(max)) return null;
    const folder = `archive/${this.config.stanza}/${archiveId}/${max.slice(0, 16)}`;
    try {
      const stdout = await runTool(tool, this.argv(['repo-ls', folder]), {
        timeoutMs: 60_000,
        ...signal,
      });
      const listing = RepoLs.safeParse(parseToolJson(tool, stdout));
      if (!listing.success) return null;
      const times = Object.entries(listing.data)
        .filter(
          ([name, entry]) =>
            name.startsWith(max) && entry.type === 'file' && entry.time !== undefined,
        )
        .map(([, entry]) => (entry.time ?? 0) * 1000);
      return times.length > 0 ? Math.max(...times) : null;
    } catch {
      return null;
    }
  }
}
