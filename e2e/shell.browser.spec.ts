// The demo console opens in a browser and every section shows something a tired engineer can use.
import path from 'node:path';
import { expect, screenshotDir, test } from './fixtures/serve';

const sections = ['Catalog', 'Timeline', 'Restore', 'Drills', 'Audit', 'Health'];

test('opens the demo workspace and visits every section', async ({ page, served }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(served.url);
  await expect(
    page.getByRole('status', { name: '' }).filter({ hasText: 'Connected' }),
  ).toBeVisible();
  await expect(page.locator('.status-workspace')).toContainText('shop');
  // The token leaves the address bar once the cookie carries it.
  expect(page.url()).not.toContain('token=');
  for (const [i, name] of sections.entries()) {
    await page.getByRole('button', { name: new RegExp(`^${name}`) }).click();
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    await expect(page.getByRole('button', { name: new RegExp(`^${name}`) })).toHaveAttribute(
      'aria-current',
      'page',
    );
    await page.screenshot({ path: path.join(screenshotDir, `${i + 1}-${name.toLowerCase()}.png`) });
  }
  expect(errors).toEqual([]);
});

test('keyboard: G then a letter switches sections (Ctrl+digits stay the browser’s), and the theme can be switched', async ({
  page,
  served,
}) => {
  await page.goto(served.url);
  await expect(page.locator('.status-workspace')).toContainText('shop');
  await page.keyboard.press('g');
  await page.keyboard.press('h');
  await expect(page.getByRole('heading', { level: 1, name: 'Health' })).toBeVisible();
  await page.keyboard.press('g');
  await page.keyboard.press('t');
  await expect(page.getByRole('heading', { level: 1, name: 'Timeline' })).toBeVisible();
  // In a browser, Ctrl+1…6 switch tabs: the console leaves them alone.
  const ctrl = await page.evaluate(() => {
    const event = new KeyboardEvent('keydown', { key: '1', ctrlKey: true, cancelable: true });
    window.dispatchEvent(event);
    return event.defaultPrevented;
  });
  expect(ctrl).toBe(false);
  await expect(page.getByRole('heading', { level: 1, name: 'Timeline' })).toBeVisible();
  // Typing a g into a field is typing, not a shortcut.
  await page.getByRole('textbox', { name: 'Incident began' }).fill('');
  await page.getByRole('textbox', { name: 'Incident began' }).pressSequentially('gc');
  await expect(page.getByRole('heading', { level: 1, name: 'Timeline' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByRole('button', { name: 'Light theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.screenshot({ path: path.join(screenshotDir, 'light-timeline.png') });
});

test('a page from another origin cannot call the engine', async ({ page, served }) => {
  await page.goto('about:blank');
  const status = await page.evaluate(async (origin) => {
    try {
      const r = await fetch(`${origin}/api/call/app.info`, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });
      return r.status;
    } catch {
      return 'blocked';
    }
  }, served.origin);
  expect(status === 'blocked' || status === 401 || status === 403).toBe(true);
});
