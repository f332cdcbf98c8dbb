// manifest-restore: copy a manifest set — and, for an incremental, every set of its chain, oldest
// first — into the target folder (<target>/<set id>/<file>), checking each file's sha256 against
// the manifest as it is written. Runs in Dapple itself: no command, so progress is exact.
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import type { RecoveryPoint } from '../../../preload/schemas/catalog';
import { UserError } from '../../ground/errors';
import { buildBackend } from '../../catalog/registry';
import { setFolderOf, type ManifestRaw } from '../../catalog/sources/manifest';
import type { Backend } from '../../catalog/types';
import { checkRelative, openConfined } from './confined-write';
import { confineWrite } from './command';
import { stepSource } from './tool-env';
import type { ExecutorContext, StepExecutor, StepRun } from './types';

type SetFile = { path: string; sizeBytes: number; sha256: string };
type Set = { id: string; kind: string; folder: string; files: SetFile[] };

// Files copied at once within a set, and the size up to which a file is read in one go.
const PARALLEL = 8;
const WHOLE_MAX = 1 << 20;

const failure = (sentence: string, hint: string) => new UserError('RESTORE_FAILED', sentence, hint);

/** The chain of the step's point, oldest first, with each set's folder and files. */
async function chainOf(ctx: ExecutorContext): Promise<Set[]> {
  const source = ctx.step.source ?? '';
  const id = ctx.plan.params.find((p) => p.name === ctx.step.point)?.bound ?? null;
  const sets: Set[] = [];
  for (let next: string | null = id; next !== null && sets.length < 1000;) {
    const point: RecoveryPoint | null = await ctx.points(source, next);
    const raw = point?.raw as Partial<ManifestRaw> | null | undefined;
    const folder = point ? setFolderOf(point) : null;
    if (!point || !raw?.manifest || folder === null) {
      throw failure(
        `Set ${next.slice(0, 120)} of source ${source} is not in the catalog with its manifest, so its chain cannot be restored.`,
        'Refresh the catalog; the set may have been pruned.',
      );
    }
    checkRelative(point.id);
    sets.unshift({ id: point.id, kind: point.kind, folder, files: raw.manifest.files });
    next = point.parent;
  }
  return sets;
}

/** Read one file of a set: streamed from a local backend's folder, else through the backend. */
function reader(backend: Backend, root: string | null) {
  const inside = new Set<string>();
  return async (
    path: string,
    size: number,
    signal: AbortSignal,
  ): Promise<AsyncIterable<Buffer> | Iterable<Buffer>> => {
    if (root === null) return [await backend.read(path, { signal })];
    const full = join(root, ...path.split('/'));
    const folder = dirname(full);
    if (!inside.has(folder)) {
      const real = await realpath(folder);
      if (real !== root && !real.startsWith(root + sep)) {
        throw failure(
          `${path.slice(0, 200)} leads out of the backup folder ${root}, so it was not read.`,
          'Remove the link from the backup folder.',
        );
      }
      inside.add(folder);
    }
    // The file itself is never a link: O_NOFOLLOW refuses one.
    const handle = await open(full, constants.O_RDONLY | constants.O_NOFOLLOW);
    if (size > WHOLE_MAX) return handle.createReadStream({ signal });
    // A small file in one read: a stream's set-up costs more than the file.
    try {
      return [await handle.readFile({ signal })];
    } finally {
      await handle.close();
    }
  };
}

async function copySets(
  ctx: ExecutorContext,
  sets: Set[],
  signal: AbortSignal,
  say: (line: string) => Promise<unknown>,
): Promise<void> {
  const source = stepSource(ctx.workspace, ctx.step.source);
  const config = ctx.workspace.backends.get(source.backend);
  if (!config) throw failure(`Source ${source.name} names no known backend.`, 'Fix dapple.yaml.');
  const backend = await buildBackend(config, { ssh: ctx.ssh, workspaceRoot: ctx.workspace.root });
  const root = config.type === 'local' ? await realpath(config.path) : null;
  const read = reader(backend, root);
  const target = ctx.step.cwd ?? '';
  const files = sets.reduce((n, s) => n + s.files.length, 0);
  const bytes = sets.reduce((n, s) => s.files.reduce((m, f) => m + f.sizeBytes, n), 0);
  const made = new Set<string>();
  let doneFiles = 0;
  let doneBytes = 0;
  const report = (detail: string | null) =>
    ctx.progress({
      unit: 'files',
      done: doneFiles,
      total: files,
      bytesDone: doneBytes,
      bytesTotal: bytes,
      detail,
    });
  report(null);
  try {
    const copy = async (set: Set, file: SetFile): Promise<void> => {
      if (signal.aborted) throw failure('The restore was cancelled by the operator.', '');
      const into = `${set.id}/${file.path}`;
      const handle = await openConfined(target, into, made);
      const hash = createHash('sha256');
      let size = 0;
      try {
        for await (const chunk of await read(
          `${set.folder}/${file.path}`,
          file.sizeBytes,
          signal,
        )) {
          hash.update(chunk);
          size += chunk.length;
          doneBytes += chunk.length;
          await handle.write(chunk);
        }
      } finally {
        await handle.close();
      }
      const sha256 = hash.digest('hex');
      if (sha256 !== file.sha256 || size !== file.sizeBytes) {
        throw failure(
          `${into} does not match its manifest (sha256 ${sha256.slice(0, 12)}…, ${size} bytes; the manifest says ${file.sha256.slice(0, 12)}…, ${file.sizeBytes} bytes): the backup copy is damaged.`,
          'Restore from another copy of the set (another backend), or an earlier point.',
        );
      }
      doneFiles++;
      report(into);
    };
    // Sets one after the other (the full first); a set's files a few at a time.
    for (const set of sets) {
      let next = 0;
      let failed = false;
      const worker = async () => {
        try {
          while (!failed && next < set.files.length) await copy(set, set.files[next++] as SetFile);
        } catch (error) {
          failed = true;
          throw error;
        }
      };
      // Every worker stops before the first failure is reported: nothing writes after the end.
      const ends = await Promise.allSettled(
        Array.from({ length: Math.min(PARALLEL, set.files.length) }, worker),
      );
      const first = ends.find((e): e is PromiseRejectedResult => e.status === 'rejected');
      if (first) throw first.reason;
      const setBytes = set.files.reduce((n, f) => n + f.sizeBytes, 0);
      await say(
        `restored ${set.id} (${set.kind}) into ${join(target, set.id)}: ${set.files.length} files, ${setBytes} bytes, every sha256 matched its manifest\n`,
      );
    }
  } finally {
    await backend.close();
  }
}

/** The operation as words in cmd.start's argv: what a reviewer reads in the replay. */
export function manifestArgv(target: string, sets: Set[]): string[] {
  return ['manifest-restore', '--into', target, ...sets.map((s) => s.id)];
}

/** Runs manifest-restore steps: recorded like a command (cmd.start, a line per set, cmd.end). */
export const manifestExecutor: StepExecutor = {
  kinds: ['manifest-restore'],
  async start(ctx): Promise<StepRun> {
    const controller = new AbortController();
    await confineWrite(ctx, ctx.step.cwd ?? '');
    const sets = await chainOf(ctx);
    const { writer, cmd } = ctx;
    const began = performance.now();
    const argv = manifestArgv(ctx.step.cwd ?? '', sets);
    await writer.append('cmd.start', { cmd, step: ctx.step.id, host: 'localhost', argv });
    const say = (line: string) => writer.output(cmd, 'stdout', Buffer.from(line));
    const timer =
      ctx.timeoutMs === null ? null : setTimeout(() => controller.abort('timeout'), ctx.timeoutMs);
    const ended = say(
      `restoring ${sets.length} set${sets.length === 1 ? '' : 's'} in order: ${sets.map((s) => `${s.id} (${s.kind})`).join(', ')}\n`,
    )
      .then(() => copySets(ctx, sets, controller.signal, say))
      .then(() => null)
      .catch((error: unknown) => {
        if (controller.signal.reason === 'timeout')
          return `The restore did not finish within ${Math.round((ctx.timeoutMs ?? 0) / 1000)} s (the step's timeout).`;
        if (error instanceof UserError) return `${error.message} ${error.hint}`.trim();
        if (controller.signal.aborted) return 'The restore was cancelled by the operator.';
        const e = error as NodeJS.ErrnoException;
        return `The restore stopped: ${e.code ? `${e.code} ` : ''}${e.message}. Check the target folder and retry.`;
      })
      .then(async (why) => {
        if (timer) clearTimeout(timer);
        if (why) await say(`${why}\n`).catch(() => undefined);
        await writer.append('cmd.end', {
          cmd,
          exitCode: why === null ? 0 : 1,
          signal: null,
          durationMs: Math.round(performance.now() - began),
        });
        return why;
      });
    return { controller, ended };
  },
};
