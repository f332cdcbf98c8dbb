// SSH questions through the console: a catalog refresh of a restic repository reached over the
// real test sshd asks prompt.show (unknown host key, encrypted key file) and waits for prompt.answer.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, EventPayload } from '../../../preload/contract';
import type { SourceStatus } from '../../../preload/schemas/catalog';
import { makeResticRepo, type TestRepo } from '../../../test-support/backup-repos';
import { makeKeyPair, startSshd, type TestSshd } from '../../../test-support/sshd';
import { runCommand } from '../../../test-support/process';
import { makeTempDir, type TempDir } from '../../../test-support/temp';
import { loadCatalog } from '../../catalog/service';
import { createSshBackend } from '../../catalog/backends/ssh';
import type { SshOptions } from '../../catalog/backends/ssh';
import { SshPool } from '../../catalog/backends/ssh-pool';
import { loadWorkspace } from '../../workspace/load';
import { createContext, type AppContext } from '../context';
import { dispatch } from '../dispatch';

type Emitted = { name: EventName; payload: unknown };

// A context whose events can be awaited: next(name) resolves with the next payload of that name.
function recordingContext(dataDir: string, promptTimeoutMs?: number) {
  const emitted: Emitted[] = [];
  let waiters: { name: EventName; resolve: (payload: unknown) => void }[] = [];
  const ctx: AppContext = createContext({
    version: 'test',
    transport: 'browser',
    dataDir,
    ...(promptTimeoutMs ? { promptTimeoutMs } : {}),
    emit: (name, payload) => {
      emitted.push({ name, payload });
      const ready = waiters.filter((w) => w.name === name);
      waiters = waiters.filter((w) => w.name !== name);
      for (const w of ready) w.resolve(payload);
    },
  });
  const next = <E extends EventName>(name: E) =>
    new Promise<EventPayload<E>>((resolve) =>
      waiters.push({ name, resolve: (p) => resolve(p as EventPayload<E>) }),
    );
  return { ctx, emitted, next };
}

describe('SSH prompts during a catalog refresh', () => {
  let sshd: TestSshd;
  let repo: TestRepo;
  let temp: TempDir;
  let workspaceDir: string;
  const knownHosts = () => join(workspaceDir, 'known_hosts');

  const writeWorkspace = (dir: string, identityFile: string) =>
    writeFileSync(
      join(dir, 'dapple.yaml'),
      `name: shop
backends:
  backup-host: { type: ssh, host: 127.0.0.1, port: ${sshd.port}, user: ${sshd.user}, identityFile: "${identityFile}" }
sources:
  files: { type: restic, backend: backup-host, repository: "${repo.repository}", password: { file: "${repo.passwordFile}" }, service: files }
services:
  files: { owner: ops, rpo: 1d, rto: 2h }
`,
    );

  // Refresh the open workspace and resolve with its source's final status.
  const refreshed = async (tools: ReturnType<typeof recordingContext>): Promise<SourceStatus> => {
    const changed = tools.next('catalog.changed');
    expect(await dispatch('catalog.refresh', {}, tools.ctx)).toMatchObject({ ok: true });
    const { sources } = await changed;
    return sources[0] as SourceStatus;
  };

  beforeAll(async () => {
    temp = makeTempDir('prompts');
    [sshd, repo] = await Promise.all([
      startSshd(),
      makeResticRepo(join(temp.path, 'restic'), {
        snapshots: [
          { files: { 'a.txt': 'one' }, time: '2026-11-01T02:00:00Z' },
          { files: { 'a.txt': 'two' }, time: '2026-11-02T02:00:00Z' },
        ],
      }),
    ]);
    workspaceDir = join(temp.path, 'workspace');
    mkdirSync(workspaceDir);
    writeWorkspace(workspaceDir, sshd.clientKeyPath);
  }, 60_000);
  afterAll(async () => {
    await sshd?.stop();
    temp?.remove();
  });

  it('shows the real fingerprint, and "no" refuses with the way to add the key by hand', async () => {
    const tools = recordingContext(join(temp.path, 'data-no'));
    tools.ctx.setWorkspace(await loadWorkspace(workspaceDir));
    const shown = tools.next('prompt.show');
    const status = refreshed(tools);
    const question = await shown;
    // A console opened late fetches the same question.
    expect(await dispatch('prompt.pending', {}, tools.ctx)).toEqual({
      ok: true,
      value: [question],
    });
    expect(question).toMatchObject({
      kind: 'host-key',
      host: `127.0.0.1:${sshd.port}`,
      keyType: 'ssh-ed25519',
      fingerprint: sshd.hostFingerprint,
    });
    const closed = tools.next('prompt.closed');
    expect(await dispatch('prompt.answer', { id: question.id, accept: false }, tools.ctx)).toEqual({
      ok: true,
      value: { ok: true },
    });
    expect(await closed).toEqual({ id: question.id });
    const final = await status;
    expect(final.state).toBe('error');
    expect(final.error?.message).toContain(`is not known: ssh-ed25519 ${sshd.hostFingerprint}`);
    expect(final.error?.hint).toContain(`ssh-keyscan -p ${sshd.port} 127.0.0.1 >> ${knownHosts()}`);
    expect(existsSync(knownHosts())).toBe(false);
    // A second answer to the same question is a sentence, not a crash.
    expect(
      await dispatch('prompt.answer', { id: question.id, accept: true }, tools.ctx),
    ).toMatchObject({ ok: false, error: { code: 'PROMPT_GONE' } });
  });

  it('counts an unanswered question as "no" once its time is up', async () => {
    const tools = recordingContext(join(temp.path, 'data-timeout'), 300);
    tools.ctx.setWorkspace(await loadWorkspace(workspaceDir));
    const shown = tools.next('prompt.show');
    const closed = tools.next('prompt.closed');
    const status = refreshed(tools);
    const question = await shown;
    expect(await closed).toEqual({ id: question.id });
    const final = await status;
    expect(final.error?.message).toContain(sshd.hostFingerprint);
    expect(tools.ctx.prompts.pending()).toEqual([]);
    expect(existsSync(knownHosts())).toBe(false);
  });

  it('trusts the key on "yes": the refresh goes on, known_hosts keeps it, no second question', async () => {
    const tools = recordingContext(join(temp.path, 'data-yes'));
    tools.ctx.setWorkspace(await loadWorkspace(workspaceDir));
    const shown = tools.next('prompt.show');
    const status = refreshed(tools);
    const question = await shown;
    await dispatch('prompt.answer', { id: question.id, accept: true }, tools.ctx);
    const final = await status;
    expect(final).toMatchObject({ state: 'ok', points: 2, error: null });
    expect(readFileSync(knownHosts(), 'utf8')).toBe(`${sshd.knownHostsLine}\n`);
    const again = await refreshed(tools);
    expect(again).toMatchObject({ state: 'ok', points: 2 });
    expect(tools.emitted.filter((e) => e.name === 'prompt.show')).toHaveLength(1);
  });

  it('asks for the passphrase of an encrypted key file, and a wrong one is a sentence', async () => {
    const keyFile = join(temp.path, 'encrypted_ed25519');
    const publicKey = await makeKeyPair(keyFile, 'open sesame');
    appendFileSync(join(sshd.dir, 'authorized_keys'), `${publicKey}\n`);
    const dir = join(temp.path, 'workspace-encrypted');
    mkdirSync(dir);
    writeWorkspace(dir, keyFile);
    writeFileSync(join(dir, 'known_hosts'), `${sshd.knownHostsLine}\n`);
    const tools = recordingContext(join(temp.path, 'data-passphrase'));
    tools.ctx.setWorkspace(await loadWorkspace(dir));

    const wrongShown = tools.next('prompt.show');
    const wrongStatus = refreshed(tools);
    const wrong = await wrongShown;
    expect(wrong).toMatchObject({ kind: 'passphrase', host: '127.0.0.1', keyFile });
    await dispatch('prompt.answer', { id: wrong.id, passphrase: 'open barley' }, tools.ctx);
    expect((await wrongStatus).error?.message).toContain(
      `The passphrase for the SSH key ${keyFile} is not correct.`,
    );

    const shown = tools.next('prompt.show');
    const status = refreshed(tools);
    const question = await shown;
    await dispatch('prompt.answer', { id: question.id, passphrase: 'open sesame' }, tools.ctx);
    expect(await status).toMatchObject({ state: 'ok', points: 2 });
    // The passphrase never travels back to the renderer.
    expect(JSON.stringify(tools.emitted)).not.toContain('open sesame');
  });

  it('without a console (the CLI) refuses, and the ssh-keyscan line it suggests makes the key known', async () => {
    const dir = join(temp.path, 'workspace-cli');
    mkdirSync(dir);
    writeWorkspace(dir, sshd.clientKeyPath);
    const workspace = (await loadWorkspace(dir)).workspace;
    if (!workspace) throw new Error('the test workspace did not load');
    const cacheDir = join(temp.path, 'cli-cache');
    const refused = (await loadCatalog(workspace, { cacheDir, refresh: true })).sources[0];
    expect(refused?.error?.message).toContain(sshd.hostFingerprint);
    const file = join(dir, 'known_hosts');
    const suggested = `ssh-keyscan -p ${sshd.port} 127.0.0.1 >> ${file}`;
    expect(refused?.error?.hint).toContain(suggested);

    // Do what the sentence says, as a person would in a shell.
    const scanned = await runCommand('ssh-keyscan', [
      '-t',
      'ed25519',
      '-p',
      String(sshd.port),
      '127.0.0.1',
    ]);
    appendFileSync(file, scanned);
    expect(await runCommand('ssh-keygen', ['-lf', file])).toContain(sshd.hostFingerprint);
    const known = (await loadCatalog(workspace, { cacheDir, refresh: true })).sources[0];
    expect(known).toMatchObject({ state: 'ok', points: 2 });
  });

  describe('the handshake timeout', () => {
    const backendAt = (port: number, options: SshOptions) =>
      createSshBackend(
        {
          name: 'backup-host',
          type: 'ssh',
          host: '127.0.0.1',
          port,
          user: sshd.user,
          identityFile: sshd.clientKeyPath,
          tags: [],
        },
        {
          sshConfigPath: null,
          knownHostsFiles: [],
          agentSocket: null,
          defaultKeys: false,
          home: sshd.dir,
          ...options,
        },
        new SshPool(),
      );

    it('stops while a person reads the fingerprint, so a slow "yes" still logs in', async () => {
      const backend = backendAt(sshd.port, {
        workspaceKnownHosts: join(temp.path, 'slow-known_hosts'),
        // Long enough for the handshake up to the host key on a loaded machine (150 ms was not).
        readyTimeoutMs: 1000,
        // A person taking longer than the handshake timeout: the delay is the behaviour under test.
        acceptHostKey: () => new Promise((resolve) => setTimeout(() => resolve(true), 1600)),
      });
      try {
        const result = await backend.runner().run(['echo', 'still here']);
        expect(result.stdout.toString().trim()).toBe('still here');
      } finally {
        await backend.close();
      }
    });

    it('still gives up on a host that never answers', async () => {
      // A TCP server that accepts and never speaks SSH: a hung host behind a firewall.
      const sockets: Socket[] = [];
      const silent = createServer((socket) => sockets.push(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const port = (silent.address() as AddressInfo).port;
      const backend = backendAt(port, { readyTimeoutMs: 300 });
      try {
        await expect(backend.runner().run(['true'])).rejects.toMatchObject({
          code: 'SSH_TIMEOUT',
          message: `SSH connection to ${sshd.user}@127.0.0.1:${port} timed out.`,
        });
      } finally {
        sockets.forEach((s) => s.destroy());
        silent.close();
        await backend.close();
      }
    });
  });
});
