// Missing tools fail fast with the install command; servers stop with every process they forked.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startServer } from './process';
import { findProgram, requireProgram } from './programs';
import { makeTempDir } from './temp';

describe('requireProgram', () => {
  it('finds installed tools, sbin and PostgreSQL 15 included', () => {
    expect(requireProgram('restic', 'restic')).toMatch(/\/restic$/);
    expect(requireProgram('sshd', 'openssh-server')).toMatch(/sbin\/sshd$/);
    expect(findProgram('initdb')).toMatch(/\/initdb$/);
  });

  it('says what to install when a tool is missing', () => {
    expect(() => requireProgram('dapple-frobnicate', 'frobnicate-tools')).toThrow(
      'dapple-frobnicate is not installed: apt-get install frobnicate-tools',
    );
  });
});

describe('startServer and makeTempDir', () => {
  it('stop() kills the whole process group, children included', async () => {
    const server = startServer('sh', ['-c', 'sleep 300 & echo child=$!; sleep 300']);
    await server.waitForOutput(/child=\d+/);
    const child = /child=(\d+)/.exec(server.output())?.[1] ?? '';
    await server.stop();
    // Gone, or a zombie waiting for init to reap it: either way no longer running. The SIGKILL is
    // delivered asynchronously and the orphan is not our child (no exit event to await), so give
    // the kernel a bounded moment to finish it.
    const stateOf = () =>
      existsSync(`/proc/${child}/status`)
        ? readFileSync(`/proc/${child}/status`, 'utf8')
        : 'State: gone';
    const deadline = Date.now() + 5000;
    while (!/State:\s+(gone|Z)/.test(stateOf()) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(stateOf()).toMatch(/State:\s+(gone|Z)/);
  });

  it('reports a server that exits before it is ready, with its output', async () => {
    const server = startServer('sh', ['-c', 'echo cannot bind >&2; exit 1']);
    await expect(server.waitForOutput(/ready/)).rejects.toThrow(
      /exited before it was ready:\ncannot bind/,
    );
  });

  it('removes a temp folder on request', () => {
    const temp = makeTempDir('check');
    expect(existsSync(temp.path)).toBe(true);
    temp.remove();
    expect(existsSync(temp.path)).toBe(false);
  });
});
