// Requirements sign-off on the demo engagement XH-2026-001 (its version 1 is signed by all three
// parties, version 2 came from an approved change): the PM writes a new requirement, freezes the
// next version and compares it with the one before;
// the vendor's manager signs it after giving the password again (a wrong one is refused); the
// client's member sees the signature but has no right to sign for the client.
import { expect, test } from '@playwright/test';
import { asUser, engagementId, field, login, unique, useLanguage } from './helpers';

test.use({ locale: 'en-US' });

const PM = 'pm@xinghe.example';
const VENDOR_MANAGER = 'manager@yunfan.example';
const CLIENT_MEMBER = 'member@hdlogistics.example';
const CODE = 'XH-2026-001';

test('the PM freezes a new requirements version; the vendor signs it after re-entering the password', async ({
  page,
  browser,
}) => {
  test.slow();
  const title = `Arrival alert ${unique()}`;
  let id = '';
  let versionUrl = '';

  await test.step('the PM opens the Requirements tab: version 1 is signed', async () => {
    await login(page, PM);
    await useLanguage(page, 'en');
    id = await engagementId(page, CODE);
    await page.goto(`/engagements/${id}`);
    await page.locator('nav.tabs').getByRole('link', { name: 'Requirements', exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/engagements/${id}/requirements$`));
    await expect(page.locator('#requirements tbody tr').first()).toContainText('REQ-001');
    await expect(page.locator('#versions')).toContainText('v1');
    // Newest first: version 2 (from the demo's approved change) awaits signatures; version 1 is signed.
    await expect(page.locator('#versions li').last().locator('.badge')).toHaveText('Signed');
  });

  await test.step('the PM writes a requirement; an empty title is refused first', async () => {
    await page.locator('#req-title').focus();
    await page.keyboard.press('Enter');
    await expect(page.locator('#req-title')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator('#req-title-error')).toBeVisible();
    await field(page, 'title').fill(title);
    await page.locator('#req-priority').selectOption('must');
    await page.locator('#req-description').fill('Notify the consignee **500 m** before arrival. <b>raw</b>');
    await page.locator('#req-criteria').fill('Alert arrives within 10 s\nCan be switched off');
    await page.getByRole('button', { name: 'Add requirement' }).click();
    await expect(page.locator('.toast-success')).toContainText('added');
    const row = page.locator('#requirements tbody tr').filter({ hasText: title });
    await expect(row).toHaveCount(1);
    await expect(row.locator('td').first()).toHaveText(/^REQ-\d{3}$/);
    await row.getByRole('link', { name: title }).click();
    await expect(page.locator('.markdown strong')).toHaveText('500 m');
    await expect(page.locator('.markdown')).toContainText('<b>raw</b>');
    await expect(page.locator('ol.checklist li')).toHaveText(['Alert arrives within 10 s', 'Can be switched off']);
  });

  await test.step('the PM freezes version 2 (and confirms) and compares it with version 1', async () => {
    await page.goto(`/engagements/${id}/requirements`);
    let asked = '';
    page.once('dialog', async (dialog) => {
      asked = dialog.message();
      await dialog.accept();
    });
    await page.locator('#freeze-note').fill('Phase 1 plus arrival alerts');
    await page.getByRole('button', { name: 'Freeze as new version' }).click();
    await expect(page).toHaveURL(/\/requirement-versions\/\d+$/);
    expect(asked).toMatch(/new version/);
    versionUrl = new URL(page.url()).pathname;
    // Version 2 came from the demo's approved change request; this freeze is the newest.
    await expect(page.locator('h1')).toContainText(/Requirements version \d+/);
    await expect(page.locator('h1 .badge')).toHaveText('Awaiting signatures');
    await expect(page.locator('.req-item').filter({ hasText: title })).toHaveCount(1);
    await page.getByRole('button', { name: 'Compare' }).click();
    await expect(page).toHaveURL(/\/compare\?with=\d+$/);
    await expect(page.locator('h1')).toContainText(/v(\d+) → v\d+/);
    await expect(page.locator('section').filter({ hasText: 'Added' })).toContainText(title);
  });

  await test.step('the vendor manager signs: a wrong password first, then the right one', async () => {
    const vendor = await asUser(browser, VENDOR_MANAGER);
    await vendor.goto(versionUrl);
    const password = vendor.locator('#sign-password');
    await password.fill('not-my-password');
    await vendor.getByRole('button', { name: 'Sign', exact: true }).click();
    await expect(password).toHaveAttribute('aria-invalid', 'true');
    await expect(vendor.locator('#sign-password-error')).toHaveText('The password is not correct.');
    await vendor.locator('#sign-password').fill('accord-demo');
    await vendor.getByRole('button', { name: 'Sign', exact: true }).click();
    await expect(vendor.locator('.toast-success')).toContainText('Signed');
    await expect(vendor.locator('#sign-password')).toHaveCount(0);
    const box = vendor.locator('.signature-box').filter({ hasText: 'Yunfan' });
    await expect(box).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    await vendor.context().close();
  });

  await test.step('the client member sees who signed but may not sign for the client', async () => {
    const client = await asUser(browser, CLIENT_MEMBER);
    await client.goto(versionUrl);
    await expect(client.locator('#signatures')).toContainText('Not signed yet');
    await expect(client.locator('#sign-password')).toHaveCount(0);
    await expect(client.locator('.req-item').filter({ hasText: title })).toHaveCount(1);
    await client.context().close();
  });
});
