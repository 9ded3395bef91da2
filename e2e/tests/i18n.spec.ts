// Logging in in Chinese and in English: the browser's language picks the page language before
// login, the language switch changes it after, and the navigation is translated either way.
import { expect, test } from '@playwright/test';
import { ADMIN, TEXT, expectLang, field, login, navLink, useLanguage } from './helpers';

test.describe('zh-CN browser', () => {
  test.use({ locale: 'zh-CN' });

  test('logs in in Chinese and sees the navigation in Chinese', async ({ page }) => {
    await page.goto('/login');
    await expectLang(page, 'zh-CN');
    await expect(page.getByLabel(TEXT['zh-CN'].email).first()).toBeVisible();
    await expect(page.getByLabel(TEXT['zh-CN'].password).first()).toBeVisible();

    await login(page, ADMIN);
    await useLanguage(page, 'zh-CN');
    await expect(navLink(page, TEXT['zh-CN'].home)).toBeVisible();
    await expect(navLink(page, TEXT['zh-CN'].parties)).toBeVisible();
    await expect(navLink(page, TEXT.en.parties)).toHaveCount(0);
  });
});

test.describe('en browser', () => {
  test.use({ locale: 'en-US' });

  test('logs in in English, switches to Chinese and back', async ({ page }) => {
    await page.goto('/login');
    await expectLang(page, 'en');
    await expect(page.getByLabel(TEXT.en.email).first()).toBeVisible();
    await expect(field(page, 'email')).toBeEditable();

    await login(page, ADMIN);
    await useLanguage(page, 'en');
    await expect(navLink(page, TEXT.en.home)).toBeVisible();
    await expect(navLink(page, TEXT.en.parties)).toBeVisible();

    await page.goto('/parties');
    await useLanguage(page, 'zh-CN');
    // The switch brings the user back to the page they were on.
    await expect(page).toHaveURL(/\/parties/);
    await expect(navLink(page, TEXT['zh-CN'].home)).toBeVisible();
    await expect(navLink(page, TEXT['zh-CN'].parties)).toBeVisible();

    await useLanguage(page, 'en');
    await expect(navLink(page, TEXT.en.parties)).toBeVisible();
  });
});
