// Reading one YAML file of a workspace: parse errors as problems, and line numbers for any path in it.
import { readRegularFile } from './regular-file';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node, Pair } from 'yaml';
import type { WorkspaceProblem } from '../../preload/schemas/workspace';

// Workspace files are small; a huge one is a mistake (or hostile) and is not parsed.
const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** A parsed YAML file: the plain value (when it parsed) and what is needed to find lines in it. */
export type YamlFile = {
  /** The name shown in problems, e.g. "dapple.yaml" or "runbooks/shop-restore.yaml". */
  label: string;
  doc: Document.Parsed | null;
  lines: LineCounter;
  /** The file as plain data; undefined when it could not be read or parsed. */
  value: unknown;
};

/** One path segment inside a YAML value: a mapping key or a list index. */
export type PathSegment = string | number;

/** Build a problem sentence that starts with the file and line. */
export function problem(
  label: string,
  line: number | null,
  sentence: string,
  severity: WorkspaceProblem['severity'] = 'error',
): WorkspaceProblem {
  const where = line === null ? label : `${label} line ${line}`;
  return { file: label, line, message: `${where}: ${sentence}`, severity };
}

function errorText(error: unknown): string {
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  if (code === 'EACCES' || code === 'EPERM') return 'Dapple is not allowed to read it';
  if (code === 'EISDIR') return 'it is a folder, not a file';
  return error instanceof Error ? error.message : String(error);
}

/** Read and parse a YAML file; every failure becomes a problem, nothing throws. */
export async function readYamlFile(
  path: string,
  label: string,
): Promise<{ file: YamlFile; problems: WorkspaceProblem[] }> {
  const lines = new LineCounter();
  const empty: YamlFile = { label, doc: null, lines, value: undefined };
  let text: string;
  try {
    const read = await readRegularFile(path, MAX_FILE_BYTES);
    if ('refused' in read)
      return { file: empty, problems: [problem(label, null, `${read.refused}.`)] };
    text = read.text;
  } catch (error) {
    return {
      file: empty,
      problems: [problem(label, null, `the file cannot be read: ${errorText(error)}.`)],
    };
  }
  return parseYamlText(text, label, lines);
}

// Deeper than any workspace file needs; deeper still would exhaust the stack of a reader.
const MAX_DEPTH = 64;
const TOO_DEEP = `it nests lists or maps more than ${MAX_DEPTH} levels deep, deeper than any workspace file needs: flatten it`;

/** How deeply a plain value nests (without recursion, so a hostile value cannot overflow it). */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (depth > deepest) deepest = depth;
    if (deepest > MAX_DEPTH) break;
    if (node !== null && typeof node === 'object')
      for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

// "Map keys must be unique at line 3, column 1:\n\n..." → "Map keys must be unique".
function firstSentence(message: string): string {
  if (message.includes('Maximum call stack size exceeded')) return TOO_DEEP;
  const head = message.split('\n')[0] ?? message;
  return head.replace(/ at line \d+, column \d+:?$/, '').trim();
}

/** Parse YAML text; syntax errors become problems with their line. */
export function parseYamlText(
  text: string,
  label: string,
  lines = new LineCounter(),
): { file: YamlFile; problems: WorkspaceProblem[] } {
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const problems: WorkspaceProblem[] = [];
  for (const error of doc.errors) {
    const line = error.linePos?.[0]?.line ?? null;
    problems.push(
      problem(label, line, `the YAML cannot be read: ${firstSentence(error.message)}.`),
    );
  }
  for (const warning of doc.warnings) {
    const line = warning.linePos?.[0]?.line ?? null;
    problems.push(problem(label, line, `${firstSentence(warning.message)}.`, 'warning'));
  }
  if (problems.some((p) => p.severity === 'error'))
    return { file: { label, doc, lines, value: undefined }, problems };
  let value: unknown;
  try {
    // maxAliasCount stops "billion laughs" alias bombs.
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    problems.push(
      problem(label, null, `the YAML cannot be read: ${firstSentence(errorText(error))}.`),
    );
    return { file: { label, doc, lines, value: undefined }, problems };
  }
  if (depthOf(value) > MAX_DEPTH) {
    problems.push(problem(label, null, `the YAML cannot be read: ${TOO_DEEP}.`));
    return { file: { label, doc, lines, value: undefined }, problems };
  }
  return { file: { label, doc, lines, value }, problems };
}

function findPair(node: unknown, key: PathSegment): Pair | null {
  if (!isMap(node)) return null;
  for (const item of node.items) {
    if (isPair(item) && isScalar(item.key) && String(item.key.value) === String(key)) return item;
  }
  return null;
}

function lineAt(file: YamlFile, node: unknown): number | null {
  const range = (node as Node | null | undefined)?.range;
  if (!range) return null;
  return file.lines.linePos(range[0]).line;
}

/**
 * The line of a path inside the file: the line of its key (which: 'key') or of its value.
 * Falls back to the nearest enclosing entry the file has, and to null when there is none.
 */
export function lineOf(
  file: YamlFile,
  path: readonly PathSegment[],
  which: 'key' | 'value' = 'value',
): number | null {
  if (!file.doc) return null;
  let node: unknown = file.doc.contents;
  let line: number | null = lineAt(file, node) ?? 1;
  for (const [index, segment] of path.entries()) {
    const last = index === path.length - 1;
    if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      line = lineAt(file, node) ?? line;
      continue;
    }
    const pair = findPair(node, segment);
    if (!pair) return line;
    line = lineAt(file, pair.key) ?? line;
    node = pair.value;
    if (last && which === 'value') line = lineAt(file, node) ?? line;
  }
  return line;
}

/** Write a path the way people read it: services.orders-db.rpo, groups.shop.members[2]. */
export function pathLabel(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text;
}
