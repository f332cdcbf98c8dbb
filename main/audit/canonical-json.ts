// Canonical JSON (RFC 8785, JCS): one exact byte form per value, so a signature over the
// bytes means the same thing to every verifier, including `jq` and `openssl` by hand.

/** A JSON value that canonicalises: no undefined, functions, NaN or Infinity. */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Why a value cannot be written as canonical JSON. */
export class CanonicalJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CanonicalJsonError';
  }
}

// The path to the value being written, kept as a stack so that it costs nothing until an error.
type Path = (string | number)[];
const at = (path: Path): string =>
  path.reduce<string>((w, p) => (typeof p === 'number' ? `${w}[${p}]` : `${w}.${p}`), 'value');

// ES2024 String.prototype.isWellFormed (Node 20+); the lib setting stops at ES2023.
type WellFormed = { isWellFormed: () => boolean };

// A lone surrogate has no UTF-8 form: two verifiers would disagree on its bytes.
function str(value: string, path: Path): string {
  if (!(value as unknown as WellFormed).isWellFormed())
    throw new CanonicalJsonError(`${at(path)} contains a lone surrogate.`);
  // ES2019 JSON.stringify escapes exactly as RFC 8785 section 3.2.2.2 asks.
  return JSON.stringify(value);
}

function num(value: number, path: Path): string {
  if (!Number.isFinite(value)) throw new CanonicalJsonError(`${at(path)} is not a finite number.`);
  // An integer beyond 2^53 was probably rounded on its way in: refuse rather than sign a guess.
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
    throw new CanonicalJsonError(
      `${at(path)} is an integer beyond 2^53, which JSON numbers cannot carry exactly.`,
    );
  }
  // ES Number::toString is the RFC 8785 number form (it writes -0 as "0", as the RFC asks).
  return String(value);
}

// Records repeat the same few keys: quote each once (a verifier checks 100,000s of records).
// Stryker disable all: a cache only saves time; with or without it every key is written the same.
const keyCache = new Map<string, string>();
function quotedKey(key: string, path: Path): string {
  let quoted = keyCache.get(key);
  if (quoted === undefined) {
    quoted = str(key, path);
    if (keyCache.size < 1000) keyCache.set(key, quoted);
  }
  return quoted;
}
// Stryker restore all

function write(value: unknown, path: Path): string {
  if (path.length > 64)
    throw new CanonicalJsonError(`${at(path)} is nested more than 64 levels deep.`);
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'number') return num(value, path);
  if (typeof value === 'string') return str(value, path);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      out += (i > 0 ? ',' : '') + write(value[i], path);
      path.pop();
    }
    return `${out}]`;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    // Default sort compares UTF-16 code units, which is the order RFC 8785 asks for.
    const keys = Object.keys(value).sort();
    let out = '{';
    for (const key of keys) {
      const item = (value as Record<string, unknown>)[key];
      if (item === undefined) continue;
      path.push(key);
      out += (out.length > 1 ? ',' : '') + quotedKey(key, path) + ':' + write(item, path);
      path.pop();
    }
    return `${out}}`;
  }
  throw new CanonicalJsonError(`${at(path)} is a ${typeof value}, which JSON cannot hold.`);
}

/** The RFC 8785 text of a value; throws CanonicalJsonError for what has no canonical form. */
export function canonicalize(value: unknown): string {
  return write(value, []);
}

/**
 * Parse text that must already be canonical: whitespace, duplicate keys, unsorted keys,
 * numbers that lose precision or other spellings make it fail. Returns the value or a reason.
 */
export function parseCanonical(
  text: string,
): { ok: true; value: JsonValue } | { ok: false; reason: string } {
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch {
    return { ok: false, reason: 'the payload is not JSON' };
  }
  let again: string;
  try {
    again = canonicalize(value);
  } catch (error) {
    return { ok: false, reason: `the payload has no canonical form: ${(error as Error).message}` };
  }
  if (again !== text) {
    return {
      ok: false,
      reason:
        'the payload is not in canonical JSON (whitespace, key order, duplicates or number form)',
    };
  }
  return { ok: true, value };
}
