// The local runner passes argv without a shell and reports exit codes, missing programs and timeouts.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../ground/errors';
import { localRunner } from './local-runner';

describe('localRunner', () => {
  it('passes hostile arguments as data, never through a shell', async () => {
    const result = await localRunner.run(['printf', '%s|', '$(id)', '`id`', "a'b", '💾']);
    expect(result.code).toBe(0);
    expect(result.stdout.toString()).toBe("$(id)|`id`|a'b|💾|");
  });

  it('returns exit code and stderr of a failing program', async () => {
    const result = await localRunner.run(['sh', '-c', 'echo oops >&2; exit 3']);
    expect(result).toMatchObject({ code: 3, stderr: 'oops\n' });
  });

  it('reports a missing program as exit 127, like a shell', async () => {
    const result = await localRunner.run(['dapple-no-such-tool', '--json']);
    expect(result.code).toBe(127);
    expect(result.stderr).toMatch(/not found/);
  });

  it('gives env values and stdin to the program', async () => {
    const result = await localRunner.run(['sh', '-c', 'printf "%s/" "$SECRET_X"; cat'], {
      env: { SECRET_X: 'value with spaces' },
      stdin: 'from stdin',
    });
    expect(result.stdout.toString()).toBe('value with spaces/from stdin');
  });

  it('stops a program that runs past its timeout, with a sentence', async () => {
    const error = await localRunner
      .run(['sleep', '5'], { timeoutMs: 200 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('COMMAND_TIMEOUT');
  });

  it('stops a program when its refresh is cancelled', async () => {
    const controller = new AbortController();
    const pending = localRunner.run(['sleep', '5'], { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
