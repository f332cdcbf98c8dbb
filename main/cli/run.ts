// The `dapple` entry logic: pick a command, print help, turn errors into one sentence on stderr.
import { toAppError } from '../ground/errors';
import type { CliIo } from './command';
import { commands } from './commands/index';

const usage = (): string =>
  [
    'dapple — a restore console for incident response',
    '',
    'Usage: dapple <command> [options]     (dapple <command> --help for its options)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`),
    '',
  ].join('\n');

/** Run the CLI with argv (without node and script) and resolve to the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    io.stdout(`${process.env.DAPPLE_VERSION ?? '0.1.0'}\n`);
    return 0;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.stderr(`dapple: unknown command "${name.slice(0, 60)}". Run dapple --help for the list.\n`);
    return 2;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.help.endsWith('\n') ? command.help : `${command.help}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    const e = toAppError(error);
    io.stderr(`dapple ${command.name}: ${e.message}${e.hint ? `\n  ${e.hint}` : ''}\n`);
    return e.code === 'BAD_ARGS' ? 2 : 1;
  }
}
