// `dapple workspace check|demo`: validate a workspace in CI (configuration as code), or make the demo.
import { resolve } from 'node:path';
import type { WorkspaceProblem } from '../../../preload/schemas/workspace';
import { UserError } from '../../ground/errors';
import { flagString, parseArgs } from '../command';
import type { CliIo, Command } from '../command';
import { defaultDemoDir, prepareDemoWorkspace } from '../../workspace/demo';
import { loadWorkspace } from '../../workspace/load';

const help = `Usage: dapple workspace check [DIR] [--json] [--strict]
       dapple workspace demo [--into DIR] [--now ISO]

  check   Load the workspace in DIR (default: the current folder): dapple.yaml against its
          schema and cross-references, every runbook in runbooks/, keys/trusted.json.
          Prints each problem as "file line N: sentence". Exit 1 when there is an error
          (with --strict, also a warning), 0 otherwise. Made for CI on a workspace repository.
            --json     { path, name, ok, problems: [{ file, line, severity, message }] }
            --strict   warnings fail too
  demo    Write the demo workspace with backups generated relative to now (or --now) into
          --into DIR (default: ${defaultDemoDir()}), and print its folder.
`;

function problemsText(problems: readonly WorkspaceProblem[]): string {
  return problems
    .map((p) => `${p.severity === 'error' ? 'ERROR  ' : 'WARNING'} ${p.message}\n`)
    .join('');
}

async function check(args: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args, [], ['json', 'strict']);
  if (parsed.positional.length > 1) {
    throw new UserError(
      'BAD_ARGS',
      'dapple workspace check takes one folder.',
      'Write dapple workspace check DIR.',
    );
  }
  const dir = resolve(io.cwd, parsed.positional[0] ?? '.');
  const result = await loadWorkspace(dir);
  const failing = result.problems.filter(
    (p) => p.severity === 'error' || parsed.flags.has('strict'),
  );
  const ok = result.workspace !== null && failing.length === 0;
  if (parsed.flags.has('json')) {
    const report = {
      path: result.root,
      name: result.workspace?.name ?? null,
      ok,
      problems: result.problems,
    };
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    io.stdout(problemsText(result.problems));
    const ws = result.workspace;
    const summary = ws
      ? `${ws.name}: ${ws.backends.size} backends, ${ws.sources.size} sources, ${ws.services.size} services, ${ws.groups.size} groups, ${ws.targets.size} targets, ${result.runbooks.length} runbooks`
      : `${result.root} could not be loaded`;
    const verdict = ok
      ? 'OK'
      : `${failing.length} problem${failing.length === 1 ? '' : 's'} to fix`;
    io.stdout(`${summary} — ${verdict}.\n`);
  }
  return ok ? 0 : 1;
}

async function demo(args: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args, ['into', 'now'], []);
  const nowText = flagString(parsed, 'now');
  const now = nowText === undefined ? new Date() : new Date(nowText);
  if (Number.isNaN(now.getTime())) {
    throw new UserError(
      'BAD_ARGS',
      `--now ${JSON.stringify(nowText?.slice(0, 40))} is not an instant.`,
      'Write it as ISO 8601, e.g. 2026-11-26T03:00:00Z.',
    );
  }
  const into = flagString(parsed, 'into');
  const dir = await prepareDemoWorkspace(
    into === undefined ? { now } : { now, into: resolve(io.cwd, into) },
  );
  io.stdout(`${dir}\n`);
  return 0;
}

/** `dapple workspace`. */
export const workspaceCommand: Command = {
  name: 'workspace',
  summary: 'Check a workspace folder (for CI), or write the demo workspace',
  help,
  run: async (args, io) => {
    const [sub, ...rest] = args;
    if (sub === 'check') return check(rest, io);
    if (sub === 'demo') return demo(rest, io);
    if (sub === undefined || sub === '--help' || sub === '-h') {
      io.stdout(help);
      return sub === undefined ? 2 : 0;
    }
    throw new UserError(
      'BAD_ARGS',
      `dapple workspace has no subcommand "${sub.slice(0, 40)}".`,
      'Use dapple workspace check or dapple workspace demo.',
    );
  },
};
