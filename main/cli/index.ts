// The `dapple` command's process entry (bundled to out/cli/index.js).
import { runCli } from './run';

runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`dapple: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
