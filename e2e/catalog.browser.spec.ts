// The Catalog section on the demo workspace: sources with status, a table of points that can be
// filtered and sorted, a point's details with its raw record, and the demo's broken chain in words.
import { writeFileSync } from 'node:fs';
import path, { join } from 'node:path';
import type { Page } from '@playwright/test';
import { makeResticRepo } from '../test-support/backup-repos';
import { makeTempDir } from '../test-support/temp';
import { expect, screenshotDir, startServe, stopServe, test } from './fixtures/serve';

const rows = (page: Page) => page.getByTestId('points-table').locator('.pt-body [role="row"]');

/** Open the console and wait until the demo catalog (read on first open) fills the table. */
async function openCatalog(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.getByRole('heading', { level: 1, name: 'Catalog' })).toBeVisible();
  await expect(rows(page).first()).toBeVisible({ timeout: 20_000 });
}

test('the demo catalog lists its sources and points, and a service filter narrows the table', async ({
  page,
  served,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openCatalog(page, served.url);
  // Every demo source is read and says so; the header says how fresh the catalog is.
  const cards = page.locator('.src-card');
  await expect(cards).toHaveCount(5);
  await expect(page.locator('.src-card.src-ok')).toHaveCount(5);
  await expect(page.getByTestId('catalog-as-of')).toContainText('Catalog as of');
  await page.screenshot({ path: path.join(screenshotDir, 'catalog-1-table.png') });

  const total = await page.getByTestId('catalog-count').textContent();
  expect(total).toMatch(/^[\d,]+ points/);
  await page.getByLabel('Service').selectOption('billing-db');
  await expect(page.getByTestId('catalog-count')).toContainText('Showing');
  const services = await rows(page).locator('.pt-service').allTextContents();
  expect(services.length).toBeGreaterThan(3);
  expect(new Set(services)).toEqual(new Set(['billing-db']));

  // A filter that matches nothing says so and offers the way back.
  await page.getByRole('searchbox').fill('no-such-point-anywhere');
  await expect(page.getByText('No point matches these filters')).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  await expect(page.getByTestId('catalog-count')).toHaveText(
    new RegExp(`^${total?.split(' ')[0]}`),
  );
  expect(errors).toEqual([]);
});

test('a point opens with keyboard, shows its raw record, and the broken chain is called out in words', async ({
  page,
  served,
}) => {
  await openCatalog(page, served.url);
  // Keyboard: focus the table, move down one row, Enter opens that row's details.
  const table = page.getByTestId('points-table');
  await table.focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('#pt-row-1')).toHaveClass(/pt-active/);
  const secondTime = await page.locator('#pt-row-1 .pt-time').textContent();
  await page.keyboard.press('Enter');
  const detail = page.getByTestId('point-detail');
  await expect(detail).toBeVisible();
  await expect(detail.getByRole('heading', { level: 2 })).toContainText(secondTime ?? '?');
  await expect(detail.getByLabel('Raw record as JSON')).toContainText('{');
  await page.keyboard.press('Escape');
  await expect(detail).toBeHidden();

  // The demo breaks one billing-db incremental: sorting by chain parent puts broken chains first.
  await page.getByLabel('Service').selectOption('billing-db');
  await page.getByRole('button', { name: 'Chain parent' }).click();
  const first = rows(page).first();
  await expect(first).toContainText('broken chain');
  await first.click();
  await expect(detail.getByRole('alert')).toContainText('The chain is broken: parent');
  await expect(detail.getByRole('alert')).toContainText('is missing from the catalog');
  await expect(detail.locator('.chain-missing')).toContainText('missing:');
  await page.screenshot({
    path: path.join(screenshotDir, 'catalog-2-broken-chain.png'),
    fullPage: true,
  });
  await detail.scrollIntoViewIfNeeded();
  await detail.screenshot({ path: path.join(screenshotDir, 'catalog-3-detail.png') });
});

test('a restic snapshot can be browsed and files picked for restore; a failing source never hides the others', async ({
  page,
}) => {
  // A real restic repository (one snapshot, one hostile file name) and a second source whose
  // repository does not exist, in a workspace of their own.
  const dir = makeTempDir('e2e-catalog-files');
  const repo = await makeResticRepo(join(dir.path, 'restic'), {
    snapshots: [
      {
        files: {
          'etc/app.conf': 'port=80\n',
          'var/log/app.log': 'started\n',
          'var/<img src=x onerror=alert(1)>.txt': 'hostile name',
        },
        tags: ['daily'],
      },
    ],
  });
  writeFileSync(
    join(dir.path, 'dapple.yaml'),
    `name: files
backends:
  here: { type: local, path: "${dir.path}" }
sources:
  app: { type: restic, backend: here, repository: "${repo.repository}", password: { file: "${repo.passwordFile}" }, service: app }
  gone: { type: restic, backend: here, repository: "${join(dir.path, 'no-such-repo')}", password: { file: "${repo.passwordFile}" }, service: app }
services:
  app: { owner: ops, rpo: 1d, rto: 1h }
`,
  );
  const served = await startServe(['--workspace', dir.path]);
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  try {
    await openCatalog(page, served.url);
    await expect(page.locator('.src-card[data-source="app"]')).toContainText('read OK');
    const failed = page.locator('.src-card[data-source="gone"]');
    await expect(failed).toContainText('failed');
    await expect(failed.getByRole('alert')).not.toBeEmpty();
    await expect(rows(page)).toHaveCount(1);

    await rows(page).first().click();
    const detail = page.getByTestId('point-detail');
    await detail.getByRole('button', { name: 'Browse files in this snapshot' }).click();
    const browser = page.getByTestId('file-browser');
    // restic keeps the absolute path it backed up: walk down to the snapshot's data folder.
    for (const part of (repo.dataDirs[0] ?? '').split('/').filter(Boolean))
      await browser.getByRole('button', { name: `${part}/` }).click();
    await browser.getByRole('button', { name: 'etc/' }).click();
    await browser.getByRole('checkbox', { name: /app\.conf$/ }).check();
    await expect(browser.getByRole('status')).toContainText('Selected for restore: 1 item');
    await browser.getByRole('button', { name: /^↑ up to/ }).click();
    await browser.getByRole('button', { name: 'var/' }).click();
    // The hostile name is text on the page, never markup.
    await expect(browser).toContainText('<img src=x onerror=alert(1)>.txt');
    await browser.getByRole('button', { name: /^↑ up to/ }).click();
    await browser.getByRole('checkbox', { name: /\/var$/ }).check();
    await expect(browser.getByRole('status')).toContainText('Selected for restore: 2 items');
    await browser.getByRole('button', { name: 'var/' }).click();
    // Inside a selected folder, its files are covered by it.
    await expect(browser.getByRole('checkbox', { name: /\/var\/log$/ })).toBeDisabled();
    await page.screenshot({ path: path.join(screenshotDir, 'catalog-4-files.png') });
    await detail.screenshot({ path: path.join(screenshotDir, 'catalog-5-files-detail.png') });
    expect(dialogs).toEqual([]);
  } finally {
    await stopServe(served);
    dir.remove();
  }
});
