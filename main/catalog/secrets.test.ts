// Repository passwords come from files, commands, env or the keychain; errors name the place, never the value.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../test-support/temp';
import { redact, resolveSecret } from './secrets';

const temp = makeTempDir('secrets');
afterAll(() => temp.remove());
const ctx = { source: 'files-restic' };

describe('resolveSecret', () => {
  it('reads a password file without its trailing newline', async () => {
    const file = join(temp.path, 'pw');
    writeFileSync(file, 'p@ss word\n');
    await expect(resolveSecret({ from: 'file', path: file }, ctx)).resolves.toBe('p@ss word');
  });

  it('runs a password command without a shell and keeps its output out of errors', async () => {
    await expect(
      resolveSecret({ from: 'command', argv: ['printf', '%s\\n', '$(not run)'] }, ctx),
    ).resolves.toBe('$(not run)');
    const error = await resolveSecret(
      { from: 'command', argv: ['sh', '-c', 'echo leaked-secret; echo locked >&2; exit 4'] },
      ctx,
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'SECRET_COMMAND_FAILED',
      message: expect.stringContaining('exit code 4: locked'),
    });
    expect(String((error as Error).message)).not.toContain('leaked-secret');
  });

  it('reads an environment variable, and says which one is missing', async () => {
    process.env.DAPPLE_TEST_SECRET = 'from-env';
    await expect(resolveSecret({ from: 'env', name: 'DAPPLE_TEST_SECRET' }, ctx)).resolves.toBe(
      'from-env',
    );
    delete process.env.DAPPLE_TEST_SECRET;
    await expect(
      resolveSecret({ from: 'env', name: 'DAPPLE_TEST_SECRET' }, ctx),
    ).rejects.toMatchObject({
      code: 'SECRET_ENV_MISSING',
      message: expect.stringContaining('DAPPLE_TEST_SECRET'),
    });
  });

  it('names the source for a missing file, an empty secret and an unavailable keychain', async () => {
    await expect(
      resolveSecret({ from: 'file', path: join(temp.path, 'nope') }, ctx),
    ).rejects.toMatchObject({
      code: 'SECRET_FILE_MISSING',
      message: expect.stringContaining('"files-restic"'),
    });
    const empty = join(temp.path, 'empty');
    writeFileSync(empty, '\n');
    await expect(resolveSecret({ from: 'file', path: empty }, ctx)).rejects.toMatchObject({
      code: 'SECRET_EMPTY',
    });
    await expect(
      resolveSecret({ from: 'keychain', name: 'restic-prod' }, ctx),
    ).rejects.toMatchObject({
      code: 'SECRET_KEYCHAIN_UNAVAILABLE',
    });
  });

  it('uses the keychain the app provides', async () => {
    const keychain = async (name: string) => (name === 'restic-prod' ? 'from-keychain' : null);
    await expect(
      resolveSecret({ from: 'keychain', name: 'restic-prod' }, { ...ctx, keychain }),
    ).resolves.toBe('from-keychain');
    await expect(
      resolveSecret({ from: 'keychain', name: 'other' }, { ...ctx, keychain }),
    ).rejects.toMatchObject({
      code: 'SECRET_KEYCHAIN_MISSING',
    });
  });
});

describe('redact', () => {
  it('hides every occurrence of a secret in tool messages', () => {
    expect(redact('Fatal: key hunter2 rejected (hunter2)', ['hunter2'])).toBe(
      'Fatal: key ••• rejected (•••)',
    );
  });
});
