#!/usr/bin/env node
// Verify step: a folder holds exactly the app files recorded at t2 — each file's sha256 equal, none
// missing, none extra (a file from after t2 fails the step).
//   check-files.mjs DIR --expect expected/t2.json
//   check-files.mjs DIR --print      (print path → sha256, as recorded)
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { differences, fail, parseArgs, readFacts, verdict } from './args.mjs';

const { flags, words } = parseArgs(process.argv.slice(2), ['expect']);
const root = words[0];
if (!root || words.length !== 1) fail('check-files: give the folder to check');

const actual = {};
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) walk(path);
    else if (stat.isFile())
      actual[relative(root, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
};
try {
  walk(root);
} catch (error) {
  console.error(`Could not read the folder ${root}: ${error.message}`);
  process.exit(1);
}
if (flags.get('print')) {
  console.log(JSON.stringify(actual));
  process.exit(0);
}
const expectFile = flags.get('expect');
if (!expectFile) fail('check-files: give --expect FILE (the recorded facts) or --print');
const { t2: at, files: expected } = readFacts(expectFile, 'files');
verdict(
  `${root} equals the app files at ${at}: ${Object.keys(actual).length} files, every sha256 equal.`,
  differences(expected, actual, 'file'),
  `${root} is not as at ${at}`,
);
