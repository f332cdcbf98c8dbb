// `npm run test:mutation`: StrykerJS on the security core (stryker.config.json), then each file's
// mutation score against its goal in mutation/goals.json. Stryker's own threshold holds the run as
// a whole; this holds every file. Incremental by default (mutation/stryker-incremental.json is
// committed): only mutants whose code or covering tests changed are run again.
//   node scripts/mutation.mjs           run (incremental) and check the goals
//   node scripts/mutation.mjs --full    run every mutant again (stryker run --force)
//   node scripts/mutation.mjs --check   only check the last report (reports/mutation/mutation.json)
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const read = (file) => JSON.parse(readFileSync(path.join(root, file), 'utf8'));
const config = read('stryker.config.json');
const goals = read('mutation/goals.json').goals;

const args = process.argv.slice(2);
if (!args.includes('--check')) {
  const started = Date.now();
  const stryker = path.join(root, 'node_modules', '.bin', 'stryker');
  const run = spawnSync(stryker, ['run', ...(args.includes('--full') ? ['--force'] : [])], {
    cwd: root,
    stdio: 'inherit',
  });
  console.log(`mutation: stryker ran for ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  if (run.status !== 0) {
    console.error(`mutation: stryker failed (exit ${run.status ?? run.signal}); see above.`);
    process.exit(run.status ?? 1);
  }
}

const mutated = new Set(config.mutate.filter((p) => !p.startsWith('!')));
const unlisted = [...mutated].filter((f) => !(f in goals));
const unmutated = Object.keys(goals).filter((f) => !mutated.has(f));
if (unlisted.length > 0 || unmutated.length > 0) {
  console.error(
    `mutation: stryker.config.json "mutate" and mutation/goals.json must name the same files` +
      (unlisted.length ? `; without a goal: ${unlisted.join(', ')}` : '') +
      (unmutated.length ? `; with a goal but not mutated: ${unmutated.join(', ')}` : '') +
      '.',
  );
  process.exit(1);
}

const report = read(config.jsonReporter.fileName);
const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
let failed = 0;
const rows = [];
for (const [file, goal] of Object.entries(goals)) {
  const mutants = report.files[file]?.mutants ?? [];
  const detected = mutants.filter((m) => DETECTED.has(m.status)).length;
  const undetected = mutants.filter((m) => UNDETECTED.has(m.status)).length;
  const valid = detected + undetected;
  const score = valid === 0 ? 100 : (100 * detected) / valid;
  const ok = valid > 0 && score >= goal;
  if (!ok) failed++;
  rows.push({
    file,
    score: valid === 0 ? 'no mutants' : `${score.toFixed(1)} %`,
    goal: `${goal} %`,
    detected,
    survived: mutants.filter((m) => m.status === 'Survived').length,
    'no coverage': mutants.filter((m) => m.status === 'NoCoverage').length,
    verdict: ok ? 'ok' : 'BELOW GOAL',
  });
}
console.table(rows);
if (failed > 0) {
  console.error(
    `mutation: ${failed} file(s) below their goal: the tests would not notice some changes to ` +
      'that code. Open reports/mutation/mutation.html, or read the surviving mutants above, and ' +
      'add a test for the behaviour each one changes.',
  );
  process.exit(1);
}
console.log('mutation: every file of the security core meets its goal.');
