// The JSON Schemas in resources/schemas/, compiled once: the authority on dapple.yaml and runbooks.
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import runbookSchema from '../../resources/schemas/runbook.schema.json';
import workspaceSchema from '../../resources/schemas/workspace.schema.json';

type Name = 'workspace' | 'runbook';
const schemas = { workspace: workspaceSchema, runbook: runbookSchema };
let ajv: Ajv | null = null;
const compiled: Partial<Record<Name, ValidateFunction>> = {};

// Each schema on first use: compiling one costs a CLI run 0.2-0.6 s, and most runs need one only.
function compile(name: Name): ValidateFunction {
  // allowUnionTypes: a runbook version may be a number or text.
  ajv ??= new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true });
  return (compiled[name] ??= ajv.compile(schemas[name]));
}

/** The compiled validators for dapple.yaml and runbook files (verbose: errors carry their schema). */
export function validators(): { workspace: ValidateFunction; runbook: ValidateFunction } {
  return {
    get workspace() {
      return compile('workspace');
    },
    get runbook() {
      return compile('runbook');
    },
  };
}
