// SSH questions in the console: a catalog refresh of a restic repository behind the real test sshd
// shows the unknown host key's fingerprint in a modal with Refuse focused; trusting it lets the
// source be read and writes the workspace's known_hosts.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path, { join } from 'node:path';
import { makeResticRepo } from '../test-support/backup-repos';
import { startSshd } from '../test-support/sshd';
import { makeTempDir } from '../test-support/temp';
import { expect, screenshotDir, startServe, stopServe, test } from './fixtures/serve';

test('an unknown SSH host key is shown with its fingerprint, refused by default, trusted on click', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const temp = makeTempDir('e2e-prompts');
  const [sshd, repo] = await Promise.all([
    startSshd(),
    makeResticRepo(join(temp.path, 'restic'), {
      snapshots: [{ files: { 'a.txt': 'one' }, time: '2026-11-01T02:00:00Z' }],
    }),
  ]);
  const dir = join(temp.path, 'workspace');
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'dapple.yaml'),
    `name: shop
backends:
  backup-host: { type: ssh, host: 127.0.0.1, port: ${sshd.port}, user: ${sshd.user}, identityFile: "${sshd.clientKeyPath}" }
sources:
  files: { type: restic, backend: backup-host, repository: "${repo.repository}", password: { file: "${repo.passwordFile}" }, service: files }
services:
  files: { owner: ops, rpo: 1d, rto: 2h }
`,
  );
  const served = await startServe(['--workspace', dir]);
  try {
    await page.goto(served.url);
    // The first open reads the sources, which asks about the host key.
    const dialog = page.getByRole('dialog', {
      name: `Unknown SSH host key: 127.0.0.1:${sshd.port}`,
    });
    await expect(dialog).toBeVisible({ timeout: 20_000 });
    await expect(dialog.getByTestId('prompt-fingerprint')).toHaveText(sshd.hostFingerprint);
    await expect(dialog.getByRole('button', { name: 'Refuse' })).toBeFocused();
    await page.screenshot({ path: path.join(screenshotDir, 'prompts-1-host-key.png') });

    await dialog.getByRole('button', { name: 'Trust this key' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.locator('.src-card[data-source="files"]')).toContainText('read OK', {
      timeout: 20_000,
    });
    expect(readFileSync(join(dir, 'known_hosts'), 'utf8')).toBe(`${sshd.knownHostsLine}\n`);
  } finally {
    await stopServe(served);
    await sshd.stop();
    temp.remove();
  }
});
