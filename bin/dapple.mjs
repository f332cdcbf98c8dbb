#!/usr/bin/env node
// The `dapple` command: runs the bundled CLI (build it first with `npm run build`).
// Written for any Node: the runtime check comes before anything newer than ES2015 modules.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const NEEDED = 24;
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const major = Number(process.versions.node.split('.')[0]);
if (!(major >= NEEDED)) {
  // `npm ci` installs Node 24 from the npm registry (the `node` package) into node_modules/.bin.
  const bundled = path.join(root, 'node_modules', '.bin', 'node');
  const command = fs.existsSync(bundled)
    ? 'run `' +
      bundled +
      ' ' +
      path.join(root, 'bin', 'dapple.mjs') +
      ' …` (the Node ' +
      NEEDED +
      ' that npm ci installed), or `npm run -s dapple -- …` in ' +
      root
    : 'run `npm ci` in ' +
      root +
      ' (it installs Node ' +
      NEEDED +
      ' into node_modules/.bin), then `npm run -s dapple -- …` there';
  process.stderr.write(
    'dapple: needs Node.js ' +
      NEEDED +
      ' (the LTS line Electron 45 bundles), but this is Node.js ' +
      process.versions.node +
      ': ' +
      command +
      '.\n',
  );
  process.exit(2);
}

// `npm run dapple -- FILE` runs in the Dapple folder: relative paths mean the caller's folder.
if (process.env.npm_lifecycle_event === 'dapple' && process.env.INIT_CWD) {
  process.chdir(process.env.INIT_CWD);
}

const cli = path.join(root, 'out', 'cli', 'index.js');
if (!fs.existsSync(cli)) {
  process.stderr.write(
    'dapple: the command is not built yet. Run `npm run build` in the Dapple folder first.\n',
  );
  process.exit(1);
}
createRequire(import.meta.url)(cli);
