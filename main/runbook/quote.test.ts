// quoteArgv must round-trip through a real POSIX shell for any text a catalog or operator can produce.
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../ground/errors';
import { quoteArgv, quoteWord } from './quote';

// `sh -c '<quoted> ' ` runs printf with each argument NUL-terminated, so we can split them back exactly.
function roundTrip(argv: string[]): string[] {
  const script = `printf '%s\\0' ${quoteArgv(argv)}`;
  const out = execFileSync('/bin/sh', ['-c', script], { maxBuffer: 64 * 1024 * 1024 });
  const parts = out.toString('utf8').split('\0');
  parts.pop();
  return parts;
}

const noNul = (s: string) => !s.includes('\0');
const hostile = fc.constantFrom(
  "'",
  '"',
  '$HOME',
  '`id`',
  '$(touch /tmp/dapple-pwned)',
  'a\nb',
  '\\',
  '*',
  '~',
  '-rf',
  ';',
  '|',
  '&',
  '#',
  '!',
  '💾🔥',
  ' ',
  '\t',
  '',
);
const word = fc.oneof(
  fc.string({ unit: 'binary' }).filter(noNul),
  hostile,
  fc.string({ unit: 'grapheme' }),
);

describe('quoteArgv', () => {
  it('gives back exactly the argv through sh -c, for any text without NUL', () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 6 }), (argv) => {
        expect(roundTrip(argv)).toEqual(argv);
      }),
      { numRuns: 150 },
    );
  });

  it('carries quotes, $, backticks, newlines, emoji and a 10 KB string unchanged and unexecuted', () => {
    const long = `'"$\`\n😀`.repeat(1700);
    expect(long.length).toBeGreaterThan(10_000);
    const argv = ["it's", '"$(id)"', '`uname`', 'line1\nline2', '🦆 emoji', long, '', '--'];
    expect(roundTrip(argv)).toEqual(argv);
  });

  it('leaves plain words readable and quotes the rest', () => {
    expect(quoteArgv(['restic', '--repo=/srv/repo', 'snapshots', '--json'])).toBe(
      'restic --repo=/srv/repo snapshots --json',
    );
    expect(quoteWord("it's")).toBe(`'it'\\''s'`);
    expect(quoteWord('')).toBe("''");
    // In first place NAME=value would be an assignment; quoted, it stays the program name.
    expect(quoteArgv(['A=1', 'B=2'])).toBe("'A=1' B=2");
    expect(() => execFileSync('/bin/sh', ['-c', quoteArgv(['A=1'])], { stdio: 'pipe' })).toThrow(
      /not found/,
    );
  });

  it('refuses a NUL byte or an empty argv with a sentence and what to do', () => {
    expect(() => quoteArgv(['echo', 'a\0b'])).toThrowError(UserError);
    expect(() => quoteArgv(['echo', 'a\0b'])).toThrow(
      expect.objectContaining({
        code: 'ARGV_NUL',
        message: 'A command argument contains a NUL byte, which no shell command can carry.',
        hint: 'Remove the NUL character from the value (often a copy-paste accident) and try again.',
      }),
    );
    expect(() => quoteArgv([])).toThrow(
      expect.objectContaining({
        code: 'ARGV_EMPTY',
        message: 'A command with no program name cannot be run.',
        hint: 'Give at least the program to run.',
      }),
    );
  });

  it('refuses a NUL byte in a first word that holds = (quoted there as an assignment would be)', () => {
    expect(() => quoteArgv(['A=1\0; rm -rf ~', 'x'])).toThrowError(/NUL byte/);
    expect(() => quoteArgv(['\0=', 'x'])).toThrowError(UserError);
    expect(() => quoteWord('a\0b')).toThrowError(/NUL byte/);
  });
});
