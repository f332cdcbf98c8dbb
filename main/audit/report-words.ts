// Words for reviewers: verdicts, records and durations as sentences. The view and the exported
// reports use the same words, so what the screen says is what the report says.
import type { SessionState, VerifyError, VerifyReport } from '../../preload/schemas/audit';
import type { VerdictWords } from '../../preload/schemas/audit-replay';
import { radiusLine } from '../../preload/schemas/radius-words';
import type { BlastRadius } from '../../preload/schemas/s3';
import type { Payload } from './records';

/** Where the first error is, in words: "line 14 (record 13)". */
function where(error: VerifyError | null): string {
  if (!error || error.line === null) return 'the file';
  return error.seq === null ? `line ${error.line}` : `line ${error.line} (record ${error.seq})`;
}

/** The verdict as a headline and one plain sentence. */
export function verdictWords(report: VerifyReport): VerdictWords {
  const e = report.firstError;
  const reason = e?.reason ?? '';
  const n = report.records;
  const kept = `${n} record${n === 1 ? '' : 's'} before it verif${n === 1 ? 'ies' : 'y'} and ${n === 1 ? 'is' : 'are'} shown`;
  switch (report.verdict) {
    case 'VALID':
      return {
        verdict: 'VALID',
        headline: 'Sealed and verified',
        sentence: `All ${n} records are signed by trusted keys, chained without a gap and sealed: this is the complete record of the session as it was signed.`,
        tone: 'ok',
      };
    case 'UNSEALED':
      return {
        verdict: 'UNSEALED',
        headline: 'Verified, but not sealed',
        sentence: `All ${n} records check, but the log has no seal: the session never finished, or its end was removed. Treat it as incomplete.`,
        tone: 'warn',
      };
    case 'TORN_TAIL':
      return {
        verdict: 'TORN_TAIL',
        headline: 'Last line torn',
        sentence: `The ${n} complete records check; ${where(e)} was cut off mid-write (a crash or a killed process), so the session's end is missing.`,
        tone: 'warn',
      };
    case 'TRUNCATED':
      return {
        verdict: 'TRUNCATED',
        headline: 'Cut short',
        sentence: `An anchored checkpoint shows more records than this file holds: its end was removed after it was written. ${reason}`,
        tone: 'danger',
      };
    case 'FORKED':
      return {
        verdict: 'FORKED',
        headline: 'Two histories',
        sentence: `At ${where(e)}, ${reason}. Someone rewrote this log; only the ${kept}.`,
        tone: 'danger',
      };
    case 'INVALID':
      return {
        verdict: 'INVALID',
        headline: 'Does not verify',
        sentence:
          e?.line === null || !e
            ? `The log does not verify: ${reason || 'no reason given'}.`
            : `The first bad record is at ${where(e)}: ${reason}. Only the ${kept}; do not rely on this log.`,
        tone: 'danger',
      };
  }
}

/** 1385000 → "23m 05s"; 45000 → "45s"; 3_900_000 → "1h 05m". */
export function durationWords(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  const two = (x: number) => String(x).padStart(2, '0');
  if (h > 0) return `${h}h ${two(m)}m`;
  if (m > 0) return `${m}m ${two(r)}s`;
  return `${r}s`;
}

/** How a session ended, for time words: its seal's reason, or unsealed. */
export type Ending = 'completed' | 'failed' | 'aborted' | 'unsealed';

/** The measured time against the RTO, in words ("Took 23m 05s against an RTO of 1h 00m: within it (38%)"). */
export function rtoWords(
  elapsedMs: number | null,
  rtoSeconds: number | null,
  ending: Ending = 'completed',
): string {
  if (elapsedMs === null) return 'No time was measured: the log holds no records after its open.';
  const took = durationWords(elapsedMs);
  const rto = rtoSeconds !== null && rtoSeconds > 0 ? durationWords(rtoSeconds * 1000) : null;
  if (ending === 'unsealed')
    return `The log stops ${took} after it was opened, without a seal: the session's full time is unknown${rto ? `, so it cannot be held against the RTO of ${rto}` : ''}.`;
  if (ending !== 'completed')
    return `The session ${ending} after ${took}: there is no finished restore to hold against ${rto ? `the RTO of ${rto}` : 'an RTO'}.`;
  if (rtoSeconds === null || rto === null)
    return `Took ${took}; the runbook names no RTO to compare with.`;
  const share = Math.round((elapsedMs / (rtoSeconds * 1000)) * 100);
  return elapsedMs <= rtoSeconds * 1000
    ? `Took ${took} against an RTO of ${rto}: within it (${share}% of the RTO).`
    : `Took ${took} against an RTO of ${rto}: OVER the RTO by ${durationWords(elapsedMs - rtoSeconds * 1000)} (${share}%).`;
}

/** A session's time in words: a rehearsal ran nothing, so its clock is never held against the RTO. */
export function sessionTimeWords(
  mode: string | null,
  elapsedMs: number | null,
  rtoSeconds: number | null,
  ending: Ending,
): string {
  if (mode === 'rehearsal' && elapsedMs !== null)
    return `A rehearsal of ${durationWords(elapsedMs)}: nothing ran, so it does not count against the RTO.`;
  return rtoWords(elapsedMs, rtoSeconds, ending);
}

const clip = (text: string, max = 120): string =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

/** An argv as one line a person can read (words with spaces or quotes are single-quoted). */
export function argvLine(argv: readonly string[]): string {
  return argv
    .map((w) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}

/** A record in words, with the session state before it (for step titles and command hosts). */
export function recordSummary(p: Payload, before: SessionState, signer: string): string {
  const d = p.data as Record<string, unknown>;
  const text = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '');
  const stepTitle = (id: string) => before.steps.find((s) => s.id === id)?.title ?? id;
  switch (p.type) {
    case 'open': {
      const rb = d.runbook as { name?: string } | undefined;
      return `${signer} opened a ${text('mode')} of "${clip(rb?.name ?? '?')}" on ${text('host')}${d.target ? ` against ${text('target')}` : ''}.`;
    }
    case 'step.start': {
      const attempt = Number(d.attempt);
      return `Step "${clip(stepTitle(text('step')))}" started${attempt > 1 ? ` (attempt ${attempt})` : ''}.`;
    }
    case 'cmd.start':
      return `Ran on ${text('host')}: ${clip(argvLine(d.argv as string[]), 200)}`;
    case 'cmd.pid':
      return `${text('cmd')} runs as process group ${Number(d.pgid)} on ${text('machine')}.`;
    case 'output':
      return `${text('stream')} of ${text('cmd')}: ${Number(d.bytes)} bytes${d.blob ? ' (kept as a blob file)' : ''}.`;
    case 's3.plan':
      return `Step "${clip(stepTitle(text('step')))}" will change: ${clip(radiusLine(d.radius as BlastRadius), 300)}.`;
    case 's3.batch': {
      const items = d.items as { key: string; kind: string }[];
      const failed = d.failed as { key: string; version: string | null }[];
      const first = failed[0];
      return `${items.length} key${items.length === 1 ? '' : 's'} changed by ${text('cmd')}${failed.length ? `; ${failed.length} failed, first ${JSON.stringify(clip(first?.key ?? ''))} (version ${first?.version ?? 'none'})` : ''}.`;
    }
    case 'cmd.end': {
      const host = before.commands.find((c) => c.id === text('cmd'))?.host ?? '';
      const how =
        d.signal !== null
          ? `was killed by ${String(d.signal)}`
          : `exited with ${String(d.exitCode)}`;
      return `Command ${text('cmd')}${host ? ` on ${host}` : ''} ${how} after ${durationWords(Number(d.durationMs))}.`;
    }
    case 'progress': {
      const unit = text('unit');
      const total = d.total === null ? '' : ` of ${Number(d.total)}`;
      const eta =
        d.etaSeconds === null ? '' : `, about ${durationWords(Number(d.etaSeconds) * 1000)} left`;
      return `Step "${clip(stepTitle(text('step')))}": ${Number(d.done)}${total} ${unit}${eta}.`;
    }
    case 'rollback': {
      const steps = (d.steps as { title?: string }[]).map((s) => `"${clip(s.title ?? '?')}"`);
      return `Aborted (${clip(text('reason'))}); rolling back with ${steps.join(', ')}.`;
    }
    case 'confirm':
      return text('typed') === text('expected')
        ? `${p.actor} typed "${clip(text('typed'))}" to confirm.`
        : `${p.actor} typed "${clip(text('typed'))}", which does not match "${clip(text('expected'))}".`;
    case 'approval.request':
      return `${signer} asked for an approval of step "${clip(stepTitle(text('step')))}" (request ${text('sha256').slice(0, 12)}…, answerable until ${text('expires')}).`;
    case 'approval.refused':
      return `An approval of step "${clip(stepTitle(text('step')))}" was refused (${text('source')}): ${clip(text('reason'), 200)}`;
    case 'approval':
      if (d.via === 'response' || d.via === 'standing')
        return `${text('approver')} ${text('decision')} step "${clip(stepTitle(text('step')))}" by ${d.via === 'response' ? 'a signed response' : 'a standing approval'}: "${clip(text('statement'), 200)}"`;
      return `${signer} ${text('decision')} step "${clip(stepTitle(text('step')))}": "${clip(text('statement'), 200)}"`;
    case 'note':
      return `Note by ${p.actor}: ${clip(text('text'), 200)}`;
    case 'step.end': {
      const state = text('state');
      const err = text('error');
      return `Step "${clip(stepTitle(text('step')))}" ${state === 'done' ? 'finished' : state}${err ? `: ${clip(err)}` : ''}.`;
    }
    case 'checkpoint':
      return `Checkpoint of the first ${Number(d.count)} records.`;
    case 'seal':
      return `Sealed after ${Number(d.count)} records; the session ${text('reason')}.`;
  }
}
