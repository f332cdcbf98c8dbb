// A large cached catalog opens with its newest points first: the table shows them at once, says
// plainly that the rest is loading (sorting, filters and search wait), then shows the whole count.
import path from 'node:path';
import { makeBenchWorkspace } from '../bench/catalog-table-data';
import { makeTempDir } from '../test-support/temp';
import { expect, screenshotDir, startServe, stopServe, test } from './fixtures/serve';

test('a large cached catalog shows its newest points while the rest loads, then all of them', async ({
  page,
}) => {
  const dir = makeTempDir('e2e-catalog-large');
  const workspace = path.join(dir.path, 'ws');
  const data = path.join(dir.path, 'data');
  await makeBenchWorkspace(workspace, data, 10_000);
  const served = await startServe(['--workspace', workspace, '--data-dir', data]);
  // Hold the whole catalog back until the first screen has been checked.
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/call/catalog.get', async (route) => {
    if (!(route.request().postData() ?? '').includes('"first"')) await released;
    await route.continue();
  });
  try {
    await page.goto(served.url);
    const count = page.getByTestId('catalog-count');
    await expect(count).toHaveText(
      'Showing the newest 200 of 10,000 points — loading the rest… Sorting, filters and search wait until all points are in.',
    );
    const rows = page.getByTestId('points-table').locator('.pt-body [role="row"]');
    await expect(rows.first()).toBeVisible();
    await expect(page.getByTestId('points-table')).toHaveAttribute('aria-rowcount', '201');
    await expect(page.getByLabel('Service')).toBeDisabled();
    await expect(page.getByRole('searchbox')).toBeDisabled();
    await expect(page.getByRole('button', { name: 'Service' })).toBeDisabled();
    const newest = await rows.first().textContent();
    await page.screenshot({ path: path.join(screenshotDir, 'catalog-6-large-partial.png') });

    release();
    await expect(count).toHaveText(/^10,000 points — /);
    await expect(page.getByTestId('points-table')).toHaveAttribute('aria-rowcount', '10001');
    await expect(page.getByLabel('Service')).toBeEnabled();
    await expect(rows.first()).toHaveText(newest ?? '?');
    await page.screenshot({ path: path.join(screenshotDir, 'catalog-7-large-whole.png') });
    // Sorting works on the whole catalog now.
    await page.getByRole('button', { name: 'Service' }).click();
    await expect(rows.first().locator('.pt-service')).toHaveText('svc-0');
  } finally {
    await stopServe(served);
    dir.remove();
  }
});
