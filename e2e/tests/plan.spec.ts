// The PM links two tasks of a new engagement on the plan tab (the successor moves at once: the plan
// schedules itself), saves a baseline, drags a bar and watches its successor follow, re-plans and
// looks at the Gantt chart in every zoom; the chart downloads as SVG, and a vendor that takes no
// part in the engagement finds neither the plan page nor its SVG (404).
import { expect, test, type Locator, type Page } from '@playwright/test';
import { TEXT, choose, field, login, logout, navLink, openDialog, submitOf, unique, useLanguage } from './helpers';

test.use({ locale: 'en-US' });

const PM = 'pm@xinghe.example';
const VENDOR_DEV = 'dev@yunfan.example';
const DESIGN = 'Design';
const BUILD = 'Build';
const BASELINE = 'Signed plan';

/** The value of the option of `select` whose text contains `text`. */
async function optionValue(select: Locator, text: string): Promise<string> {
  const option = select.locator('option').filter({ hasText: text });
  await expect(option, `one option "${text}"`).toHaveCount(1);
  return (await option.getAttribute('value')) ?? '';
}

/** The card of the plan tab titled by the heading `#<id>`. */
function card(page: Page, titleId: 'gantt-title' | 'baselines-title' | 'deps-title'): Locator {
  return page.locator(`section.card[aria-labelledby="${titleId}"]`);
}

/** The chart drawn on the page. */
function chart(page: Page): Locator {
  return page.locator('.gantt-box > svg');
}

/** A task's start date, as the JSON API answers it (the session signs the call). */
async function taskStart(page: Page, id: string, name: string): Promise<string> {
  const res = await page.request.get(`/api/v1/engagements/${id}/tasks?limit=100`);
  expect(res.status()).toBe(200);
  const list = (await res.json()) as { items: { name: string; start_date: string }[] };
  return list.items.find((t) => t.name === name)?.start_date ?? '';
}

/** The success toast (it fades after a few seconds, so look at once). */
function toast(page: Page): Locator {
  return page.locator('.toast-success');
}

test('PM links tasks, saves a baseline and re-plans; an outside vendor gets 404', async ({ page }) => {
  test.slow();
  const suffix = unique();
  const code = `E2E-${suffix}`.toUpperCase();
  const name = `E2E Plan ${suffix}`;
  let id = '';

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
    await expect(page.locator('h1')).toContainText(code);
  });

  await test.step('the PM adds the tasks "Design" and "Build" (no responsible party)', async () => {
    const form = page.locator('form[action$="/tasks"]');
    // Both start with the engagement: Build overlaps Design until they are linked.
    for (const [task, finish] of [
      [DESIGN, '2026-12-04'],
      [BUILD, '2026-12-08'],
    ] as const) {
      await openDialog(page, 'task-dialog');
      await form.locator('#task-name').fill(task);
      await form.locator('#task-party_id').selectOption('');
      await form.locator('#task-start_date').fill('2026-12-01');
      await form.locator('#task-finish_date').fill(finish);
      await form.locator('button[type="submit"]').click();
      await expect(page).toHaveURL(new RegExp(`/engagements/${id}$`));
      await expect(page.locator('[aria-invalid="true"]'), 'fields the server rejected').toHaveCount(0);
      await expect(
        page.locator('#tasks tbody tr').filter({ has: page.locator('td:first-child', { hasText: task }) }),
      ).toHaveCount(1);
    }
    await expect(page.locator('#tasks tbody tr')).toHaveCount(2);
  });

  await test.step('the PM opens the Plan tab', async () => {
    await page.locator('nav.tabs').getByRole('link', { name: 'Plan', exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/engagements/${id}/gantt$`));
    await expect(page.locator('nav.tabs a[aria-current="page"]')).toHaveText('Plan');
    await expect(card(page, 'deps-title')).toContainText('No dependencies yet.');
    await expect(chart(page)).toHaveCount(1);
  });

  await test.step('the PM links Design → Build (FS, lag 0)', async () => {
    const form = page.locator('form[action$="/dependencies"]');
    const predecessor = form.locator('select[name="predecessor_id"]');
    const successor = form.locator('select[name="successor_id"]');
    await predecessor.selectOption(await optionValue(predecessor, DESIGN));
    await successor.selectOption(await optionValue(successor, BUILD));
    await form.locator('select[name="type"]').selectOption('FS');
    await form.locator('input[name="lag_days"]').fill('0');
    await form.locator('button[type="submit"]').click();

    await expect(page).toHaveURL(new RegExp(`/engagements/${id}/gantt$`));
    await expect(toast(page)).toContainText('Dependency added.');
    const rows = card(page, 'deps-title').locator('tbody tr');
    await expect(rows).toHaveCount(1);
    await expect(rows.locator('td')).toHaveText([DESIGN, 'FS', BUILD, '0']);
    // Build moved at once, after Design (Tue 1 – Fri 4 December): to Monday 7 December.
    expect(await taskStart(page, id, BUILD)).toBe('2026-12-07');
    const svg = await chart(page).evaluate((el) => el.outerHTML);
    expect(svg, 'where Build came from').toContain('class="moved-from"');
  });

  await test.step('the chart draws both tasks and the arrow between them', async () => {
    await expect(chart(page)).toHaveCount(1);
    const svg = await chart(page).evaluate((el) => el.outerHTML);
    expect(svg, 'an arrow (path with marker-end)').toMatch(/<path[^>]*marker-end="url\(#arrow(-critical)?\)"/);
    expect(svg).toContain(`>${DESIGN}</text>`);
    expect(svg).toContain(`>${BUILD}</text>`);
  });

  await test.step(`the PM saves the baseline "${BASELINE}"`, async () => {
    const form = page.locator('form[action$="/baselines"]');
    await form.locator('input[name="name"]').fill(BASELINE);
    await form.locator('button[type="submit"]').click();

    await expect(page).toHaveURL(new RegExp(`/engagements/${id}/gantt\\?baseline=\\d+$`));
    await expect(page.locator('[aria-invalid="true"]'), 'fields the server rejected').toHaveCount(0);
    await expect(toast(page)).toContainText(`Baseline “${BASELINE}” saved.`);
    await expect(page.locator('#baseline option:checked')).toContainText(BASELINE);
    await expect(chart(page)).toHaveCount(1);
  });

  await test.step('the PM drags Design three days later; Build follows', async () => {
    const bar = chart(page).locator(`g.task[data-name="${DESIGN}"] rect.bar`);
    await bar.scrollIntoViewIfNeeded();
    const box = await bar.boundingBox();
    expect(box, 'the bar is drawn').not.toBeNull();
    if (!box) return;
    const px = Number(await chart(page).getAttribute('data-px'));
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width / 2, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + px, y, { steps: 3 });
    await page.mouse.move(box.x + box.width / 2 + 3 * px, y, { steps: 3 });
    await Promise.all([page.waitForEvent('load'), page.mouse.up()]);
    // Four working days from Friday 4 December; Build after it from Thursday 10 December.
    expect(await taskStart(page, id, DESIGN)).toBe('2026-12-04');
    expect(await taskStart(page, id, BUILD)).toBe('2026-12-10');
    await expect(page.locator('[data-gantt-error]')).toHaveCount(0);
  });

  await test.step('with the keyboard: a focused bar moves a working day with →', async () => {
    const design = chart(page).locator(`g.task[data-name="${DESIGN}"]`);
    await design.focus();
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('ArrowRight')]);
    expect(await taskStart(page, id, DESIGN), 'over the weekend').toBe('2026-12-07');
    // Back with ←: the plan returns where it was.
    await chart(page).locator(`g.task[data-name="${DESIGN}"]`).focus();
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('ArrowLeft')]);
    expect(await taskStart(page, id, DESIGN)).toBe('2026-12-04');
  });

  await test.step('the PM re-plans from the dependencies (and confirms)', async () => {
    const form = page.locator('form[action$="/schedule"]');
    await expect(form).toHaveAttribute('data-confirm', /earliest dates/);
    let asked = '';
    page.once('dialog', async (dialog) => {
      asked = dialog.message();
      await dialog.accept();
    });
    await form.getByRole('button', { name: 'Re-plan from dependencies' }).click();
    // Back on the same view: the zoom, and the baseline being compared with.
    await expect(page).toHaveURL(new RegExp(`/engagements/${id}/gantt\\?zoom=week&baseline=\\d+$`));
    expect(asked, 'the confirmation asked').toContain('earliest dates');
    // The plan already scheduled itself: nothing is left to move.
    await expect(toast(page)).toContainText('Plan re-scheduled. Tasks moved: 0.');
    await expect(page.locator('.alert-error')).toHaveCount(0);
    await expect(chart(page)).toHaveCount(1);
  });

  await test.step('every zoom loads the page with the chart', async () => {
    const zoom = page.getByRole('group', { name: 'Zoom' });
    for (const [label, value] of [
      ['Day', 'day'],
      ['Week', 'week'],
      ['Month', 'month'],
    ] as const) {
      const link = zoom.getByRole('link', { name: label, exact: true });
      await link.click();
      await expect(page).toHaveURL(new RegExp(`/engagements/${id}/gantt\\?zoom=${value}&baseline=\\d+$`));
      await expect(zoom.getByRole('link', { name: label, exact: true })).toHaveAttribute('aria-current', 'true');
      await expect(chart(page)).toHaveCount(1);
      expect(await chart(page).evaluate((el) => el.outerHTML)).toContain('marker-end');
    }
  });

  await test.step('"Download SVG" answers an SVG image', async () => {
    const svgHref = (await page.getByRole('link', { name: 'Download SVG' }).getAttribute('href')) ?? '';
    expect(svgHref).toMatch(new RegExp(`^/engagements/${id}/gantt\\.svg\\?zoom=month&baseline=\\d+$`));
    const res = await page.request.get(svgHref);
    expect(res.status(), `GET ${svgHref}`).toBe(200);
    expect(res.headers()['content-type']).toMatch(/^image\/svg\+xml\b/);
    const body = await res.text();
    expect(body).toMatch(/^<svg /);
    expect(body).toContain(`>${DESIGN}</text>`);
    expect(body).toContain(`>${BUILD}</text>`);
    await logout(page);
  });

  await test.step('a vendor outside the engagement gets 404 for the plan and its SVG', async () => {
    await login(page, VENDOR_DEV);
    await useLanguage(page, 'en');
    const url = `/engagements/${id}/gantt`;
    const res = await page.goto(url);
    expect(res?.status(), `GET ${url}`).toBe(404);
    const svg = await page.request.get(`/engagements/${id}/gantt.svg`);
    expect(svg.status(), `GET /engagements/${id}/gantt.svg`).toBe(404);
    expect((await page.locator('body').innerText()).includes(name), 'engagement name on the 404 page').toBe(false);
  });
});
