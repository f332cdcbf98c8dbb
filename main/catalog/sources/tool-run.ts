// Running backup tools (restic, borg, pgbackrest) for a source: exit codes and output become sentences.
import { UserError } from '../../ground/errors';
import { redact } from '../secrets';
import type { Backend, RunOptions, Runner } from '../types';

/** One entry of a snapshot's file tree, for the file browser. */
export type SnapshotEntry = {
  /** Absolute path inside the snapshot. */
  path: string;
  name: string;
  type: 'file' | 'dir' | 'symlink' | 'other';
  sizeBytes: number | null;
  modified: string | null;
};

/** A source whose points can be browsed file by file (restic, borg). */
export type FileBrowser = {
  listFiles(
    pointId: string,
    path: string,
    options?: { signal?: AbortSignal },
  ): Promise<SnapshotEntry[]>;
};

/** What a tool run needs to explain itself: the source, the tool, its Debian package, secrets to hide. */
export type ToolContext = {
  source: string;
  tool: string;
  debianPackage: string;
  runner: Runner;
  secrets: string[];
  /** Turns a known failure (wrong password, missing repo) into a sentence; null for the generic one. */
  explain?: (stderr: string, code: number) => UserError | null;
};

/** Shorten hostile or huge text for a message: one line, at most max characters. */
export function shorten(text: string, max = 200): string {
  const flat = text.replace(/[\r\n\t]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** The most telling line of a tool's stderr: a permission error, a fatal/error line, a Python exception, or the first line. */
export function keyLine(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return (
    lines.find((l) => /permission denied/i.test(l)) ??
    lines.find((l) => /^(fatal|error)\b|^\w+(Error|Exception):/i.test(l)) ??
    lines[0] ??
    ''
  );
}

/** Run the tool and return stdout; a non-zero exit becomes a UserError naming the source and host. */
export async function runTool(
  context: ToolContext,
  argv: string[],
  options: RunOptions = {},
): Promise<Buffer> {
  const { source, tool, runner } = context;
  let result;
  try {
    result = await runner.run(argv, { timeoutMs: 300_000, ...options });
  } catch (error) {
    if (error instanceof UserError) {
      throw new UserError(
        error.code,
        `Source "${source}": ${redact(error.message, context.secrets)}`,
        error.hint,
      );
    }
    throw error;
  }
  if (result.code === 0) return result.stdout;
  const stderr = redact(result.stderr, context.secrets);
  if (result.code === 127) {
    throw new UserError(
      'TOOL_MISSING',
      `${tool} is not installed on ${runner.where}, so source "${source}" cannot be read.`,
      `Install it there (apt-get install ${context.debianPackage}) or make sure it is on PATH for that user.`,
    );
  }
  // Permission first: a tool's "cannot open the repository" often has a permission error inside.
  if (/permission denied/i.test(stderr)) {
    throw new UserError(
      'PERMISSION_DENIED',
      `${tool} was denied access on ${runner.where} while reading source "${source}": ${shorten(keyLine(stderr))}`,
      'Connect as a user that can read the repository, or fix its permissions.',
    );
  }
  const known = context.explain?.(stderr, result.code);
  if (known) throw known;
  throw new UserError(
    'TOOL_FAILED',
    `${tool} failed on ${runner.where} while reading source "${source}" (exit ${result.code}): ${shorten(keyLine(stderr)) || 'no message'}`,
    'Run the same command on that host to see the full output, fix the cause, then refresh.',
  );
}

/** Parse a tool's JSON output; anything else is a sentence, not a crash. */
export function parseToolJson(
  context: Pick<ToolContext, 'source' | 'tool' | 'runner'>,
  stdout: Buffer,
): unknown {
  const text = stdout.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw invalidOutput(context, `it is not JSON (starts with "${shorten(text, 60)}")`);
  }
}

/** Parse JSON Lines output (restic ls, borg list --json-lines). */
export function parseToolJsonLines(
  context: Pick<ToolContext, 'source' | 'tool' | 'runner'>,
  stdout: Buffer,
): unknown[] {
  return stdout
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => parseToolJson(context, Buffer.from(line)));
}

/** The error for output we cannot understand. */
export function invalidOutput(
  context: Pick<ToolContext, 'source' | 'tool' | 'runner'>,
  why: string,
): UserError {
  return new UserError(
    'TOOL_OUTPUT_INVALID',
    `${context.tool} on ${context.runner.where} printed output Dapple cannot read for source "${context.source}": ${why}.`,
    `Check that ${context.tool} on that host is a supported version and not wrapped by a script that prints extra text.`,
  );
}

/** Reject a config value that cannot be a real name or path before anything runs. */
export function checkValue(source: string, field: string, value: string, max = 4096): void {
  if (value === '' || value.length > max || /[\0\r\n]/.test(value)) {
    throw new UserError(
      'SOURCE_CONFIG_INVALID',
      `Source "${source}" has an unusable ${field}: "${shorten(value, 80)}" (${value === '' ? 'empty' : value.length > max ? `${value.length} characters` : 'contains a line break or NUL'}).`,
      `Fix ${field} of this source in dapple.yaml.`,
    );
  }
}

/** A timestamp from tool output as ISO 8601 UTC, or an invalid-output error. */
export function isoTime(
  context: Pick<ToolContext, 'source' | 'tool' | 'runner'>,
  value: unknown,
  what: string,
): string {
  const date =
    typeof value === 'string' || typeof value === 'number' ? new Date(value) : new Date(NaN);
  if (Number.isNaN(date.getTime())) throw invalidOutput(context, `${what} has no valid time`);
  return date.toISOString();
}

/** What the backend itself needs in a tool's env (AWS credentials for s3: repositories), kept secret. */
export async function backendEnv(
  backend: Backend,
): Promise<{ env: Record<string, string>; secrets: string[] }> {
  const env = backend.toolEnv ? await backend.toolEnv() : {};
  // Only credential-like values are hidden: a region or profile name in an error is harmless and useful.
  const secrets = Object.entries(env)
    .filter(([name]) => /SECRET|TOKEN|PASSWORD|PASSPHRASE|KEY_ID/.test(name))
    .map(([, value]) => value);
  return { env, secrets };
}

/** Run a tool source's read with progress before and after, in the words every tool source uses. */
export async function listWithProgress<T>(
  tool: string,
  command: string,
  where: string,
  options: { progress?: (p: { done: number; total: number | null; message: string }) => void },
  read: () => Promise<T[]>,
): Promise<T[]> {
  options.progress?.({ done: 0, total: 1, message: `Running ${command} on ${where}` });
  const points = await read();
  options.progress?.({ done: 1, total: 1, message: `${tool} listed ${points.length} points` });
  return points;
}
