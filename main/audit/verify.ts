// Verification of a log file on its stored bytes: signatures, chain, seq, key windows, blobs,
// seal and (optionally) anchors. One verdict, and the first thing wrong with its line.
import { verify } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type {
  SignerSummary,
  Verdict,
  VerifyError,
  VerifyReport,
} from '../../preload/schemas/audit';
import type { AnchorSource } from './anchor';
import { checkAnchors } from './verify-anchors';
import { parseCanonical } from './canonical-json';
import { blobDir, readLog } from './log-file';
import { recordData, type AnchorRef } from './record-data';
import {
  decodeLine,
  GENESIS_PREV,
  RECORD_TYPES,
  sha256Hex,
  type Payload,
  type StoredRecord,
} from './records';
import { withinWindow, type Trust } from './trust';
import { approvalProblem, newLedger } from './verify-approvals';
import {
  firstBadSignature,
  startPool,
  stopPool,
  workersFor,
  type SignatureJob,
} from './verify-pool';

/** What verification needs besides the file. */
export type VerifyOptions = {
  trusted: Trust;
  /** Anchored checkpoints to compare against, or a factory from the log's anchor reference. */
  anchors?: AnchorSource | ((ref: AnchorRef) => AnchorSource) | undefined;
  /** Worker threads for signatures; default by log size. 0 keeps everything on this thread. */
  workers?: number;
  /** 'unavailable' when the log came without its blob folder (a dropped file): blob records are not checked. */
  blobs?: 'check' | 'unavailable';
};

/** A report plus the records that verified, for replay. */
export type VerifiedLog = { report: VerifyReport; records: StoredRecord[] };

const FIELDS = 'actor,data,log,prev,seq,ts,type,v';
const TYPES = new Set<string>(RECORD_TYPES);
const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const LOG_ID = /^[0-9a-f]{16,64}$/;

/** A payload field problem, or null when the fields are well formed. */
function fieldProblem(p: Record<string, unknown>): string | null {
  if (Object.keys(p).join(',') !== FIELDS)
    return 'the payload does not have exactly the fields v, log, seq, ts, type, actor, prev, data';
  if (p.v !== 1) return `the payload format version ${String(p.v)} is not one this verifier knows`;
  if (typeof p.log !== 'string' || !LOG_ID.test(p.log)) return 'the log id is not lowercase hex';
  if (typeof p.seq !== 'number' || !Number.isSafeInteger(p.seq) || p.seq < 0)
    return 'seq is not a whole number';
  if (typeof p.ts !== 'string' || !TS.test(p.ts) || !Number.isFinite(Date.parse(p.ts)))
    return 'ts is not a UTC ISO 8601 time';
  if (typeof p.type !== 'string' || !TYPES.has(p.type))
    return `the record type "${String(p.type).slice(0, 40)}" is unknown`;
  if (typeof p.actor !== 'string') return 'actor is not a string';
  if (typeof p.prev !== 'string' || !/^[0-9a-f]{64}$/.test(p.prev))
    return 'prev is not a SHA-256 hex digest';
  if (typeof p.data !== 'object' || p.data === null || Array.isArray(p.data))
    return 'data is not an object';
  return null;
}

type Walk = {
  records: StoredRecord[];
  jobs: SignatureJob[];
  error: VerifyError | null;
  forked: boolean;
  sealed: boolean;
};

/** The blob problem of an output record, or null. */
async function blobProblem(logFile: string, p: Payload): Promise<string | null> {
  const { sha256, bytes } = p.data as { sha256: string; bytes: number };
  let blob: Buffer;
  try {
    blob = await fs.readFile(path.join(blobDir(logFile), sha256));
  } catch {
    return `the output blob ${sha256.slice(0, 12)}… is missing from ${path.basename(blobDir(logFile))}/`;
  }
  if (blob.length !== bytes || sha256Hex(blob) !== sha256)
    return `the output blob ${sha256.slice(0, 12)}… was changed after it was written`;
  return null;
}

function inlineProblem(p: Payload): string | null {
  const d = p.data as { text?: string; b64?: string; bytes: number; sha256: string; blob?: true };
  if (d.blob)
    return d.text === undefined && d.b64 === undefined
      ? null
      : 'an output record holds both a blob and inline output';
  if ((d.text === undefined) === (d.b64 === undefined))
    return 'an output record needs exactly one of text or b64';
  const bytes =
    d.text !== undefined ? Buffer.from(d.text, 'utf8') : Buffer.from(d.b64 ?? '', 'base64');
  if (bytes.length !== d.bytes || sha256Hex(bytes) !== d.sha256)
    return 'the output text does not match its recorded size and SHA-256';
  return null;
}

/** Check every complete line in order, stopping at the first structural problem. */
async function walk(
  file: string,
  lines: string[],
  trust: Trust,
  checkBlobs: boolean,
): Promise<Walk> {
  const w: Walk = { records: [], jobs: [], error: null, forked: false, sealed: false };
  let prev = GENESIS_PREV;
  let logId: string | null = null;
  let operatorKey: string | null = null;
  const ledger = newLedger();
  const failAt = (i: number, seq: number | null, reason: string): Walk => ({
    ...w,
    error: { line: i + 1, seq, reason },
  });
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (w.sealed) return failAt(i, null, 'a record follows the seal');
    const d = decodeLine(line);
    if (!d.ok) return failAt(i, null, d.reason);
    const key = trust.get(d.key);
    if (!key)
      return failAt(
        i,
        null,
        `the record is signed by key ${d.key.slice(0, 16)}…, which the trust file does not list`,
      );
    // A payload that fails its signature is reported as such, whatever else is wrong with it.
    const fail = (i: number, seq: number | null, reason: string): Walk =>
      failAt(
        i,
        seq,
        verify(null, d.bytes, key.key, d.sig) ? reason : 'the signature does not verify',
      );
    const canon = parseCanonical(d.payloadText);
    if (!canon.ok) return fail(i, null, canon.reason);
    const p = canon.value as Record<string, unknown>;
    const problem = fieldProblem(p);
    if (problem) return fail(i, typeof p.seq === 'number' ? p.seq : null, problem);
    const payload = p as Payload;
    const seq = payload.seq;
    if (seq !== i) {
      const earlier = seq < i && payload.log === logId ? w.records[seq] : undefined;
      if (earlier && earlier.line !== line && verify(null, d.bytes, key.key, d.sig)) {
        return {
          ...failAt(
            i,
            seq,
            `a second, different record ${seq} of this log: two histories under one log id`,
          ),
          forked: true,
        };
      }
      return fail(
        i,
        seq,
        earlier
          ? `record ${seq} appears twice`
          : `expected record ${i}, found record ${seq} (records missing, moved or copied)`,
      );
    }
    if (logId === null) logId = payload.log;
    else if (payload.log !== logId)
      return fail(i, seq, `the record belongs to another log (${payload.log.slice(0, 12)}…)`);
    if (payload.prev !== prev)
      return fail(
        i,
        seq,
        'prev does not match the SHA-256 of the previous payload: the chain is broken',
      );
    if (!withinWindow(key, payload.ts)) {
      return fail(
        i,
        seq,
        `signed at ${payload.ts} by "${key.name}", outside that key's validity window (${key.validFrom} to ${key.validUntil ?? 'open'})`,
      );
    }
    if ((seq === 0) !== (payload.type === 'open'))
      return fail(
        i,
        seq,
        seq === 0 ? 'the first record is not an open record' : 'a second open record',
      );
    const data = recordData[payload.type].safeParse(payload.data);
    if (!data.success) {
      // A failed parse has at least one issue; the first names the field.
      const issue = data.error.issues[0] as (typeof data.error.issues)[number];
      return fail(
        i,
        seq,
        `the ${payload.type} data is malformed (${issue.path.join('.')}: ${issue.message})`,
      );
    }
    if (payload.type === 'open') {
      operatorKey = (payload.data as { operator: { keyId: string } }).operator.keyId;
      if (operatorKey !== d.key)
        return fail(i, seq, 'the open record is not signed by the operator key it names');
    }
    const approval = approvalProblem(payload, d.key, trust, ledger);
    if (approval) return fail(i, seq, approval);
    if (payload.type === 'checkpoint' || payload.type === 'seal') {
      const { count, head } = payload.data as { count: number; head: string };
      if (count !== seq || head !== prev)
        return fail(
          i,
          seq,
          `the ${payload.type} does not match the chain (count ${count}, head ${head.slice(0, 12)}…)`,
        );
      w.sealed = payload.type === 'seal';
    }
    if (payload.type === 'output') {
      // The inline shape first: a blob record must carry no text, or replay would show that text.
      const blob = (payload.data as { blob?: true }).blob === true;
      const bad =
        inlineProblem(payload) ?? (blob && checkBlobs ? await blobProblem(file, payload) : null);
      if (bad) return fail(i, seq, bad);
    }
    const hash = sha256Hex(d.bytes);
    w.records.push({ payload, bytes: d.bytes, hash, sig: d.sig, key: d.key, line });
    w.jobs.push({ bytes: d.bytes, sig: d.sig, key: key.key });
    prev = hash;
  }
  return w;
}

function signersOf(records: StoredRecord[], trust: Trust): SignerSummary[] {
  const by = new Map<string, SignerSummary>();
  // Every key here signed a verified record or a verified approval document: the walk refused any
  // other (approvalProblem refuses a document key the trust file does not list), so it is named.
  const of = (keyId: string): SignerSummary => {
    let s = by.get(keyId);
    if (!s) {
      // Stryker disable next-line OptionalChaining,StringLiteral: equivalent, the fallback cannot happen
      s = { keyId, name: trust.get(keyId)?.name ?? 'unknown', records: 0, approvals: 0 };
      by.set(keyId, s);
    }
    return s;
  };
  for (const r of records) {
    of(r.key).records += 1;
    if (r.payload.type !== 'approval') continue;
    // An approval by a signed document counts for the document's key, not the record's signer.
    of((r.payload.data as { keyId?: string }).keyId ?? r.key).approvals += 1;
  }
  return [...by.values()];
}

/** Verify a log file and keep the verified records (for replay and resume). */
export async function verifyLogDetailed(
  file: string,
  options: VerifyOptions,
): Promise<VerifiedLog> {
  const log = await readLog(file);
  // A pool of no threads verifies on this one.
  const pool = startPool(options.workers ?? workersFor(log.lines.length));
  let w: Walk;
  let bad: number;
  try {
    w = await walk(file, log.lines, options.trusted, options.blobs !== 'unavailable');
    bad = await firstBadSignature(w.jobs, pool);
  } finally {
    await stopPool(pool);
  }
  let verdict: Verdict = 'VALID';
  let error = w.error;
  // The lines after one that is not UTF-8 are not read, so an error the walk found comes before it.
  if (log.badUtf8Line !== null && error === null) {
    error = { line: log.badUtf8Line, seq: null, reason: 'the line is not valid UTF-8' };
  }
  // Signatures are checked only for the records the walk accepted, all before any error above.
  if (bad >= 0) {
    error = { line: bad + 1, seq: bad, reason: 'the signature does not verify' };
    w.forked = false;
  }
  const records = w.records.slice(0, error?.line != null ? error.line - 1 : w.records.length);
  const sealed = error === null && w.sealed;
  if (error) verdict = w.forked ? 'FORKED' : 'INVALID';
  else if (log.lines.length === 0 && log.torn.length === 0) {
    verdict = 'INVALID';
    error = { line: null, seq: null, reason: 'the file holds no records' };
  } else if (sealed && log.torn.length > 0) {
    verdict = 'INVALID';
    error = { line: log.lines.length + 1, seq: null, reason: 'bytes follow the seal' };
  }
  if (verdict === 'VALID' && options.anchors) {
    const anchored = await checkAnchors(records, options.anchors, options.trusted);
    if (anchored) {
      verdict = anchored.verdict;
      error = anchored.error;
    }
  }
  if (verdict === 'VALID' && log.torn.length > 0) {
    verdict = 'TORN_TAIL';
    error = {
      line: log.lines.length + 1,
      seq: null,
      reason: `the last line is torn (${log.torn.length} bytes without a newline): the prefix verifies`,
    };
  } else if (verdict === 'VALID' && !sealed) verdict = 'UNSEALED';
  const report: VerifyReport = {
    verdict,
    records: records.length,
    sealed,
    firstError: error,
    signers: signersOf(records, options.trusted),
  };
  return { report, records };
}

/** Verify a log file: one verdict, the number of records that verified, the first error. */
export async function verifyLog(file: string, options: VerifyOptions): Promise<VerifyReport> {
  return (await verifyLogDetailed(file, options)).report;
}
