// restic-restore: `restic restore <id> --target …` with the repository password in env. Progress
// from restic's --json status lines (restic 0.16+); older restic prints none, so the target folder
// is measured against a count of the snapshot's files made first with `restic ls --json`.
import type { SourceConfig } from '../../workspace/types';
import { commandHost, confineWrite, runsRemotely, startCommand } from './command';
import { shorten } from '../../catalog/sources/tool-run';
import { captureOutput } from './capture';
import { count, jsonLine, lineSplitter, toolMissing } from './lines';
import { targetMeasure, watchFolder } from './measure';
import { stepSource, toolEnv } from './tool-env';
import type { ExecutorContext, StepExecutor } from './types';

type Restic = Extract<SourceConfig, { type: 'restic' }>;

/** restic's own words for the failures people hit, as sentences. */
export function resticFailure(
  stderr: string,
  exitCode: number | null,
  ctx: ExecutorContext,
): string | null {
  const host = commandHost(ctx).host;
  if (exitCode === 127) return toolMissing('restic', host, 'restic');
  // Named as the catalog names it: the engineer sees which repository refused the password.
  const source = ctx.workspace.sources.get(ctx.step.source ?? '');
  const repo = source && 'repository' in source ? `${shorten(source.repository, 120)} ` : '';
  if (/wrong password|no key found/i.test(stderr))
    return `restic could not open the repository ${repo}of source ${ctx.step.source}: the password is wrong. Check the password configured for the source (file, command or environment variable), then retry.`;
  if (/Is there a repository at the following location|unable to open config file/i.test(stderr))
    return `There is no restic repository where source ${ctx.step.source} says (on ${host}). Check the repository in dapple.yaml, then retry.`;
  if (/no matching ID found|invalid id/i.test(stderr))
    return `The snapshot is no longer in the repository of source ${ctx.step.source} (pruned?). Refresh the catalog and choose another point.`;
  return null;
}

/** Files and bytes the restore will write: the snapshot's listing, filtered by the includes. */
export function countListing(stdout: Buffer, includes: string[]): { files: number; bytes: number } {
  const total = { files: 0, bytes: 0 };
  const wanted = includes.map((p) => p.replace(/\/+$/, ''));
  for (const line of stdout.toString('utf8').split('\n')) {
    const node = jsonLine(line);
    if (!node || node.type !== 'file' || typeof node.path !== 'string') continue;
    const path = node.path;
    if (wanted.length > 0 && !wanted.some((w) => path === w || path.startsWith(`${w}/`))) continue;
    total.files++;
    total.bytes += count(node.size) ?? 0;
  }
  return total;
}

const optionValue = (argv: string[], name: string) =>
  argv.filter((w) => w.startsWith(`--${name}=`)).map((w) => w.slice(name.length + 3));

/** Runs restic-restore steps. */
export const resticExecutor: StepExecutor = {
  kinds: ['restic-restore'],
  async start(ctx) {
    const argv = ctx.step.argv ?? [];
    const source = stepSource(ctx.workspace, ctx.step.source) as Restic;
    const { env, secrets } = await toolEnv(source, runsRemotely(ctx.step));
    const target = optionValue(argv, 'target')[0] ?? '';
    await confineWrite(ctx, target);
    const includes = optionValue(argv, 'include');
    const snapshot = argv[argv.indexOf('restore') + 1] ?? '';
    // Counting first gives the bar its total; a failed count only leaves the bar without one.
    const listing = await captureOutput(
      ctx,
      ['restic', `--repo=${source.repository}`, 'ls', '--json', snapshot],
      env,
      new AbortController().signal,
    );
    const totals = listing ? countListing(listing, includes) : null;
    if (totals)
      await ctx.writer.append('note', {
        step: ctx.step.id,
        text: `To restore: ${totals.files} files, ${totals.bytes} bytes (counted with restic ls --json ${snapshot.slice(0, 8)}).`,
      });
    let toolReports = false;
    const report = (files: number, bytes: number, detail: string | null) =>
      ctx.progress({
        unit: 'files',
        done: files,
        total: totals?.files ?? null,
        bytesDone: bytes,
        bytesTotal: totals?.bytes ?? null,
        detail,
      });
    let measuredFiles = 0;
    const onLine = lineSplitter((line) => {
      const status = jsonLine(line);
      if (status?.message_type !== 'status' && status?.message_type !== 'summary') return;
      toolReports = true;
      // restic 0.17 counts folders in files_restored and total_files (13 for 4 chosen files): with
      // our own count, the files are ours (the folder measured; all of them at the summary), and
      // restic gives the bytes and the ETA.
      const done = !totals
        ? (count(status.files_restored) ?? 0)
        : status.message_type === 'summary'
          ? totals.files
          : Math.min(measuredFiles, totals.files);
      ctx.progress({
        unit: 'files',
        done,
        total: totals?.files ?? count(status.total_files) ?? null,
        bytesDone: count(status.bytes_restored),
        bytesTotal: count(status.total_bytes) ?? totals?.bytes ?? null,
        etaSeconds: count(status.seconds_remaining),
        detail: null,
      });
    });
    const measure = targetMeasure(ctx, target);
    const baseline = await measure();
    return startCommand(ctx, argv, {
      env,
      secrets,
      onOutput: (stream, bytes) => stream === 'stdout' && onLine(bytes),
      explain: (end, stderr) => resticFailure(stderr, end.exitCode, ctx),
      whileRunning: () =>
        watchFolder(measure, baseline, (added) => {
          measuredFiles = added.files;
          if (!toolReports) report(added.files, added.bytes, null);
        }),
    });
  },
};
