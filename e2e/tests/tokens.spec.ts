// API tokens as people meet them: the PM creates a token that expires in 30 days (never is not
// offered to a PM), uses it from a script, and the administrator revokes it on the PM's user page;
// the script is refused at once. The CSRF token of the forms is bound to the session, so the
// revoke form posts fine from the admin's browser and fails from nowhere else.
import { expect, test } from '@playwright/test';
import { asUser, choose, unique } from './helpers';

test.use({ locale: 'en-US' });

test('a token expires, shows its expiry, and an administrator revokes it', async ({ browser, playwright }) => {
  const name = `Nightly export ${unique()}`;
  const pm = await asUser(browser, 'pm@xinghe.example');
  const admin = await asUser(browser, 'admin@xinghe.example');
  let secret = '';

  await test.step('the PM creates a token for 30 days; "never" is for administrators', async () => {
    await pm.goto('/account/tokens');
    await expect(pm.locator('select[name="expires_in_days"] option[value="never"]')).toHaveCount(0);
    await pm.locator('input[name="name"]').fill(name);
    await choose(pm, 'expires_in_days', '30');
    await pm.getByRole('button', { name: 'Create token' }).click();
    secret = ((await pm.locator('#new-token').textContent()) ?? '').trim();
    expect(secret).toMatch(/^acc_[0-9a-f]{64}$/);
    const row = pm.locator('tbody tr').filter({ hasText: name });
    await expect(row).toContainText('Active');
    await expect(row.locator('td').nth(4)).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  });

  const api = await playwright.request.newContext({ baseURL: new URL(pm.url()).origin });
  await test.step('a script uses it', async () => {
    const me = await api.get('/api/v1/me', { headers: { authorization: `bearer ${secret}` } });
    expect(me.status()).toBe(200);
    expect((await me.json()).email).toBe('pm@xinghe.example');
  });

  await test.step('the administrator sees it on the PM’s page and revokes it', async () => {
    await admin.goto('/users');
    await admin.locator('tbody tr').filter({ hasText: 'pm@xinghe.example' }).locator('td.cell-main a').click();
    const section = admin.locator('#tokens');
    await expect(section).toBeVisible();
    const row = section.locator('tbody tr').filter({ hasText: name });
    await expect(row).toContainText('Active');
    admin.once('dialog', (d) => d.accept());
    await row.getByRole('button', { name: /Revoke/ }).click();
    await expect(admin.locator('.toast-success')).toContainText('revoked');
    await expect(admin.locator('#tokens tbody tr').filter({ hasText: name })).toContainText('Revoked');
  });

  await test.step('the script is refused at once', async () => {
    const me = await api.get('/api/v1/me', { headers: { authorization: `Bearer ${secret}` } });
    expect(me.status()).toBe(401);
    expect(me.headers()['content-type']).toContain('application/problem+json');
  });
  await api.dispose();
});
