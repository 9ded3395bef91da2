// Cost control on the demo engagement XH-2026-001: the PM reads earned value and the S-curve on
// the Costs tab, records an expense (an empty one is refused in its dialog), and the approver
// approves the trip that went over the travel budget, with a reason. Vendors never see the tab.
import { expect, test } from '@playwright/test';
import { asUser, engagementId, openDialog, unique } from './helpers';

test.use({ locale: 'en-US' });

const CODE = 'XH-2026-001';

test('the PM reads earned value and records an expense; the approver decides the one over budget', async ({ browser }) => {
  test.slow();
  const pm = await asUser(browser, 'pm@xinghe.example');
  const id = await engagementId(pm, CODE);
  const what = `Courier for signed papers ${unique()}`;

  await test.step('the Costs tab shows earned value, the S-curve and the budget', async () => {
    await pm.goto(`/engagements/${id}`);
    await pm.locator('nav.tabs').getByRole('link', { name: 'Costs', exact: true }).click();
    await expect(pm).toHaveURL(new RegExp(`/engagements/${id}/costs$`));
    await expect(pm.locator('svg.scurve')).toBeVisible();
    await expect(pm.getByTestId('evm-spi')).not.toHaveText('');
    await expect(pm.getByTestId('budget-total')).toHaveText('¥1,347,000.00');
    await expect(pm.getByTestId('expense-table')).toContainText('Awaiting approval');
  });

  await test.step('an empty expense is refused in its dialog; a full one is recorded', async () => {
    await openDialog(pm, 'expense-dialog');
    await pm.locator('#expense-form button[type="submit"]').click();
    await expect(pm.locator('dialog#expense-dialog')).toHaveJSProperty('open', true);
    await expect(pm.locator('#expense-description')).toHaveAttribute('aria-invalid', 'true');
    await pm.locator('#expense-category').selectOption('other');
    await pm.locator('#expense-amount').fill('120');
    await pm.locator('#expense-description').fill(what);
    await pm.locator('#expense-form button[type="submit"]').click();
    await expect(pm.locator('.toast-success')).toContainText('Expense recorded');
    await expect(pm.getByTestId('expense-table')).toContainText(what);
  });

  await test.step('the approver approves the trip over budget with a reason', async () => {
    const approver = await asUser(browser, 'approver@xinghe.example');
    await approver.goto(`/engagements/${id}/costs`);
    const row = approver.getByTestId('expense-table').locator('tr', { hasText: 'Awaiting approval' }).first();
    await row.locator('input[name="reason"]').fill('Needed for the initial acceptance');
    await row.getByRole('button', { name: 'Approve' }).click();
    await expect(approver.locator('.toast-success')).toContainText('Decision recorded');
    await expect(approver.getByTestId('expense-table')).toContainText('Needed for the initial acceptance');
  });

  await test.step('the vendor has no Costs tab and no way in', async () => {
    const vendor = await asUser(browser, 'manager@yunfan.example');
    await vendor.goto(`/engagements/${id}`);
    await expect(vendor.locator('nav.tabs').getByRole('link', { name: 'Costs', exact: true })).toHaveCount(0);
    const res = await vendor.goto(`/engagements/${id}/costs`);
    expect(res?.status()).toBe(404);
  });
});
