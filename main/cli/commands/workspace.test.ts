import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../command';
import { workspaceCommand } from './workspace';

let base: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'dapple-ws-cli-'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

async function dapple(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const io: CliIo = { stdout: (t) => (out += t), stderr: (t) => (out += t), env: {}, cwd: base };
  const code = await workspaceCommand.run(args, io);
  return { code, out };
}

describe('dapple workspace', () => {
  it('writes the demo and checks it clean', async () => {
    const demo = await dapple(['demo', '--into', 'demo', '--now', '2026-11-26T03:20:00Z']);
    expect(demo).toEqual({ code: 0, out: `${join(base, 'demo')}\n` });
    const check = await dapple(['check', 'demo']);
    expect(check.code).toBe(0);
    expect(check.out).toBe(
      'shop: 3 backends, 5 sources, 5 services, 2 groups, 2 targets, 1 runbooks — OK.\n',
    );
  });

  it('fails a workspace with errors, naming file and line, and reports JSON for CI', async () => {
    await writeFile(
      join(base, 'dapple.yaml'),
      'name: broken\nservices:\n  db: { owner: me, rpo: soon, rto: 1h }\n',
    );
    const check = await dapple(['check']);
    expect(check.code).toBe(1);
    expect(check.out).toContain(
      "ERROR   dapple.yaml line 3: services.db.rpo 'soon' is not a duration like 30s, 5m, 1h or 7d.\n",
    );
    expect(check.out).toMatch(/could not be loaded — 1 problem to fix\.\n$/);
    const json = JSON.parse((await dapple(['check', '--json'])).out) as {
      ok: boolean;
      problems: { line: number }[];
    };
    expect(json.ok).toBe(false);
    expect(json.problems.map((p) => p.line)).toContain(3);
  });

  it('lets warnings fail with --strict', async () => {
    await writeFile(
      join(base, 'dapple.yaml'),
      'name: quiet\nservices:\n  db: { owner: me, rpo: 1h, rto: 1h }\n',
    );
    expect((await dapple(['check'])).code).toBe(0);
    const strict = await dapple(['check', '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.out).toContain('WARNING dapple.yaml line 3: services.db has no source');
  });
});
