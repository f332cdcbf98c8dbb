// Host key checking against OpenSSH known_hosts files: plain, [host]:port, hashed and wildcard entries.
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** One usable line of a known_hosts file. */
export type KnownHostEntry = {
  patterns: string;
  keyType: string;
  key: Buffer;
  marker: 'revoked' | 'ca' | null;
};

/** What a host key check found: a match, no entry for this key type, or a different key (or a revoked one). */
export type HostKeyVerdict = 'known' | 'unknown' | 'changed' | 'revoked';

/** The SHA-256 fingerprint of a raw public key blob, as OpenSSH prints it. */
export function sha256Fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named inside a raw SSH public key blob ("ssh-ed25519", "ecdsa-sha2-nistp256", ...). */
export function keyTypeOf(key: Buffer): string {
  if (key.length < 4) return 'unknown';
  const length = key.readUInt32BE(0);
  return key.subarray(4, 4 + Math.min(length, 64)).toString('latin1');
}

/** The name a known_hosts file uses for host and port: "host" on 22, "[host]:port" otherwise. */
export function hostToken(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** A known_hosts line for a key, ready to append. */
export function knownHostsLine(host: string, port: number, key: Buffer): string {
  return `${hostToken(host, port)} ${keyTypeOf(key)} ${key.toString('base64')}`;
}

/** Parse known_hosts text; unreadable lines are skipped like OpenSSH does. */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'] = null;
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') {
      marker = fields[0] === '@revoked' ? 'revoked' : 'ca';
      fields.shift();
    }
    const [patterns, keyType, base64] = fields;
    if (!patterns || !keyType || !base64) continue;
    entries.push({ patterns, keyType, key: Buffer.from(base64, 'base64'), marker });
  }
  return entries;
}

// OpenSSH wildcards: * any run, ? one character.
function wildcard(pattern: string, text: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 'i').test(text);
}

function hashedMatch(pattern: string, token: string): boolean {
  const [, magic, salt, hash] = pattern.split('|');
  if (magic !== '1' || !salt || !hash) return false;
  const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(token).digest('base64');
  return digest === hash;
}

/** Does a comma-separated pattern list name this host token? A matching !negation wins. */
export function patternsMatch(patterns: string, token: string): boolean {
  if (patterns.startsWith('|')) return hashedMatch(patterns, token);
  let matched = false;
  for (const pattern of patterns.split(',')) {
    if (pattern.startsWith('!')) {
      if (wildcard(pattern.slice(1), token)) return false;
    } else if (wildcard(pattern, token)) matched = true;
  }
  return matched;
}

// RSA keys are offered under rsa-sha2-* algorithm names but stored as ssh-rsa.
function sameType(a: string, b: string): boolean {
  const norm = (t: string) => (t.startsWith('rsa-sha2-') ? 'ssh-rsa' : t);
  return norm(a) === norm(b);
}

/** Check a host key against entries; lines for other key types neither confirm nor contradict it. */
export function checkHostKey(
  entries: KnownHostEntry[],
  host: string,
  port: number,
  key: Buffer,
): HostKeyVerdict {
  const token = hostToken(host, port);
  const type = keyTypeOf(key);
  const mine = entries.filter((e) => e.marker !== 'ca' && patternsMatch(e.patterns, token));
  if (mine.some((e) => e.marker === 'revoked' && e.key.equals(key))) return 'revoked';
  const sameKind = mine.filter((e) => e.marker === null && sameType(e.keyType, type));
  if (sameKind.some((e) => e.key.equals(key))) return 'known';
  return sameKind.length > 0 ? 'changed' : 'unknown';
}

/** The key types already known for a host, so the handshake can prefer them (as OpenSSH does). */
export function knownKeyTypes(entries: KnownHostEntry[], host: string, port: number): string[] {
  const token = hostToken(host, port);
  return [
    ...new Set(
      entries
        .filter((e) => e.marker === null && patternsMatch(e.patterns, token))
        .map((e) => e.keyType),
    ),
  ];
}

/** Read and parse several known_hosts files; a missing file is simply empty. */
export function loadKnownHosts(files: string[]): KnownHostEntry[] {
  return files.flatMap((file) => {
    try {
      return parseKnownHosts(readFileSync(file, 'utf8'));
    } catch {
      return [];
    }
  });
}
