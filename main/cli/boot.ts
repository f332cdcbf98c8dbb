// The `dapple` command's first file (out/cli/index.js): starts restic early for `catalog list
// --refresh` (early-spawn.ts), then runs the CLI bundle, out/cli/dapple.js, with a code cache
// (code-cache.ts) while restic works.
import path from 'node:path';
import { runBundle } from './code-cache';
import { startEarlyRuns } from './early-spawn';

startEarlyRuns(process.argv.slice(2));
runBundle(path.join(__dirname, 'dapple.js'));
