// The forger's kit for the forgery tests: a real log written by Alice (operator) and Bob (approver),
// the same log with checkpoints, and `forge`, which edits records and re-signs them (re-chaining
// after the edit when asked) as someone holding their trusted keys would.
import path from 'node:path';
import { beforeAll, expect } from 'vitest';
import { canonicalize } from './canonical-json';
import { GENESIS_PREV, sha256Hex, type Payload } from './records';
import {
  linesOf,
  payloadOf,
  person,
  signedLine,
  tempDir,
  trustOf,
  writeLines,
  writeTestLog,
  type TestSigner,
} from './test-helpers';
import { verifyLog } from './verify';

export const alice = person('Alice Operator');
export const bob = person('Bob Approver');
const trusted = trustOf(alice, bob);
const byKey = new Map([alice, bob].map((p) => [p.pair.keyId, p]));
let dir = '';
// 0 open, 1 step.start, 2 cmd.start, 3 output, 4 cmd.end, 5 cmd.start, 6 output, 7 cmd.end,
// 8 step.end, 9 approval (Bob), 10 seal.
export const logs = { good: [] as string[], checkpointed: [] as string[] };
// logs.checkpointed: the same with a checkpoint every 4 records.

export type Edit = (p: Payload & Record<string, unknown>) => Record<string, unknown>;
export const textOf = (line: string) => (JSON.parse(line) as { payload: string }).payload;
const keyOf = (line: string) => (JSON.parse(line) as { key: string }).key;

/**
 * Apply `edits` (by record index) and re-sign each edited record with its own signer (or `signer`).
 * With `rechain`, every record from the first edit on is re-signed with `prev` (and a checkpoint's
 * or seal's head) following the new chain, as a forger holding the keys would do.
 */
export function forge(
  lines: string[],
  edits: Record<number, Edit>,
  options: { rechain?: boolean; signer?: Record<number, TestSigner> } = {},
): string[] {
  const out = [...lines];
  const first = Math.min(
    ...Object.keys(edits).map(Number),
    ...Object.keys(options.signer ?? {}).map(Number),
  );
  let prev = first === 0 ? GENESIS_PREV : sha256Hex(textOf(out[first - 1] as string));
  for (let i = first; i < out.length; i++) {
    const line = out[i] as string;
    const edit = edits[i];
    if (!options.rechain && !edit && !options.signer?.[i]) continue;
    let p = payloadOf(line) as Payload & Record<string, unknown>;
    if (options.rechain) {
      p = { ...p, prev };
      if (p.type === 'checkpoint' || p.type === 'seal')
        p = { ...p, data: { ...p.data, head: prev } };
    }
    const text = canonicalize(edit ? edit(p) : p);
    const signer = options.signer?.[i] ?? (byKey.get(keyOf(line)) as TestSigner);
    out[i] = signedLine(signer, text);
    prev = sha256Hex(text);
  }
  return out;
}

export async function verdictOf(lines: string[]) {
  const file = path.join(dir, `forged-${Math.random().toString(36).slice(2)}.jsonl`);
  await writeLines(file, lines);
  return verifyLog(file, { trusted, workers: 0 });
}

/** Write the two logs before the file's tests. */
export function useForgeryLogs(): void {
  beforeAll(async () => {
    dir = tempDir();
    await writeTestLog(path.join(dir, 'good.jsonl'), alice, bob);
    logs.good = await linesOf(path.join(dir, 'good.jsonl'));
    const cp = path.join(dir, 'checkpointed.jsonl');
    await writeTestLog(cp, alice, bob, { extra: { checkpoint: { records: 4, ms: 0 } } });
    logs.checkpointed = await linesOf(cp);
    expect(logs.good.map((l) => payloadOf(l).type)).toEqual([
      'open',
      'step.start',
      'cmd.start',
      'output',
      'cmd.end',
      'cmd.start',
      'output',
      'cmd.end',
      'step.end',
      'approval',
      'seal',
    ]);
    // That the untouched kit verifies VALID is a test of its own (verdict-words.test.ts): code run
    // here, outside any test, would make mutation testing run every test for each verify mutant.
  });
}
