// pgbackrest-restore: `pgbackrest … restore` into the target's data directory. Its detail log
// says, per file, how far the restore is ("(8KB, 12.34%)"); with the backup's size from the
// catalog that becomes bytes of a total.
import { commandHost, confineWrite, startCommand } from './command';
import { lineSplitter, toolMissing } from './lines';
import type { ExecutorContext, StepExecutor } from './types';

const FILE_LINE = /restore file (.+?) \(([^,()]+), (\d{1,3}(?:\.\d+)?)%\)/;

/** pgBackRest's own words for the failures people hit, as sentences. */
export function pgbackrestFailure(
  output: string,
  exitCode: number | null,
  ctx: ExecutorContext,
): string | null {
  const host = commandHost(ctx).host;
  const stanza = (ctx.step.argv ?? []).find((w) => w.startsWith('--stanza='))?.slice(9) ?? '';
  const target = (ctx.step.argv ?? []).find((w) => w.startsWith('--pg1-path='))?.slice(11) ?? '';
  if (exitCode === 127) return toolMissing('pgbackrest', host, 'pgbackrest');
  if (
    /unable to load info file .*backup\.info|stanza .* does not exist|missing stanza/i.test(output)
  )
    return `pgBackRest on ${host} has no stanza "${stanza}" in its repository (source ${ctx.step.source}). Check the stanza and the config path of the source in dapple.yaml, then retry.`;
  if (/PostgreSQL is running|postmaster\.pid/i.test(output))
    return `PostgreSQL is running in ${target} on ${host}: stop it before restoring into that folder, then retry.`;
  if (/contains files|is not empty|unable to restore to path/i.test(output))
    return `${target} on ${host} is not empty: choose an empty folder, or restore over it with pgbackrest: { delta: true } in the runbook.`;
  if (/unable to find backup set|backup set .* is not valid/i.test(output))
    return `pgBackRest on ${host} has no backup set for this point any more (expired?). Refresh the catalog and choose another point.`;
  return null;
}

/** Runs pgbackrest-restore steps. */
export const pgbackrestExecutor: StepExecutor = {
  kinds: ['pgbackrest-restore'],
  async start(ctx) {
    const dataDir = (ctx.step.argv ?? []).find((w) => w.startsWith('--pg1-path='))?.slice(11);
    await confineWrite(ctx, dataDir ?? '');
    const total = ctx.step.work?.bytes ?? null;
    let files = 0;
    const onLine = lineSplitter((line) => {
      const match = FILE_LINE.exec(line);
      if (!match) return;
      files++;
      const percent = Math.min(100, Number(match[3]));
      const path = match[1] ?? '';
      const detail = path.length > 120 ? `…${path.slice(-119)}` : path;
      if (total === null) {
        ctx.progress({
          unit: 'files',
          done: files,
          total: null,
          bytesDone: null,
          bytesTotal: null,
          detail,
        });
        return;
      }
      const done = Math.round((percent / 100) * total);
      ctx.progress({ unit: 'bytes', done, total, bytesDone: done, bytesTotal: total, detail });
    });
    return startCommand(ctx, ctx.step.argv ?? [], {
      onOutput: (_stream, bytes) => onLine(bytes),
      explain: (end, output) => pgbackrestFailure(output, end.exitCode, ctx),
    });
  },
};
