// The 2 AM path (issue 13): open → Timeline → "2 h ago" → the proposed cut → Restore this cut →
// a sealed drill, counted. A click is a pointer press on a control; a press in a text field to
// type there counts as a typed field instead (the issue measured "22 clicks and 5 typed fields").
// The same path keyboard-only presses no pointer at all. Both start from a console whose signing
// key is made and trusted (the on-call's own machine): a first run on a new machine adds two
// clicks (make the key, trust it), covered by e2e/restore.browser.spec.ts.
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { restoreNewestConsistentCut, trustOperator } from './fixtures/restore-flow';
import { expect, startServe, stopServe, test } from './fixtures/serve';

const env = { DAPPLE_KEY_PASSPHRASE: 'e2e operator passphrase' };
const CLICK_BUDGET = 12;

/** Count every pointer press from now on, by what it pressed. */
async function countPresses(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { presses: { what: string; field: boolean }[] };
    w.presses = [];
    document.addEventListener(
      'pointerdown',
      (e) => {
        if (!e.isTrusted) return;
        const el = e.target as HTMLElement;
        const field =
          el.tagName === 'TEXTAREA' ||
          (el.tagName === 'INPUT' &&
            !['checkbox', 'radio', 'button', 'submit'].includes((el as HTMLInputElement).type));
        const what = (el.closest('label, button, summary, a') ?? el).textContent;
        w.presses.push({ what: (what ?? el.tagName).trim().slice(0, 60) || el.tagName, field });
      },
      true,
    );
  });
}

const presses = (page: Page) =>
  page.evaluate(
    () => (window as unknown as { presses: { what: string; field: boolean }[] }).presses,
  );

/** Make and trust the operator's key, as the on-call's console already has. */
async function readyConsole(page: Page, url: string): Promise<void> {
  await restoreNewestConsistentCut(page, url);
  await trustOperator(page, false);
}

/** Tab until `target` has the focus (fails after `max` presses); how many Tabs it took. */
async function tabTo(page: Page, target: Locator, max = 25): Promise<number> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return i;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
  return max;
}

/** Nothing scrolls sideways: neither the page nor the section's own scroller. */
async function noSideways(page: Page, where: string): Promise<void> {
  const over = await page.evaluate(() =>
    [document.documentElement, ...Array.from(document.querySelectorAll('main, .main, #main'))].map(
      (el) => el.scrollWidth - el.clientWidth,
    ),
  );
  expect(Math.max(...over), `${where} scrolls sideways`).toBeLessThanOrEqual(0);
}

/** `target` is on screen without scrolling (above the fold). */
async function aboveFold(page: Page, target: Locator, what: string): Promise<void> {
  const box = await target.boundingBox();
  const height = page.viewportSize()?.height ?? 0;
  expect(box, `${what} is laid out`).not.toBeNull();
  expect((box?.y ?? 0) + (box?.height ?? 0), `${what} above the fold`).toBeLessThanOrEqual(height);
  expect(box?.y ?? -1, `${what} not scrolled past`).toBeGreaterThanOrEqual(0);
}

/** A picture for docs/screenshots, only when they are refreshed on purpose. */
async function docShot(page: Page, name: string): Promise<void> {
  if (!process.env.DAPPLE_DOC_SCREENSHOTS) return;
  await page.screenshot({ path: path.join(__dirname, '..', 'docs', 'screenshots', `${name}.png`) });
}

/** Wait for the open step to be `id` and to need `need`. */
async function openStep(page: Page, id: string, need: RegExp): Promise<Locator> {
  const open = page.locator(`.session-step-open[data-step="${id}"]`);
  await expect(open.locator('.step-need-tag')).toHaveText(need, { timeout: 60_000 });
  return open;
}

test('the 2 AM path with a mouse at 1024×700: Timeline to a sealed drill in 12 clicks or fewer', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const served = await startServe([], env);
  try {
    // The small window: the sidebar is a rail, nothing scrolls sideways, the next action is on screen.
    await page.setViewportSize({ width: 1024, height: 700 });
    await readyConsole(page, served.url);
    await countPresses(page);
    await page.goto(served.url);
    await expect(page.locator('.status-workspace')).toContainText('shop');

    await page.getByRole('button', { name: /^Timeline/ }).click();
    const field = page.getByRole('textbox', { name: 'Incident began' });
    await field.click();
    await page.keyboard.type('2 h ago');
    await page.keyboard.press('Enter');
    const banner = page.getByRole('region', { name: 'Selected cut' });
    await expect(banner).toContainText('loses up to');
    const restoreCut = banner.getByRole('button', { name: 'Restore this cut' });
    await aboveFold(page, restoreCut, 'Restore this cut');
    await noSideways(page, 'Timeline');
    expect((await page.locator('.sidebar').boundingBox())?.width).toBeLessThanOrEqual(80);
    await docShot(page, 'after-decision-banner');
    await restoreCut.click();
    const drill = page.getByRole('button', { name: 'Start drill' });
    await expect(drill).toBeFocused();
    await aboveFold(page, drill, 'Start drill');
    await noSideways(page, 'the plan');
    await drill.click();

    const announce = await openStep(page, 'announce', /^Tick/);
    for (const box of await announce.getByRole('checkbox').all()) await box.click();
    await announce.getByRole('button', { name: 'Done' }).click();

    const approve = await openStep(page, 'approve', /^Needs an approval/);
    await approve.locator('details.approval-in-person summary').click();
    await expect(approve.getByLabel(/key file/)).toHaveValue('keys/demo-approver.key');
    await approve.getByLabel(/Statement/).click();
    await page.keyboard.type('Checked the cut time and that the target is the sandbox.');
    // The passphrase is the signature: Enter in it signs.
    await approve.getByLabel('Passphrase of that key').click();
    await page.keyboard.type('demo');
    await page.keyboard.press('Enter');

    // The confirmation step's checklist is ticked in the same form as the typed name.
    const confirm = await openStep(page, 'confirm-target', /^Type the target/);
    for (const box of await confirm.getByRole('checkbox').all()) await box.click();
    await confirm.getByLabel(/to confirm it will be overwritten/).click();
    await page.keyboard.type('sandbox-restore');
    await page.keyboard.press('Enter');

    const first = await openStep(page, 'restore-orders', /^Ready to run/);
    await first.getByRole('button', { name: 'Run this and the next 3 in a row' }).click();

    const done = await openStep(page, 'done', /^Tick/);
    for (const box of await done.getByRole('checkbox').all()) await box.click();
    await done.getByRole('button', { name: 'Done' }).click();

    const sealed = page.getByRole('status', { name: 'Session sealed' });
    await expect(sealed).toContainText('Completed');
    await noSideways(page, 'the session');
    // Every command step ran, one after another, from the one click.
    for (const id of ['restore-orders', 'restore-uploads', 'restore-search', 'verify'])
      await expect(page.locator(`[data-step="${id}"]`)).toContainText('✓ done');

    const all = await presses(page);
    const clicks = all.filter((p) => !p.field);
    const typed = all.filter((p) => p.field);
    console.log(
      `2 AM path (mouse): ${clicks.length} clicks and ${typed.length} typed fields\n  ${clicks.map((c) => c.what).join(' | ')}`,
    );
    expect(clicks.length).toBeLessThanOrEqual(CLICK_BUDGET);
    expect(typed.length).toBe(4);

    // After the count: the review (Restored to) and the live restore's target choice, pictured.
    await sealed.getByRole('button', { name: 'Open in Audit' }).click();
    const restored = page.getByRole('region', { name: 'Restored to' });
    await expect(restored).toContainText('sandbox-restore');
    await noSideways(page, 'Audit');
    await page.setViewportSize({ width: 1440, height: 900 });
    await docShot(page, 'after-report');
    await page.setViewportSize({ width: 1024, height: 700 });
    await page
      .getByRole('button', { name: /^Restore/ })
      .first()
      .click();
    await page.getByRole('button', { name: 'Back to the plan' }).click();
    await page.getByRole('button', { name: 'Start live restore…' }).click();
    const where = page.getByRole('dialog', { name: 'Where should the live restore write?' });
    await where.getByRole('radio', { name: /shop-production/ }).check();
    await expect(where.locator('.argv-target').first()).toContainText('/srv/shop/data');
    // The dialog fits the small window: its buttons are on screen, the preview scrolls inside.
    await aboveFold(page, where.getByRole('button', { name: 'Cancel' }), 'Cancel');
    await docShot(page, 'after-live-start');
    await page.keyboard.press('Escape');
    await expect(where).toBeHidden();
  } finally {
    await stopServe(served);
  }
});

test('the 2 AM path keyboard-only: the focus is always on the next thing to do', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const served = await startServe([], env);
  try {
    await readyConsole(page, served.url);
    await countPresses(page);
    await page.goto(served.url);
    await expect(page.locator('.status-workspace')).toContainText('shop');
    let keys = 0;
    let tabs = 0;
    const press = async (key: string) => {
      keys++;
      await page.keyboard.press(key);
    };
    const tab = async (target: Locator) => {
      tabs += await tabTo(page, target);
    };

    // G then T: the Timeline (browser shortcuts like Ctrl+1 are left to the browser).
    await press('g');
    await press('t');
    await expect(page.getByRole('heading', { level: 1, name: 'Timeline' })).toBeFocused();
    const field = page.getByRole('textbox', { name: 'Incident began' });
    await tab(field);
    await page.keyboard.type('2 h ago');
    await press('Enter');
    // The proposal arrives with the focus on its Restore button.
    const restore = page
      .getByRole('region', { name: 'Selected cut' })
      .getByRole('button', { name: 'Restore this cut' });
    await expect(restore).toBeFocused();
    await press('Enter');
    // The plan opens with the focus on the next sensible start: the drill.
    const drill = page.getByRole('button', { name: 'Start drill' });
    await expect(drill).toBeFocused();
    await press('Enter');

    // Each step takes the focus as it opens: tick with Space, Tab on, Enter to finish.
    const checklist = async (id: string) => {
      const open = await openStep(page, id, /^Tick/);
      const boxes = await open.getByRole('checkbox').all();
      await expect(boxes[0] as Locator).toBeFocused();
      for (const box of boxes) {
        await tab(box);
        await press('Space');
      }
      await tab(open.getByRole('button', { name: 'Done' }));
      await press('Enter');
    };
    await checklist('announce');

    const approve = await openStep(page, 'approve', /^Needs an approval/);
    await tab(approve.locator('details.approval-in-person summary'));
    await press('Enter');
    await tab(approve.getByLabel(/Statement/));
    await page.keyboard.type('Checked the cut time and that the target is the sandbox.');
    await tab(approve.getByLabel('Passphrase of that key'));
    await page.keyboard.type('demo');
    await press('Enter');

    const confirm = await openStep(page, 'confirm-target', /^Type the target/);
    const boxes = await confirm.getByRole('checkbox').all();
    await expect(boxes[0] as Locator).toBeFocused();
    for (const box of boxes) {
      await tab(box);
      await press('Space');
    }
    await tab(confirm.getByLabel(/to confirm it will be overwritten/));
    await page.keyboard.type('sandbox-restore');
    await press('Enter');

    const first = await openStep(page, 'restore-orders', /^Ready to run/);
    await expect(first.getByRole('button', { name: 'Run', exact: true })).toBeFocused();
    await tab(first.getByRole('button', { name: 'Run this and the next 3 in a row' }));
    await press('Enter');

    await checklist('done');
    const sealed = page.getByRole('status', { name: 'Session sealed' });
    await expect(sealed).toContainText('Completed');
    // Back to the plan: the focus is on the next sensible start again, not dropped on the page.
    await tab(sealed.getByRole('button', { name: 'Back to the plan' }));
    await press('Enter');
    await expect(page.getByRole('button', { name: 'Start drill' })).toBeFocused();
    await expect(page.getByRole('status').filter({ hasText: 'Your last drill' })).toContainText(
      'completed',
    );
    expect(await presses(page)).toEqual([]);
    console.log(`2 AM path (keyboard): 0 clicks, ${keys} keys and ${tabs} Tabs besides typing`);
  } finally {
    await stopServe(served);
  }
});
