// The `dapple` command's entry, bundled to out/cli/dapple.js (out/cli/index.js runs it: boot.ts).
import { sharedSshPool } from '../catalog/backends/ssh-pool';
import { releaseEarlyRuns } from '../catalog/sources/restic-early';
import { runCli } from './run';

// `dapple catalog list --json | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
    releaseEarlyRuns();
    // A drill's ssh steps keep their host's connection open for the next step; the command is done.
    void sharedSshPool.closeAll();
  },
  (error: unknown) => {
    process.stderr.write(`dapple: ${String(error)}\n`);
    process.exitCode = 1;
    releaseEarlyRuns();
    void sharedSshPool.closeAll();
  },
);
