// `dapple findings`: every health finding of a workspace (stale, broken chains, 3-2-1, ...).
import type { Finding, Severity } from '../../../preload/schemas/groups';
import { UserError } from '../../ground/errors';
import { DEFAULT_DRILL_EVERY_SECONDS } from '../../drills/history';
import { readDrillHistory } from '../../drills/read';
import { computeFindings } from '../../groups/findings';
import { flagString, parseArgs, type Command } from '../command';
import { instantFlag, pointsFor, workspaceFromArgs } from './groups';

const help = `Usage: dapple findings --workspace DIR [--json] [--fail-on error|warning] [--refresh] [--now ISO]

  Every health finding of the workspace, most severe first: stale services, gaps longer than
  the RPO, broken incremental chains, points that are not immutable, no test restore in 30
  days, fewer than 3 copies / 2 backends / 1 off-site, retention drift, orphaned backup sets,
  and the RPO the actual schedule implies. A drill whose log verifies VALID against keys/trusted.json
  counts as a test restore of the points it restored (within dapple.yaml's drillEvery, default
  30 days); the latest drill of a runbook that failed or ran over its RTO is a finding.

  --json      an array of { severity, service, kind, message, pointId? }
  --fail-on   exit 1 when a finding of this severity (or worse) exists (for CI)
  --refresh   read the sources now instead of the cached catalog
  --now ISO   judge as if now were this instant
`;

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Findings as aligned text lines. */
export function findingsText(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'No findings.\n';
  return `${findings.map((f) => `${f.severity.toUpperCase().padEnd(8)} ${f.service.padEnd(16)} ${f.kind.padEnd(16)} ${f.message}`).join('\n')}\n`;
}

/** `dapple findings`. */
export const findingsCommand: Command = {
  name: 'findings',
  summary: 'health findings of a workspace: stale, broken chains, 3-2-1, retention, orphans',
  help,
  run: async (args, io) => {
    const parsed = parseArgs(args, ['workspace', 'fail-on', 'now'], ['json', 'refresh']);
    const failOn = flagString(parsed, 'fail-on');
    if (failOn !== undefined && failOn !== 'error' && failOn !== 'warning') {
      throw new UserError(
        'BAD_ARGS',
        `--fail-on takes error or warning, not ${JSON.stringify(failOn.slice(0, 20))}.`,
        'Write --fail-on error.',
      );
    }
    const workspace = await workspaceFromArgs(parsed, io);
    const points = await pointsFor(workspace, parsed, io);
    const now = instantFlag(parsed, 'now') ?? Date.now();
    // Drill logs that verify VALID against keys/trusted.json count as test restores.
    const history = await readDrillHistory({
      workspace,
      runbooks: (workspace.runbooks ?? []).map((r) => ({
        file: r.file,
        title: r.title,
        rtoSeconds: null,
      })),
      points,
      now,
    }).catch((error: unknown) => {
      // A trust file that does not load hides no other finding: then no drill counts.
      io.stderr(
        `warning: drill logs not counted: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      return null;
    });
    const findings = computeFindings({
      services: workspace.services.values(),
      backends: workspace.backends.values(),
      groups: workspace.groups.values(),
      points,
      now,
      drillHistory: history?.runbooks.flatMap((r) => r.drills) ?? [],
      verifyWithinDays:
        (history?.drillEverySeconds ?? workspace.drillEverySeconds ?? DEFAULT_DRILL_EVERY_SECONDS) /
        86_400,
    });
    io.stdout(
      parsed.flags.has('json') ? `${JSON.stringify(findings, null, 2)}\n` : findingsText(findings),
    );
    if (failOn === undefined) return 0;
    return findings.some((f) => RANK[f.severity] <= RANK[failOn]) ? 1 : 0;
  },
};
