// Turning JSON Schema (ajv) errors into plain sentences with the file and line they are about.
import type { ErrorObject } from 'ajv';
import type { WorkspaceProblem } from '../../preload/schemas/workspace';
import { DURATION_PATTERN } from './duration';
import { lineOf, pathLabel, problem } from './yaml-file';
import type { PathSegment, YamlFile } from './yaml-file';

const KIND_WORDS: Record<string, string> = {
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (name: value lines)',
  null: 'empty',
};

/** Split an ajv instance path ("/groups/shop/members/2") into segments, numbers where the data is a list. */
export function decodePointer(pointer: string, data: unknown): PathSegment[] {
  if (pointer === '') return [];
  const segments: PathSegment[] = [];
  let current: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(current)) {
      segments.push(Number(key));
      current = current[Number(key)];
    } else {
      segments.push(key);
      current =
        typeof current === 'object' && current !== null
          ? (current as Record<string, unknown>)[key]
          : undefined;
    }
  }
  return segments;
}

function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let current = data;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[String(segment)];
  }
  return current;
}

// Show a value briefly and safely: hostile or huge text stays short and quoted.
function shown(value: unknown): string {
  if (typeof value === 'string')
    return `'${value.length > 60 ? `${value.slice(0, 57)}...` : value}'`;
  if (Array.isArray(value)) return 'a list';
  if (value === null || value === undefined) return 'empty';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null || value === undefined) return 'empty';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text ${shown(value)}`;
  return shown(value);
}

/** Edit distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(
        Math.min((row[j - 1] ?? 0) + 1, (previous[j] ?? 0) + 1, (previous[j - 1] ?? 0) + cost),
      );
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}

/** The closest known word to a typo, or null when none is close enough. */
export function closest(word: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const lower = candidate.toLowerCase();
    // A case slip is the closest, then an abbreviation ("prod" for "production"), then edits.
    const distance =
      lower === word.toLowerCase()
        ? 0
        : word.length >= 3 && lower.startsWith(word.toLowerCase())
          ? 1
          : editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : null;
}

function knownFields(error: ErrorObject): string[] {
  const properties = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)
    ?.properties;
  return properties ? Object.keys(properties) : [];
}

function isDuration(error: ErrorObject): boolean {
  return (error.parentSchema as { pattern?: string } | undefined)?.pattern === DURATION_PATTERN;
}

// The sentence for one error, and whether it is about a key (so the line is the key's line).
function describe(
  error: ErrorObject,
  path: PathSegment[],
  data: unknown,
): { sentence: string; at: PathSegment[]; key: boolean } {
  const where = path.length === 0 ? 'the top level' : pathLabel(path);
  const value = valueAt(data, path);
  const params = error.params as Record<string, unknown>;
  if (error.propertyName !== undefined) {
    const name = error.propertyName;
    return {
      sentence: `${where} has an entry named ${shown(name)}, which is not a usable name: use letters, digits, '.', '_' and '-', starting with a letter or digit.`,
      at: [...path, name],
      key: true,
    };
  }
  if (isDuration(error) && (error.keyword === 'pattern' || error.keyword === 'type')) {
    return {
      sentence: `${where} ${shown(value)} is not a duration like 30s, 5m, 1h or 7d.`,
      at: path,
      key: false,
    };
  }
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      const known = knownFields(error);
      const guess = closest(field, known);
      const hint = guess
        ? ` — did you mean '${guess}'?`
        : known.length > 0
          ? ` (known fields: ${known.join(', ')}).`
          : '.';
      return {
        sentence: `${where} has an unknown field ${shown(field)}${hint}`,
        at: [...path, field],
        key: true,
      };
    }
    case 'required': {
      const field = String(params.missingProperty);
      const properties = (
        error.parentSchema as { properties?: Record<string, { description?: string }> } | undefined
      )?.properties;
      const description = properties?.[field]?.description;
      return {
        sentence: `${where} is missing '${field}'${description ? ` (${description.replace(/\.$/, '')})` : ''}.`,
        at: path,
        key: true,
      };
    }
    case 'enum':
    case 'const': {
      const allowed = (
        (params.allowedValues as unknown[] | undefined) ?? [params.allowedValue]
      ).map(String);
      const guess = typeof value === 'string' ? closest(value, allowed) : null;
      const hint = guess ? ` — did you mean '${guess}'?` : '.';
      return {
        sentence: `${where} is ${shown(value)}, but it must be one of: ${allowed.join(', ')}${hint}`,
        at: path,
        key: false,
      };
    }
    case 'type': {
      const wanted = String(params.type)
        .split(',')
        .map((t) => KIND_WORDS[t] ?? t)
        .join(' or ');
      return {
        sentence: `${where} should be ${wanted}, but it is ${kindOf(value)}.`,
        at: path,
        key: false,
      };
    }
    case 'pattern':
      return {
        sentence: `${where} ${shown(value)} is not in the expected form (${describePattern(error)}).`,
        at: path,
        key: false,
      };
    case 'minItems':
      return {
        sentence: `${where} needs at least ${String(params.limit)} item(s).`,
        at: path,
        key: false,
      };
    case 'uniqueItems':
      return {
        sentence: `${where} lists the same item twice (items ${String(params.j)} and ${String(params.i)}).`,
        at: path,
        key: false,
      };
    case 'minLength':
      return { sentence: `${where} is empty; give it a value.`, at: path, key: false };
    case 'maxLength':
      return {
        sentence: `${where} is longer than ${String(params.limit)} characters.`,
        at: path,
        key: false,
      };
    case 'minimum':
    case 'maximum':
      return {
        sentence: `${where} is ${shown(value)}, outside the allowed range (${error.message ?? ''}).`,
        at: path,
        key: false,
      };
    case 'minProperties':
    case 'maxProperties': {
      const known = knownFields(error);
      return {
        sentence: `${where} must have exactly one of: ${known.join(', ')}.`,
        at: path,
        key: true,
      };
    }
    default:
      return { sentence: `${where} ${error.message ?? 'is not valid'}.`, at: path, key: false };
  }
}

function describePattern(error: ErrorObject): string {
  const description = (error.parentSchema as { description?: string } | undefined)?.description;
  return description
    ? description.replace(/\.$/, '')
    : `it must match ${String((error.params as { pattern?: string }).pattern)}`;
}

/** Turn ajv errors for one file into problem sentences, one per distinct fact, in file order. */
export function schemaProblems(file: YamlFile, errors: readonly ErrorObject[]): WorkspaceProblem[] {
  const seen = new Set<string>();
  const problems: WorkspaceProblem[] = [];
  for (const error of errors) {
    // if/then and propertyNames wrappers repeat what their inner error already says.
    if (error.keyword === 'if' || error.keyword === 'propertyNames') continue;
    const path = decodePointer(error.instancePath, file.value);
    const { sentence, at, key } = describe(error, path, file.value);
    if (seen.has(sentence)) continue;
    seen.add(sentence);
    problems.push(problem(file.label, lineOf(file, at, key ? 'key' : 'value'), sentence));
  }
  return problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
