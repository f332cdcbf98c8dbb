// Hostile and broken input: every case is a sentence with a line, nothing crashes, nothing runs.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkspaceView } from '../../preload/schemas/workspace';
import { loadWorkspace, toWorkspaceView } from './load';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function load(files: Record<string, string>) {
  const dir = await mkdtemp(join(tmpdir(), 'dapple-hostile-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries({ 'keys/trusted.json': '{}', ...files })) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  const result = await loadWorkspace(dir);
  // Whatever happened, the renderer gets a view the contract accepts.
  expect(() => WorkspaceView.parse(toWorkspaceView(result))).not.toThrow();
  return result;
}

const RUNBOOK = `title: T
version: 1
steps:
  - id: wipe
    kind: local
    title: Wipe
    run: "rm -rf / && echo done"
`;

describe('loadWorkspace on hostile input', () => {
  it('refuses a command written as a shell string', async () => {
    const result = await load({ 'dapple.yaml': 'name: x\n', 'runbooks/r.yaml': RUNBOOK });
    expect(result.problems.map((p) => p.message)).toEqual([
      "runbooks/r.yaml line 7: steps[0].run should be a list, but it is the text 'rm -rf / && echo done'.",
    ]);
    expect(result.runbooks[0]).toMatchObject({ valid: false, steps: 0 });
  });

  it('refuses names with shell characters and clips very long text', async () => {
    const long = 'x'.repeat(10_000);
    const result = await load({
      'dapple.yaml': `name: x\nbackends:\n  "$(reboot)": { type: local, path: a }\n  nas: { type: ${long} }\n`,
    });
    const messages = result.problems.map((p) => p.message);
    expect(messages[0]).toBe(
      "dapple.yaml line 3: backends has an entry named '$(reboot)', which is not a usable name: use letters, digits, '.', '_' and '-', starting with a letter or digit.",
    );
    expect(messages[1]).toMatch(
      /^dapple\.yaml line 4: backends\.nas\.type is 'x{57}\.\.\.', but it must be one of: ssh, s3, local\.$/,
    );
    expect(messages.every((m) => m.length < 400)).toBe(true);
  });

  it('refuses YAML nested thousands of levels deep with a sentence, not a stack overflow', async () => {
    for (const deep of [
      `backends: ${'['.repeat(5000)}${']'.repeat(5000)}`,
      `backends: ${'['.repeat(100)}${']'.repeat(100)}`,
    ]) {
      const result = await load({ 'dapple.yaml': `name: x\n${deep}\n` });
      const message = result.problems[0]?.message ?? '';
      expect(message).toMatch(
        /^dapple\.yaml( line 2)?: the YAML cannot be read: it nests lists or maps more than 64 levels deep, deeper than any workspace file needs: flatten it\.$/,
      );
      expect(message).not.toMatch(/call stack/);
    }
  });

  it('stops an alias bomb and an oversized file', async () => {
    const bomb = ['name: x', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const letter of 'bcdefghij')
      bomb.push(
        `${letter}: &${letter} [${Array(9)
          .fill(`*${String.fromCharCode(letter.charCodeAt(0) - 1)}`)
          .join(',')}]`,
      );
    const exploded = await load({ 'dapple.yaml': `${bomb.join('\n')}\n` });
    expect(exploded.workspace).toBeNull();
    expect(exploded.problems[0]?.message).toMatch(
      /^dapple\.yaml: the YAML cannot be read: .*alias/i,
    );

    const huge = await load({ 'dapple.yaml': `name: x\n# ${'y'.repeat(3 * 1024 * 1024)}\n` });
    expect(huge.problems[0]?.message).toMatch(
      /^dapple\.yaml: the file is 3072 KB, larger than a workspace file can be/,
    );
  });

  it('explains a file that is a list and a folder where the file should be', async () => {
    const list = await load({ 'dapple.yaml': '- name: x\n' });
    expect(list.problems[0]?.message).toBe(
      'dapple.yaml line 1: the top level should be a mapping (name: value lines), but it is a list.',
    );
    const folder = await load({ 'dapple.yaml/x': '' });
    expect(folder.problems[0]?.message).toMatch(
      /^dapple\.yaml: the file cannot be read: it is a folder, not a file\.$/,
    );
  });
});
