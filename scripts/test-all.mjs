// `npm test`: every check CI runs, in order, stopping at the first failure with its name.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
// Every step runs on the project's Node 24 (node_modules/.bin/node, from the `node` package) and
// its tools, whatever `node` the system has: both come first on PATH.
const PATH = [path.join(root, 'node_modules', '.bin'), path.dirname(process.execPath)]
  .concat(process.env.PATH ?? [])
  .join(path.delimiter);

const steps = [
  ['format', 'npx', ['prettier', '--check', '.', '--log-level', 'warn']],
  ['lint', 'npx', ['eslint', '.', '--max-warnings', '0']],
  ['typecheck', 'npx', ['tsc', '-b']],
  ['build', 'node', ['scripts/build.mjs']],
  ['unit and integration tests', 'npx', ['vitest', 'run']],
  ['end-to-end tests', 'npx', ['playwright', 'test']],
  // Incremental, per file: only mutants whose code or covering tests changed since the committed
  // results run (mutation/incremental/); README: Mutation testing of the security core.
  ['mutation testing of the security core', 'node', ['scripts/mutation.mjs', '--ci']],
];

const started = Date.now();
for (const [name, command, args] of steps) {
  const t0 = Date.now();
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PATH, CI: process.env.CI ?? '' },
  });
  if (result.status !== 0) {
    console.error(`\nnpm test: ${name} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
  console.log(`=== ${name}: ok in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
console.log(`\nnpm test: every check passed in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
