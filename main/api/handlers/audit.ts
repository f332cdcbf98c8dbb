// audit.* calls: open a log (by path or as a dropped file's text), verify it against the open
// workspace's trusted keys, hand the renderer its replay, and export a review report.
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AuditOpened, KeyNote, LogSource } from '../../../preload/schemas/audit-replay';
import type { SessionState, VerifyReport } from '../../../preload/schemas/audit';
import { blobDir } from '../../audit/log-file';
import { replaySession } from '../../audit/reducer';
import { sha256Hex } from '../../audit/records';
import { renderHtml } from '../../audit/report-html';
import { renderMarkdown } from '../../audit/report-markdown';
import { reportModel } from '../../audit/report-model';
import { buildReplay, REPLAY_LIMITS, textOf } from '../../audit/report-replay';
import { loadTrust, type Trust } from '../../audit/trust';
import { keyNotes, trustHistory } from '../../audit/trust-history';
import { verifyLogDetailed } from '../../audit/verify';
import type { AppContext } from '../context';
import { UserError } from '../../ground/errors';
import type { HandlersFor } from './types';

/** The largest log the console opens; longer ones are for `dapple audit verify`. */
export const MAX_LOG_BYTES = 64 * 1024 * 1024;

const clip = (text: string) => (text.length > 160 ? `${text.slice(0, 159)}…` : text);
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** Check a log path: absolute, a .jsonl file that exists and is not too large. */
async function checkLogPath(file: string): Promise<number> {
  if (!path.isAbsolute(file))
    throw new UserError(
      'BAD_LOG_PATH',
      `"${clip(file)}" is not an absolute path, so Dapple cannot tell which log you mean.`,
      'Give the full path of the .jsonl log, e.g. /srv/backup-config/shop/audit/drill-2026-11-12.jsonl.',
    );
  if (path.extname(file) !== '.jsonl')
    throw new UserError(
      'BAD_LOG_PATH',
      `${clip(file)} does not end in .jsonl, so it is not a Dapple audit log.`,
      'Audit logs are JSON Lines files named like drill-2026-11-12.jsonl, in the workspace’s audit/ folder.',
    );
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new UserError(
      'NO_LOG',
      error.code === 'ENOENT'
        ? `There is no file at ${clip(file)}.`
        : `Dapple cannot read ${clip(file)} (${error.code ?? 'error'}).`,
      'Check the path, or pick one of the workspace’s logs listed in the Audit section.',
    );
  });
  if (!info.isFile())
    throw new UserError(
      'NO_LOG',
      `${clip(file)} is not a regular file.`,
      'Give the path of the .jsonl log file itself.',
    );
  if (info.size > MAX_LOG_BYTES)
    throw new UserError(
      'LOG_TOO_LARGE',
      `${clip(file)} is ${mib(info.size)}; the console opens logs up to ${mib(MAX_LOG_BYTES)}.`,
      'Verify it from a terminal with `dapple audit verify FILE`, which has no size limit.',
    );
  return info.size;
}

/** The open workspace's trusted keys: without them no signature can be trusted. */
async function trustOf(ctx: AppContext): Promise<Trust> {
  const current = ctx.current;
  if (!current)
    throw new UserError(
      'NO_WORKSPACE',
      'No workspace is open, so there is no list of trusted keys to verify the log against.',
      'Open the workspace the log belongs to first.',
    );
  if (!current.trustedKeys)
    throw new UserError(
      'NO_TRUST',
      `The workspace ${clip(current.root)} has no keys/trusted.json, so no signature in the log can be trusted.`,
      'Add the signers’ public keys there (`dapple audit export-key` prints an entry) and reload the workspace.',
    );
  return loadTrust(current.trustedKeys);
}

/** A verified log, its replay and the session folded from all its verified records. */
type Opened = { opened: AuditOpened; session: SessionState };

/** When and by whom the signers' keys were trusted, from the git history of the trust file. */
async function notesOf(
  ctx: AppContext,
  report: VerifyReport,
  session: SessionState,
): Promise<KeyNote[]> {
  const file = ctx.current?.trustedKeys;
  if (!file || report.signers.length === 0) return [];
  const history = await trustHistory(
    file,
    report.signers.map((s) => s.keyId),
  );
  return keyNotes(report.signers, history, session);
}

async function openPath(file: string, ctx: AppContext): Promise<Opened> {
  const bytes = await checkLogPath(file);
  const trust = await trustOf(ctx);
  const { report, records } = await verifyLogDetailed(file, { trusted: trust });
  const source: LogSource = { kind: 'file', path: file, name: path.basename(file), bytes };
  const dir = blobDir(file);
  const session = replaySession(records);
  const opened = await buildReplay({
    source,
    report,
    records,
    trust,
    keyNotes: await notesOf(ctx, report, session),
    readBlob: async (sha) => {
      const blob = await readFile(path.join(dir, sha)).catch(() => null);
      // Checked again on read: the folder may have changed since verification.
      return blob && sha256Hex(blob) === sha ? blob : null;
    },
  });
  return { opened, session };
}

async function openText(name: string, text: string, ctx: AppContext): Promise<Opened> {
  const trust = await trustOf(ctx);
  // Verification reads files; the dropped text goes to a private temp file for as long as it takes.
  const dir = await mkdtemp(path.join(tmpdir(), 'dapple-dropped-'));
  try {
    const file = path.join(dir, 'dropped.jsonl');
    await writeFile(file, text, { encoding: 'utf8', mode: 0o600 });
    const { report, records } = await verifyLogDetailed(file, {
      trusted: trust,
      blobs: 'unavailable',
    });
    const source: LogSource = {
      kind: 'dropped',
      path: null,
      name: name.slice(0, 255),
      bytes: Buffer.byteLength(text, 'utf8'),
    };
    const session = replaySession(records);
    const notes = await notesOf(ctx, report, session);
    const opened = await buildReplay({
      source,
      report,
      records,
      trust,
      readBlob: null,
      keyNotes: notes,
    });
    return { opened, session };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function openRef(
  ref: { path?: string | undefined; name?: string | undefined; text?: string | undefined },
  ctx: AppContext,
): Promise<Opened> {
  if (ref.path !== undefined && ref.text === undefined) return openPath(ref.path, ctx);
  if (ref.text !== undefined && ref.name !== undefined && ref.path === undefined)
    return openText(ref.name, ref.text, ctx);
  throw new UserError(
    'BAD_REQUEST',
    'Name the log either by its path or by a dropped file’s name and text, not both.',
    'Open the log again from the Audit section.',
  );
}

/** A file name for a report: the log's name with the report's extension. */
function reportName(source: LogSource, ext: string): string {
  const base = source.name.replace(/\.jsonl$/, '').replace(/[^A-Za-z0-9._-]+/g, '-') || 'audit';
  return `${base}-review.${ext}`;
}

export const auditHandlers: HandlersFor<'audit'> = {
  'audit.open': async (request, ctx) => (await openPath(request.path, ctx)).opened,
  'audit.openText': async (request, ctx) =>
    (await openText(request.name, request.text, ctx)).opened,
  'audit.demoLogs': async (_request, ctx) => {
    const root = ctx.current?.root;
    if (!root) return [];
    const dir = path.join(root, 'audit');
    const names = await readdir(dir).catch(() => [] as string[]);
    const logs = await Promise.all(
      names
        .filter((n) => n.endsWith('.jsonl'))
        .map(async (name) => {
          const file = path.join(dir, name);
          const info = await stat(file).catch(() => null);
          return info?.isFile()
            ? { name, path: file, bytes: info.size, modified: info.mtime.toISOString() }
            : null;
        }),
    );
    return logs.filter((l) => l !== null).sort((a, b) => b.name.localeCompare(a.name));
  },
  'audit.choose': async (_request, ctx) => {
    if (!ctx.chooseLogFile)
      throw new UserError(
        'NO_DIALOG',
        'A browser page cannot show this machine’s file picker to Dapple.',
        'Type the log’s path, pick one of the workspace’s logs, or drop the file into the Audit section.',
      );
    return ctx.chooseLogFile();
  },
  'audit.blob': async (request, ctx) => {
    await checkLogPath(request.path);
    await trustOf(ctx);
    const blob = await readFile(path.join(blobDir(request.path), request.sha256)).catch(() => null);
    if (!blob || sha256Hex(blob) !== request.sha256)
      throw new UserError(
        'NO_BLOB',
        `The output blob ${request.sha256.slice(0, 12)}… is missing or was changed since it was written.`,
        'Open the log again: its verdict will say what is wrong with its blobs.',
      );
    // Cut at a character boundary, not inside a multi-byte character.
    let end = Math.min(blob.length, REPLAY_LIMITS.lazyBlob);
    while (end < blob.length && end > 0 && ((blob[end] ?? 0) & 0xc0) === 0x80) end--;
    const part = blob.subarray(0, end);
    const text = textOf(part);
    return {
      bytes: blob.length,
      text,
      truncated: blob.length > part.length,
      hidden: text === null ? `Binary output (${blob.length} bytes), not shown as text.` : null,
    };
  },
  'audit.report': async (request, ctx) => {
    const { opened, session } = await openRef(request, ctx);
    const model = reportModel(opened, session, new Date());
    if (request.format === 'markdown')
      return {
        filename: reportName(opened.source, 'md'),
        mime: 'text/markdown',
        encoding: 'utf8' as const,
        content: renderMarkdown(model),
      };
    const html = renderHtml(model);
    if (request.format === 'html')
      return {
        filename: reportName(opened.source, 'html'),
        mime: 'text/html',
        encoding: 'utf8' as const,
        content: html,
      };
    if (!ctx.printPdf)
      throw new UserError(
        'NO_PDF',
        'A PDF report needs the desktop app, which prints it with Chromium; this console runs in a browser.',
        'Export the HTML report and print it to PDF from your browser, or open the log in the desktop app.',
      );
    return {
      filename: reportName(opened.source, 'pdf'),
      mime: 'application/pdf',
      encoding: 'base64' as const,
      content: (await ctx.printPdf(html)).toString('base64'),
    };
  },
};
