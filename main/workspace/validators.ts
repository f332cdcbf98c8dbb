// The JSON Schemas in resources/schemas/, compiled once: the authority on dapple.yaml and runbooks.
import type { ValidateFunction } from 'ajv';
import { compileValidator, type SchemaName } from './validators-runtime';

const compiled: Partial<Record<SchemaName, ValidateFunction>> = {};

// Each schema on first use (in the bundle the validators are precompiled: see validators-runtime.ts).
function compile(name: SchemaName): ValidateFunction {
  return (compiled[name] ??= compileValidator(name));
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
