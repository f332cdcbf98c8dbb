// The reviewer's recipe in docs/audit-format.md, run as written with bash, jq and openssl.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { linesOf, person, tempDir, writeLines, writeTestLog } from './test-helpers';

const doc = readFileSync(path.join(__dirname, '../../docs/audit-format.md'), 'utf8');
const recipe =
  /<!-- recipe:start -->\n```bash\n([\s\S]*?)```\n<!-- recipe:end -->/.exec(doc)?.[1] ?? '';

function runRecipe(dir: string): { code: number; out: string } {
  try {
    const out = execFileSync('bash', ['-c', recipe], {
      cwd: dir,
      env: { ...process.env, LOG: 'session.jsonl', TRUST: 'trusted.json' },
      encoding: 'utf8',
    });
    return { code: 0, out };
  } catch (error) {
    const e = error as { status: number; stdout: string };
    return { code: e.status, out: e.stdout };
  }
}

describe('the openssl recipe in docs/audit-format.md', () => {
  it('verifies a real log with jq, base64 and openssl pkeyutl -rawin, and catches a tampered one', async () => {
    expect(recipe).toContain('openssl pkeyutl -verify -pubin');
    const dir = tempDir();
    const alice = person('Alice Operator');
    const bob = person('Bob Approvér “quotes” \\ and \u00e9');
    const file = path.join(dir, 'session.jsonl');
    await writeTestLog(file, alice, bob, { commands: 1 });
    writeFileSync(
      path.join(dir, 'trusted.json'),
      JSON.stringify({ v: 1, keys: [alice.entry, bob.entry] }),
    );
    expect(runRecipe(dir)).toEqual({
      code: 0,
      out: '8 records: signatures and chain OK; last record: seal\n',
    });

    const lines = await linesOf(file);
    lines[3] = (lines[3] as string).replace('copied file 0', 'copied filf 0');
    await writeLines(file, lines);
    expect(runRecipe(dir)).toEqual({ code: 1, out: 'line 4: the signature does not verify\n' });
  });
});
