// The record format: one JSON line per record, a canonical payload as a string, its
// Ed25519 signature and the signer's key id. Verification reads the payload bytes as stored.
import { createHash } from 'node:crypto';
import { canonicalize, type JsonValue } from './canonical-json';

/** The format version written into every payload. */
export const FORMAT_VERSION = 1;

/** The `prev` of the first record: there is no previous payload. */
export const GENESIS_PREV = '0'.repeat(64);

/** Every record type, in the order a session usually writes them. */
export const RECORD_TYPES = [
  'open',
  'step.start',
  'cmd.start',
  'cmd.pid',
  'output',
  's3.plan',
  's3.batch',
  'cmd.end',
  'progress',
  'confirm',
  'approval.request',
  'approval',
  'approval.refused',
  'note',
  'step.end',
  'rollback',
  'checkpoint',
  'seal',
] as const;

/** One record type. */
export type RecordType = (typeof RECORD_TYPES)[number];

/** The signed part of a record. Field names are part of the format: never rename them. */
export type Payload = {
  v: number;
  log: string;
  seq: number;
  ts: string;
  type: RecordType;
  actor: string;
  prev: string;
  data: { [key: string]: JsonValue };
};

/** A record as read back: the payload, its exact bytes, the signature and key id. */
export type StoredRecord = {
  payload: Payload;
  /** The UTF-8 bytes that were signed and hashed. */
  bytes: Buffer;
  /** SHA-256 hex of `bytes`: the next record's `prev`. */
  hash: string;
  sig: Buffer;
  key: string;
  /** The line as stored, without its newline. */
  line: string;
};

/** SHA-256 hex of bytes: payload hashes, blob names and key ids. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The canonical payload text of a payload object (throws CanonicalJsonError). */
export function payloadText(payload: Payload): string {
  return canonicalize(payload);
}

/**
 * The one line for a record, without its newline. The envelope has a fixed key order and no
 * spaces so that `jq -j .payload` gives the signed bytes and each record has one spelling.
 */
export function encodeLine(payload: string, sig: Uint8Array, keyId: string): string {
  return `{"payload":${JSON.stringify(payload)},"sig":"${Buffer.from(sig).toString('base64')}","key":"${keyId}"}`;
}

const keyIdPattern = /^[0-9a-f]{64}$/;
// 64 bytes of base64: the last character before the padding carries 4 zero bits.
const sigPattern = /^[A-Za-z0-9+/]{85}[AQgw]==$/;
const HEAD = '{"payload":';

/** A line taken apart, or why it cannot be. Signature and chain checks come later. */
export type DecodedLine =
  | { ok: true; payloadText: string; bytes: Buffer; sig: Buffer; key: string }
  | { ok: false; reason: string };

/** Take a line apart and insist on the one spelling `encodeLine` writes. */
export function decodeLine(line: string): DecodedLine {
  let envelope: unknown;
  try {
    envelope = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'the line is not JSON' };
  }
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) {
    return { ok: false, reason: 'the line is not a record object' };
  }
  const { payload, sig, key } = envelope as Record<string, unknown>;
  if (typeof payload !== 'string' || typeof sig !== 'string' || typeof key !== 'string') {
    return { ok: false, reason: 'the line lacks a payload, sig or key string' };
  }
  if (!keyIdPattern.test(key))
    return { ok: false, reason: 'the key id is not 64 lowercase hex digits' };
  if (!sigPattern.test(sig))
    return { ok: false, reason: 'the signature is not 64 bytes of base64' };
  const sigBytes = Buffer.from(sig, 'base64');
  // Same bytes, one spelling: extra fields, spaces or odd escapes make a different line.
  // Compared piece by piece (what encodeLine writes), without building the line again.
  const literal = JSON.stringify(payload);
  const tail = `,"sig":"${sig}","key":"${key}"}`;
  if (
    line.length !== HEAD.length + literal.length + tail.length ||
    !line.startsWith(HEAD) ||
    !line.startsWith(literal, HEAD.length) ||
    !line.endsWith(tail)
  ) {
    return {
      ok: false,
      reason: 'the line is not in the exact record form (extra fields, spacing or escapes)',
    };
  }
  return {
    ok: true,
    payloadText: payload,
    bytes: Buffer.from(payload, 'utf8'),
    sig: sigBytes,
    key,
  };
}
