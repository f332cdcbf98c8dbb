// The environment a backup tool needs to open its repository: the password or passphrase from
// the source's SecretRef (a file path stays a path when the tool runs here), never in argv.
import { UserError } from '../../ground/errors';
import { resolveSecret } from '../../catalog/secrets';
import { quoteArgv } from '../../runbook/quote';
import type { SourceConfig, Workspace } from '../../workspace/types';

/** Env for the tool and the values to blank in its output. */
export type ToolEnv = { env: Record<string, string>; secrets: string[] };

/** The source a tool-aware step restores from, as configured in dapple.yaml. */
export function stepSource(workspace: Workspace, name: string | null): SourceConfig {
  const source = name === null ? undefined : workspace.sources.get(name);
  if (!source) {
    throw new UserError(
      'SOURCE_UNKNOWN',
      `The step restores from source ${name ?? '(none)'}, which the workspace no longer defines.`,
      'Reload the workspace and start the session again.',
    );
  }
  return source;
}

/** The tool's environment where it runs (`remote`: over SSH, so a password file is read here). */
export async function toolEnv(source: SourceConfig, remote: boolean): Promise<ToolEnv> {
  const context = { source: source.name };
  if (source.type === 'restic') {
    const ref = source.password;
    if (!ref) {
      throw new UserError(
        'SECRET_MISSING',
        `Source "${source.name}" has no password configured, and restic repositories always have one.`,
        'Add password: { from: file, path: ... } (or command/env) to this source in dapple.yaml.',
      );
    }
    if (ref.from === 'file' && !remote)
      return { env: { RESTIC_PASSWORD_FILE: ref.path }, secrets: [] };
    const value = await resolveSecret(ref, context);
    return { env: { RESTIC_PASSWORD: value }, secrets: [value] };
  }
  if (source.type === 'borg') {
    // Never let borg stop to ask a question: it would wait forever without a terminal.
    const quiet = {
      BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK: 'yes',
      BORG_RELOCATED_REPO_ACCESS_IS_OK: 'yes',
      BORG_DISPLAY_PASSPHRASE: 'no',
    };
    const ref = source.passphrase;
    if (ref?.from === 'file' && !remote)
      return {
        env: { ...quiet, BORG_PASSCOMMAND: quoteArgv(['cat', '--', ref.path]) },
        secrets: [],
      };
    if (!ref) return { env: { ...quiet, BORG_PASSPHRASE: '' }, secrets: [] };
    const value = await resolveSecret(ref, context);
    return { env: { ...quiet, BORG_PASSPHRASE: value }, secrets: [value] };
  }
  return { env: {}, secrets: [] };
}
