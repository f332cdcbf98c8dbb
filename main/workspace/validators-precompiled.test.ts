// The build bundles ajv standalone code in place of validators-runtime.ts (scripts/ajv-precompile.mjs):
// it must accept and reject exactly what the run-time compiled schemas do, with the same errors,
// because schema-errors.ts turns those errors (their params and parentSchema) into sentences.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { precompiledValidators } from '../../scripts/ajv-precompile.mjs';
import { compileValidator, type SchemaName } from './validators-runtime';

const root = resolve(import.meta.dirname, '../..');
type Compile = typeof compileValidator;
let precompiled: Compile;
let dir: string;

beforeAll(async () => {
  // Bundled the way scripts/build.mjs bundles main and the CLI, next to node_modules.
  mkdirSync(join(root, '.cache'), { recursive: true });
  dir = mkdtempSync(join(root, '.cache', 'validators-'));
  const result = await build({
    stdin: {
      contents: "export { compileValidator } from './main/workspace/validators-runtime';",
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    write: false,
    plugins: [precompiledValidators],
    logLevel: 'silent',
  });
  const file = join(dir, 'validators.cjs');
  writeFileSync(file, result.outputFiles[0]?.text ?? '');
  precompiled = (createRequire(file)(file) as { compileValidator: Compile }).compileValidator;
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const demo = parse(readFileSync(join(root, 'resources/demo/dapple.yaml'), 'utf8')) as Record<
  string,
  unknown
>;
const runbook = parse(
  readFileSync(join(root, 'resources/demo/runbooks/shop-restore.yaml'), 'utf8'),
) as Record<string, unknown>;

// Valid files, and mistakes of each kind schema-errors.ts explains.
const cases: [SchemaName, string, unknown][] = [
  ['workspace', 'the demo workspace', demo],
  ['workspace', 'no name', { ...demo, name: undefined }],
  ['workspace', 'an unknown key', { ...demo, colour: 'blue' }],
  ['workspace', 'a wrong type', { ...demo, name: 42 }],
  ['workspace', 'a bad backend', { name: 'x', backends: { nas: { type: 'ftp', path: 1 } } }],
  ['workspace', 'a bad duration', { name: 'x', services: { db: { owner: 'o', rpo: '1 week' } } }],
  ['workspace', 'not a mapping', ['name', 'x']],
  ['runbook', 'the demo runbook', runbook],
  ['runbook', 'no steps', { ...runbook, steps: undefined }],
  ['runbook', 'a bad step', { ...runbook, steps: [{ id: 1, kind: 'dance' }] }],
  ['runbook', 'a version as text', { ...runbook, version: '1.2' }],
];

describe('the precompiled schema validators', () => {
  it.each(cases)('%s: %s gives the same answer and errors', (name, _what, value) => {
    const data = JSON.parse(JSON.stringify(value)) as unknown;
    const atRunTime = compileValidator(name);
    const bundled = precompiled(name);
    expect(bundled(data)).toBe(atRunTime(data));
    expect(bundled.errors ?? null).toEqual(atRunTime.errors ?? null);
  });

  it('reject what they should', () => {
    expect(precompiled('workspace')({ colour: 'blue' })).toBe(false);
    expect(precompiled('workspace').errors?.length).toBeGreaterThan(1);
    expect(precompiled('workspace')(JSON.parse(JSON.stringify(demo)))).toBe(true);
  });
});
