// The `dapple` command's first file (out/cli/index.js): runs the CLI bundle, out/cli/dapple.js,
// with a code cache (see code-cache.ts).
import path from 'node:path';
import { runBundle } from './code-cache';

runBundle(path.join(__dirname, 'dapple.js'));
