#!/usr/bin/env node
// The `dapple` command: runs the bundled CLI (build it first with `npm run build`).
// Written for any Node: the runtime check comes before anything newer than ES2015 modules.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const NEEDED = 24;
const major = Number(process.versions.node.split('.')[0]);
if (!(major >= NEEDED)) {
  process.stderr.write(
    'dapple: needs Node.js ' +
      NEEDED +
      ' (the LTS line Electron 45 bundles), but this is Node.js ' +
      process.versions.node +
      '; run it with the Node that `npm ci` installed: `npm run -s dapple -- ...` in the Dapple folder.\n',
  );
  process.exit(2);
}

const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'out', 'cli', 'index.js');
if (!fs.existsSync(cli)) {
  process.stderr.write(
    'dapple: the command is not built yet. Run `npm run build` in the Dapple folder first.\n',
  );
  process.exit(1);
}
createRequire(import.meta.url)(cli);
