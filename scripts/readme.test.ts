// README promises: the offline recipe it shows is the one the openssl test runs, and every command it
// lists exists.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '../main/cli/commands/index';

const root = path.resolve(__dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const recipe = (text: string) =>
  text.slice(text.indexOf('<!-- recipe:start -->'), text.indexOf('<!-- recipe:end -->'));

describe('README', () => {
  it('shows the same openssl recipe that the audit test runs (docs/audit-format.md)', () => {
    const fromReadme = recipe(read('README.md'));
    expect(fromReadme).toContain('openssl pkeyutl -verify -pubin');
    expect(fromReadme).toBe(recipe(read('docs/audit-format.md')));
  });

  it('lists only commands that exist', () => {
    const names = new Set(commands.map((c) => c.name));
    const listed = [...read('README.md').matchAll(/`dapple ([a-z-]+)/g)].map((m) => m[1]);
    expect(listed.length).toBeGreaterThan(4);
    for (const name of listed) expect(names, `README lists dapple ${name}`).toContain(name);
  });

  it('names a test command that installs what the tests need on a fresh machine first', () => {
    const two = read('README.md').split('## Two commands')[1]?.split('```')[1] ?? '';
    expect(two).toMatch(/^npm run setup && npm test\s/m);
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts.setup).toBe('bash scripts/setup.sh');
    const setup = read('scripts/setup.sh');
    for (const need of [
      'chromium',
      'openssh-server',
      'postgresql-15',
      'pgbackrest',
      'restic',
      'borgbackup',
      'xvfb',
      'jq',
      'moto[server]',
    ])
      expect(setup, need).toContain(need);
    // CI runs the same setup, so a missing install step shows there.
    expect(read('.ci/run')).toContain('bash scripts/setup.sh');
  });

  it('docs/security.md names only test files that exist', () => {
    const named = [...read('docs/security.md').matchAll(/`([\w./-]+\.test\.ts)`/g)].map(
      (m) => m[1] as string,
    );
    expect(named.length).toBeGreaterThan(20);
    for (const file of named) expect(fs.existsSync(path.join(root, file)), file).toBe(true);
  });
});
