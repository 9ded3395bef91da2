// The issue log on the demo engagement XH-2026-001: the vendor's manager raises a conflict for
// every participant (an empty form is refused in its dialog), the PM resolves it with a
// resolution, the vendor's manager confirms it, and the client reads it with its SLA.
import { expect, test } from '@playwright/test';
import { asUser, engagementId, openDialog, unique } from './helpers';

test.use({ locale: 'en-US' });

test('a vendor raises a conflict, the PM resolves it, the vendor confirms', async ({ browser }) => {
  test.slow();
  const title = `Test rig double-booked ${unique()}`;
  const vendor = await asUser(browser, 'manager@yunfan.example');
  const id = await engagementId(vendor, 'XH-2026-001');
  let url = '';

  await test.step('the vendor raises a conflict from the Issues tab', async () => {
    await vendor.goto(`/engagements/${id}`);
    await vendor.locator('nav.tabs').getByRole('link', { name: 'Issues', exact: true }).click();
    await openDialog(vendor, 'issue-dialog');
    await vendor.locator('#issue-form button[type="submit"]').click();
    await expect(vendor.locator('dialog#issue-dialog')).toHaveJSProperty('open', true);
    await expect(vendor.locator('#issue-title')).toHaveAttribute('aria-invalid', 'true');
    await vendor.locator('#issue-title').fill(title);
    await vendor.locator('#issue-kind').selectOption('conflict');
    await vendor.locator('#issue-severity').selectOption('high');
    await vendor.locator('#issue-visibility').selectOption('participants');
    await vendor.locator('#issue-form button[type="submit"]').click();
    await expect(vendor.locator('.toast-success')).toContainText('SLA clock');
    await vendor.getByTestId('issue-table').getByRole('link', { name: title }).click();
    await expect(vendor).toHaveURL(new RegExp(`/engagements/${id}/issues/\\d+$`));
    url = new URL(vendor.url()).pathname;
    await expect(vendor.getByTestId('resolve-sla')).toContainText('On time');
  });

  await test.step('the PM resolves it; an empty resolution is refused', async () => {
    const pm = await asUser(browser, 'pm@xinghe.example');
    await pm.goto(url);
    await pm.getByRole('button', { name: 'Resolve' }).click();
    await expect(pm.locator('#issue-resolution')).toHaveAttribute('aria-invalid', 'true');
    await pm.locator('#issue-resolution').fill('The client tests at night from now on');
    await pm.getByRole('button', { name: 'Resolve' }).click();
    await expect(pm.locator('.toast-success')).toContainText('Issue updated');
    await expect(pm.getByTestId('issue-status')).toHaveText('Resolved');
  });

  await test.step('the vendor confirms; the client reads it closed', async () => {
    await vendor.goto(url);
    await expect(vendor.getByTestId('resolution')).toHaveText('The client tests at night from now on');
    await vendor.getByRole('button', { name: 'Confirm resolution' }).click();
    await expect(vendor.getByTestId('issue-status')).toHaveText('Closed');
    const client = await asUser(browser, 'manager@hdlogistics.example');
    await client.goto(url);
    await expect(client.getByTestId('issue-status')).toHaveText('Closed');
  });
});
