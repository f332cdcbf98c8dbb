// Arguments of the shop's verify helpers: --name value pairs and plain words, nothing else.
import { readFileSync } from 'node:fs';

/** Parse argv into { flags, words }; a flag without its value is an error. */
export function parseArgs(argv, valued) {
  const flags = new Map();
  const words = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--print') flags.set('print', true);
    else if (arg.startsWith('--')) {
      const name = arg.slice(2);
      if (!valued.includes(name) || i + 1 >= argv.length)
        fail(`unknown option or missing value: ${arg}`);
      flags.set(name, argv[++i]);
    } else words.push(arg);
  }
  return { flags, words };
}

/** The recorded facts of one instant (the harness writes them as expected/t2.json). */
export function readFacts(file, part) {
  let facts;
  try {
    facts = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    fail(`cannot read the expected facts ${file}: ${error.message}`);
  }
  if (!facts[part]) fail(`${file} has no ${part} facts`);
  return facts;
}

/** Compare two key → sha256 maps; sentences for what is missing, different or extra. */
export function differences(expected, actual, what) {
  const out = [];
  for (const [key, hash] of Object.entries(expected)) {
    if (!(key in actual)) out.push(`missing ${what} ${JSON.stringify(key)}`);
    else if (actual[key] !== hash)
      out.push(
        `${what} ${JSON.stringify(key)} differs (sha256 ${actual[key].slice(0, 12)}…, expected ${hash.slice(0, 12)}…)`,
      );
  }
  for (const key of Object.keys(actual))
    if (!(key in expected))
      out.push(`${what} ${JSON.stringify(key)} was not there at the recorded instant`);
  return out;
}

/** Print the verdict and exit: 0 when nothing differs. */
export function verdict(ok, problems, label) {
  if (problems.length === 0) {
    console.log(ok);
    process.exit(0);
  }
  console.error(`${label}: ${problems.length} difference${problems.length === 1 ? '' : 's'}`);
  for (const p of problems.slice(0, 50)) console.error(`  - ${p}`);
  if (problems.length > 50) console.error(`  … and ${problems.length - 50} more`);
  process.exit(1);
}

/** Stop with a sentence on stderr (exit 2: the check itself could not run). */
export function fail(sentence) {
  console.error(sentence);
  process.exit(2);
}
