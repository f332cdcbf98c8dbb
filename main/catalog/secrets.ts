// Repository passwords: resolved in main from a SecretRef, handed to tools through env, never logged.
import { readFile } from 'node:fs/promises';
import { UserError } from '../ground/errors';
import type { SecretRef } from '../workspace/types';
import { localRunner } from './backends/local-runner';

/** Where secrets come from beyond files, commands and env: the app supplies its OS keychain here. */
export type SecretContext = {
  /** The source the secret is for, named in every error. */
  source: string;
  /** Looks up a named keychain entry (Electron safeStorage in the app); absent in the CLI for now. */
  keychain?: (name: string) => Promise<string | null>;
};

// Password files and commands end their output with a newline that is not part of the secret.
function stripNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}

/** Resolve a SecretRef to its value on this machine. Errors name the source and the place, never the value. */
export async function resolveSecret(ref: SecretRef, context: SecretContext): Promise<string> {
  const value = await read(ref, context);
  if (value === '') {
    throw new UserError(
      'SECRET_EMPTY',
      `The password for source "${context.source}" is empty (${describeSecret(ref)}).`,
      'Put the repository password there and refresh.',
    );
  }
  return value;
}

/** A short, value-free description of where a secret comes from, for messages. */
export function describeSecret(ref: SecretRef): string {
  switch (ref.from) {
    case 'file':
      return `file ${ref.path}`;
    case 'command':
      return `command ${ref.argv[0] ?? ''}`;
    case 'env':
      return `environment variable ${ref.name}`;
    case 'keychain':
      return `keychain entry ${ref.name}`;
  }
}

async function read(ref: SecretRef, context: SecretContext): Promise<string> {
  const source = context.source;
  switch (ref.from) {
    case 'file': {
      try {
        return stripNewline(await readFile(ref.path, 'utf8'));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new UserError(
          code === 'ENOENT' ? 'SECRET_FILE_MISSING' : 'SECRET_FILE_UNREADABLE',
          `The password file ${ref.path} for source "${source}" ${code === 'ENOENT' ? 'does not exist' : 'cannot be read'}.`,
          'Check the password path in dapple.yaml and the file permissions.',
        );
      }
    }
    case 'command': {
      const result = await localRunner.run(ref.argv, { timeoutMs: 60_000 });
      if (result.code !== 0) {
        // stdout might hold a partial secret: only the exit code and stderr's first line are shown.
        const why = result.stderr.split('\n')[0]?.slice(0, 200) ?? '';
        throw new UserError(
          'SECRET_COMMAND_FAILED',
          `The password command ${ref.argv[0] ?? ''} for source "${source}" failed with exit code ${result.code}${why ? `: ${why}` : ''}.`,
          'Run the command yourself to see why (a locked password manager?), then refresh.',
        );
      }
      return stripNewline(result.stdout.toString('utf8'));
    }
    case 'env': {
      const value = process.env[ref.name];
      if (value === undefined) {
        throw new UserError(
          'SECRET_ENV_MISSING',
          `The environment variable ${ref.name} that holds the password for source "${source}" is not set.`,
          `Set ${ref.name} before starting Dapple, or use a password file or command.`,
        );
      }
      return value;
    }
    case 'keychain': {
      // TODO: the CLI has no keychain yet; the app passes context.keychain backed by safeStorage.
      const value = context.keychain ? await context.keychain(ref.name) : undefined;
      if (value === undefined) {
        throw new UserError(
          'SECRET_KEYCHAIN_UNAVAILABLE',
          `The OS keychain is not available here, so the password "${ref.name}" for source "${source}" cannot be read.`,
          'Open the workspace in the Dapple app, or use password: { from: file } or { from: command } instead.',
        );
      }
      if (value === null) {
        throw new UserError(
          'SECRET_KEYCHAIN_MISSING',
          `The keychain has no entry "${ref.name}" for source "${source}".`,
          'Store the repository password in Dapple (Settings → Secrets) and refresh.',
        );
      }
      return value;
    }
  }
}

/** Replace every occurrence of the given secrets in text: tool messages are shown, passwords never. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 3) out = out.split(secret).join('•••');
  return out;
}
