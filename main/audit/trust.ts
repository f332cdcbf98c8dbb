// keys/trusted.json: the public keys a workspace trusts, with names and validity windows.
import type { KeyObject } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { UserError } from '../ground/errors';
import { keyIdOf, publicKeyFromRaw, rawPublicKey } from './keys';

/** One trusted key as written in keys/trusted.json. */
export const TrustedKeyEntry = z.object({
  name: z.string().min(1),
  keyId: z.string().regex(/^[0-9a-f]{64}$/),
  /** The raw 32-byte Ed25519 public key, base64. */
  publicKey: z.string(),
  validFrom: z.string().datetime({ offset: true }),
  validUntil: z.string().datetime({ offset: true }).nullable(),
  comment: z.string().optional(),
});
export type TrustedKeyEntry = z.infer<typeof TrustedKeyEntry>;

/** The whole trust file. */
export const TrustFile = z.object({ v: z.literal(1).optional(), keys: z.array(TrustedKeyEntry) });
export type TrustFile = z.infer<typeof TrustFile>;

/** A trusted key ready for verification. */
export type TrustedKey = TrustedKeyEntry & { key: KeyObject; fromMs: number; untilMs: number };

/** Trusted keys by key id. */
export type Trust = Map<string, TrustedKey>;

/** Check a trust file's content and index it; `where` names the file in errors. */
export function buildTrust(content: unknown, where: string): Trust {
  const parsed = TrustFile.safeParse(content);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(
      'TRUST_FILE',
      // Stryker disable next-line OptionalChaining: a failed parse always has a first issue.
      `${where} is not a valid trust file (${issue?.path.join('.') || 'top level'}: ${issue?.message ?? 'unknown'}).`,
      'It needs { "v": 1, "keys": [ { name, keyId, publicKey, validFrom, validUntil } ] }; dapple audit export-key prints an entry.',
    );
  }
  const trust: Trust = new Map();
  for (const entry of parsed.data.keys) {
    const raw = Buffer.from(entry.publicKey, 'base64');
    if (raw.length !== 32 || keyIdOf(raw) !== entry.keyId) {
      throw new UserError(
        'TRUST_FILE',
        `In ${where}, the key "${entry.name}" has a public key that does not match its key id.`,
        'Copy the entry again from dapple audit export-key.',
      );
    }
    trust.set(entry.keyId, {
      ...entry,
      key: publicKeyFromRaw(raw),
      fromMs: Date.parse(entry.validFrom),
      untilMs: entry.validUntil === null ? Infinity : Date.parse(entry.validUntil),
    });
  }
  return trust;
}

/** Read and check a trust file. */
export async function loadTrust(file: string): Promise<Trust> {
  let text: string;
  try {
    // Stryker disable next-line StringLiteral: without an encoding the Buffer parses as UTF-8 all the same.
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new UserError(
      'TRUST_FILE',
      `Cannot read the trust file ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
      'Pass the workspace keys/trusted.json with --trusted.',
    );
  }
  let content: unknown;
  try {
    content = JSON.parse(text);
  } catch {
    throw new UserError(
      'TRUST_FILE',
      `The trust file ${file} is not JSON.`,
      'Fix the file, or take it again from the workspace repository.',
    );
  }
  return buildTrust(content, `the trust file ${file}`);
}

/** Whether a record time falls inside a key's window [validFrom, validUntil). */
export function withinWindow(key: TrustedKey, ts: string): boolean {
  const at = Date.parse(ts);
  return Number.isFinite(at) && at >= key.fromMs && at < key.untilMs;
}

/** The trust-file entry for a public key, for the team's keys/trusted.json. */
export function trustEntry(
  publicKey: KeyObject,
  name: string,
  validFrom: string,
  validUntil: string | null,
): TrustedKeyEntry {
  return {
    name,
    keyId: keyIdOf(publicKey),
    publicKey: rawPublicKey(publicKey).toString('base64'),
    validFrom,
    validUntil,
  };
}
