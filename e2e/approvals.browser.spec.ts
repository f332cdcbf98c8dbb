// Four eyes across two machines, in browser mode. The operator's console (one `dapple serve`, its
// data folder and key) runs a session; the approver has their own data folder with their own key
// (the demo approver's), and answers with `dapple approve` or with the Approve dialog of their own
// `dapple serve` in a second page. The operator pastes the response, or it arrives through the
// workspace's drop folder by itself.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { restoreNewestConsistentCut, runToSeal, trustOperator } from './fixtures/restore-flow';
import { expect, startServe, stopServe, test } from './fixtures/serve';

const cli = path.resolve(__dirname, '..', 'out', 'cli', 'index.js');

/** A demo workspace and the approver's copy of it (both with the same drop folder when asked). */
function workspaces(drop: boolean) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dapple-approvals-e2e-'));
  const ws = path.join(dir, 'ws');
  execFileSync(process.execPath, [cli, 'workspace', 'demo', '--into', ws], { stdio: 'ignore' });
  if (drop)
    fs.appendFileSync(path.join(ws, 'dapple.yaml'), `\napprovals: ${path.join(dir, 'drop')}\n`);
  const approverWs = path.join(dir, 'approver-ws');
  fs.cpSync(ws, approverWs, { recursive: true });
  // The approver's own machine: their data folder holds their key (the demo approver's).
  const approverData = path.join(dir, 'approver-data');
  fs.mkdirSync(path.join(approverData, 'keys'), { recursive: true });
  fs.copyFileSync(
    path.join(ws, 'keys', 'demo-approver.key'),
    path.join(approverData, 'keys', 'operator.key'),
  );
  fs.chmodSync(path.join(approverData, 'keys', 'operator.key'), 0o600);
  /** The approver pulls the trust file the operator's console just updated (git pull). */
  const pull = () =>
    fs.copyFileSync(
      path.join(ws, 'keys', 'trusted.json'),
      path.join(approverWs, 'keys', 'trusted.json'),
    );
  return { dir, ws, approverWs, approverData, pull };
}

/** Through the announce checklist to the approval step; the request line shown there. */
async function toApproval(page: Page): Promise<string> {
  const open = page.locator('.session-step-open');
  await expect(open).toHaveAttribute('data-step', 'announce');
  for (const box of await open.getByRole('checkbox').all()) await box.check();
  await open.getByRole('button', { name: 'Done' }).click();
  await expect(page.locator('.session-step-open')).toHaveAttribute('data-step', 'approve');
  const line = page.locator('.session-step-open').getByLabel(/request as one line/);
  await expect(line).toHaveValue(/^dapple-approval-request:v1:/);
  return line.inputValue();
}

test('a drill whose approval arrives by pasting a response made by dapple approve in the approver’s data folder', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const w = workspaces(false);
  const served = await startServe(['--workspace', w.ws], {
    DAPPLE_KEY_PASSPHRASE: 'e2e operator passphrase',
  });
  try {
    await restoreNewestConsistentCut(page, served.url);
    await trustOperator(page, false);
    w.pull();
    await page.getByRole('button', { name: 'Start drill' }).click();
    const requestLine = await toApproval(page);
    const open = page.locator('.session-step-open');
    await expect(open).toContainText('1. Send the request to demo-approver');
    await expect(open).toContainText(/min left/);
    await tallShot(page, open, 'restore-approval-waiting.png');

    // The approver, on their machine: dapple approve reads the pasted line, checks it against
    // their copy of the trust file, shows it in words and signs with their key.
    const answered = execFileSync(
      process.execPath,
      [
        cli,
        'approve',
        '-',
        '--workspace',
        w.approverWs,
        '--approve',
        '--statement',
        'Drill on the sandbox: cut and target checked.',
      ],
      {
        input: `${requestLine}\n`,
        env: { ...process.env, DAPPLE_DATA_DIR: w.approverData, DAPPLE_KEY_PASSPHRASE: 'demo' },
      },
    ).toString();
    expect(answered).toContain('Target: sandbox-restore (sandbox)');
    const response = /dapple-approval-response:v1:\S+/.exec(answered)?.[0] ?? '';
    expect(response).not.toBe('');

    // A line cut short in the chat is refused with a sentence, and nothing moves on.
    const field = open.getByLabel(/Paste the response line/);
    await field.fill(response.slice(0, 90));
    await open.getByRole('button', { name: 'Use this response' }).click();
    await expect(open.locator('.act-error')).toContainText('cut off or garbled');
    await expect(open.getByRole('log', { name: 'Refused responses' })).toContainText('paste');
    await tallShot(page, open, 'restore-approval-refused.png');
    await field.fill(response);
    await open.getByRole('button', { name: 'Use this response' }).click();
    await expect(page.locator('.session-step-open')).toHaveAttribute('data-step', 'confirm-target');
    await expect(page.locator('[data-step="approve"]')).toContainText('✓ done');

    await runToSeal(page, 'drill');
    await expect(page.getByRole('status', { name: 'Session sealed' })).toContainText('Completed');
    await page.getByRole('button', { name: 'Open in Audit' }).click();
    await expect(page.getByRole('status', { name: 'Verification' })).toContainText('VALID');
  } finally {
    await stopServe(served);
    fs.rmSync(w.dir, { recursive: true, force: true });
  }
});

test('the Approve dialog on the approver’s own dapple serve answers a live restore; the response arrives through the drop folder', async ({
  page,
  context,
}) => {
  test.setTimeout(180_000);
  const w = workspaces(true);
  const served = await startServe(['--workspace', w.ws], {
    DAPPLE_KEY_PASSPHRASE: 'e2e operator passphrase',
  });
  const theirs = await startServe(['--workspace', w.approverWs], { DAPPLE_KEY_PASSPHRASE: 'demo' });
  let theirPage: Page | null = null;
  try {
    fs.mkdirSync(path.join(theirs.dataDir, 'keys'), { recursive: true });
    fs.copyFileSync(
      path.join(w.approverData, 'keys', 'operator.key'),
      path.join(theirs.dataDir, 'keys', 'operator.key'),
    );
    await restoreNewestConsistentCut(page, served.url);
    await trustOperator(page, false);
    w.pull();
    // A live restore starts by choosing where (nothing is chosen for you).
    await page.getByRole('button', { name: 'Start live restore…' }).click();
    const where = page.getByRole('dialog', { name: 'Where should the live restore write?' });
    await where.getByRole('radio', { name: /sandbox-restore/ }).check();
    await where.getByRole('button', { name: /^Restore into sandbox-restore — / }).click();
    await expect(page.locator('.session-header')).toContainText('LIVE');
    await toApproval(page);
    await expect(page.locator('.session-step-open')).toContainText('Also in the drop folder');

    // The approver's own console, in a second page: Approve a request… lists the drop folder.
    theirPage = await context.newPage();
    const errors: string[] = [];
    theirPage.on('pageerror', (e) => errors.push(e.message));
    theirPage.on('console', (m) => (m.type() === 'error' ? errors.push(m.text()) : undefined));
    await theirPage.goto(theirs.url);
    await expect(theirPage.locator('.status-workspace')).toContainText('shop');
    await theirPage.getByRole('button', { name: 'Approve a request…' }).click();
    const dialog = theirPage.getByRole('dialog', { name: 'Approve a request' });
    await expect(dialog, errors.join('\n')).toContainText('Waiting in the drop folder');
    await dialog
      .getByRole('button', { name: /“Get a second engineer's approval” \(live, sandbox-restore\)/ })
      .click();
    const read = dialog.getByRole('region', { name: 'The request' });
    await expect(read).toContainText('Signature verified');
    await expect(read).toContainText('LIVE restore');
    await expect(read).toContainText('sandbox-restore (sandbox)');
    // The demo runbook's tool-aware steps: the three restores, then the checksum check's argv.
    await expect(read).toContainText('After the approval, 6 steps run');
    await expect(read.locator('.argv-word').first()).toHaveText('sha256sum');
    await dialog
      .getByLabel('Statement (what you checked)')
      .fill('Live restore into the sandbox folder: cut and target checked.');
    // The top of the dialog: who asks, the signature, LIVE and the target in words.
    await dialog.evaluate((d) => d.scrollTo({ top: 0 }));
    await theirPage.screenshot({
      path: path.join(shotDirOf(), 'approve-dialog.png'),
      fullPage: true,
    });
    await dialog.getByRole('button', { name: 'Sign approval as demo-approver' }).click();
    const made = dialog.getByRole('status', { name: 'Your signed response' });
    await expect(made).toContainText('Written to the drop folder');
    await expect(made.getByLabel('Your response line')).toHaveValue(
      /^dapple-approval-response:v1:/,
    );
    await theirPage.screenshot({
      path: path.join(shotDirOf(), 'approve-dialog-signed.png'),
      fullPage: true,
    });

    // The operator's console watches the drop folder: the approval arrives by itself. (Back to
    // its tab first: a page in a background tab does not paint, and waits on it never end.)
    await page.bringToFront();
    await expect(page.locator('.session-step-open')).toHaveAttribute(
      'data-step',
      'confirm-target',
      { timeout: 15_000 },
    );
    await expect(page.locator('[data-step="approve"]')).toContainText('✓ done');
  } finally {
    await theirPage?.close();
    await stopServe(theirs);
    await stopServe(served);
    fs.rmSync(w.dir, { recursive: true, force: true });
  }
});

/** The open step whole: a window tall enough that nothing scrolls under the sticky header. */
async function tallShot(page: Page, step: Locator, name: string): Promise<void> {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 1400, height: 1500 });
  await page.locator('.main').evaluate((m) => m.scrollTo({ top: 0 }));
  await step.screenshot({ path: path.join(shotDirOf(), name) });
  if (size) await page.setViewportSize(size);
}

/** Where screenshots go: docs/screenshots when refreshing the README's, else test-results. */
function shotDirOf(): string {
  return process.env.DAPPLE_DOC_SCREENSHOTS
    ? path.resolve(__dirname, '..', 'docs', 'screenshots')
    : path.resolve(__dirname, '..', 'test-results', 'screens');
}
