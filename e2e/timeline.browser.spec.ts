// The demo timeline tells its story, and a cut picked on it reaches the restore flow with the
// runbook bound to that cut's recovery points.
import path from 'node:path';
import { expect, screenshotDir, test } from './fixtures/serve';

test('pick a consistent cut on the demo timeline and reach the restore flow', async ({
  page,
  served,
}) => {
  await page.goto(served.url);
  await page.getByRole('button', { name: /^Timeline/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Timeline' })).toBeVisible();
  await expect(page.getByTestId('timeline-canvas')).toBeVisible();
  // The text equivalent says what the canvas shows.
  await expect(page.locator('.timeline-summary')).toContainText(
    /\d+ of \d+ candidate cuts are consistent/,
  );

  const options = page.locator('#cut-select option');
  const labels = await options.allTextContents();
  const consistent = labels.findIndex((l) => l.startsWith('✓'));
  expect(consistent, 'the demo has a consistent shop cut').toBeGreaterThan(0);
  await page.selectOption('#cut-select', { index: consistent });
  const panel = page.getByRole('region', { name: 'Selected cut' });
  await expect(panel).toContainText('Consistent');
  await expect(panel).toContainText('orders-db');
  const pointId = (await panel.locator('code').first().textContent()) ?? '';
  expect(pointId).toMatch(/^orders-db-/);
  await page.screenshot({ path: path.join(screenshotDir, 'timeline-cut.png') });

  await panel.getByRole('button', { name: /Restore this cut/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Restore' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'The cut to restore' })).toContainText(
    /Cut\s*\d{4}-\d\d-\d\d \d\d:\d\d UTC.* of shop/,
  );
  // The runbook's parameters are bound to the cut's points; the orders-db step restores that
  // point's chain, the full set first, and says so.
  await expect(page.locator('.plan')).toContainText(pointId);
  const orders = page.locator('.plan .step').filter({ hasText: 'Restore orders-db' });
  await expect(orders.locator('.step-work')).toContainText(pointId);
  await expect(orders.locator('.step-work')).toContainText(/sets \(1 full/);
  await expect(page.locator('.step-destructive')).toContainText(
    'type “sandbox-restore” to confirm',
  );
  await page.screenshot({ path: path.join(screenshotDir, 'restore-plan.png'), fullPage: true });
});

test('the incident marker proposes the newest consistent cut before it', async ({
  page,
  served,
}) => {
  await page.goto(served.url);
  await page.getByRole('button', { name: /^Timeline/ }).click();
  await expect(page.locator('.timeline-summary')).toBeVisible();
  const field = page.getByRole('textbox', { name: 'Incident began' });
  // A contract message never reaches a person: what the field cannot read is said as it is typed.
  await field.fill('12/04/2026, 04:24 PM');
  await expect(page.locator('.incident-read')).toContainText('Dapple reads times like 13:18');
  await page.getByRole('button', { name: 'Find last good state' }).click();
  await expect(page.getByText(/malformed|Invalid ISO/)).toHaveCount(0);
  await expect(field).toHaveValue('12/04/2026, 04:24 PM');
  const before = new Date(Date.now() - 6 * 3600e3).toISOString().slice(0, 16).replace('T', ' ');
  await field.fill(`${before} UTC`);
  await expect(page.locator('.incident-read')).toContainText(`${before} UTC`);
  await field.press('Enter');
  const panel = page.getByRole('region', { name: 'Selected cut' });
  await expect(panel).toContainText('Last good state');
  await expect(panel).toContainText('Consistent');
  await expect(panel).toContainText(/orders-db.*loses up to \d+ (h|min)/);
  await expect(panel.getByRole('button', { name: 'Restore this cut' })).toBeFocused();
  const cutTime = Date.parse(
    `${(await panel.locator('h2').textContent())?.match(/\d{4}-\d\d-\d\d \d\d:\d\d/)?.[0]}:00Z`,
  );
  expect(cutTime).toBeLessThan(Date.parse(`${before.replace(' ', 'T')}:00Z`));
  await page.screenshot({ path: path.join(screenshotDir, 'timeline-incident.png') });
});

test('the billing timeline shows the broken chain and the stale service in words', async ({
  page,
  served,
}) => {
  await page.goto(served.url);
  await page.getByRole('button', { name: /^Timeline/ }).click();
  await page.getByRole('tab', { name: 'billing' }).click();
  await page.getByText(/Timeline as text/).click();
  await expect(page.locator('.marks-list')).toContainText(/billing-db: .*broken chain link/);
  await expect(page.locator('.marks-list')).toContainText('Broken link at billing-db-');
  await page.getByRole('button', { name: 'Last 7 days' }).click();
  await page.screenshot({ path: path.join(screenshotDir, 'timeline-billing.png') });
});

test('a background catalog refresh updates the timeline and keeps the selected cut', async ({
  page,
  served,
}) => {
  await page.goto(served.url);
  await page.getByRole('button', { name: /^Timeline/ }).click();
  const summary = page.locator('.timeline-summary');
  await expect(summary).toContainText('Catalog as of');
  const labels = await page.locator('#cut-select option').allTextContents();
  await page.selectOption('#cut-select', { index: labels.findIndex((l) => l.startsWith('✓')) });
  const panel = page.getByRole('region', { name: 'Selected cut' });
  const heading = (await panel.locator('h2').textContent()) ?? '';
  // The same call the Catalog's Refresh button makes; the timeline hears catalog.changed and asks again.
  const refetched = page.waitForResponse((r) => r.url().endsWith('/api/call/groups.timeline'), {
    timeout: 30_000,
  });
  await page.evaluate(async () => {
    await (
      globalThis as unknown as { dapple: { catalog: { refresh: (r: object) => Promise<unknown> } } }
    ).dapple.catalog.refresh({});
  });
  await refetched;
  await expect(summary).toContainText('Catalog as of');
  await expect(panel.locator('h2')).toHaveText(heading);
});
