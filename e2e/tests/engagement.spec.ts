// The PM starts an engagement, brings in a vendor and a client and plans it; each party then sees
// its own slice: the vendor its task (and reports progress on it), the client neither task and
// not even the vendor's name; a task hidden from a party answers 404 in the API as well.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { TEXT, choose, field, login, logout, navLink, openDialog, optionValue, submitOf, unique, useLanguage } from './helpers';

test.use({ locale: 'en-US' });

const PM = 'pm@xinghe.example';
const VENDOR_DEV = 'dev@yunfan.example';
const CLIENT_MANAGER = 'manager@hdlogistics.example';
// Demo parties (src/demo.rs).
const VENDOR = '云帆软件 Yunfan Software';
const CLIENT = '华东物流集团 East China Logistics';

/** The row of the table in the card `#section` whose first cell is `name`. */
function rowOf(page: Page, section: 'participants' | 'milestones' | 'tasks', name: string): Locator {
  return page
    .locator(`#${section} tbody tr`)
    .filter({ has: page.locator('td:first-child', { hasText: name }) });
}

/** Opens the engagement from the portfolio list, as a user would. */
async function openFromList(page: Page, name: string, id: string): Promise<void> {
  await navLink(page, TEXT.en.engagements).click();
  await expect(page).toHaveURL(/\/engagements$/);
  await page.locator('#engagement-rows').getByRole('link', { name, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/engagements/${id}$`));
}

test('PM plans an engagement; the vendor and the client each see only their slice', async ({ page }) => {
  test.slow();
  const suffix = unique();
  const code = `E2E-${suffix}`.toUpperCase();
  const name = `E2E Engagement ${suffix}`;
  const milestone = `E2E Milestone ${suffix}`;
  const vendorTask = `E2E Vendor task ${suffix}`;
  const internalTask = `E2E Internal task ${suffix}`;
  let id = '';
  let vendorTaskId = '';
  let internalTaskId = '';

  await test.step('the PM creates the engagement', async () => {
    await login(page, PM);
    await useLanguage(page, 'en');
    await navLink(page, TEXT.en.engagements).click();
    await expect(page).toHaveURL(/\/engagements$/);
    await page.locator('a[href="/engagements/new"]').first().click();
    await expect(page).toHaveURL(/\/engagements\/new$/);

    await field(page, 'code').fill(code);
    await field(page, 'name').fill(name);
    await choose(page, 'kind', 'vendor_delivery');
    await field(page, 'start_date').fill('2026-12-01');
    await field(page, 'end_date').fill('2027-06-30');
    await submitOf(page, 'code').click();

    await expect(page).toHaveURL(/\/engagements\/\d+$/);
    await expect(page.locator('[aria-invalid="true"]'), 'fields the server rejected').toHaveCount(0);
    id = /\/engagements\/(\d+)$/.exec(new URL(page.url()).pathname)?.[1] ?? '';
    const title = page.locator('h1');
    await expect(title).toContainText(code);
    await expect(title).toContainText(name);
  });

  await test.step('the PM adds the vendor and the client', async () => {
    const form = page.locator('form[action$="/participants"]');
    for (const [party, relation] of [
      [VENDOR, 'vendor'],
      [CLIENT, 'client'],
    ] as const) {
      await openDialog(page, 'participant-dialog');
      const partySelect = form.locator('#participant-party_id');
      await partySelect.selectOption(await optionValue(partySelect, party));
      await form.locator('#participant-relation').selectOption(relation);
      await form.locator('button[type="submit"]').click();
      await expect(rowOf(page, 'participants', party)).toHaveCount(1);
    }
    await expect(page.locator('#participants tbody tr')).toHaveCount(2);
  });

  await test.step('the PM adds a milestone for all participants', async () => {
    const form = page.locator('form[action$="/milestones"]');
    // The form is a dialog: it opens on its button with the first field focused, and a refused
    // submit brings it back open, on the field to fix, without reloading the page.
    await page.evaluate(() => { (window as unknown as { stayed: number }).stayed = 1; });
    await openDialog(page, 'milestone-dialog');
    await expect(form.locator('#milestone-name')).toBeFocused();
    await form.locator('button[type="submit"]').click();
    await expect(page.locator('dialog#milestone-dialog')).toHaveJSProperty('open', true);
    await expect(form.locator('#milestone-name')).toHaveAttribute('aria-invalid', 'true');
    await expect(form.locator('#milestone-name')).toBeFocused();
    await form.locator('#milestone-name').fill(milestone);
    await form.locator('#milestone-due_date').fill('2027-02-15');
    await form.locator('#milestone-visibility').selectOption('participants');
    await form.locator('button[type="submit"]').click();
    const row = rowOf(page, 'milestones', milestone);
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('2027-02-15');
    await expect(page.locator('dialog#milestone-dialog')).toHaveJSProperty('open', false);
    expect(await page.evaluate(() => (window as unknown as { stayed?: number }).stayed), 'no page load').toBe(1);
  });

  await test.step("the PM adds the vendor's task (default visibility) and an internal task", async () => {
    const form = page.locator('form[action$="/tasks"]');
    await openDialog(page, 'task-dialog');
    await form.locator('#task-name').fill(vendorTask);
    const partySelect = form.locator('#task-party_id');
    await partySelect.selectOption(await optionValue(partySelect, VENDOR));
    await expect(form.locator('#task-visibility')).toHaveValue('');
    await form.locator('#task-start_date').fill('2026-12-01');
    await form.locator('#task-finish_date').fill('2027-01-29');
    await form.locator('button[type="submit"]').click();
    const vendorRow = rowOf(page, 'tasks', vendorTask);
    await expect(vendorRow).toHaveCount(1);
    // Visible to the responsible party only: "One party · <the vendor>".
    await expect(vendorRow).toContainText(VENDOR);

    await openDialog(page, 'task-dialog');
    await form.locator('#task-name').fill(internalTask);
    await form.locator('#task-start_date').fill('2026-12-01');
    await form.locator('#task-finish_date').fill('2026-12-31');
    await form.locator('#task-visibility').selectOption('internal');
    await form.locator('button[type="submit"]').click();
    await expect(rowOf(page, 'tasks', internalTask)).toHaveCount(1);
    await expect(page.locator('#tasks tbody tr')).toHaveCount(2);
  });

  await test.step('the PM reads the task ids from the API', async () => {
    const res = await page.request.get(`/api/v1/engagements/${id}/tasks`);
    expect(res.status(), `GET /api/v1/engagements/${id}/tasks`).toBe(200);
    const items: { id: string; name: string; visibility: string }[] = (await res.json()).items;
    const vendor = items.find((t) => t.name === vendorTask);
    const internal = items.find((t) => t.name === internalTask);
    expect(vendor?.visibility).toBe('party');
    expect(internal?.visibility).toBe('internal');
    vendorTaskId = vendor?.id ?? '';
    internalTaskId = internal?.id ?? '';
    await logout(page);
  });

  await test.step("the vendor's developer sees its task and the milestone, not the internal task", async () => {
    await login(page, VENDOR_DEV);
    await useLanguage(page, 'en');
    await openFromList(page, name, id);
    await expect(rowOf(page, 'milestones', milestone)).toHaveCount(1);
    await expect(rowOf(page, 'tasks', vendorTask)).toHaveCount(1);
    await expect(page.locator('#tasks tbody tr')).toHaveCount(1);
    expect(await page.locator('body').innerText()).not.toContain(internalTask);
  });

  await test.step('the developer reports 50 % on its task', async () => {
    const row = rowOf(page, 'tasks', vendorTask);
    const form = row.locator(`form[action$="/tasks/${vendorTaskId}/progress"]`);
    await form.locator('input[name="progress"]').fill('50');
    await form.locator('button[type="submit"]').click();
    await expect(page).toHaveURL(new RegExp(`/engagements/${id}$`));
    await expect(row.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '50');
    await expect(row.locator('.progress-value')).toHaveText('50%');
  });

  await test.step('the API agrees: its task is there, the internal one answers 404', async () => {
    const mine = await page.request.get(`/api/v1/engagements/${id}/tasks/${vendorTaskId}`);
    expect(mine.status(), 'GET its own task').toBe(200);
    expect((await mine.json()).progress).toBe(50);
    const hidden = await page.request.get(`/api/v1/engagements/${id}/tasks/${internalTaskId}`);
    expect(hidden.status(), 'GET the internal task').toBe(404);
    await logout(page);
  });

  await test.step("the client's manager sees the milestone, no task and not the vendor", async () => {
    await login(page, CLIENT_MANAGER);
    await useLanguage(page, 'en');
    await openFromList(page, name, id);
    await expect(rowOf(page, 'milestones', milestone)).toHaveCount(1);
    await expect(rowOf(page, 'participants', CLIENT)).toHaveCount(1);
    const text = await page.locator('body').innerText();
    expect(text).not.toContain(vendorTask);
    expect(text).not.toContain(internalTask);
    expect(text).not.toContain('Yunfan');
    // Not in hidden markup either (options, titles, attributes).
    const html = await page.content();
    expect(html).not.toContain('Yunfan');
    expect(html).not.toContain(vendorTask);
    expect(html).not.toContain(internalTask);
  });
});
