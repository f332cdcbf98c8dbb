// How an approval document travels: its canonical payload, the signer's Ed25519 signature and key
// id (the same envelope as an audit record), as one pasteable line
// `dapple-approval-request:v1:<base64url of the envelope>` or a file holding that line.
// Reading one says in a sentence why a pasted text is not a usable document.
import { verify } from 'node:crypto';
import { UserError } from '../ground/errors';
import { canonicalize, parseCanonical, type JsonValue } from '../audit/canonical-json';
import type { Signer } from '../audit/keys';
import { decodeLine, encodeLine, sha256Hex } from '../audit/records';
import { withinWindow, type Trust, type TrustedKey } from '../audit/trust';
import { KINDS, PAYLOADS, type DocumentKind, type PayloadOf } from './documents';

/** A signed document as the log keeps it: the exact payload text, signature (base64) and key id. */
export type Envelope = { payload: string; sig: string; key: string };

/** A document read back: its envelope, parsed payload and the SHA-256 of the payload bytes. */
export type SignedDocument<K extends DocumentKind> = {
  kind: K;
  envelope: Envelope;
  payload: PayloadOf<K>;
  /** SHA-256 hex of the payload bytes: what a response binds. */
  sha256: string;
  /** The line as it travels. */
  line: string;
};

const VERSION = 'v1';
const MAX_TEXT = 1_000_000;

/** The prefix of a kind's pasteable line. */
export const linePrefix = (kind: DocumentKind): string => `${KINDS[kind]}:${VERSION}:`;

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** Sign a payload with a key and return the document in its travelling forms. */
export async function signDocument<K extends DocumentKind>(
  kind: K,
  payload: PayloadOf<K>,
  signer: Signer,
): Promise<SignedDocument<K>> {
  const text = canonicalize(payload as unknown as JsonValue);
  const bytes = Buffer.from(text, 'utf8');
  const sig = Buffer.from(await signer.sign(bytes));
  const envelope = { payload: text, sig: sig.toString('base64'), key: signer.keyId };
  return {
    kind,
    envelope,
    payload,
    sha256: sha256Hex(bytes),
    line: `${linePrefix(kind)}${base64url(encodeLine(text, sig, signer.keyId))}`,
  };
}

/** The pasteable line of an envelope (as the log keeps it). */
export function envelopeLine(kind: DocumentKind, envelope: Envelope): string {
  const sig = Buffer.from(envelope.sig, 'base64');
  return `${linePrefix(kind)}${base64url(encodeLine(envelope.payload, sig, envelope.key))}`;
}

/** The file form: a comment saying what it is, then the line. */
export function documentFile(doc: SignedDocument<DocumentKind>, comment: string): string {
  return `# ${comment.replace(/\s+/g, ' ')}\n${doc.line}\n`;
}

const garbled = (what: string, why: string, hint: string) =>
  new UserError('APPROVAL_GARBLED', `${what} ${why}`, hint);

/** What a pasted text or file holds, once comments and line breaks from a chat are gone. */
function squeeze(text: string): string {
  return text
    .split(/\r?\n/)
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('')
    .replace(/\s+/g, '');
}

/** The kind a line announces, if any (for callers that accept more than one). */
export function kindOfText(text: string): DocumentKind | null {
  const line = squeeze(text.slice(0, MAX_TEXT));
  for (const kind of Object.keys(KINDS) as DocumentKind[])
    if (line.startsWith(`${KINDS[kind]}:`)) return kind;
  return null;
}

/**
 * Take a pasted line or a file's text apart: the prefix, base64url, the envelope and the payload
 * schema. The signature is checked by `checkSignature`, against the reader's trust file.
 */
export function readDocument<K extends DocumentKind>(kind: K, text: string): SignedDocument<K> {
  const what = `The pasted ${KINDS[kind].replace(/^dapple-/, '').replace(/-/g, ' ')}`;
  const hint = `Copy the whole line again (it starts with ${linePrefix(kind)}), or use the file.`;
  if (text.length > MAX_TEXT) throw garbled(what, 'is larger than any approval document.', hint);
  const line = squeeze(text);
  if (line === '') throw garbled(what, 'is empty.', hint);
  const other = kindOfText(line);
  if (!line.startsWith(`${KINDS[kind]}:`)) {
    throw garbled(
      what,
      other
        ? `is a ${KINDS[other]}, not a ${KINDS[kind]}.`
        : `is not a Dapple approval line: it does not start with ${linePrefix(kind)}.`,
      hint,
    );
  }
  if (!line.startsWith(linePrefix(kind))) {
    const version = line.slice(KINDS[kind].length + 1).split(':')[0] ?? '';
    throw garbled(
      what,
      `has format version "${version.slice(0, 10)}", which this Dapple does not read.`,
      'Update Dapple on this machine, or ask for a v1 document.',
    );
  }
  const body = line.slice(linePrefix(kind).length);
  const bad = /[^A-Za-z0-9_-]/.exec(body);
  if (bad) {
    throw garbled(
      what,
      `is garbled: "${bad[0]}" at character ${linePrefix(kind).length + bad.index + 1} cannot be part of it.`,
      hint,
    );
  }
  const decoded = decodeLine(Buffer.from(body, 'base64url').toString('utf8'));
  if (!decoded.ok)
    throw garbled(
      what,
      `is cut off or garbled (${body.length} characters after the prefix).`,
      hint,
    );
  const canon = parseCanonical(decoded.payloadText);
  if (!canon.ok) throw garbled(what, `is garbled: its payload is not canonical JSON.`, hint);
  const parsed = PAYLOADS[kind].safeParse(canon.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw garbled(
      what,
      `is not a valid ${KINDS[kind]} (${issue?.path.join('.') || 'top level'}: ${issue?.message ?? 'invalid'}).`,
      hint,
    );
  }
  return {
    kind,
    envelope: {
      payload: decoded.payloadText,
      sig: decoded.sig.toString('base64'),
      key: decoded.key,
    },
    payload: parsed.data as PayloadOf<K>,
    sha256: sha256Hex(decoded.bytes),
    line: `${linePrefix(kind)}${body}`,
  };
}

/** Whether an envelope's signature verifies under a trusted key. */
export function signatureVerifies(envelope: Envelope, key: TrustedKey): boolean {
  const sig = Buffer.from(envelope.sig, 'base64');
  return sig.length === 64 && verify(null, Buffer.from(envelope.payload, 'utf8'), key.key, sig);
}

/** Why a document's signature cannot be trusted here, or null when it can (at instant `at`). */
export function signatureProblem(
  doc: SignedDocument<DocumentKind>,
  trust: Trust,
  at: Date,
  whose: string,
): { code: string; message: string; hint: string } | null {
  const key = trust.get(doc.envelope.key);
  if (!key) {
    return {
      code: 'APPROVAL_UNTRUSTED',
      message: `The ${KINDS[doc.kind]} is signed by key ${doc.envelope.key.slice(0, 16)}…, which ${whose} keys/trusted.json does not list.`,
      hint: 'Only keys reviewed into the workspace’s keys/trusted.json can sign; add it there in git first.',
    };
  }
  if (!signatureVerifies(doc.envelope, key)) {
    return {
      code: 'APPROVAL_ALTERED',
      message: `The ${KINDS[doc.kind]} from ${key.name} was altered after it was signed: its signature does not verify.`,
      hint: 'Ask for it again and paste it unchanged.',
    };
  }
  if (!withinWindow(key, at.toISOString())) {
    return {
      code: 'APPROVAL_KEY_WINDOW',
      message: `The key of ${key.name} is outside its validity window (${key.validFrom} to ${key.validUntil ?? 'open'}) at ${at.toISOString()}.`,
      hint: 'A key that expired or is not valid yet cannot sign; renew it in keys/trusted.json in review.',
    };
  }
  return null;
}
