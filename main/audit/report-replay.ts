// The replay material of a verified log: every record in words, the session reducer's state after
// each record (the one fold live sessions use), and command output with its text bounded.
import type { SessionState, VerifyReport } from '../../preload/schemas/audit';
import type {
  AuditOpened,
  KeyNote,
  LogSource,
  ReplayOutput,
  ReplayRecord,
  SignerView,
} from '../../preload/schemas/audit-replay';
import { initialSession, reduceSession } from './reducer';
import type { RecordData } from './record-data';
import type { StoredRecord } from './records';
import { recordSummary, sessionTimeWords, verdictWords } from './report-words';
import type { Trust } from './trust';

/** Bounds that keep a replay responsive on a long log. */
export const REPLAY_LIMITS = {
  /** Records replayed; a longer log is replayed up to here, and says so. */
  records: 20_000,
  /** Characters of one output chunk shown (as large as an inline blob, so those show whole). */
  chunkText: 64 * 1024,
  /** Characters of output text sent in all. */
  totalText: 4 * 1024 * 1024,
  /** Blobs up to this size come with the replay; larger ones load on demand. */
  inlineBlob: 64 * 1024,
  /** Bytes of a blob sent on demand. */
  lazyBlob: 1024 * 1024,
} as const;

/** What building a replay needs. */
export type ReplayInput = {
  source: LogSource;
  report: VerifyReport;
  records: StoredRecord[];
  trust: Trust;
  /** A blob's verified bytes by SHA-256, or null when the log came without its blobs. */
  readBlob: ((sha256: string) => Promise<Buffer | null>) | null;
  /** The RTO to use when the log's open record names none (from the workspace's runbook). */
  rtoFallback?: number | null;
  /** What git says about when the signers' keys were trusted (see trust-history.ts). */
  keyNotes?: KeyNote[];
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes as text when they are UTF-8; null for binary. */
export function textOf(bytes: Buffer): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

/** A session state without command output, which travels once in `outputs` instead. */
function withoutOutput(state: SessionState): SessionState {
  return { ...state, commands: state.commands.map((c) => ({ ...c, output: [] })) };
}

/** The signers of a log with their trust-file windows. */
export function signerViews(report: VerifyReport, trust: Trust): SignerView[] {
  return report.signers.map((s) => {
    const key = trust.get(s.keyId);
    return {
      ...s,
      validFrom: key?.validFrom ?? null,
      validUntil: key?.validUntil ?? null,
      comment: key?.comment ?? null,
    };
  });
}

type Budget = { left: number };

async function outputOf(
  r: StoredRecord,
  d: RecordData<'output'>,
  input: ReplayInput,
  budget: Budget,
): Promise<ReplayOutput> {
  const base = {
    seq: r.payload.seq,
    ts: r.payload.ts,
    cmd: d.cmd,
    stream: d.stream,
    bytes: d.bytes,
    sha256: d.sha256,
    blob: d.blob === true,
  };
  const shown = (text: string): ReplayOutput => {
    const cut = text.length > REPLAY_LIMITS.chunkText;
    const kept = cut ? text.slice(0, REPLAY_LIMITS.chunkText) : text;
    if (kept.length > budget.left) {
      return {
        ...base,
        text: null,
        hidden: `Not loaded: the replay keeps at most ${REPLAY_LIMITS.totalText / 1024 / 1024} MiB of output text.`,
        truncated: false,
        lazy: base.blob && input.readBlob !== null,
      };
    }
    budget.left -= kept.length;
    return { ...base, text: kept, hidden: null, truncated: cut, lazy: false };
  };
  if (d.text !== undefined) return shown(d.text);
  if (d.b64 !== undefined)
    return {
      ...base,
      text: null,
      hidden: `Binary output (${d.bytes} bytes), not shown as text.`,
      truncated: false,
      lazy: false,
    };
  if (!input.readBlob) {
    return {
      ...base,
      text: null,
      hidden: `${d.bytes} bytes kept as a blob file next to the log, which a dropped file does not bring: open the log by its path to see this output.`,
      truncated: false,
      lazy: false,
    };
  }
  if (d.bytes <= REPLAY_LIMITS.inlineBlob) {
    const bytes = await input.readBlob(d.sha256);
    const text = bytes ? textOf(bytes) : null;
    if (text !== null) return shown(text);
    if (bytes)
      return {
        ...base,
        text: null,
        hidden: `Binary output (${d.bytes} bytes), not shown as text.`,
        truncated: false,
        lazy: false,
      };
  }
  return {
    ...base,
    text: null,
    hidden: `${d.bytes} bytes kept as a blob file: load it to read.`,
    truncated: false,
    lazy: true,
  };
}

/** The step a record belongs to, when it names one or its command does. */
function stepOf(data: Record<string, unknown>, state: SessionState): string | null {
  if (typeof data.step === 'string') return data.step;
  if (typeof data.cmd === 'string')
    return state.commands.find((c) => c.id === data.cmd)?.step ?? null;
  return null;
}

/** Build the verdict, the signers and the replay of a verified log. */
export async function buildReplay(input: ReplayInput): Promise<AuditOpened> {
  const { report, trust } = input;
  const kept = input.records.slice(0, REPLAY_LIMITS.records);
  const t0 = kept[0] ? Date.parse(kept[0].payload.ts) : 0;
  const budget: Budget = { left: REPLAY_LIMITS.totalText };
  const records: ReplayRecord[] = [];
  const frames: SessionState[] = [];
  const outputs: ReplayOutput[] = [];
  let state = initialSession();
  for (const r of kept) {
    const p = r.payload;
    const signer = trust.get(r.key)?.name ?? 'unknown';
    const summary = recordSummary(p, state, signer);
    state = reduceSession(state, r);
    let data: Record<string, unknown> = p.data;
    if (p.type === 'output') {
      const d = p.data as RecordData<'output'>;
      outputs.push(await outputOf(r, d, input, budget));
      // The text travels once, in outputs; the record keeps its size and hash.
      const { text: _text, b64: _b64, ...rest } = d;
      data = rest;
    }
    // Output changes only the command's output (sent in `outputs`): reuse the last frame.
    if (p.type !== 'output' || frames.length === 0) frames.push(withoutOutput(state));
    records.push({
      seq: p.seq,
      ts: p.ts,
      type: p.type,
      actor: p.actor,
      keyId: r.key,
      signer,
      step: stepOf(p.data, state),
      summary,
      data,
      frame: frames.length - 1,
      offsetMs: Math.max(0, Date.parse(p.ts) - t0),
    });
  }
  const more = input.records.length - kept.length;
  return {
    source: input.source,
    verification: report,
    words: verdictWords(report),
    signers: signerViews(report, trust),
    keyNotes: input.keyNotes ?? [],
    blobNote: input.readBlob
      ? null
      : outputs.some((o) => o.blob)
        ? 'Output kept as blob files was not checked: a dropped file comes without its .blobs folder. Open the log by its path to check that output too.'
        : null,
    rtoSeconds: state.runbook?.rtoSeconds ?? input.rtoFallback ?? null,
    timeText: sessionTimeWords(
      state.mode,
      state.elapsedMs,
      state.runbook?.rtoSeconds ?? input.rtoFallback ?? null,
      state.sealed ? (state.outcome === 'running' ? 'completed' : state.outcome) : 'unsealed',
    ),
    records,
    frames,
    outputs,
    limitNote:
      more > 0
        ? `The replay shows the first ${kept.length.toLocaleString('en')} records; ${more.toLocaleString('en')} more verified but are left out to keep the console responsive. The exported report's verdict, steps and times count them all.`
        : null,
  };
}
