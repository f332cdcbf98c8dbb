// The s3 executor: runs an S3 step (and a verify step's prefix check) inside a session. Its
// attempt is recorded like a command (cmd.start with the operation spelled out, output lines,
// cmd.end), with the blast radius (s3.plan) before anything is written and every changed key in
// s3.batch pages. A rehearsal lists and records the radius, and writes nothing.
import { radiusLines, verifyLines } from '../../../preload/schemas/radius-words';
import type { S3Operation } from '../../../preload/schemas/runbook';
import { toAppError, UserError } from '../../ground/errors';
import { S3Backend, type S3BackendConfig } from '../../catalog/backends/s3';
import type { Workspace } from '../../workspace/types';
import type { ExecutorContext, StepExecutor, StepRun } from '../executors/types';
import { assertConfined } from '../confine';
import { s3WritePlace } from './confine';
import { isAbort } from './errors';
import { planOperation, runOperation, type OperationContext } from './operation';
import { changes } from './radius';

/** The operation as words in cmd.start's argv: what a reviewer reads in the replay. */
export function s3Argv(op: S3Operation): string[] {
  const argv = ['s3', op.action, `s3://${op.source.bucket}/${op.source.prefix}`, '--at', op.at];
  if (op.to)
    argv.push(
      '--to',
      op.to.kind === 'folder' ? op.to.path : `s3://${op.to.bucket}/${op.to.prefix}`,
    );
  return argv;
}

/** S3 backends of a workspace by name, made on first use; close() destroys their clients. */
export function backendsOf(workspace: Workspace, maxAttempts = 6) {
  const made = new Map<string, S3Backend>();
  return {
    get(name: string): S3Backend {
      let backend = made.get(name);
      if (!backend) {
        const config = workspace.backends.get(name);
        if (config?.type !== 's3')
          throw new UserError(
            'S3_NO_BACKEND',
            `Backend ${name} is not an s3 backend of the workspace.`,
            'Check the step’s s3 block.',
          );
        backend = new S3Backend(config as S3BackendConfig, { maxAttempts, retryMode: 'standard' });
        made.set(name, backend);
      }
      return backend;
    },
    close: async () => {
      for (const backend of made.values()) await backend.close();
    },
  };
}

/** Plan (and, unless rehearsing or verifying, run) one attempt; resolves null or why it failed. */
async function attempt(
  ctx: ExecutorContext,
  op: S3Operation,
  signal: AbortSignal,
  cmd: string | null,
): Promise<string | null> {
  const { writer, step } = ctx;
  const rehearsal = ctx.mode === 'rehearsal';
  const verify = op.action === 'prefix-equals-instant';
  const out = async (stream: 'stdout' | 'stderr', lines: string[]) => {
    if (cmd && lines.length > 0)
      await writer.output(cmd, stream, Buffer.from(`${lines.join('\n')}\n`));
  };
  const unit = op.to?.kind === 'folder' ? 'files' : 'objects';
  const backends = backendsOf(ctx.workspace);
  try {
    // Checked again here, just before anything is listed or written (the workspace may have changed).
    const place = s3WritePlace(op);
    if (place) assertConfined(ctx.workspace, place, ctx.mode, `"${step.title}"`);
    const context: OperationContext = {
      op,
      backend: (name) => backends.get(name),
      signal,
      onListed: (versions) =>
        ctx.progress({
          unit,
          done: 0,
          total: null,
          bytesDone: null,
          bytesTotal: null,
          detail: `listing: ${versions} versions read`,
        }),
    };
    const planned = await planOperation(context, !rehearsal && !verify);
    const radius = planned.radius;
    await writer.append('s3.plan', { cmd, step: step.id, radius });
    if (verify) {
      const lines = verifyLines(radius);
      await out('stdout', lines);
      return changes(radius).keys === 0 ? null : (lines[0] as string);
    }
    await out('stdout', radiusLines(radius));
    if (rehearsal) return null;
    const total = changes(radius);
    let throttled = false;
    const outcome = await runOperation(planned, context, {
      record: (items, failed) =>
        writer
          .append('s3.batch', { cmd: cmd as string, step: step.id, items, failed })
          .then(() => undefined),
      progress: ({ keys, bytes, failed }) =>
        ctx.progress({
          unit,
          done: keys + failed,
          total: total.keys,
          bytesDone: bytes,
          bytesTotal: total.bytes,
          detail: failed > 0 ? `${failed} failed so far` : null,
        }),
      onThrottle: (window) => {
        if (throttled) return;
        throttled = true;
        void out('stderr', [
          `S3 asked to slow down: ${window} requests in flight now, backing off.`,
        ]);
      },
    });
    const done = `${outcome.keys} of ${total.keys} ${unit === 'files' ? 'files' : 'keys'} changed`;
    await out(outcome.failed > 0 ? 'stderr' : 'stdout', [
      ...outcome.firstFailures.map((f) => `failed: ${f.error}`),
      `${done}${outcome.failed ? `, ${outcome.failed} failed` : ''}.`,
    ]);
    if (outcome.cancelled)
      return `Cancelled after ${done}; run the step again: keys already as at the instant are left alone.`;
    if (outcome.failed > 0) {
      const first = outcome.firstFailures[0];
      return `${outcome.failed} of ${total.keys} keys failed (${done}); the first: ${first?.error ?? ''}`;
    }
    return null;
  } catch (error) {
    if (isAbort(error) || signal.aborted) {
      const why =
        signal.reason === 'timeout' ? 'stopped at the step’s timeout' : 'cancelled by the operator';
      await out('stderr', [`The S3 step was ${why} before it wrote anything.`]);
      return `The S3 step was ${why} while listing; nothing was written.`;
    }
    const e = toAppError(error);
    await out('stderr', [`${e.message} ${e.hint}`.trim()]);
    return e.message;
  } finally {
    await backends.close();
  }
}

/** Start one attempt of an S3 step; `ended` resolves once it has planned and run (or failed). */
async function start(ctx: ExecutorContext): Promise<StepRun> {
  const op = ctx.step.s3 as S3Operation;
  const controller = new AbortController();
  const rehearsal = ctx.mode === 'rehearsal';
  const cmd = rehearsal ? null : ctx.cmd;
  if (cmd)
    await ctx.writer.append('cmd.start', {
      cmd,
      step: ctx.step.id,
      host: `s3 ${op.source.endpoint}`,
      argv: s3Argv(op),
    });
  const began = performance.now();
  const timer =
    ctx.timeoutMs === null ? null : setTimeout(() => controller.abort('timeout'), ctx.timeoutMs);
  const ended = attempt(ctx, op, controller.signal, cmd).then(async (error) => {
    if (timer) clearTimeout(timer);
    if (cmd)
      await ctx.writer.append('cmd.end', {
        cmd,
        exitCode: controller.signal.aborted ? null : error === null ? 0 : 1,
        signal: null,
        durationMs: Math.round(performance.now() - began),
      });
    return error;
  });
  return { controller, ended };
}

/** Runs s3 steps and verify steps with an `s3:` check. */
export const s3Executor: StepExecutor = { kinds: ['s3'], rehearses: true, start };
