// The admin brings in a vendor and its manager; the vendor manager then sees its own party and
// users only: no audit log, and another party's pages answer 404 as if they did not exist.
import { expect, test } from '@playwright/test';
import {
  ADMIN,
  DEMO_EMAILS,
  choose,
  field,
  linkedIds,
  login,
  logout,
  onlyIdAt,
  submitOf,
  unique,
} from './helpers';

test.use({ locale: 'en-US' });

test('admin creates a vendor and its manager, who sees only the vendor', async ({ page }) => {
  const suffix = unique();
  const partyName = `E2E Vendor ${suffix}`;
  const userEmail = `vendor-${suffix}@e2e.example`;
  const userPassword = `E2e-vendor-${suffix}-pass`;
  let hostPartyId = '';
  let adminUserId = '';
  let partyId = '';

  await test.step('admin logs in and notes the host party and the admin user', async () => {
    await login(page, ADMIN);
    hostPartyId = await onlyIdAt(page, '/parties?kind=host', 'parties');
    adminUserId = await onlyIdAt(page, `/users?q=${encodeURIComponent(ADMIN)}`, 'users');
  });

  await test.step('admin creates the vendor party', async () => {
    await page.goto('/parties/new');
    await choose(page, 'kind', 'vendor');
    await field(page, 'name').fill(partyName);
    await field(page, 'legal_name').fill(`${partyName} Co., Ltd.`);
    await field(page, 'description').fill('Created by the E2E journey.');
    await submitOf(page, 'legal_name').click();
    await expect(page).not.toHaveURL(/\/parties\/new/);
    await expect(page.locator('[aria-invalid="true"]'), 'fields the server rejected').toHaveCount(0);
    partyId = await onlyIdAt(page, `/parties?q=${encodeURIComponent(partyName)}`, 'parties');
    await expect(page.getByRole('main').getByText(partyName).first()).toBeVisible();
  });

  await test.step('admin creates a manager for the vendor', async () => {
    await page.goto('/users/new');
    await field(page, 'email').fill(userEmail);
    await field(page, 'name').fill(`Vendor Manager ${suffix}`);
    await choose(page, 'party_id', partyId);
    await choose(page, 'role', 'manager');
    await field(page, 'password').fill(userPassword);
    await submitOf(page, 'email').click();
    await expect(page).not.toHaveURL(/\/users\/new/);
    await expect(page.locator('[aria-invalid="true"]'), 'fields the server rejected').toHaveCount(0);
    await onlyIdAt(page, `/users?q=${encodeURIComponent(userEmail)}`, 'users');
    await expect(page.getByRole('main').getByText(userEmail).first()).toBeVisible();
    await logout(page);
  });

  await test.step('the vendor manager logs in', async () => {
    await login(page, userEmail, userPassword);
    await expect(page.locator('a[href="/admin/audit"]')).toHaveCount(0);
  });

  await test.step('parties: only its own', async () => {
    const res = await page.goto('/parties');
    expect(res?.status()).toBe(200);
    expect(await linkedIds(page, 'parties')).toEqual([partyId]);
    await expect(page.getByRole('main').getByText(partyName).first()).toBeVisible();
    await expect(page.locator('a[href="/admin/audit"]')).toHaveCount(0);
  });

  await test.step('users: only its own party', async () => {
    const res = await page.goto('/users');
    expect(res?.status()).toBe(200);
    await expect(page.getByRole('main').getByText(userEmail).first()).toBeVisible();
    const body = await page.locator('body').innerText();
    for (const other of DEMO_EMAILS) expect(body, `${other} listed to a vendor`).not.toContain(other);
  });

  await test.step('audit log is closed to it', async () => {
    const res = await page.goto('/admin/audit');
    expect([403, 404]).toContain(res?.status());
  });

  await test.step("another party's pages answer 404", async () => {
    for (const url of [`/parties/${hostPartyId}`, `/parties/${hostPartyId}/edit`, `/users/${adminUserId}`]) {
      const res = await page.goto(url);
      expect(res?.status(), `GET ${url}`).toBe(404);
    }
  });
});
