// Audit actions: list the workspace's logs, open one (path or dropped file), drive the replay
// clock, load blobs on demand and export reports.
import type { AuditOpened } from '../../../preload/schemas/audit-replay';
import { api, errorOf, unwrap } from '../ipc';
import type { AuditRef } from './audit-slice';
import { useStore } from './index';

const set = useStore.setState;
const get = useStore.getState;

/** Dropped files travel as text in one request: beyond this, open the log by its path. */
export const MAX_DROPPED_BYTES = 600 * 1024;
/** The speeds the player offers. */
export const SPEEDS = [1, 5, 10, 30, 60] as const;
const TICK_MS = 100;

let timer: ReturnType<typeof setInterval> | null = null;

function stopTimer(): void {
  if (timer !== null) clearInterval(timer);
  timer = null;
}

/** The last record whose time is at or before `clockMs` (never before `from`). */
export function indexAt(opened: AuditOpened, clockMs: number, from = 0): number {
  let i = Math.max(0, from);
  while (i + 1 < opened.records.length && (opened.records[i + 1]?.offsetMs ?? 0) <= clockMs) i++;
  return i;
}

/** Fetch the .jsonl logs of the workspace's audit/ folder. */
export async function loadAuditLogs(): Promise<void> {
  try {
    set({ auditLogs: await unwrap(api().audit.demoLogs({})) });
  } catch (error) {
    set({ auditLogs: [], auditError: errorOf(error) });
  }
}

async function open(ref: AuditRef): Promise<void> {
  stopTimer();
  set({ auditLoading: true, auditError: null, auditPlaying: false, auditExport: null });
  try {
    const opened =
      'path' in ref ? await unwrap(api().audit.open(ref)) : await unwrap(api().audit.openText(ref));
    // The replay opens on the finished session; Play starts it from the beginning.
    const last = Math.max(0, opened.records.length - 1);
    set({
      audit: opened,
      auditRef: ref,
      auditLoading: false,
      auditPos: last,
      auditClockMs: opened.records[last]?.offsetMs ?? 0,
      auditFocusStep: null,
      auditBlobs: {},
    });
  } catch (error) {
    set({ auditLoading: false, auditError: errorOf(error) });
  }
}

/** Open a log file by its absolute path. */
export const openAuditPath = (path: string): Promise<void> => open({ path });

/** Show the desktop app's file picker and open the chosen log by its path (blobs included). */
export async function chooseAuditLog(): Promise<void> {
  try {
    const path = await unwrap(api().audit.choose({}));
    if (path) await openAuditPath(path);
  } catch (error) {
    set({ auditError: errorOf(error) });
  }
}

/** Open a file dropped into (or picked in) the console: its text, checked to be UTF-8. */
export async function openAuditFile(file: File): Promise<void> {
  const refuse = (message: string, hint: string) =>
    set({ auditError: { code: 'BAD_DROP', message, hint } });
  if (!file.name.endsWith('.jsonl'))
    return refuse(
      `${file.name} does not end in .jsonl, so it is not a Dapple audit log.`,
      'Drop the .jsonl file from the workspace’s audit/ folder.',
    );
  if (file.size > MAX_DROPPED_BYTES)
    return refuse(
      `${file.name} is ${Math.round(file.size / 1024)} KiB; a dropped log can be at most ${MAX_DROPPED_BYTES / 1024} KiB.`,
      'Type its path in the field above instead: logs opened by path can be up to 64 MiB.',
    );
  let text: string;
  try {
    // fatal + ignoreBOM: the text re-encodes to exactly the file's bytes, or we refuse.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(
      await file.arrayBuffer(),
    );
  } catch {
    return refuse(
      `${file.name} is not UTF-8 text, so it is not a Dapple audit log.`,
      'Check that this is the .jsonl log itself, not a compressed or binary copy.',
    );
  }
  await open({ name: file.name, text });
}

/** Close the log and go back to the list. */
export function closeAudit(): void {
  stopTimer();
  set({ audit: null, auditRef: null, auditPlaying: false, auditError: null, auditExport: null });
}

/** Show the state after record `index` (and stop following a picked step). */
export function seekAudit(index: number, focusStep: string | null = null): void {
  const opened = get().audit;
  if (!opened) return;
  const i = Math.min(Math.max(0, index), opened.records.length - 1);
  set({
    auditPos: i,
    auditClockMs: opened.records[i]?.offsetMs ?? 0,
    auditFocusStep: focusStep,
  });
}

/** Jump to the first start of a step. */
export function jumpToStep(step: string): void {
  const opened = get().audit;
  if (!opened) return;
  const index = opened.records.findIndex((r) => r.type === 'step.start' && r.step === step);
  if (index >= 0) seekAudit(index, step);
  else set({ auditFocusStep: step });
}

/** Pause the replay. */
export function pauseAudit(): void {
  stopTimer();
  set({ auditPlaying: false });
}

/** Play from where the replay is (from the start when it is at the end). */
export function playAudit(): void {
  const opened = get().audit;
  if (!opened || opened.records.length === 0) return;
  if (get().auditPos >= opened.records.length - 1) seekAudit(0);
  stopTimer();
  set({ auditPlaying: true, auditFocusStep: null });
  timer = setInterval(() => {
    const { audit, auditClockMs, auditSpeed, auditPos } = get();
    if (!audit) return pauseAudit();
    const clock = auditClockMs + TICK_MS * auditSpeed;
    const pos = indexAt(audit, clock, auditPos);
    set({ auditClockMs: clock, auditPos: pos });
    if (pos >= audit.records.length - 1) pauseAudit();
  }, TICK_MS);
}

/** Set the replay speed (1× to 60×). */
export const setAuditSpeed = (speed: number): void => set({ auditSpeed: speed });

/** Pick a step to look at without moving the replay. */
export const focusAuditStep = (step: string | null): void => set({ auditFocusStep: step });

/** Load a blob kept next to the log. */
export async function loadAuditBlob(sha256: string): Promise<void> {
  const ref = get().auditRef;
  if (!ref || !('path' in ref)) return;
  try {
    const blob = await unwrap(api().audit.blob({ path: ref.path, sha256 }));
    set({ auditBlobs: { ...get().auditBlobs, [sha256]: blob } });
  } catch (error) {
    const e = errorOf(error);
    set({
      auditBlobs: {
        ...get().auditBlobs,
        [sha256]: { text: null, hidden: `${e.message} ${e.hint}`, truncated: false },
      },
    });
  }
}

/** Export the review report as a download (the same in Electron and in a browser). */
export async function exportAuditReport(format: 'html' | 'markdown' | 'pdf'): Promise<void> {
  const ref = get().auditRef;
  if (!ref) return;
  set({ auditExport: 'Writing the report…' });
  try {
    const report = await unwrap(api().audit.report({ format, ...ref }));
    const body =
      report.encoding === 'base64'
        ? Uint8Array.from(atob(report.content), (c) => c.charCodeAt(0))
        : report.content;
    const url = URL.createObjectURL(new Blob([body], { type: report.mime }));
    const link = document.createElement('a');
    link.href = url;
    link.download = report.filename;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    set({ auditExport: `Saved ${report.filename} (verified again just now).` });
  } catch (error) {
    const e = errorOf(error);
    set({ auditExport: `The report was not made: ${e.message} ${e.hint}` });
  }
}
