// borg source: `borg list --json` and `borg info --json` become recovery points; `borg list --json-lines` browses one.
import { posix } from 'node:path';
import { z } from 'zod';
import { UserError } from '../../ground/errors';
import { quoteArgv } from '../../runbook/quote';
import type { SourceConfig } from '../../workspace/types';
import { resolveSecret } from '../secrets';
import type { SecretContext } from '../secrets';
import type { Backend, RecoveryPoint, SourceProgress, SourceReader } from '../types';
import {
  backendEnv,
  checkValue,
  invalidOutput,
  parseToolJson,
  parseToolJsonLines,
  runTool,
  shorten,
  listWithProgress,
} from './tool-run';
import type { FileBrowser, SnapshotEntry, ToolContext } from './tool-run';

type BorgConfig = Extract<SourceConfig, { type: 'borg' }>;

const Archive = z.looseObject({
  name: z.string(),
  id: z.string(),
  start: z.string(),
  hostname: z.string().optional(),
  username: z.string().optional(),
  comment: z.string().optional(),
});
const ListOutput = z.looseObject({ archives: z.array(Archive) });
const InfoOutput = z.looseObject({
  archives: z.array(
    z.looseObject({
      name: z.string(),
      stats: z.looseObject({ original_size: z.number() }).optional(),
    }),
  ),
});
const Item = z.looseObject({
  type: z.string(),
  path: z.string(),
  size: z.number().optional(),
  mtime: z.string().optional(),
});

// borg prints naive local times; we run it with TZ=UTC, so they are UTC.
function borgTime(value: string): Date {
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
}

function explain(source: string, repository: string, where: string) {
  return (stderr: string): UserError | null => {
    const repo = shorten(repository, 120);
    if (/passphrase supplied .* is incorrect|passphrase.*incorrect/i.test(stderr)) {
      return new UserError(
        'WRONG_PASSWORD',
        `borg could not open the repository ${repo} of source "${source}": the passphrase is wrong.`,
        'Check the passphrase configured for this source (file, command or keychain entry).',
      );
    }
    if (/Archive .* does not exist/i.test(stderr)) {
      return new UserError(
        'NOT_FOUND',
        `That archive no longer exists in source "${source}".`,
        'Refresh the catalog.',
      );
    }
    if (/does not exist|is not a valid repository/i.test(stderr)) {
      return new UserError(
        'REPOSITORY_NOT_FOUND',
        `There is no borg repository at ${repo} (source "${source}", on ${where}).`,
        'Check the repository path in dapple.yaml and that the backup host can reach it.',
      );
    }
    return null;
  };
}

// Folder names are data inside a regex: escape what Python's re treats as syntax.
function pythonRegexEscape(text: string): string {
  return text.replace(/[.^$*+?{}[\]\\|()#&~\-\s]/g, '\\$&');
}

/** Reads borg archives through the backend's runner (locally, or on the SSH host). */
export class BorgSource implements SourceReader, FileBrowser {
  readonly name: string;
  constructor(
    private readonly config: BorgConfig,
    private readonly backend: Backend,
    private readonly secrets: Omit<SecretContext, 'source'> = {},
  ) {
    this.name = config.name;
  }

  private async context(): Promise<{ tool: ToolContext; env: Record<string, string> }> {
    const { config } = this;
    checkValue(config.name, 'repository', config.repository);
    const runner = this.backend.runner();
    // Never let borg stop to ask a question: it would wait forever without a terminal.
    const reach = await backendEnv(this.backend);
    const env: Record<string, string> = {
      ...reach.env,
      TZ: 'UTC',
      BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK: 'yes',
      BORG_RELOCATED_REPO_ACCESS_IS_OK: 'yes',
      BORG_DISPLAY_PASSPHRASE: 'no',
    };
    const secrets: string[] = [...reach.secrets];
    const ref = config.passphrase;
    if (ref?.from === 'file' && runner.where === 'local') {
      env.BORG_PASSCOMMAND = quoteArgv(['cat', '--', ref.path]);
    } else if (ref) {
      const value = await resolveSecret(ref, { ...this.secrets, source: config.name });
      env.BORG_PASSPHRASE = value;
      secrets.push(value);
    } else env.BORG_PASSPHRASE = '';
    const tool: ToolContext = {
      source: config.name,
      tool: 'borg',
      debianPackage: 'borgbackup',
      runner,
      secrets,
      explain: explain(config.name, config.repository, runner.where),
    };
    return { tool, env };
  }

  async list(
    options: { signal?: AbortSignal; progress?: (p: SourceProgress) => void } = {},
  ): Promise<RecoveryPoint[]> {
    return listWithProgress('borg', 'borg list --json', this.backend.runner().where, options, () =>
      this.read(options),
    );
  }

  private async read(options: {
    signal?: AbortSignal;
    progress?: (p: SourceProgress) => void;
  }): Promise<RecoveryPoint[]> {
    const { tool, env } = await this.context();
    const run = { env, ...(options.signal ? { signal: options.signal } : {}) };
    const repo = this.config.repository;
    // --bypass-lock: reading the catalog must not wait for (or block) a running backup.
    const [listed, info] = await Promise.all([
      runTool(
        tool,
        [
          'borg',
          'list',
          '--bypass-lock',
          '--json',
          '--format',
          '{hostname}{username}{comment}{end}',
          '--',
          repo,
        ],
        run,
      ),
      // Sizes are a bonus: an info failure leaves them unknown rather than hiding the archives.
      runTool(
        tool,
        ['borg', 'info', '--bypass-lock', '--json', '--glob-archives', '*', '--', repo],
        run,
      ).catch(() => null),
    ]);
    const parsed = ListOutput.safeParse(parseToolJson(tool, listed));
    if (!parsed.success)
      throw invalidOutput(tool, 'the archive list does not have the expected fields');
    const sizes = new Map<string, number>();
    const infoParsed = info ? InfoOutput.safeParse(parseToolJson(tool, info)) : null;
    for (const a of infoParsed?.success ? infoParsed.data.archives : []) {
      if (a.stats) sizes.set(a.name, a.stats.original_size);
    }
    return parsed.data.archives.map((archive) => {
      const time = borgTime(archive.start);
      if (Number.isNaN(time.getTime()))
        throw invalidOutput(tool, `archive ${shorten(archive.name, 60)} has no valid time`);
      return {
        id: archive.name,
        source: this.config.name,
        service: this.config.service,
        time: time.toISOString(),
        endTime: null,
        kind: 'snapshot' as const,
        parent: null,
        sizeBytes: sizes.get(archive.name) ?? null,
        copies: [this.backend.name],
        immutable: null,
        lastVerified: null,
        tags: archive.hostname ? [`host:${archive.hostname}`] : [],
        raw: archive,
      };
    });
  }

  /** The direct children of a folder inside an archive ("/" for its top). */
  async listFiles(
    archiveName: string,
    path: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<SnapshotEntry[]> {
    checkValue(this.config.name, 'archive name', archiveName);
    checkValue(this.config.name, 'folder', path);
    // borg stores paths without a leading slash; we show them rooted at "/".
    const folder = posix.normalize(`/${path}`).replace(/\/+$/, '');
    const inner = folder.slice(1);
    const { tool, env } = await this.context();
    const argv = [
      'borg',
      'list',
      '--bypass-lock',
      '--json-lines',
      // Only the direct children of the folder: borg filters, so big archives stay cheap to browse.
      `--pattern=+re:^${inner ? `${pythonRegexEscape(inner)}/` : ''}[^/]+$`,
      '--pattern=-re:.',
      '--',
      `${this.config.repository}::${archiveName}`,
    ];
    const stdout = await runTool(tool, argv, {
      env,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const entries: SnapshotEntry[] = [];
    for (const line of parseToolJsonLines(tool, stdout)) {
      const item = Item.safeParse(line);
      if (!item.success)
        throw invalidOutput(tool, 'a file entry does not have the expected fields');
      const itemPath = item.data.path.replace(/^\.\//, '');
      if (itemPath === '.' || itemPath === inner) continue;
      const parent = posix.dirname(itemPath);
      if ((parent === '.' ? '' : parent) !== inner) continue;
      const { type, size, mtime } = item.data;
      const modified = mtime ? borgTime(mtime) : null;
      entries.push({
        path: `/${itemPath}`,
        name: posix.basename(itemPath),
        type: type === '-' ? 'file' : type === 'd' ? 'dir' : type === 'l' ? 'symlink' : 'other',
        sizeBytes: type === '-' ? (size ?? 0) : null,
        modified: modified && !Number.isNaN(modified.getTime()) ? modified.toISOString() : null,
      });
    }
    // borg lists in the order the archive was written (file-system order): sort, as restic does.
    return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}
