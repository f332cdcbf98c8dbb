// The JSON Schemas are what editors show as help: every field must explain itself.
import { describe, expect, it } from 'vitest';
import runbookSchema from '../../resources/schemas/runbook.schema.json';
import workspaceSchema from '../../resources/schemas/workspace.schema.json';
import { DURATION_PATTERN } from './duration';
import { validators } from './validators';

type Schema = {
  description?: string;
  $ref?: string;
  properties?: Record<string, Schema>;
  definitions?: Record<string, Schema>;
};

// Fields without help: a property needs a description, directly or on the definition it refers to.
function undocumented(schema: Schema, root: Schema, path: string): string[] {
  const missing: string[] = [];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const target = property.$ref
      ? root.definitions?.[property.$ref.replace('#/definitions/', '')]
      : undefined;
    const plumbing = name === 'type' || name === 'description';
    if (!plumbing && !property.description && !target?.description) missing.push(`${path}.${name}`);
  }
  for (const [name, definition] of Object.entries(schema.definitions ?? {})) {
    if (!definition.description) missing.push(`definitions.${name}`);
    missing.push(...undocumented(definition, root, `definitions.${name}`));
  }
  return missing;
}

describe('the JSON Schemas', () => {
  it('have an $id and help text on every field', () => {
    for (const schema of [workspaceSchema, runbookSchema]) {
      expect(schema.$id).toMatch(/^https:\/\/.+\.schema\.json$/);
      expect(schema.description.length).toBeGreaterThan(20);
      expect(undocumented(schema as Schema, schema as Schema, 'root')).toEqual([]);
    }
  });

  it('share the duration pattern the loader parses with', () => {
    expect(workspaceSchema.definitions.duration.pattern).toBe(DURATION_PATTERN);
    expect(runbookSchema.definitions.duration.pattern).toBe(DURATION_PATTERN);
  });

  it('compile in ajv strict mode', () => {
    // Each is compiled on first use: touch both.
    expect(() => [validators().workspace, validators().runbook]).not.toThrow();
  });
});
