// What the replay shows at one record: the reducer's state (sent by main) with the output that
// had been printed by then. The renderer never folds records itself; it only picks a moment.
import type { SessionState } from '../../../../preload/schemas/audit';
import type {
  AuditOpened,
  ReplayOutput,
  ReplayRecord,
} from '../../../../preload/schemas/audit-replay';

/** The session state after record `pos` (command output left out: see outputsUpTo). */
export function stateAt(opened: AuditOpened, pos: number): SessionState | null {
  const record = opened.records[pos];
  return record ? (opened.frames[record.frame] ?? null) : null;
}

/** A command's output printed up to record `seq`, in order. */
export function outputsUpTo(opened: AuditOpened, cmd: string, seq: number): ReplayOutput[] {
  return opened.outputs.filter((o) => o.cmd === cmd && o.seq <= seq);
}

/** One attempt of a step, as its step.end records tell it. */
export type Attempt = { attempt: number; state: string; error: string | null; ts: string };

/** The finished attempts of a step up to record `seq`. */
export function attemptsOf(opened: AuditOpened, step: string, seq: number): Attempt[] {
  return opened.records
    .filter((r) => r.type === 'step.end' && r.step === step && r.seq <= seq)
    .map((r) => ({
      attempt: Number(r.data.attempt),
      state: String(r.data.state),
      error: typeof r.data.error === 'string' ? r.data.error : null,
      ts: r.ts,
    }));
}

/** The step to show in detail: the one picked, else the current record's, else the last started. */
export function shownStep(
  opened: AuditOpened,
  pos: number,
  focus: string | null,
  state: SessionState | null,
): string | null {
  if (focus) return focus;
  const record: ReplayRecord | undefined = opened.records[pos];
  if (record?.step) return record.step;
  if (state?.currentStep) return state.currentStep;
  const started = state?.steps.filter((s) => s.startedAt !== null) ?? [];
  return started.at(-1)?.id ?? state?.steps[0]?.id ?? null;
}

/** A key id short enough to read aloud, with the full id kept for the title attribute. */
export const shortKey = (keyId: string): string => `${keyId.slice(0, 16)}…`;

/**
 * The replay's "now" in epoch ms: the log's start plus the elapsed time the player shows (its clock
 * while playing; the record's own offset when stepped, since a seek sets the clock to it). Step
 * times read at this one instant, so playing to a record and stepping to it show the same figures.
 */
export function replayNowMs(opened: AuditOpened, pos: number, clockMs: number): number {
  const first = opened.records[0];
  const record = opened.records[pos];
  if (!first || !record) return 0;
  return Date.parse(first.ts) + replayElapsedMs(opened, pos, clockMs);
}

/** The elapsed time the player shows at record `pos` with its clock at `clockMs`. */
export function replayElapsedMs(opened: AuditOpened, pos: number, clockMs: number): number {
  return Math.max(clockMs, opened.records[pos]?.offsetMs ?? 0);
}

/** "+5m 40s" from milliseconds. */
export function offsetText(ms: number): string {
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  const two = (x: number) => String(x).padStart(2, '0');
  return h > 0 ? `+${h}h ${two(m)}m ${two(r)}s` : m > 0 ? `+${m}m ${two(r)}s` : `+${r}s`;
}

/** "23m 05s" or "1h 00m" from milliseconds, or a dash. */
export function durationText(ms: number | null): string {
  if (ms === null) return '—';
  const text = offsetText(ms).slice(1);
  return ms >= 3_600_000 ? text.replace(/ \d\ds$/, '') : text;
}

/** "14:05:40 UTC" from an ISO time. */
export const clockText = (iso: string): string => `${iso.slice(11, 19)} UTC`;
