// What the journeys share: demo logins, the texts they look for, and the few moves every journey makes.
// Visible texts the journeys rely on live in TEXT, so a wording change in locales/ is one edit here.
import { expect, type Browser, type Locator, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'accord-demo';
export const ADMIN = 'admin@xinghe.example';

/** Every demo login (docs/dev/contract.md); a vendor user must see none but its own party's. */
export const DEMO_EMAILS = [
  'admin@xinghe.example',
  'pm@xinghe.example',
  'member@xinghe.example',
  'approver@xinghe.example',
  'manager@yunfan.example',
  'dev@yunfan.example',
  'manager@shuzhi.example',
  'qa@shuzhi.example',
  'manager@hdlogistics.example',
  'member@hdlogistics.example',
  'manager@tianheng.example',
];

export type Lang = 'zh-CN' | 'en';

export const TEXT = {
  'zh-CN': {
    home: '首页',
    parties: '参与方',
    engagements: '项目',
    email: /邮箱/,
    password: /密码/,
    badLogin: '邮箱或密码错误。',
  },
  en: {
    home: 'Home',
    parties: 'Parties',
    engagements: 'Engagements',
    email: /email/i,
    password: /password/i,
    badLogin: 'Email or password is incorrect.',
  },
} as const;

/** A short suffix that keeps names unique when the journeys run again against the same server. */
export function unique(): string {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}

/** The form control named `name` (form inputs carry the contract's field names). */
export function field(page: Page | Locator, name: string): Locator {
  return page.locator(`[name="${name}"]`).first();
}

/** The submit button of the form that holds the field `name`. */
export function submitOf(page: Page, name: string): Locator {
  return page
    .locator('form')
    .filter({ has: page.locator(`[name="${name}"]`) })
    .first()
    .locator('button[type="submit"], button:not([type]), input[type="submit"]')
    .first();
}

/** Picks `value` for a choice that may be a <select> or a group of radio buttons. */
export async function choose(page: Page, name: string, value: string): Promise<void> {
  const select = page.locator(`select[name="${name}"]`);
  if ((await select.count()) > 0) {
    await select.first().selectOption({ value });
  } else {
    await page.locator(`input[name="${name}"][value="${value}"]`).first().check();
  }
}

export async function expectLang(page: Page, lang: Lang): Promise<void> {
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
}

/** Fills and sends the login form; the caller checks where it lands. */
export async function submitLogin(page: Page, email: string, password: string): Promise<void> {
  if (!new URL(page.url()).pathname.startsWith('/login')) await page.goto('/login');
  await field(page, 'email').fill(email);
  await field(page, 'password').fill(password);
  await submitOf(page, 'password').click();
}

export async function login(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await submitLogin(page, email, password);
  await expect(page).not.toHaveURL(/\/login/);
}

/** Logs out with the form in the user menu. */
export async function logout(page: Page): Promise<void> {
  const form = page.locator('form[action="/logout"]').first();
  const button = form.locator('button, input[type="submit"]').first();
  if (await button.isVisible()) {
    await button.click();
  } else {
    // The button sits in a closed menu: send the same form (with its CSRF token) as the menu would.
    await form.evaluate((f: HTMLFormElement) => f.requestSubmit());
  }
  await expect(page).toHaveURL(/\/login/);
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
}

/** Switches the interface language with the language switch form of the page, if not already `lang`. */
export async function useLanguage(page: Page, lang: Lang): Promise<void> {
  if ((await page.locator('html').getAttribute('lang')) === lang) return;
  const forms = page.locator('form[action="/lang"]');
  const asButton = forms.locator(`button[name="lang"][value="${lang}"]`).filter({ visible: true });
  if ((await asButton.count()) > 0) {
    await asButton.first().click();
  } else {
    const form = forms.filter({ has: page.locator(`input[name="lang"][value="${lang}"]`) }).first();
    await expect(form, `a form posting lang=${lang} to /lang`).toHaveCount(1);
    const button = form.locator('button, input[type="submit"]').filter({ visible: true });
    if ((await button.count()) > 0) {
      await button.first().click();
    } else {
      await form.evaluate((f: HTMLFormElement) => f.requestSubmit());
    }
  }
  await expectLang(page, lang);
}

/** The visible navigation link with exactly this text. */
export function navLink(page: Page, text: string): Locator {
  return page.getByRole('link', { name: text, exact: true }).filter({ visible: true }).first();
}

/** Distinct ids of the links to `/<what>/<id>` on the page (the rows of a list). */
export async function linkedIds(page: Page, what: 'parties' | 'users'): Promise<string[]> {
  const hrefs = await page
    .locator(`a[href^="/${what}/"]`)
    .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  const re = new RegExp(`^/${what}/(\\d+)(?:[/?#].*)?$`);
  const ids = hrefs.map((h) => re.exec(h)?.[1]).filter((id): id is string => !!id);
  return [...new Set(ids)].sort();
}

/** Opens a list filtered down to one row (e.g. `/parties?q=name`) and returns that row's id. */
export async function onlyIdAt(page: Page, url: string, what: 'parties' | 'users'): Promise<string> {
  const res = await page.goto(url);
  expect(res?.status(), `GET ${url}`).toBe(200);
  const ids = await linkedIds(page, what);
  expect(ids, `rows linked from ${url}`).toHaveLength(1);
  return ids[0];
}

/** A browser context of its own (en-US), logged in as `email`, with the English interface. */
export async function asUser(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await login(page, email);
  await useLanguage(page, 'en');
  return page;
}

/** The value of the one option of `select` whose text contains `text`. */
export async function optionValue(select: Locator, text: string): Promise<string> {
  const option = select.locator('option').filter({ hasText: text });
  await expect(option, `one option "${text}"`).toHaveCount(1);
  return (await option.getAttribute('value')) ?? '';
}

/** The id of the engagement with this code, looked up through the API as the page's user. */
export async function engagementId(page: Page, code: string): Promise<string> {
  const res = await page.request.get(`/api/v1/engagements?q=${code}`);
  expect(res.status()).toBe(200);
  const items: { id: string; code: string }[] = (await res.json()).items;
  const found = items.find((e) => e.code === code);
  expect(found, `the engagement ${code}`).toBeTruthy();
  return String(found?.id ?? '');
}

/** Opens the dialog `id` with its button (keyboard: the button takes focus, Enter opens it)
 *  and waits for it to be open. */
export async function openDialog(page: Page, id: string): Promise<void> {
  const button = page.locator(`[data-dialog="${id}"]`).first();
  await button.focus();
  await page.keyboard.press('Enter');
  await expect(page.locator(`dialog#${id}`)).toHaveJSProperty('open', true);
}

/** Ticks `label` in the searchable checkbox list that stands for the multiple select `#id`,
 *  narrowing the list by typing first (as a person with a long list would). */
export async function tick(page: Page, id: string, label: string): Promise<void> {
  await page.locator(`#${id}-search`).fill(label);
  const option = page.locator(`#${id} + .checklist-box .checklist-option`, { hasText: label });
  await expect(option).toHaveCount(1);
  await option.locator('input[type="checkbox"]').check();
}
