// borg-extract: `borg extract --progress --log-json` in the target folder, the passphrase in env.
// borg's progress_percent lines (bytes of the archive extracted so far) become the bar.
import { UserError } from '../../ground/errors';
import { captureOutput } from './capture';
import { commandHost, confineWrite, runsRemotely, startCommand } from './command';
import { count, jsonLine, lineSplitter, toolMissing } from './lines';
import { stepSource, toolEnv } from './tool-env';
import type { ExecutorContext, StepExecutor } from './types';

/** borg's own words for the failures people hit, as sentences. */
export function borgFailure(
  stderr: string,
  exitCode: number | null,
  ctx: ExecutorContext,
): string | null {
  const host = commandHost(ctx).host;
  if (exitCode === 127) return toolMissing('borg', host, 'borgbackup');
  if (/passphrase supplied in .* is incorrect|passphrase .*wrong/i.test(stderr))
    return `borg could not open the repository of source ${ctx.step.source}: the passphrase is wrong. Check the passphrase configured for the source, then retry.`;
  if (/Archive .* does not exist/i.test(stderr))
    return `The archive is no longer in the repository of source ${ctx.step.source} (pruned?). Refresh the catalog and choose another point.`;
  if (/is not a valid repository|Repository .* does not exist/i.test(stderr))
    return `There is no borg repository where source ${ctx.step.source} says (on ${host}). Check the repository in dapple.yaml, then retry.`;
  return null;
}

/** Runs borg-extract steps. */
export const borgExecutor: StepExecutor = {
  kinds: ['borg-extract'],
  async start(ctx) {
    const target = ctx.step.cwd ?? '';
    await confineWrite(ctx, target);
    // borg extracts into its working folder: make the (confined) target first, as restic makes its
    // own; a fresh sandbox folder must not fail the drill with "could not be started in …".
    const made = await captureOutput(
      ctx,
      ['mkdir', '-p', '--', target],
      {},
      new AbortController().signal,
    );
    if (made === null)
      throw new UserError(
        'TARGET_NOT_MADE',
        `The target folder ${target} could not be made on ${commandHost(ctx).host}, so nothing was extracted.`,
        'Check that the folder can be created there by the user Dapple runs as (its parent is a folder, writable, with space), or bind another target, then retry.',
      );
    const source = stepSource(ctx.workspace, ctx.step.source);
    const { env, secrets } = await toolEnv(source, runsRemotely(ctx.step));
    const onLine = lineSplitter((line) => {
      const event = jsonLine(line);
      if (event?.type !== 'progress_percent' || event.msgid !== 'extract') return;
      const total = count(event.total);
      if (!total) return;
      const done = Math.min(count(event.current) ?? 0, total);
      const info = Array.isArray(event.info) ? event.info[0] : null;
      ctx.progress({
        unit: 'bytes',
        done: event.finished === true ? total : done,
        total,
        bytesDone: event.finished === true ? total : done,
        bytesTotal: total,
        detail: typeof info === 'string' ? info : null,
      });
    });
    return startCommand(ctx, ctx.step.argv ?? [], {
      env: { ...env, TZ: 'UTC' },
      secrets,
      onOutput: (stream, bytes) => stream === 'stderr' && onLine(bytes),
      explain: (end, stderr) => borgFailure(stderr, end.exitCode, ctx),
    });
  },
};
