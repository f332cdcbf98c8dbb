// `dapple groups`: candidate cuts of a consistency group and the last good state before an incident.
import path from 'node:path';
import type { RecoveryPoint } from '../../../preload/schemas/catalog';
import type { Cut } from '../../../preload/schemas/groups';
import { UserError } from '../../ground/errors';
import { loadCatalog } from '../../catalog/service';
import { bestCutBefore, candidateCuts, toMs } from '../../groups/candidates';
import { defaultDataDir } from '../../paths';
import { loadWorkspace } from '../../workspace/load';
import type { GroupConfig, Workspace } from '../../workspace/types';
import { flagString, parseArgs, type CliIo, type Command, type ParsedArgs } from '../command';

const help = `Usage: dapple groups <cuts|best|list> --workspace DIR [options]

  cuts --workspace DIR --group G [--before ISO] [--limit N] [--consistent] [--json]
      Candidate cuts of group G, newest first: one recovery point (or an instant inside a
      continuous window) per member, its skew, and whether it is consistent and why.
      --before      only cuts strictly before this instant (e.g. when the incident began)
      --limit       how many cuts (default 20)
      --consistent  only consistent cuts
      --json        an array of { time, skewSeconds, consistent, reason, members: [{ service,
                    pointId (null for a continuous member), time, ... }], ... }

  best --workspace DIR --group G --before ISO [--json]
      The newest consistent cut strictly before the instant ("the last good state before the
      incident"), or why there is none.

  list --workspace DIR [--json]
      The consistency groups of the workspace.

Common options:
  --refresh   read the sources now instead of the cached catalog
  --now ISO   judge as if now were this instant (reproduce a past incident)
Times are ISO 8601 with an offset, e.g. 2026-11-26T02:14:00Z or 2026-11-26T03:14:00+01:00.
`;

const VALUED = ['workspace', 'group', 'before', 'limit', 'now'];
const BOOLEANS = ['json', 'consistent', 'refresh'];

/** The workspace named by --workspace (default: the current folder); refuses one that did not load. */
export async function workspaceFromArgs(parsed: ParsedArgs, io: CliIo): Promise<Workspace> {
  const dir = path.resolve(io.cwd, flagString(parsed, 'workspace') ?? '.');
  const result = await loadWorkspace(dir);
  for (const p of result.problems.filter((x) => x.severity === 'warning')) {
    io.stderr(`warning: ${p.file}${p.line === null ? '' : `:${p.line}`}: ${p.message}\n`);
  }
  if (result.workspace === null) {
    const first = result.problems.find((p) => p.severity === 'error') ?? result.problems[0];
    const where = first
      ? `${first.file}${first.line === null ? '' : `:${first.line}`}: ${first.message}`
      : 'unknown problem';
    throw new UserError(
      'BAD_WORKSPACE',
      `The workspace at ${dir} could not be loaded (${where}).`,
      'Fix dapple.yaml, or check the folder with dapple serve and the Health section.',
    );
  }
  return result.workspace;
}

/** The workspace's catalog: the cache when there is one (or --refresh), else read from the sources. */
export async function pointsFor(
  workspace: Workspace,
  parsed: ParsedArgs,
  io: CliIo,
): Promise<RecoveryPoint[]> {
  const catalog = await loadCatalog(workspace, {
    cacheDir: path.join(defaultDataDir(io.env), 'catalog'),
    refresh: parsed.flags.has('refresh'),
  });
  for (const s of catalog.sources) {
    if (s.error) io.stderr(`warning: source ${s.source}: ${s.error.message}\n`);
  }
  if (catalog.note) io.stderr(`note: ${catalog.note}\n`);
  return catalog.points;
}

/** An instant flag (ISO with offset), or undefined when absent. */
export function instantFlag(parsed: ParsedArgs, name: string): number | undefined {
  const text = flagString(parsed, name);
  if (text === undefined) return undefined;
  const ms = toMs(text);
  if (Number.isNaN(ms)) {
    throw new UserError(
      'BAD_ARGS',
      `--${name} ${JSON.stringify(text.slice(0, 60))} is not an ISO 8601 instant with an offset.`,
      `Write it like 2026-11-26T02:14:00Z.`,
    );
  }
  return ms;
}

function groupFrom(workspace: Workspace, parsed: ParsedArgs): GroupConfig {
  const name = flagString(parsed, 'group');
  if (name === undefined)
    throw new UserError(
      'BAD_ARGS',
      'Name the group with --group G.',
      `Groups here: ${[...workspace.groups.keys()].join(', ') || 'none'}.`,
    );
  const group = workspace.groups.get(name);
  if (!group) {
    throw new UserError(
      'NO_GROUP',
      `The workspace has no consistency group named ${JSON.stringify(name.slice(0, 80))}.`,
      `Groups here: ${[...workspace.groups.keys()].join(', ') || 'none'}.`,
    );
  }
  return group;
}

function limitFrom(parsed: ParsedArgs): number {
  const text = flagString(parsed, 'limit');
  if (text === undefined) return 20;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 100_000) {
    throw new UserError(
      'BAD_ARGS',
      `--limit ${JSON.stringify(text.slice(0, 20))} is not a whole number from 1 to 100000.`,
      'Write it like --limit 10.',
    );
  }
  return n;
}

/** One cut as a few lines of text. */
export function cutText(cut: Cut): string {
  const mark = cut.consistent ? 'consistent  ' : 'inconsistent';
  const members = cut.members.map(
    (m) => `    ${m.service.padEnd(18)} ${m.time}  ${m.pointId ?? `(window ${m.windowId ?? '?'})`}`,
  );
  return [`${cut.time}  ${mark}  skew ${cut.skewSeconds}s  ${cut.reason}`, ...members].join('\n');
}

async function cutsCmd(args: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args, VALUED, BOOLEANS);
  const workspace = await workspaceFromArgs(parsed, io);
  const group = groupFrom(workspace, parsed);
  const now = instantFlag(parsed, 'now') ?? Date.now();
  const before = instantFlag(parsed, 'before');
  const points = await pointsFor(workspace, parsed, io);
  const cuts = candidateCuts(group, points, {
    now,
    before,
    limit: limitFrom(parsed),
    consistentOnly: parsed.flags.has('consistent'),
  });
  if (parsed.flags.has('json')) {
    io.stdout(`${JSON.stringify(cuts, null, 2)}\n`);
    return 0;
  }
  if (cuts.length === 0) {
    const best = bestCutBefore(group, points, before ?? now + 1, { now });
    io.stdout(`No cut of ${group.name}: ${best.reason}.\n`);
    return 0;
  }
  io.stdout(`${cuts.map(cutText).join('\n')}\n`);
  return 0;
}

async function bestCmd(args: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args, VALUED, BOOLEANS);
  const workspace = await workspaceFromArgs(parsed, io);
  const group = groupFrom(workspace, parsed);
  const before = instantFlag(parsed, 'before');
  if (before === undefined)
    throw new UserError(
      'BAD_ARGS',
      'Say when the incident began with --before ISO.',
      'For example --before 2026-11-26T02:14:00Z.',
    );
  const now = instantFlag(parsed, 'now') ?? Date.now();
  const best = bestCutBefore(group, await pointsFor(workspace, parsed, io), before, { now });
  if (parsed.flags.has('json')) {
    io.stdout(`${JSON.stringify(best, null, 2)}\n`);
    return 0;
  }
  io.stdout(`${best.reason}.\n${best.cut ? `${cutText(best.cut)}\n` : ''}`);
  return best.cut ? 0 : 1;
}

async function listCmd(args: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args, ['workspace'], ['json']);
  const workspace = await workspaceFromArgs(parsed, io);
  const groups = [...workspace.groups.values()];
  if (parsed.flags.has('json')) io.stdout(`${JSON.stringify(groups, null, 2)}\n`);
  else
    for (const g of groups)
      io.stdout(`${g.name}: ${g.order.join(' → ')} (tolerance ${g.toleranceSeconds}s)\n`);
  return 0;
}

/** `dapple groups <cuts|best|list>`. */
export const groupsCommand: Command = {
  name: 'groups',
  summary: 'candidate cuts of a consistency group; the last good state before an incident',
  help,
  run: async (args, io) => {
    const [sub, ...rest] = args;
    if (sub === 'cuts') return cutsCmd(rest, io);
    if (sub === 'best') return bestCmd(rest, io);
    if (sub === 'list') return listCmd(rest, io);
    throw new UserError(
      'BAD_ARGS',
      `Unknown groups subcommand ${JSON.stringify((sub ?? '').slice(0, 40))}.`,
      'Use dapple groups cuts, best or list (dapple groups --help).',
    );
  },
};
