// Accessibility of every section in both themes, at a desktop and a small window: axe-core finds
// no serious or critical violation of WCAG 2.2 A/AA (contrast included) in what a person sees on
// the way from the catalog to a sealed drill and its review.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { advance, trustOperator } from './fixtures/restore-flow';
import { expect, startServe, stopServe, test } from './fixtures/serve';

const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
] as const;
const THEMES = ['dark', 'light'] as const;

/** Serious and critical violations on the page as it is, in one line each. */
async function violations(page: Page, where: string): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${where}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes
          .slice(0, 3)
          .map(
            (n) =>
              `${n.target.join(' ')}${n.failureSummary ? ` [${n.failureSummary.replace(/\s+/g, ' ').slice(0, 160)}]` : ''}`,
          )
          .join('; ')}`,
    );
}

const go = async (page: Page, letter: string, title: string) => {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('g');
  await page.keyboard.press(letter);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
};

for (const theme of THEMES) {
  for (const size of SIZES) {
    test(`every section, ${theme} theme, ${size.width}×${size.height}: no serious or critical axe violation`, async ({
      page,
    }) => {
      test.setTimeout(120_000);
      const served = await startServe([], { DAPPLE_KEY_PASSPHRASE: 'e2e operator passphrase' });
      try {
        await page.setViewportSize(size);
        await page.addInitScript((t) => localStorage.setItem('dapple.theme', t), theme);
        await page.goto(served.url);
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        const found: string[] = [];
        // Catalog, with a point's side panel open.
        await expect(page.locator('.pt-body .pt-row').first()).toBeVisible({ timeout: 20_000 });
        found.push(...(await violations(page, 'Catalog')));
        await page.locator('.pt-body .pt-row').first().click();
        await expect(page.getByTestId('point-detail')).toBeVisible();
        found.push(...(await violations(page, 'Catalog detail')));
        // Timeline with a proposed cut.
        await go(page, 't', 'Timeline');
        const field = page.getByRole('textbox', { name: 'Incident began' });
        await field.fill('2 h ago');
        await field.press('Enter');
        await expect(page.getByRole('region', { name: 'Selected cut' })).toBeVisible();
        found.push(...(await violations(page, 'Timeline')));
        // Restore: the plan and its start panel, then a running drill.
        await page.getByRole('button', { name: 'Restore this cut' }).click();
        await expect(page.locator('.start-panel')).toBeVisible();
        await trustOperator(page, false);
        found.push(...(await violations(page, 'Restore plan')));
        await page.getByRole('button', { name: 'Start live restore…' }).click();
        await page
          .getByRole('dialog')
          .getByRole('radio', { name: /shop-production/ })
          .check();
        await expect(page.getByRole('dialog').locator('.target-preview')).toBeVisible();
        found.push(...(await violations(page, 'Live target dialog')));
        await page.keyboard.press('Escape');
        await expect(page.getByRole('dialog')).toBeHidden();
        await page.getByRole('button', { name: 'Start drill' }).click();
        await expect(page.locator('.session-step-open')).toBeVisible();
        found.push(...(await violations(page, 'Restore session')));
        // The gates past the checklist: the approval in person, the typed target with its
        // checklist, and a command step with its "in a row" button (no pictures taken here).
        const noShots = new Set(['approval-refused', 'approval', 'confirm', 'run', 'output']);
        await advance(page, noShots, 'drill');
        await page.locator('details.approval-in-person summary').click();
        found.push(...(await violations(page, 'Approval step')));
        await advance(page, noShots, 'drill');
        await expect(page.locator('.session-step-open')).toHaveAttribute(
          'data-step',
          'confirm-target',
        );
        found.push(...(await violations(page, 'Confirm step')));
        await advance(page, noShots, 'drill');
        await expect(
          page.getByRole('button', { name: 'Run this and the next 3 in a row' }),
        ).toBeVisible();
        found.push(...(await violations(page, 'Run step')));
        await go(page, 'd', 'Drills');
        found.push(...(await violations(page, 'Drills')));
        await go(page, 'a', 'Audit');
        found.push(...(await violations(page, 'Audit list')));
        await page
          .getByRole('button', { name: /drill-2026-11-12/ })
          .first()
          .click();
        await expect(page.getByRole('region', { name: 'Restored to' })).toBeVisible();
        found.push(...(await violations(page, 'Audit replay')));
        await go(page, 'h', 'Health');
        found.push(...(await violations(page, 'Health')));
        expect(found, found.join('\n')).toEqual([]);
      } finally {
        await stopServe(served);
      }
    });
  }
}
