// The workspace and runbook JSON Schemas as ajv standalone code, made at build time: compiling
// them when a CLI run starts cost 0.2-0.5 s. The build swaps main/workspace/validators-runtime.ts
// (which compiles at run time, for tests and tsc) for this code; validators-precompiled.test.ts
// checks both give the same answers and errors.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '..');

/** The same options as main/workspace/validators-runtime.ts. */
export const AJV_OPTIONS = { allErrors: true, verbose: true, allowUnionTypes: true };

/** ESM code exporting compileValidator(name) over precompiled validators. */
export function precompiledValidatorsCode() {
  const { Ajv } = require('ajv');
  const standalone = require('ajv/dist/standalone').default;
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: true } });
  ajv.addSchema(require(path.join(root, 'resources/schemas/workspace.schema.json')), 'workspace');
  ajv.addSchema(require(path.join(root, 'resources/schemas/runbook.schema.json')), 'runbook');
  const code = standalone(ajv, { workspace: 'workspace', runbook: 'runbook' });
  return `${code}\nexport function compileValidator(name) {\n  return name === 'workspace' ? workspace : runbook;\n}\n`;
}

let memo = null;
/** esbuild plugin: bundles the precompiled validators in place of validators-runtime.ts. */
export const precompiledValidators = {
  name: 'precompiled-validators',
  setup(build) {
    build.onLoad({ filter: /[\\/]main[\\/]workspace[\\/]validators-runtime\.ts$/ }, (args) => ({
      contents: (memo ??= precompiledValidatorsCode()),
      loader: 'js',
      resolveDir: path.dirname(args.path),
    }));
  },
};
