// `npm run test:mutation`: StrykerJS on the security core, one file at a time, then each file's
// mutation score against its goal in mutation/goals.json. One run per file keeps each run to the
// tests that import that file (vitest related) and gives each file its own incremental result
// (mutation/incremental/<file>.json, committed): on an unchanged file with unchanged tests only the
// dry run happens; a changed line runs again only the mutants it holds.
//   node scripts/mutation.mjs                  every file, incremental, then the goals
//   node scripts/mutation.mjs FILE…            only these files (paths as in mutation/goals.json)
//   node scripts/mutation.mjs --full [FILE…]   run every mutant again (stryker run --force)
//   node scripts/mutation.mjs --check [FILE…]  only check the last reports (reports/mutation/)
//   node scripts/mutation.mjs --ci              what `npm test` runs: the files with a committed
//       incremental result, each held to its goal, or to its recorded floor while it is listed in
//       mutation/goals.json "belowGoal" (a ratchet: the score may rise, never fall). A file without
//       a committed result is named, not run: a first run of it takes far longer than CI allows.
//       A file whose source and recorded test files are byte for byte what its committed result
//       was measured on is scored from that result without starting Stryker (whose incremental
//       mode would still spend minutes on a dry run to find nothing changed); any change to the
//       file or to one of those tests runs Stryker on it, incrementally, as before.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const read = (file) => JSON.parse(readFileSync(path.join(root, file), 'utf8'));
const config = read('stryker.config.json');
const { goals, belowGoal = {} } = read('mutation/goals.json');

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

/** main/restore/gates.ts → main-restore-gates: the name of the file's incremental and report. */
const slug = (file) => file.replace(/\.ts$/, '').replaceAll('/', '-');
const reportOf = (file) => `reports/mutation/${slug(file)}.json`;

const args = process.argv.slice(2);
const named = args.filter((a) => !a.startsWith('--'));
const unknown = named.filter((f) => !(f in goals));
if (unknown.length > 0) {
  console.error(
    `mutation: ${unknown.join(', ')} is not in mutation/goals.json; name one of: ` +
      `${Object.keys(goals).join(', ')}.`,
  );
  process.exit(2);
}
const ci = args.includes('--ci');
const incrementalOf = (file) => `mutation/incremental/${slug(file)}.json`;
const measured = (file) => existsSync(path.join(root, incrementalOf(file)));
const files = named.length > 0 ? named : Object.keys(goals).filter((f) => !ci || measured(f));

/** The committed result, when neither the file nor any test it records changed since (else null).
 *  New test files are not looked for: they can only kill more mutants, so the score stands. */
const unchangedResult = (file) => {
  if (!measured(file)) return null;
  const result = read(incrementalOf(file));
  const sameText = (name, source) =>
    existsSync(path.join(root, name)) && readFileSync(path.join(root, name), 'utf8') === source;
  const entry = result.files?.[file];
  if (entry === undefined || !sameText(file, entry.source)) return null;
  const tests = Object.entries(result.testFiles ?? {});
  return tests.every(([name, t]) => sameText(name, t.source)) ? result : null;
};
const recorded = new Map(
  ci && !args.includes('--full') ? files.map((f) => [f, unchangedResult(f)]) : [],
);
if (ci) {
  for (const file of Object.keys(goals).filter((f) => !measured(f))) {
    console.log(
      `mutation: ${file} is not run here: it has no committed result (${incrementalOf(file)}); ` +
        `measure it with npm run test:mutation -- ${file}, and commit the result.`,
    );
  }
}

if (!args.includes('--check')) {
  const stryker = path.join(root, 'node_modules', '.bin', 'stryker');
  mkdirSync(path.join(root, '.stryker-tmp', 'configs'), { recursive: true });
  const all = Date.now();
  for (const file of files) {
    if (recorded.get(file)) {
      console.log(`mutation: ${file}: unchanged since its committed result; scored from it.`);
      continue;
    }
    // The committed config with this one file, its own incremental file and report. Goals are
    // checked below per file, so Stryker's own break is off here (a plain `stryker run` keeps it).
    const { $schema: _, ...base } = config;
    const part = {
      ...base,
      mutate: [file],
      incrementalFile: incrementalOf(file),
      jsonReporter: { fileName: reportOf(file) },
      htmlReporter: { fileName: `reports/mutation/${slug(file)}.html` },
      reporters: ['clear-text', 'progress-append-only', 'json', 'html'],
      thresholds: { ...config.thresholds, break: null },
    };
    const partFile = path.join('.stryker-tmp', 'configs', `${slug(file)}.json`);
    writeFileSync(path.join(root, partFile), JSON.stringify(part, null, 2));
    const started = Date.now();
    console.log(`mutation: ${file} …`);
    const run = spawnSync(
      stryker,
      ['run', partFile, ...(args.includes('--full') ? ['--force'] : [])],
      {
        cwd: root,
        stdio: 'inherit',
      },
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    console.log(`mutation: ${file}: stryker ran for ${seconds} s.`);
    if (run.status !== 0) {
      console.error(
        `mutation: stryker failed on ${file} (exit ${run.status ?? run.signal}); see above.`,
      );
      process.exit(run.status ?? 1);
    }
  }
  console.log(`mutation: ${files.length} file(s) in ${((Date.now() - all) / 1000).toFixed(0)} s.`);
}

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
let failed = 0;
const rows = [];
for (const file of files) {
  // In CI a file still below its goal is held to its recorded floor (see belowGoal's reasons).
  const floor = ci ? belowGoal[file]?.floor : undefined;
  const goal = floor ?? goals[file];
  const result = recorded.get(file) ?? null;
  if (result === null && !existsSync(path.join(root, reportOf(file)))) {
    failed++;
    rows.push({ file, score: 'no report', goal: `${goal} %`, verdict: 'NOT RUN' });
    continue;
  }
  const mutants = (result ?? read(reportOf(file))).files[file]?.mutants ?? [];
  const detected = mutants.filter((m) => DETECTED.has(m.status)).length;
  const undetected = mutants.filter((m) => UNDETECTED.has(m.status)).length;
  const valid = detected + undetected;
  const score = valid === 0 ? 100 : (100 * detected) / valid;
  const ok = valid > 0 && score >= goal;
  if (!ok) failed++;
  rows.push({
    file,
    score: valid === 0 ? 'no mutants' : `${score.toFixed(1)} %`,
    goal: floor === undefined ? `${goal} %` : `floor ${goal} % (goal ${goals[file]} %)`,
    detected,
    survived: mutants.filter((m) => m.status === 'Survived').length,
    'no coverage': mutants.filter((m) => m.status === 'NoCoverage').length,
    from: result === null ? 'this run' : 'committed result',
    verdict: ok ? 'ok' : 'BELOW GOAL',
  });
}
console.table(rows);
if (failed > 0) {
  console.error(
    `mutation: ${failed} file(s) below their goal or not run: the tests would not notice some ` +
      'changes to that code. Open reports/mutation/<file>.html, or read the surviving mutants ' +
      'above, and add a test for the behaviour each one changes.',
  );
  process.exit(1);
}
console.log('mutation: every file checked meets its goal.');
