// Compiles a schema with ajv when first asked. Only tests and tsc see this file: the build bundles
// precompiled code in its place (scripts/ajv-precompile.mjs, same options), so a CLI run neither
// loads ajv's compiler nor spends 0.2-0.5 s compiling.
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import runbookSchema from '../../resources/schemas/runbook.schema.json';
import workspaceSchema from '../../resources/schemas/workspace.schema.json';

/** The schemas in resources/schemas/. */
export type SchemaName = 'workspace' | 'runbook';

const schemas = { workspace: workspaceSchema, runbook: runbookSchema };
let ajv: Ajv | null = null;

/** The validator of one schema (verbose: errors carry their schema). */
export function compileValidator(name: SchemaName): ValidateFunction {
  // allowUnionTypes: a runbook version may be a number or text.
  ajv ??= new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true });
  return ajv.compile(schemas[name]);
}
