// The Audit section on the demo workspace: open the shipped drill log, read the verdict in words
// and its signers, play the replay to the end, jump to steps (the failed-then-retried copy and the
// approval), export a report, and open a dropped copy whose blobs cannot come along.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, screenshotDir, test } from './fixtures/serve';

const demoLog = path.resolve(
  __dirname,
  '..',
  'resources',
  'demo',
  'audit',
  'drill-2026-11-12.jsonl',
);
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(screenshotDir, `audit-${name}.png`), fullPage: true });

async function openAudit(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.locator('.status-workspace')).toContainText('shop');
  await page.getByRole('button', { name: /^Audit/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit' })).toBeVisible();
}

test('the demo drill log verifies, replays to the end, and shows the retry and the approval', async ({
  page,
  served,
}) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openAudit(page, served.url);
  await shot(page, '1-open');
  await page.getByRole('button', { name: 'Open drill-2026-11-12.jsonl' }).click();

  const banner = page.getByRole('status', { name: 'Verification' });
  await expect(banner).toContainText('VALID');
  await expect(banner).toContainText('Sealed and verified');
  await expect(banner).toContainText('All 32 records are signed by trusted keys');
  await expect(banner.getByText('demo-operator', { exact: true })).toBeVisible();
  await expect(banner.getByText('demo-approver', { exact: true })).toBeVisible();
  await expect(banner).toContainText('1 record, 1 approval');
  await shot(page, '2-verified');

  // Play the whole drill at 60×: 23 minutes of log in about 23 seconds.
  await page.getByRole('button', { name: '60×' }).click();
  await page.getByRole('button', { name: 'Play from the start' }).click();
  await expect(page.locator('.audit-position')).toContainText('Record 1 of 32');
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await expect(page.locator('.audit-position')).toContainText('Record 19 of 32', {
    timeout: 20_000,
  });
  await shot(page, '3-playing');
  await expect(page.locator('.audit-position')).toContainText('Record 32 of 32', {
    timeout: 60_000,
  });
  await expect(page.getByRole('button', { name: 'Play from the start' })).toBeVisible();
  await expect(page.locator('.audit-rto')).toContainText(
    'Took 23m 05s against an RTO of 1h 00m: within it (38% of the RTO).',
  );
  const steps = page.getByRole('navigation', { name: 'Steps' });
  const copy = steps.getByRole('button', { name: /Copy the backup sets into the target/ });
  await expect(copy).toContainText('2 attempts (1 failed)');
  await expect(copy).toContainText('done');
  await shot(page, '4-ended');

  // Jump to the copy step: the first attempt runs, then fails with cp's own words.
  await copy.click();
  await expect(page.locator('.audit-position')).toContainText('Record 11 of 32');
  const detail = page.getByRole('region', { name: 'Step: Copy the backup sets into the target' });
  await expect(detail).toContainText('running');
  for (let i = 0; i < 5; i++) await page.getByRole('button', { name: 'Next record' }).click();
  await expect(page.locator('.audit-position')).toContainText('Record 16 of 32');
  await expect(detail.getByRole('list', { name: 'Attempts' })).toContainText(
    'Attempt 1 failed at 14:05:53 UTC: cp exited with status 1',
  );
  await expect(detail.getByLabel('Output')).toContainText('cp: cannot open');
  await expect(detail).toContainText('exit 1');
  await shot(page, '5-failed-attempt');

  // The retry's output (a blob next to the log) appears once its record is reached.
  await page.getByLabel('Replay position (record)').fill('21');
  await expect(page.locator('.audit-position')).toContainText('Record 22 of 32');
  await expect(detail.getByRole('list', { name: 'Attempts' })).toContainText('Attempt 2 done');
  await expect(detail.getByLabel('Output').last()).toContainText('backups/uploads/2026-11-12T0300');
  await shot(page, '6-retried');

  // The approval: who approved, with which key.
  await steps.getByRole('button', { name: /Get a second engineer's approval/ }).click();
  await expect(page.locator('.audit-position')).toContainText('Record 5 of 32');
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('.audit-position')).toContainText('Record 6 of 32');
  const approval = page.getByRole('region', { name: "Step: Get a second engineer's approval" });
  await expect(approval).toContainText('Approved by demo-approver with key 3a2924e74bd7db0f…');
  await expect(approval).toContainText('approved for the drill');
  await expect(page.getByRole('region', { name: 'Records so far' })).toContainText(
    'demo-approver approved step',
  );
  await shot(page, '7-approval');

  // The review report, saved as a download.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export report (Markdown)' }).click();
  const saved = await download;
  expect(saved.suggestedFilename()).toBe('drill-2026-11-12-review.md');
  const text = readFileSync((await saved.path()) ?? '', 'utf8');
  expect(text).toContain('**VALID — Sealed and verified.**');
  expect(text).toContain('## Approvals');
  await expect(page.getByText('Saved drill-2026-11-12-review.md')).toBeVisible();
  // Browser mode has no printToPDF, so it offers no PDF button.
  await expect(page.getByRole('button', { name: 'Export report (PDF)' })).toHaveCount(0);

  // The HTML report, opened as a reviewer would open the saved file.
  const htmlDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export report (HTML)' }).click();
  const html = readFileSync((await (await htmlDownload).path()) ?? '', 'utf8');
  const report = await page.context().newPage();
  await report.setContent(html);
  await expect(report.getByRole('heading', { level: 1 })).toHaveText(
    'Audit review: Restore the shop (drill, 2026-11-12)',
  );
  await expect(report.locator('.verdict')).toContainText('VALID — Sealed and verified.');
  await report.screenshot({ path: path.join(screenshotDir, 'audit-9-report.png'), fullPage: true });
  await report.close();

  await page.getByRole('button', { name: 'Light theme' }).click();
  await shot(page, '10-light');
  expect(errors).toEqual([]);
});

test('a dropped log verifies without its blobs, and a tampered one names its first bad record', async ({
  page,
  served,
}) => {
  await openAudit(page, served.url);
  // Drag and drop: the file's text is read in the page and verified by main.
  const dataTransfer = await page.evaluateHandle(
    (text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'drill-2026-11-12.jsonl', { type: 'application/jsonl' }));
      return dt;
    },
    readFileSync(demoLog, 'utf8'),
  );
  await page.dispatchEvent('section.audit', 'dragover', { dataTransfer });
  await expect(page.getByText('Drop the .jsonl log to verify it.')).toBeVisible();
  await page.dispatchEvent('section.audit', 'drop', { dataTransfer });
  const banner = page.getByRole('status', { name: 'Verification' });
  await expect(banner).toContainText('Sealed and verified');
  await expect(banner).toContainText('a dropped file comes without its .blobs folder');
  await page.getByRole('button', { name: 'Open another log' }).click();

  const lines = readFileSync(demoLog, 'utf8').split('\n');
  lines[16] = (lines[16] ?? '').replace('fixed its permissions', 'fixed its permissionz');
  await page.getByLabel('choose a file').setInputFiles({
    name: 'tampered.jsonl',
    mimeType: 'application/jsonl',
    buffer: Buffer.from(lines.join('\n')),
  });
  await expect(banner).toContainText('INVALID');
  await expect(banner).toContainText('Does not verify');
  await expect(banner).toContainText(
    'The first bad record is at line 17 (record 16): the signature does not verify.',
  );
  await shot(page, '8-tampered');

  await page.getByRole('button', { name: 'Open another log' }).click();
  await page.getByLabel('Log file path').fill('audit/drill.jsonl');
  await page.getByRole('button', { name: 'Open and verify' }).click();
  await expect(page.getByRole('alert')).toContainText('is not an absolute path');
});
