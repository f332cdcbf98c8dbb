// How `dapple drill` shows things in a terminal: argv word by word as the console does (a space or
// a line break inside a word stays visible), the warning a live session starts with, and the
// command that checks the log, spelled the way this dapple was started.
import path from 'node:path';
import type { RunbookPlan } from '../../../preload/schemas/runbook';
import type { SessionMode } from '../../../preload/schemas/session';
import { visible } from '../../ground/visible';
import { boundTargets } from '../../restore/confine';
import { productionTargets } from '../../restore/start';
import type { Workspace } from '../../workspace/types';

/** argv as boxed words: [cp] [-R] [/srv/a b] — what runs is exactly these words, no shell. */
export function argvWords(argv: readonly string[]): string {
  return argv.map((word) => `[${visible(word)}]`).join(' ');
}

/** The line before a command step: what runs (or, in a rehearsal, what would run) and where. */
export function commandLine(step: RunbookPlan['steps'][number], mode: SessionMode): string {
  // A tool-aware restore without an argv (manifest-restore) says what it restores, from the catalog.
  if (step.argv === null && step.work) {
    const into = step.cwd ? ` into ${visible(step.cwd)}` : '';
    return mode === 'rehearsal'
      ? `  would restore ${step.work.summary}${into}   (a rehearsal runs nothing)\n`
      : `  Restores ${step.work.summary}${into}\n`;
  }
  const words = argvWords(step.argv ?? [step.kind]);
  const where = `on ${step.where ?? 'this machine'}${step.cwd ? `, in ${visible(step.cwd)}` : ''}`;
  return mode === 'rehearsal'
    ? `  would run: ${words}   (${where}; a rehearsal runs nothing)\n`
    : `  $ ${words}   (${where}; word by word, no shell)\n`;
}

/** The warning a live session starts with: it runs for real, and where it writes. */
export function liveWarning(workspace: Workspace, plan: RunbookPlan): string {
  const targets = boundTargets(plan);
  const production = productionTargets(workspace, plan);
  const where = targets.length > 0 ? targets.join(', ') : 'the hosts and folders its steps name';
  return [
    '',
    '  !!! LIVE RESTORE: nothing here is a drill or a rehearsal.',
    `  !!! Every command runs for real and writes to ${where}${production.length > 0 ? ` — PRODUCTION: ${production.join(', ')}` : ''}.`,
    '  !!! Answer abort to any question to stop; the log records everything.',
    '',
  ].join('\n');
}

const quote = (word: string): string =>
  /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * How to run this dapple again, as it was started: `npm --prefix DIR run -s dapple --` under npm,
 * `dapple` through a linked bin, else this Node and script (both absolute, so it works anywhere).
 */
export function selfCommand(
  env: NodeJS.ProcessEnv = process.env,
  argv: readonly string[] = process.argv,
  execPath: string = process.execPath,
): string {
  if (env.npm_lifecycle_event === 'dapple' && env.npm_package_json)
    return `npm --prefix ${quote(path.dirname(env.npm_package_json))} run -s dapple --`;
  const script = argv[1] ?? '';
  if (path.basename(script) === 'dapple') return 'dapple';
  return `${quote(execPath)} ${quote(path.resolve(script))}`;
}
