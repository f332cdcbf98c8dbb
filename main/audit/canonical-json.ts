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

// A lone surrogate has no UTF-8 form: two verifiers would disagree on its bytes.
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function str(value: string, where: string): string {
  if (loneSurrogate.test(value))
    throw new CanonicalJsonError(`${where} contains a lone surrogate.`);
  // ES2019 JSON.stringify escapes exactly as RFC 8785 section 3.2.2.2 asks.
  return JSON.stringify(value);
}

function num(value: number, where: string): string {
  if (!Number.isFinite(value)) throw new CanonicalJsonError(`${where} is not a finite number.`);
  // An integer beyond 2^53 was probably rounded on its way in: refuse rather than sign a guess.
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
    throw new CanonicalJsonError(
      `${where} is an integer beyond 2^53, which JSON numbers cannot carry exactly.`,
    );
  }
  // ES Number::toString is the RFC 8785 number form; -0 becomes "0".
  return Object.is(value, -0) ? '0' : String(value);
}

function write(value: unknown, where: string, out: string[], depth: number): void {
  if (depth > 64) throw new CanonicalJsonError(`${where} is nested more than 64 levels deep.`);
  if (value === null) out.push('null');
  else if (value === true) out.push('true');
  else if (value === false) out.push('false');
  else if (typeof value === 'number') out.push(num(value, where));
  else if (typeof value === 'string') out.push(str(value, where));
  else if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item, i) => {
      if (i > 0) out.push(',');
      write(item, `${where}[${i}]`, out, depth + 1);
    });
    out.push(']');
  } else if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    // Default sort compares UTF-16 code units, which is the order RFC 8785 asks for.
    const keys = Object.keys(value).sort();
    out.push('{');
    let first = true;
    for (const key of keys) {
      const item = (value as Record<string, unknown>)[key];
      if (item === undefined) continue;
      if (!first) out.push(',');
      first = false;
      out.push(str(key, `${where} key`), ':');
      write(item, `${where}.${key}`, out, depth + 1);
    }
    out.push('}');
  } else {
    throw new CanonicalJsonError(`${where} is a ${typeof value}, which JSON cannot hold.`);
  }
}

/** The RFC 8785 text of a value; throws CanonicalJsonError for what has no canonical form. */
export function canonicalize(value: unknown): string {
  const out: string[] = [];
  write(value, 'value', out, 0);
  return out.join('');
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
