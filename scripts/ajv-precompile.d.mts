// Types for scripts/ajv-precompile.mjs (imported by validators-precompiled.test.ts).
import type { Plugin } from 'esbuild';

export const AJV_OPTIONS: { allErrors: boolean; verbose: boolean; allowUnionTypes: boolean };
export function precompiledValidatorsCode(): string;
export const precompiledValidators: Plugin;
