// A wrong password says so plainly, in the page's language, and keeps the email the user typed.
import { expect, test } from '@playwright/test';
import { TEXT, expectLang, field, submitLogin } from './helpers';

for (const [locale, lang, email] of [
  ['en-US', 'en', 'approver@xinghe.example'],
  ['zh-CN', 'zh-CN', 'member@xinghe.example'],
] as const) {
  test.describe(`${lang} browser`, () => {
    test.use({ locale });

    test(`wrong password shows a clear message (${lang})`, async ({ page }) => {
      await page.goto('/login');
      await expectLang(page, lang);
      await submitLogin(page, email, 'not-the-password');

      await expect(page).toHaveURL(/\/login/);
      await expect(page.getByText(TEXT[lang].badLogin)).toBeVisible();
      await expect(field(page, 'email')).toHaveValue(email);
    });
  });
}
