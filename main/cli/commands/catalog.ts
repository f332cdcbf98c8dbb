// `dapple catalog list`: every recovery point of a workspace, as JSON or a table.
import path from 'node:path';
import type { RecoveryPoint, SourceStatus } from '../../../preload/schemas/catalog';
import { UserError } from '../../ground/errors';
import { readRaw } from '../../catalog/cache';
import { loadCatalog, type LoadedCatalog } from '../../catalog/service';
import { defaultDataDir } from '../../paths';
import { loadWorkspace } from '../../workspace/load';
import type { Workspace } from '../../workspace/types';
import { flagString, parseArgs, type CliIo, type Command } from '../command';

const help = `Usage: dapple catalog list --workspace DIR [--service S] [--refresh] [--json] [--raw]

  Lists every recovery point the workspace's sources hold, newest first per service.
  Without --refresh the cached catalog answers (instantly, offline); the sources are read
  when there is no cache yet. A source that fails is reported on stderr and does not hide
  the others; the exit code is 1 only when every source failed.

  --workspace DIR  the workspace folder (default: the current folder)
  --service S      only the points of service S
  --refresh        read the sources now, and update the cache
  --json           one JSON array of points: service, source, id, time (ISO 8601 UTC),
                   endTime, kind, parent, sizeBytes, copies, immutable ({ mode, retainUntil,
                   legalHold } or null), lastVerified, tags
  --raw            with --json, add each point's raw record as its source reported it
  --cache-dir DIR  where catalogs are cached (default: $DAPPLE_DATA_DIR/catalog)
`;

const VALUED = ['workspace', 'service', 'cache-dir'];
const BOOLEANS = ['json', 'refresh', 'raw'];

// Terminal escapes, line breaks and bidi overrides: what could make text lie about itself.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Hostile text (ids, tags, tool messages) is shown as text: control characters are escaped. */
export function printable(text: string, max = Infinity): string {
  const safe = text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return safe.length > max ? `${safe.slice(0, max - 1)}…` : safe;
}

async function openWorkspace(dir: string): Promise<Workspace> {
  const result = await loadWorkspace(dir);
  // Warnings (a missing keys/trusted.json, say) do not concern the catalog: dapple serve shows them.
  if (result.workspace) return result.workspace;
  const first = result.problems.find((p) => p.severity === 'error') ?? result.problems[0];
  throw new UserError(
    'BAD_WORKSPACE',
    `The workspace at ${dir} could not be loaded${first ? ` (${first.file}${first.line === null ? '' : `:${first.line}`}: ${first.message})` : ''}.`,
    'Fix dapple.yaml, then run the command again.',
  );
}

/** The JSON shape of one point (raw only when asked for). */
function jsonPoint(p: RecoveryPoint, raw: unknown, withRaw: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    service: p.service,
    source: p.source,
    id: p.id,
    time: p.time,
    endTime: p.endTime,
    kind: p.kind,
    parent: p.parent,
    sizeBytes: p.sizeBytes,
    copies: p.copies,
    immutable: p.immutable,
    lastVerified: p.lastVerified,
    tags: p.tags,
  };
  if (withRaw) out.raw = raw;
  return out;
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
/** 1234567 → "1.2 MB". */
export function humanSize(bytes: number | null): string {
  if (bytes === null) return '-';
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

function lockText(p: RecoveryPoint): string {
  if (!p.immutable) return '-';
  const until = p.immutable.retainUntil ? ` until ${p.immutable.retainUntil.slice(0, 10)}` : '';
  return `${p.immutable.mode}${until}${p.immutable.legalHold && p.immutable.mode !== 'LEGAL_HOLD' ? ' +hold' : ''}`;
}

function table(points: RecoveryPoint[]): string {
  const rows = points.map((p) => [
    printable(p.service, 24),
    printable(p.source, 24),
    p.kind === 'window'
      ? `${p.time.slice(0, 19)}Z → ${p.endTime ? `${p.endTime.slice(0, 19)}Z` : 'now'}`
      : `${p.time.slice(0, 19)}Z`,
    p.kind,
    humanSize(p.sizeBytes),
    printable(p.copies.join(','), 30),
    lockText(p),
    printable(p.id, 40),
  ]);
  const head = ['SERVICE', 'SOURCE', 'TIME (UTC)', 'KIND', 'SIZE', 'COPIES', 'LOCK', 'ID'];
  const widths = head.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (r[i] as string).length)),
  );
  const line = (cells: string[]): string =>
    `${cells
      .map((c, i) => c.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd()}\n`;
  return line(head) + rows.map(line).join('');
}

/** Write the points as one JSON array, in chunks (a million points must not become one string). */
async function writeJson(
  catalog: LoadedCatalog,
  points: RecoveryPoint[],
  withRaw: boolean,
  io: CliIo,
): Promise<void> {
  const index = new Map<RecoveryPoint, number>();
  if (withRaw) catalog.points.forEach((p, i) => index.set(p, i));
  io.stdout('[');
  let chunk: string[] = [];
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as RecoveryPoint;
    let raw: unknown = null;
    const at = index.get(p);
    const section = catalog.snapshot?.sections.get(p.source);
    if (withRaw && at !== undefined && section && catalog.snapshot)
      raw = await readRaw(catalog.snapshot, section, catalog.refs.index[at] as number);
    chunk.push(`${i === 0 ? '' : ','}\n  ${JSON.stringify(jsonPoint(p, raw, withRaw))}`);
    if (chunk.length >= 1000) {
      io.stdout(chunk.join(''));
      chunk = [];
    }
  }
  io.stdout(`${chunk.join('')}${points.length ? '\n' : ''}]\n`);
}

/** Per-source failures and warnings as sentences on stderr. */
function reportSources(statuses: SourceStatus[], io: CliIo): void {
  for (const s of statuses) {
    for (const warning of s.warnings ?? []) {
      io.stderr(
        `dapple catalog: source ${printable(s.source, 80)}: warning: ${printable(warning, 600)}\n`,
      );
    }
    if (s.state !== 'error' || !s.error) continue;
    const kept =
      s.points > 0
        ? ` (showing its ${s.points} cached points from ${s.refreshedAt ?? 'an earlier read'})`
        : '';
    io.stderr(
      `dapple catalog: source ${printable(s.source, 80)}: ${printable(s.error.message, 2000)}${kept}\n`,
    );
    if (s.error.hint) io.stderr(`  ${printable(s.error.hint, 500)}\n`);
  }
}

async function list(args: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args, VALUED, BOOLEANS);
  if (parsed.positional.length > 0) {
    throw new UserError(
      'BAD_ARGS',
      `Unexpected argument "${printable(parsed.positional[0] as string, 60)}".`,
      'Run dapple catalog --help.',
    );
  }
  const workspace = await openWorkspace(
    path.resolve(io.cwd, flagString(parsed, 'workspace') ?? '.'),
  );
  const service = flagString(parsed, 'service');
  if (service !== undefined && !workspace.services.has(service)) {
    const known = [...workspace.services.keys()].slice(0, 10).join(', ');
    throw new UserError(
      'UNKNOWN_SERVICE',
      `The workspace has no service named "${printable(service, 80)}".`,
      known ? `Its services are: ${known}.` : 'It defines no services.',
    );
  }
  const cacheDir = flagString(parsed, 'cache-dir') ?? path.join(defaultDataDir(io.env), 'catalog');
  const catalog = await loadCatalog(workspace, {
    cacheDir: path.resolve(io.cwd, cacheDir),
    refresh: parsed.flags.has('refresh'),
  });
  if (catalog.note) io.stderr(`dapple catalog: ${printable(catalog.note)}\n`);
  reportSources(catalog.sources, io);
  const points = (
    service === undefined ? catalog.points : catalog.points.filter((p) => p.service === service)
  )
    .slice()
    .sort((a, b) =>
      a.service < b.service
        ? -1
        : a.service > b.service
          ? 1
          : a.time < b.time
            ? 1
            : a.time > b.time
              ? -1
              : 0,
    );
  if (parsed.flags.has('json')) await writeJson(catalog, points, parsed.flags.has('raw'), io);
  else {
    io.stdout(points.length ? table(points) : 'No recovery points.\n');
    const failed = catalog.sources.filter((s) => s.state === 'error').length;
    io.stderr(
      `${catalog.sources.length} sources, ${failed} failed; catalog as of ${catalog.asOf ?? 'never'}${parsed.flags.has('refresh') ? '' : ' (cached; --refresh reads the sources)'}.\n`,
    );
  }
  const every = catalog.sources.length > 0 && catalog.sources.every((s) => s.state === 'error');
  return every ? 1 : 0;
}

/** `dapple catalog`: list recovery points. */
export const catalogCommand: Command = {
  name: 'catalog',
  summary: 'list the recovery points of a workspace (cached, or --refresh)',
  help,
  run: async (args, io) => {
    const [sub, ...rest] = args;
    if (sub === 'list') return list(rest, io);
    throw new UserError(
      'BAD_ARGS',
      sub
        ? `Unknown subcommand "catalog ${printable(sub, 40)}".`
        : 'dapple catalog needs a subcommand.',
      'Run dapple catalog list --workspace DIR (see dapple catalog --help).',
    );
  },
};
