// A form with a bad value comes back with the message under the field and the user's input kept.
import { expect, test } from '@playwright/test';
import { ADMIN, choose, engagementId, field, linkedIds, login, onlyIdAt, openDialog, submitOf, unique, useLanguage } from './helpers';

test.use({ locale: 'en-US' });

test('invalid email on /users/new: field error under the email, name kept', async ({ page }) => {
  const name = `Kept Name ${unique()}`;
  await login(page, ADMIN);
  await useLanguage(page, 'en');
  const hostPartyId = await onlyIdAt(page, '/parties?kind=host', 'parties');

  await page.goto('/users/new');
  await field(page, 'email').fill('not-an-email');
  await field(page, 'name').fill(name);
  await choose(page, 'party_id', hostPartyId);
  await choose(page, 'role', 'member');
  // Let the server judge the email (the browser's own check would stop the form first).
  await page
    .locator('form')
    .filter({ has: field(page, 'email') })
    .first()
    .evaluate((f) => f.setAttribute('novalidate', ''));
  await submitOf(page, 'email').click();

  const email = field(page, 'email');
  await expect(email).toHaveValue('not-an-email');
  await expect(field(page, 'name')).toHaveValue(name);
  await expect(email).toHaveAttribute('aria-invalid', 'true');

  // The message is the field's description (aria-describedby → #email-error) and sits under it.
  const describedBy = (await email.getAttribute('aria-describedby')) ?? 'email-error';
  const errorId = describedBy.split(/\s+/).find((id) => id.includes('error')) ?? describedBy.split(/\s+/)[0];
  const error = page.locator(`[id="${errorId}"]`);
  await expect(error).toBeVisible();
  await expect(error).toHaveText(/\S/);
  await expect(email).toHaveAccessibleDescription(/\S/);
  const inputBox = await email.boundingBox();
  const errorBox = await error.boundingBox();
  const below = !!inputBox && !!errorBox && errorBox.y >= inputBox.y + inputBox.height - 1;
  expect(below, 'error shown below the email input').toBe(true);

  // Nothing was written: no user with that name exists.
  await page.goto(`/users?q=${encodeURIComponent(name)}`);
  expect(await linkedIds(page, 'users')).toEqual([]);
});

test('a date field reads as the page does: on a Chinese page in an English browser, 2026-12-07 and a calendar', async ({ page }) => {
  await login(page, 'pm@xinghe.example');
  const id = await engagementId(page, 'XH-2026-001');
  // The page's language is the browser's: the browser's own date field.
  await useLanguage(page, 'en');
  await page.goto(`/engagements/${id}`);
  await openDialog(page, 'milestone-dialog');
  await expect(page.locator('#milestone-due_date')).toHaveAttribute('type', 'date');
  await page.keyboard.press('Escape');
  await expect(page.locator('dialog#milestone-dialog')).toHaveJSProperty('open', false);
  // A Chinese page in this English browser: no mm/dd/yyyy, the date as both languages write it.
  await useLanguage(page, 'zh-CN');
  await page.goto(`/engagements/${id}`);
  await openDialog(page, 'milestone-dialog');
  const due = page.locator('#milestone-due_date');
  await expect(due).toHaveAttribute('type', 'text');
  await expect(due).toHaveAttribute('placeholder', /年-月-日/);
  await expect(page.locator('#milestone-dialog .date-button')).toHaveAttribute('aria-label', '选择日期');
  await due.fill('2027-02-30');
  await page.locator('#milestone-name').fill(`日期检查 ${unique()}`);
  await page.locator('#milestone-form button[type="submit"]').click();
  // The server judges the date, in Chinese, and the field keeps what was typed.
  await expect(page.locator('dialog#milestone-dialog')).toHaveJSProperty('open', true);
  await expect(page.locator('#milestone-due_date')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#milestone-due_date')).toHaveValue('2027-02-30');
});
