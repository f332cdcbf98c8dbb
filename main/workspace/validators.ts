// The JSON Schemas in resources/schemas/, compiled once: the authority on dapple.yaml and runbooks.
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import runbookSchema from '../../resources/schemas/runbook.schema.json';
import workspaceSchema from '../../resources/schemas/workspace.schema.json';

let compiled: { workspace: ValidateFunction; runbook: ValidateFunction } | null = null;

/** The compiled validators for dapple.yaml and runbook files (verbose: errors carry their schema). */
export function validators(): { workspace: ValidateFunction; runbook: ValidateFunction } {
  if (!compiled) {
    // allowUnionTypes: a runbook version may be a number or text.
    const ajv = new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true });
    compiled = { workspace: ajv.compile(workspaceSchema), runbook: ajv.compile(runbookSchema) };
  }
  return compiled;
}
