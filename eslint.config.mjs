// Lint keeps the process boundaries visible: who may import electron, node and each other.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const electronOnlyInApp = {
  paths: [
    { name: 'electron', message: 'Only main/app/ (and preload/index.ts) may import electron.' },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
      'dist/',
      '.cache/',
      'test-results/',
      'playwright-report/',
      'resources/demo/',
      '.stryker-tmp/',
      'reports/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-imports': ['error', electronOnlyInApp],
    },
  },
  {
    files: ['main/app/**/*.ts', 'preload/index.ts', 'e2e/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Electron's own deprecations (typed @deprecated in electron.d.ts) fail the lint where we call
    // Electron: a major bump that deprecates an API we use shows here before it is removed.
    files: ['main/app/**/*.ts', 'preload/index.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: { '@typescript-eslint/no-deprecated': 'error' },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/app/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...electronOnlyInApp,
          patterns: [{ group: ['**/renderer/**'], message: 'main never imports renderer.' }],
        },
      ],
    },
  },
  {
    // Arrows point down: the domain rooms and the ground module never import the api floor above
    // them (tests may drive the engine through the API, as a client would).
    files: [
      'main/{ground,catalog,groups,runbook,restore,audit,workspace,approvals,drills}/**/*.ts',
    ],
    ignores: ['**/*.test.ts', '**/test-setup*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...electronOnlyInApp,
          patterns: [
            { group: ['**/renderer/**'], message: 'main never imports renderer.' },
            {
              group: ['**/api/*', '**/api/**', '!**/preload/**'],
              message: 'Domain rooms sit below main/api/: import from main/ground/ instead.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['main/app/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/renderer/**'], message: 'main never imports renderer.' }] },
      ],
    },
  },
  {
    // The contract is shared by both sides: it may only import zod and its own schemas.
    files: [
      'preload/contract.ts',
      'preload/contract-names.ts',
      'preload/schemas/**/*.ts',
      'preload/api-types.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...electronOnlyInApp,
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'os', 'crypto'],
              message: 'The contract is pure: no node imports.',
            },
            {
              group: ['**/main/**', '**/renderer/**'],
              message: 'The contract imports neither side.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // We do not build with the React Compiler, so its note that it would skip a component is noise.
      'react-hooks/incompatible-library': 'off',
      'no-restricted-imports': [
        'error',
        {
          ...electronOnlyInApp,
          patterns: [
            {
              group: ['**/main/**'],
              message: 'The renderer talks to main only through window.dapple.',
            },
            { group: ['node:*'], message: 'The renderer runs in a sandbox: no node modules.' },
            {
              group: ['**/preload/index', '**/preload/http-client'],
              message: 'Use window.dapple, not the preload.',
            },
          ],
        },
      ],
    },
  },
);
