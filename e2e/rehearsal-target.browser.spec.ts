// A rehearsal teaches the real thing: it may bind the production target (nothing runs), it shows
// the lines that would run there, and its clock is not held against the RTO.
import { restoreNewestConsistentCut, trustOperator } from './fixtures/restore-flow';
import { expect, startServe, stopServe, test } from './fixtures/serve';

test('a rehearsal against production shows what would run there and runs nothing', async ({
  page,
}) => {
  const served = await startServe([], { DAPPLE_KEY_PASSPHRASE: 'e2e operator passphrase' });
  try {
    await restoreNewestConsistentCut(page, served.url);
    await trustOperator(page, false);
    // The plan's target picker: production stays open to a rehearsal (a drill is off).
    const picker = page.getByRole('group', { name: 'Where to restore' });
    await picker.getByRole('radio', { name: /shop-production/ }).check();
    await expect(page.getByRole('button', { name: 'Start drill' })).toBeDisabled();
    const rehearse = page.getByRole('button', { name: 'Start rehearsal' });
    // The next sensible action is the rehearsal; no name to type: nothing will run.
    await expect(rehearse).toHaveClass(/primary/);
    await rehearse.click();
    const header = page.locator('.session-header');
    await expect(header).toContainText('REHEARSAL');
    await expect(header).toContainText('PRODUCTION');
    await expect(header).toContainText('shop-production');
    await expect(header).toContainText('does not count against the RTO');
    await expect(header.getByRole('meter')).toHaveCount(0);
    // Walk to the orders-db restore: its "would restore" line writes into production's folder.
    const copy = page.locator('[data-step="restore-orders"]');
    for (
      let i = 0;
      i < 8 && !(await copy.evaluate((e) => e.classList.contains('session-step-open')));
      i++
    ) {
      const open = page.locator('.session-step-open');
      const need = (await open.locator('.step-need-tag').textContent()) ?? '';
      if (need.startsWith('Tick')) {
        for (const box of await open.getByRole('checkbox').all()) await box.check();
        await open.getByRole('button', { name: 'Done' }).click();
      } else if (need.startsWith('Needs an approval')) {
        // The approver is in the room (e2e/approvals.browser.spec.ts covers another machine).
        const inPerson = open.locator('details.approval-in-person');
        if (!(await inPerson.evaluate((d) => (d as HTMLDetailsElement).open)))
          await inPerson.locator('summary').click();
        await open.getByLabel(/key file/).fill('keys/demo-approver.key');
        await open.getByLabel('Passphrase of that key').fill('demo');
        await open.getByLabel(/Statement/).fill('Rehearsal of a production restore.');
        await open.getByRole('button', { name: 'Sign approval' }).click();
      } else if (need.startsWith('Type the target')) {
        for (const box of await open.getByRole('checkbox').all()) await box.check();
        await open.getByLabel(/to confirm it will be overwritten/).fill('shop-production');
        await open.getByRole('button', { name: 'Confirm' }).click();
        // The confirmation and the ticks go as two records: the step ends after both.
        await expect(page.locator('[data-step="confirm-target"]')).toContainText('done');
      }
      await expect(open.locator('.step-need-tag')).not.toHaveText(need);
    }
    await expect(copy.locator('.step-work')).toContainText('would restore');
    await expect(copy.locator('.step-work code')).toHaveText('/srv/shop/data');
    await copy.getByRole('button', { name: 'Rehearse this step (nothing runs)' }).click();
    await expect(copy).toContainText('rehearsed — nothing ran');
  } finally {
    await stopServe(served);
  }
});
