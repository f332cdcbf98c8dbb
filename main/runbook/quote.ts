// The one POSIX shell quoting function: every argv that must become a remote command line passes here.
import { UserError } from '../ground/errors';

// Words made only of these characters (at least one) mean the same quoted or not; leave them bare.
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

function rejectNul(word: string): void {
  if (word.includes('\0')) {
    throw new UserError(
      'ARGV_NUL',
      'A command argument contains a NUL byte, which no shell command can carry.',
      'Remove the NUL character from the value (often a copy-paste accident) and try again.',
    );
  }
}

// Inside single quotes nothing is special except the quote itself: close, add \', reopen.
function singleQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Quote one word for a POSIX shell so that it reaches the program exactly as given. */
export function quoteWord(word: string): string {
  rejectNul(word);
  return SAFE_WORD.test(word) ? word : singleQuote(word);
}

/** Turn argv into one POSIX shell command line that `sh -c` splits back into exactly argv. */
export function quoteArgv(argv: readonly string[]): string {
  if (argv.length === 0) {
    throw new UserError(
      'ARGV_EMPTY',
      'A command with no program name cannot be run.',
      'Give at least the program to run.',
    );
  }
  argv.forEach(rejectNul);
  // A bare NAME=value in first place would be an assignment, not the program: always quote it there.
  return argv.map((w, i) => (i === 0 && w.includes('=') ? singleQuote(w) : quoteWord(w))).join(' ');
}
