// A form with a bad value comes back with the message under the field and the user's input kept.
import { expect, test } from '@playwright/test';
import { ADMIN, choose, field, linkedIds, login, onlyIdAt, submitOf, unique, useLanguage } from './helpers';

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
