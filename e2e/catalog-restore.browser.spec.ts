// From the Catalog to a restore: a group column and filter, the detail as a side panel in view,
// "Open in Timeline" (the point selected on its group's lanes) and "Restore from this point" (the
// group's consistent cut that holds the point, bound in the Restore section).
import { expect, test } from './fixtures/serve';

test('a point leads to its group: filter, side panel, Open in Timeline, Restore from this point', async ({
  page,
  served,
}) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(served.url);
  const rows = page.locator('.pt-body .pt-row');
  // The first read of the demo's sources takes a moment.
  await expect(rows.first()).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('catalog-count')).toContainText(/^\d+ points/);
  // The group filter keeps the shop's members only; the Group column says so on every row.
  await page.getByRole('combobox', { name: 'Group' }).selectOption('shop');
  await expect(page.getByTestId('catalog-count')).toContainText('Showing');
  for (const text of await rows.locator('.pt-group').allTextContents()) expect(text).toBe('shop');
  // Points taken together as a snapshot of the shop.
  await page.getByRole('searchbox').fill('snapshot:shop');
  await rows.first().click();
  const panel = page.getByTestId('point-detail');
  await expect(panel).toBeInViewport();
  await expect(panel).toContainText('Group: shop');
  const id = (await panel.locator('.pd-facts code').first().textContent()) ?? '';
  expect(id).not.toBe('');
  // Nothing scrolls sideways at 1024×700.
  const wide = await page.evaluate(() => {
    const main = document.querySelector('.main') as HTMLElement;
    return main.scrollWidth > main.clientWidth || document.documentElement.scrollWidth > innerWidth;
  });
  expect(wide).toBe(false);

  await panel.getByRole('button', { name: 'Open in Timeline' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Timeline' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'shop' })).toHaveAttribute('aria-selected', 'true');
  await expect(
    page.locator('.timeline-tooltip, .marks-list, [data-testid="timeline-canvas"]').first(),
  ).toBeVisible();

  await page.keyboard.press('g');
  await page.keyboard.press('c');
  await expect(page.getByTestId('point-detail')).toContainText(id);
  await page
    .getByTestId('point-detail')
    .getByRole('button', { name: 'Restore from this point' })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Restore' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'The cut to restore' })).toContainText(id);
});
