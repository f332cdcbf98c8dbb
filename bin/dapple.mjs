#!/usr/bin/env node
// The `dapple` command: runs the bundled CLI (build it first with `npm run build`).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const cli = path.join(import.meta.dirname, '..', 'out', 'cli', 'index.js');
if (!fs.existsSync(cli)) {
  process.stderr.write(
    'dapple: the command is not built yet. Run `npm run build` in the Dapple folder first.\n',
  );
  process.exit(1);
}
createRequire(import.meta.url)(cli);
