// audit.* calls through the real dispatcher (requests and answers checked against the contract),
// on a copy of the demo workspace and its real signed drill log, and on logs written by the real writer.
import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../../preload/contract';
import type { AuditOpened } from '../../../preload/schemas/audit-replay';
import { makeTempDir, type TempDir } from '../../../test-support/temp';
import { person, testOpen, tickingClock } from '../../audit/test-helpers';
import { createLog } from '../../audit/writer';
import { loadWorkspace } from '../../workspace/load';
import { createContext, type AppContext } from '../context';
import { dispatch } from '../dispatch';

const demo = join(__dirname, '../../../resources/demo');

function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

describe('audit handlers', () => {
  let dir: TempDir;
  let ctx: AppContext;
  let log: string;

  beforeAll(async () => {
    dir = makeTempDir('audit-api');
    cpSync(demo, dir.path, { recursive: true });
    log = join(dir.path, 'audit', 'drill-2026-11-12.jsonl');
    ctx = createContext({
      version: 'test',
      transport: 'browser',
      dataDir: dir.path,
      emit: () => undefined,
    });
    ctx.setWorkspace(await loadWorkspace(dir.path));
  });
  afterAll(() => dir?.remove());

  it('lists the workspace logs and opens the demo drill as sealed and verified, with its replay', async () => {
    const logs = value<{ name: string; path: string }[]>(await dispatch('audit.demoLogs', {}, ctx));
    expect(logs.map((l) => l.name)).toEqual(['drill-2026-11-12.jsonl']);
    const opened = value<AuditOpened>(await dispatch('audit.open', { path: logs[0]?.path }, ctx));
    expect(opened.words).toMatchObject({ verdict: 'VALID', headline: 'Sealed and verified' });
    expect(opened.signers.map((s) => [s.name, s.approvals])).toEqual([
      ['demo-operator', 0],
      ['demo-approver', 1],
    ]);
    expect(opened.rtoSeconds).toBe(3600);
    expect(opened.records).toHaveLength(32);
    // Each record points at the reducer's state after it: the retried step shows both attempts.
    const last = opened.records.at(-1);
    const final = opened.frames[last?.frame ?? -1];
    expect(final?.steps.find((s) => s.id === 'copy-files')).toMatchObject({
      state: 'done',
      attempts: 2,
    });
    const failed = opened.records.find((r) => r.type === 'step.end' && r.data.state === 'failed');
    expect(failed?.summary).toBe(
      'Step "Copy the backup sets into the target" failed: cp exited with status 1.',
    );
    expect(
      opened.frames[failed?.frame ?? -1]?.steps.find((s) => s.id === 'copy-files')?.state,
    ).toBe('failed');
    // The 19 KB blob comes with the replay, as text.
    const blob = opened.outputs.find((o) => o.blob);
    expect(blob?.text).toContain("'backups/uploads/2026-11-12T0300/");
    expect(opened.records.find((r) => r.type === 'approval')?.summary).toMatch(
      /^demo-approver approved step "Get a second engineer's approval"/,
    );
  });

  it('says where a tampered log breaks, and keeps only the records before it', async () => {
    const bad = join(dir.path, 'audit', 'tampered.jsonl');
    const lines = readFileSync(log, 'utf8').split('\n');
    lines[16] = (lines[16] ?? '').replace('fixed its permissions', 'fixed its permissionz');
    writeFileSync(bad, lines.join('\n'));
    const opened = value<AuditOpened>(await dispatch('audit.open', { path: bad }, ctx));
    expect(opened.words.verdict).toBe('INVALID');
    expect(opened.words.sentence).toBe(
      'The first bad record is at line 17 (record 16): the signature does not verify. Only the 16 records before it verify and are shown; do not rely on this log.',
    );
    expect(opened.records).toHaveLength(16);
    // A log that stops early is not a measured restore time.
    expect(opened.timeText).toBe(
      "The log stops 5m 53s after it was opened, without a seal: the session's full time is unknown, so it cannot be held against the RTO of 1h 00m.",
    );
  });

  it('reports a torn last line in words', async () => {
    const torn = join(dir.path, 'audit', 'torn.jsonl');
    const lines = readFileSync(log, 'utf8').split('\n').slice(0, 10);
    writeFileSync(torn, `${lines.join('\n')}\n{"payload":"{\\"act`);
    const opened = value<AuditOpened>(await dispatch('audit.open', { path: torn }, ctx));
    expect(opened.words).toMatchObject({ verdict: 'TORN_TAIL', headline: 'Last line torn' });
    expect(opened.records).toHaveLength(10);
  });

  it('opens a dropped file from its text, saying its blobs are not available', async () => {
    const text = readFileSync(log, 'utf8');
    const opened = value<AuditOpened>(
      await dispatch('audit.openText', { name: 'drill-2026-11-12.jsonl', text }, ctx),
    );
    expect(opened.source).toMatchObject({ kind: 'dropped', path: null });
    expect(opened.words.verdict).toBe('VALID');
    expect(opened.blobNote).toMatch(/dropped file comes without its \.blobs folder/);
    expect(opened.outputs.find((o) => o.blob)?.hidden).toMatch(/open the log by its path/);
  });

  it('refuses bad paths with sentences', async () => {
    const cases: [string, string, RegExp][] = [
      ['audit/drill.jsonl', 'BAD_LOG_PATH', /is not an absolute path/],
      [join(dir.path, 'dapple.yaml'), 'BAD_LOG_PATH', /does not end in \.jsonl/],
      [join(dir.path, 'audit', 'nope.jsonl'), 'NO_LOG', /There is no file at/],
    ];
    // A browser page has no native picker to offer.
    expect(await dispatch('audit.choose', {}, ctx)).toMatchObject({
      ok: false,
      error: { code: 'NO_DIALOG' },
    });
    for (const [path, code, message] of cases) {
      const answer = await dispatch('audit.open', { path }, ctx);
      expect(answer).toMatchObject({ ok: false, error: { code } });
      if (!answer.ok) expect(answer.error.message).toMatch(message);
    }
  });

  it('loads a blob on demand and exports reports with verdict, approvals, commands and times', async () => {
    const opened = value<AuditOpened>(await dispatch('audit.open', { path: log }, ctx));
    const sha = opened.outputs.find((o) => o.blob)?.sha256 ?? '';
    const blob = value<{ text: string; bytes: number }>(
      await dispatch('audit.blob', { path: log, sha256: sha }, ctx),
    );
    expect(blob.bytes).toBe(19440);
    const md = value<{ filename: string; content: string }>(
      await dispatch('audit.report', { path: log, format: 'markdown' }, ctx),
    );
    expect(md.filename).toBe('drill-2026-11-12-review.md');
    expect(md.content).toContain('> **VALID — Sealed and verified.**');
    expect(md.content).toContain(
      'Took 23m 05s against an RTO of 1h 00m: within it (38% of the RTO).',
    );
    expect(md.content).toContain(
      '| demo-approver | `3a2924e74bd7db0f6f831e3fc2ca34d392e3d15a95eae226d8fef7d34f53700b` | 1 | 1 | 2026-01-01T00:00:00Z to open |',
    );
    expect(md.content).toContain('**exit 1**');
    // What was restored, and where the time went: from when each step became current.
    expect(md.content).toContain('## Restored to');
    expect(md.content).toContain(
      '| Point of orders-db | orders-db-20261112T030012Z-diff at 2026-11-12T03:00:12.000Z (orders-db-nas) |',
    );
    expect(md.content).toContain('| Incident began | 2026-11-12T03:40:00.000Z |');
    expect(md.content).toContain(
      '| Copy the backup sets into the target | done | 2 | 2m 16s | 10m 39s |  |',
    );
    expect(md.content).toContain('Waiting for people');
    const html = value<{ content: string }>(
      await dispatch('audit.report', { path: log, format: 'html' }, ctx),
    );
    expect(html.content).toContain('VALID — Sealed and verified.');
    expect(html.content).toContain('<h2>Restored to</h2>');
    expect(html.content).toContain(
      '3a2924e74bd7db0f6f831e3fc2ca34d392e3d15a95eae226d8fef7d34f53700b',
    );
  });

  it('prints PDF only where Electron runs, and says so in a browser', async () => {
    const refused = await dispatch('audit.report', { path: log, format: 'pdf' }, ctx);
    expect(refused).toMatchObject({ ok: false, error: { code: 'NO_PDF' } });
    if (!refused.ok) expect(refused.error.hint).toMatch(/Export the HTML report and print it/);
    // Electron's printToPDF cannot run here: a stand-in printer receives the same HTML page.
    let printed = '';
    ctx.printPdf = async (html) => {
      printed = html;
      return Buffer.from('%PDF-1.7 stand-in');
    };
    try {
      const pdf = value<{ filename: string; encoding: string; content: string }>(
        await dispatch('audit.report', { path: log, format: 'pdf' }, ctx),
      );
      expect(pdf).toMatchObject({ filename: 'drill-2026-11-12-review.pdf', encoding: 'base64' });
      expect(Buffer.from(pdf.content, 'base64').toString()).toBe('%PDF-1.7 stand-in');
      expect(printed).toContain('VALID — Sealed and verified.');
    } finally {
      ctx.printPdf = null;
    }
  });

  it('keeps hostile log text as text in both reports', async () => {
    const hostile = makeTempDir('audit-hostile');
    try {
      const operator = person('Mallory <b>');
      writeFileSync(
        join(hostile.path, 'trusted.json'),
        JSON.stringify({ v: 1, keys: [operator.entry] }),
      );
      const file = join(hostile.path, 'x.jsonl');
      const writer = await createLog(
        { file, signer: operator.signer, clock: tickingClock(), checkpoint: null },
        testOpen,
      );
      await writer.append('note', {
        step: null,
        text: '<script>alert(1)</script> | [click](javascript:alert(1)) ```',
      });
      await writer.seal('completed');
      await writer.idle();
      appendFileSync(file, '');
      const hctx = createContext({
        version: 'test',
        transport: 'browser',
        dataDir: hostile.path,
        emit: () => undefined,
      });
      hctx.setWorkspace({
        root: hostile.path,
        workspace: null,
        problems: [],
        runbooks: [],
        trustedKeys: join(hostile.path, 'trusted.json'),
      });
      const html = value<{ content: string }>(
        await dispatch('audit.report', { path: file, format: 'html' }, hctx),
      );
      expect(html.content).not.toContain('<script>');
      expect(html.content).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html.content).toContain('Mallory &lt;b&gt;');
      const md = value<{ content: string }>(
        await dispatch('audit.report', { path: file, format: 'markdown' }, hctx),
      );
      expect(md.content).toContain(
        '\\<script\\>alert(1)\\</script\\> \\| \\[click\\](javascript:alert(1)) \\`\\`\\`',
      );
    } finally {
      hostile.remove();
    }
  });
});
