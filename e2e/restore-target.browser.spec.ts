// Target choice and progress in the Restore section: the plan offers the targets its parameter
// allows (production in red, live only), follows the one picked (argv, badges, which starts are
// possible), records it in the log's open record and shows it in the replay; a long restore shows
// a progress bar with "x of y" and its ETA while it runs.
import fs from 'node:fs';
import path from 'node:path';
import { bigSetWorkspace } from './fixtures/big-set';
import { demoWith, restoreNewestConsistentCut, shot, trustOperator } from './fixtures/restore-flow';
import { expect, startServe, stopServe, test } from './fixtures/serve';

const env = { DAPPLE_KEY_PASSPHRASE: 'e2e operator passphrase' };

test('the target picker binds the plan to the target picked, and the log records it', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const served = await startServe([], env);
  try {
    await restoreNewestConsistentCut(page, served.url);
    await trustOperator(page, false);
    const picker = page.getByRole('group', { name: 'Where to restore' });
    await expect(picker.getByRole('radio')).toHaveCount(2);
    await expect(picker.getByRole('radio', { name: /sandbox-restore/ })).toBeChecked();
    await expect(picker.locator('.target-choice-production')).toContainText('live restore only');
    const orders = page.locator('.plan .step').filter({ hasText: 'Restore orders-db' });
    await expect(orders.locator('.step-work')).toContainText(/sets \(1 full/);
    await expect(orders.locator('.step-work code')).toContainText('sandbox');
    await shot(page, 'target-picker');

    // Production: the plan follows (into /srv/shop/data, red), and a drill is off with the reason.
    await picker.getByRole('radio', { name: /shop-production/ }).click();
    await expect(picker.getByRole('radio', { name: /shop-production/ })).toBeChecked();
    await expect(orders.locator('.step-work code')).toHaveText('/srv/shop/data');
    await expect(page.locator('.plan')).toContainText('PRODUCTION TARGET');
    await expect(page.getByRole('button', { name: 'Start drill' })).toBeDisabled();
    await expect(page.locator('.start-panel')).toContainText(
      'A drill never runs against a production target',
    );
    await shot(page, 'target-picker-production');

    // Back to the sandbox: the drill starts there, and the log's open record says so.
    await picker.getByRole('radio', { name: /sandbox-restore/ }).click();
    await expect(orders.locator('.step-work code')).not.toHaveText('/srv/shop/data');
    await page.getByRole('button', { name: 'Start drill' }).click();
    await expect(page.locator('.session-header')).toContainText('sandbox-restore');
    const logPath = (await page.locator('.log-path code').textContent()) ?? '';
    const open = JSON.parse(
      JSON.parse(fs.readFileSync(logPath, 'utf8').split('\n')[0] ?? '{}').payload,
    ) as { data: { target: string; params: { name: string; value: string | null }[] } };
    expect(open.data.target).toBe('sandbox-restore');
    expect(open.data.params).toContainEqual({ name: 'target', value: 'sandbox-restore' });

    // Replay shows what the session was bound to.
    await page.getByRole('button', { name: 'Abort session…' }).first().click();
    await page.getByLabel(/Why stop the restore here/).fill('Only checking the target choice.');
    await page.getByRole('button', { name: 'Abort and seal the log' }).click();
    const sealed = page.getByRole('status', { name: 'Session sealed' });
    await expect(sealed).toContainText('Aborted');
    await sealed.getByRole('button', { name: 'Open in Audit' }).click();
    await expect(page.locator('.audit-facts')).toContainText('against sandbox-restore');
    await expect(page.locator('.audit-params')).toContainText('target=sandbox-restore');
  } finally {
    await stopServe(served);
  }
});

test('a long restore shows a progress bar with x of y and its ETA', async ({ page }) => {
  test.setTimeout(180_000);
  // An ETA needs 1.5 s of pace, so the copy must last a few seconds even on an idle disk: many
  // small files do (per-file work dominates); the README's picture uses big ones instead.
  const doc = !!process.env.DAPPLE_DOC_SCREENSHOTS;
  const files = doc ? 6000 : 20_000;
  const ws = bigSetWorkspace(files, doc ? 128 * 1024 : 4096);
  const served = await startServe(['--workspace', ws], env);
  try {
    await page.goto(served.url);
    await expect(page.locator('.status-workspace')).toContainText('big');
    await page.getByRole('button', { name: /^Timeline/ }).click();
    const panel = page.getByRole('region', { name: 'Selected cut' });
    // The first option asks to choose; the only cut follows it.
    await expect(page.locator('#cut-select option').nth(1)).toBeAttached({ timeout: 60_000 });
    await page.selectOption('#cut-select', { index: 1 });
    await panel.getByRole('button', { name: /Restore this cut/ }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Restore' })).toBeVisible();
    await trustOperator(page, false);
    await expect(page.locator('.plan .step-work')).toContainText(`${files} files`);
    await page.getByRole('button', { name: 'Start drill' }).click();
    const open = page.locator('.session-step-open');
    // Every text the progress line shows, kept as the page changes: on a fast disk the copy
    // shows its ETA for a second or two only, too short to catch by polling.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { progressSeen: string[] }).progressSeen = seen;
      new MutationObserver(() => {
        for (const el of Array.from(document.querySelectorAll('.progress-text, .rto-projection'))) {
          const text = el.textContent ?? '';
          if (seen.at(-1) !== text) seen.push(text);
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await open.getByRole('button', { name: 'Run', exact: true }).click();
    const bar = open.getByRole('progressbar', { name: 'Progress of this step' });
    await expect(bar).toBeVisible();
    await expect(open.locator('.progress-text')).toContainText(
      new RegExp(`of ${files} files \\(.* of .*\\)`),
    );
    // The picture shows the ETA when the copy lasts long enough to catch it (the check is below).
    await open
      .locator('.progress-text', { hasText: /left/ })
      .waitFor({ timeout: 10_000 })
      .then(() => shot(page, 'progress'))
      .catch(() => shot(page, 'progress'));
    await expect(page.locator('[data-step="restore"]')).toContainText('✓ done', {
      timeout: 120_000,
    });
    const seen = await page.evaluate(
      () => (window as unknown as { progressSeen: string[] }).progressSeen,
    );
    // An ETA while it ran, and never "done" before every file was.
    const eta = new RegExp(`of ${files} files \\(.* of .*\\), about \\d.* left`);
    expect(
      seen.some((t) => eta.test(t)),
      seen.join('\n'),
    ).toBe(true);
    expect(seen.some((t) => t.includes('At this pace the running step ends at'))).toBe(true);
    expect(seen.filter((t) => t.endsWith(', done') && !t.includes(`${files} of ${files}`))).toEqual(
      [],
    );
    expect(fs.readdirSync(path.join(ws, 'sandbox'))).toEqual(['files-20261120T030000Z-full']);
  } finally {
    await stopServe(served);
    fs.rmSync(path.dirname(ws), { recursive: true, force: true });
  }
});

test('the live target dialog names every target the pick binds, the followers too', async ({
  page,
}) => {
  test.setTimeout(120_000);
  // A bucket target parameter that follows the folder one (as in the shop incident runbook):
  // picking production for the folder moves the bucket to production with it.
  const ws = demoWith(
    (text) =>
      text.replace(
        '    description: Where the sets are restored to.\n',
        '    description: Where the sets are restored to.\n' +
          '  mirror:\n    type: target\n    kind: bucket\n    environment: [sandbox, production]\n' +
          '    default: mirror-sandbox\n    follows: target\n    description: A copy in a bucket.\n',
      ),
    (config) =>
      config
        .replace(
          'backends:\n',
          'backends:\n  mirror-s3:\n    type: s3\n    endpoint: http://127.0.0.1:9\n    region: us-east-1\n',
        )
        .replace(
          'targets:\n',
          'targets:\n' +
            '  mirror-production:\n    kind: bucket\n    environment: production\n' +
            '    backend: mirror-s3\n    path: shop-mirror\n' +
            '  mirror-sandbox:\n    kind: bucket\n    environment: sandbox\n' +
            '    backend: mirror-s3\n    path: shop-mirror-sandbox\n',
        ),
  );
  const served = await startServe(['--workspace', ws], env);
  try {
    await restoreNewestConsistentCut(page, served.url);
    await trustOperator(page, false);
    await page.getByRole('button', { name: 'Start live restore…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Where should the live restore write?' });
    await dialog.getByRole('radio', { name: /shop-production/ }).check();
    const also = dialog.locator('.target-also');
    await expect(also).toContainText('This choice also writes to:');
    await expect(also).toContainText(/PRODUCTION mirror-production bucket \S*shop-mirror /);
    await expect(also).toContainText("(the runbook's mirror)");
    await dialog.getByLabel(/Type shop-production to confirm/).fill('shop-production');
    await shot(page, 'live-dialog-followers');
    await dialog.getByRole('radio', { name: /sandbox-restore/ }).check();
    await expect(also).toContainText(/SANDBOX mirror-sandbox bucket \S*shop-mirror-sandbox /);
    await expect(also).not.toContainText('mirror-production');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  } finally {
    await stopServe(served);
    fs.rmSync(path.dirname(ws), { recursive: true, force: true });
  }
});
