// What a CLI command is, and the small argument parser they share.
import { UserError } from '../ground/errors';

/** Where a command writes: injected so tests can capture output. */
export type CliIo = {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
};

/** One `dapple <name>` command (or `dapple <name> <sub>` when it dispatches itself). */
export type Command = {
  name: string;
  /** One line for `dapple --help`. */
  summary: string;
  /** The whole `--help` text. */
  help: string;
  /** Runs the command and resolves to the exit code. Throw UserError for a sentence on stderr. */
  run: (args: string[], io: CliIo) => Promise<number>;
};

/** Parsed flags: `--name value`, `--flag`, and positional words. */
export type ParsedArgs = { flags: Map<string, string | true>; positional: string[] };

/**
 * Parse argv against the flags a command knows. Unknown flags are an error (a typo at 2 AM
 * must not be ignored). `valued` lists flags that take a value.
 */
export function parseArgs(args: string[], valued: string[], booleans: string[]): ParsedArgs {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--') || arg === '--') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (valued.includes(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined || (eq < 0 && value.startsWith('--'))) {
        throw new UserError(
          'BAD_ARGS',
          `The option --${name} needs a value.`,
          `Write it as --${name} VALUE.`,
        );
      }
      flags.set(name, value);
    } else if (booleans.includes(name) && eq < 0) {
      flags.set(name, true);
    } else {
      throw new UserError(
        'BAD_ARGS',
        `Unknown option --${name}.`,
        'Run the command with --help to see its options.',
      );
    }
  }
  return { flags, positional };
}

/** A valued flag as a string, or undefined. */
export function flagString(parsed: ParsedArgs, name: string): string | undefined {
  const value = parsed.flags.get(name);
  return typeof value === 'string' ? value : undefined;
}
