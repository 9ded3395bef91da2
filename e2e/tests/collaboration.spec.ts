// Working together on one record of the demo engagement XH-2026-001: the PM reads the dashboard,
// comments on the vendor's task mentioning its developer and attaches a file (an executable is
// refused); the developer follows the notification to the task, downloads the file and finds it
// with the search box; the client, who may not see the vendor's task, gets 404 for its page,
// finds nothing of it in the search and filters the portfolio by health.
import * as fs from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { TEXT, login, logout, navLink, unique, useLanguage } from './helpers';

test.use({ locale: 'en-US' });

const PM = 'pm@xinghe.example';
const VENDOR_DEV = 'dev@yunfan.example';
const CLIENT_MEMBER = 'member@hdlogistics.example';
// Demo data (src/demo.rs).
const CODE = 'XH-2026-001';
const ENGAGEMENT = '华东物流 移动调度 App 外包开发';
const TASK = '司机端 App Driver app';
const PM_NAME = '陈静 Chen Jing';

/** A notification as the API lists it. */
interface Notice {
  id: string | number;
  kind: string;
  subject_kind: string;
  subject_id: string | number;
  created_at: string;
}

/** The success toast (it fades after a few seconds, so look at once). */
function toast(page: Page): Locator {
  return page.locator('.toast-success');
}

/** The unread count in the topbar bell (absent when everything is read). */
function bellBadge(page: Page): Locator {
  return page.locator('#bell [data-testid="unread"]');
}

/** The unread count shown by the bell, 0 without a badge. */
async function unreadCount(page: Page): Promise<number> {
  if ((await bellBadge(page).count()) === 0) return 0;
  return Number((await bellBadge(page).innerText()).trim());
}

/** The row of the documents table of the page whose name is `name`. */
function documentRow(page: Page, name: string): Locator {
  return page
    .locator('#documents tbody tr')
    .filter({ has: page.locator('td:first-child a', { hasText: name }) });
}

/** Searches with the box in the topbar, as a user would (type, Enter). */
async function topbarSearch(page: Page, q: string): Promise<void> {
  const box = page.locator('#topbar-q');
  await box.fill(q);
  await box.press('Enter');
  await expect(page).toHaveURL(/\/search\?q=/);
  await expect(page.locator('#search-q')).toHaveValue(q);
}

/** The hits of the search page (links in its results table). */
function searchHits(page: Page): Locator {
  return page.locator('main table tbody tr');
}

test('PM comments and attaches a file; the mentioned vendor follows up; the client sees none of it', async ({
  page,
}) => {
  test.slow();
  const suffix = unique();
  // Something no one else has written: the comment's words and the file's name.
  const phrase = `离线签收确认${suffix}`;
  const comment = `@李娜 请按附件接口说明完成${phrase}，谢谢。`;
  const fileName = `接口说明-${suffix}.txt`;
  const fileText = `接口说明 ${suffix}\nGET /orders\nPOST /orders/{id}/sign\n`;
  let id = '';
  let taskId = '';
  let taskUrl = '';
  let downloadUrl = '';
  let unreadBefore = 0;
  let postedAt = 0;

  await test.step('the PM opens the engagement from the portfolio and sees its dashboard', async () => {
    await login(page, PM);
    await useLanguage(page, 'en');
    const res = await page.request.get(`/api/v1/engagements?q=${CODE}`);
    expect(res.status(), `GET /api/v1/engagements?q=${CODE}`).toBe(200);
    const items: { id: string | number; code: string }[] = (await res.json()).items;
    const found = items.find((e) => e.code === CODE);
    expect(found, `the engagement ${CODE}`).toBeTruthy();
    id = String(found?.id ?? '');

    await navLink(page, TEXT.en.engagements).click();
    await expect(page).toHaveURL(/\/engagements$/);
    await expect(page.locator('#portfolio-summary')).toBeVisible();
    await page.locator('#engagement-rows').getByRole('link', { name: ENGAGEMENT, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/engagements/${id}$`));
    await expect(page.locator('h1')).toContainText(CODE);

    const tabs = page.locator('nav.tabs');
    await expect(tabs.locator('a')).toHaveText(['Overview', 'Plan', 'Requirements', 'Changes', 'Risks', 'Issues', 'Warnings', 'Costs', 'Contracts', 'Acceptance', 'Documents', 'Activity']);
    await expect(tabs.locator('a[aria-current="page"]')).toHaveText('Overview');

    const dashboard = page.locator('#dashboard');
    await expect(dashboard).toBeVisible();
    await expect(dashboard.locator('.stat-value').first()).toHaveText(/^\d{1,3}%$/);
    await expect(dashboard.getByTestId('overdue-count')).toHaveText(/^\d+$/);
    await expect(dashboard.getByTestId('due-soon-count')).toHaveText(/^\d+$/);
    // The demo engagement has milestones: each one a dated link on the timeline.
    const milestones = dashboard.locator('ol.timeline > li');
    expect(await milestones.count(), 'milestones on the timeline').toBeGreaterThan(0);
    await expect(milestones.first().locator('a.timeline-name')).toHaveAttribute(
      'href',
      new RegExp(`^/engagements/${id}/milestones/\\d+$`),
    );
    await expect(milestones.first().locator('.timeline-date')).toHaveText(/^\d{4}-\d{2}-\d{2}$/);
  });

  await test.step(`the PM opens the task "${TASK}"`, async () => {
    const res = await page.request.get(`/api/v1/engagements/${id}/tasks`);
    expect(res.status(), `GET /api/v1/engagements/${id}/tasks`).toBe(200);
    const items: { id: string | number; name: string; visibility: string }[] = (await res.json()).items;
    const task = items.find((t) => t.name === TASK);
    expect(task, `the task ${TASK}`).toBeTruthy();
    // Visible to the vendor only: the client must not reach it (last step).
    expect(task?.visibility).toBe('party');
    taskId = String(task?.id ?? '');
    taskUrl = `/engagements/${id}/tasks/${taskId}`;

    const opened = await page.goto(taskUrl);
    expect(opened?.status(), `GET ${taskUrl}`).toBe(200);
    await expect(page.locator('h1')).toContainText(TASK);
    await expect(page.locator('h1 .badge')).toHaveText('Task');
    await expect(page.locator('#comments')).toBeVisible();
    await expect(page.locator('#documents')).toBeVisible();
  });

  await test.step('the PM comments, mentioning @李娜', async () => {
    const comments = page.locator('#comments');
    await comments.locator('#comment-body').fill(comment);
    // Same machine, same clock; a second of slack for the stored time's precision.
    postedAt = Date.now() - 1_000;
    await comments.getByRole('button', { name: 'Comment', exact: true }).click();

    // Back on the task, at the new comment.
    await expect(page).toHaveURL(new RegExp(`${taskUrl}#comment-\\d+$`));
    await expect(toast(page)).toContainText('Comment posted.');
    const mine = comments.locator('li.comment').filter({ hasText: phrase });
    await expect(mine).toHaveCount(1);
    await expect(mine.locator('.comment-text')).toHaveText(comment);
    await expect(mine.locator('.comment-meta')).toContainText(PM_NAME);
    const anchor = new URL(page.url()).hash.slice(1);
    await expect(mine).toHaveAttribute('id', anchor);
    await expect(comments.locator('#comment-body'), 'the form is empty again').toHaveValue('');
  });

  await test.step(`the PM attaches "${fileName}"`, async () => {
    const docs = page.locator('#documents');
    const before = await docs.locator('tbody tr').count();
    await docs.locator('#upload-file').setInputFiles({
      name: fileName,
      mimeType: 'text/plain',
      buffer: Buffer.from(fileText, 'utf8'),
    });
    await docs.locator('form[enctype="multipart/form-data"] button[type="submit"]').click();

    await expect(page).toHaveURL(new RegExp(`${taskUrl}#documents$`));
    await expect(toast(page)).toContainText(`Uploaded “${fileName}”.`);
    await expect(page.locator('.alert-error')).toHaveCount(0);
    await expect(docs.locator('tbody tr')).toHaveCount(before + 1);
    const row = documentRow(page, fileName);
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('text/plain');
    await expect(row).toContainText('v1');
    // Files on the vendor's task keep its visibility: one party.
    await expect(row).toContainText('One party');
    const download = row.getByRole('link', { name: /Download/ });
    await expect(download).toHaveAttribute('href', /^\/documents\/\d+\/download$/);
    downloadUrl = (await download.getAttribute('href')) ?? '';
  });

  await test.step('an executable is refused and not listed', async () => {
    const docs = page.locator('#documents');
    const before = await docs.locator('tbody tr').count();
    await docs.locator('#upload-file').setInputFiles({
      name: 'setup.exe',
      mimeType: 'application/octet-stream',
      buffer: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(126, 0x90)]),
    });
    await docs.locator('form[enctype="multipart/form-data"] button[type="submit"]').click();

    await expect(page.locator('.alert-error')).toContainText('This kind of file is not accepted');
    await expect(toast(page)).toHaveCount(0);
    await expect(page.locator('h1')).toContainText(TASK);
    await expect(docs.locator('tbody tr')).toHaveCount(before);
    await expect(documentRow(page, 'setup.exe')).toHaveCount(0);
    await expect(docs).not.toContainText('setup.exe');
    await logout(page);
  });

  await test.step('the mentioned developer sees an unread notice in the bell', async () => {
    await login(page, VENDOR_DEV);
    await useLanguage(page, 'en');
    await expect(bellBadge(page)).toBeVisible();
    await expect(bellBadge(page)).toHaveText(/^\d+$/);
    unreadBefore = await unreadCount(page);
  });

  await test.step('the developer follows the mention from the notifications to the task', async () => {
    expect(unreadBefore, 'unread notices').toBeGreaterThan(0);
    // Which notice is the PM's mention just now? (The demo data has an older one on the same task.)
    const res = await page.request.get('/api/v1/notifications?unread=true');
    expect(res.status(), 'GET /api/v1/notifications?unread=true').toBe(200);
    const notices: Notice[] = (await res.json()).items;
    const fresh = notices.filter(
      (n) =>
        n.kind === 'mention' &&
        n.subject_kind === 'task' &&
        String(n.subject_id) === taskId &&
        Date.parse(n.created_at) >= postedAt,
    );
    expect(fresh, 'one new mention notice on the task').toHaveLength(1);
    const noticeId = String(fresh[0].id);

    await page.locator('#bell').click();
    await expect(page).toHaveURL(/\/notifications$/);
    await expect(page.locator('h1 .count')).toHaveText(String(unreadBefore));
    const notice = page
      .locator('#notification-list > li')
      .filter({ has: page.locator(`a[href="/notifications/${noticeId}/open"]`) });
    await expect(notice).toHaveCount(1);
    await expect(notice).toHaveClass(/\bnotice-unread\b/);
    await expect(notice.locator('.badge')).toHaveText('Mentioned');
    await expect(notice).toContainText(TASK);
    await expect(notice).toContainText(CODE);
    await notice.getByRole('link', { name: TASK }).click();

    // The notice leads to the task, at the comment that mentions her; the file is there too.
    await expect(page).toHaveURL(new RegExp(`${taskUrl}#comment-\\d+$`));
    await expect(page.locator('h1')).toContainText(TASK);
    const theComment = page.locator('#comments li.comment').filter({ hasText: phrase });
    await expect(theComment).toHaveCount(1);
    await expect(theComment.locator('.comment-meta')).toContainText(PM_NAME);
    await expect(documentRow(page, fileName)).toHaveCount(1);

    // Read now: the bell counts one less, and the list no longer marks it.
    if (unreadBefore === 1) {
      await expect(bellBadge(page)).toHaveCount(0);
    } else {
      await expect(bellBadge(page)).toHaveText(String(unreadBefore - 1));
    }
    await page.goto('/notifications');
    await expect(notice).not.toHaveClass(/\bnotice-unread\b/);
    if (unreadBefore > 1) await expect(page.locator('h1 .count')).toHaveText(String(unreadBefore - 1));
    await page.goto(taskUrl);
  });

  await test.step(`the developer downloads "${fileName}"`, async () => {
    const link = documentRow(page, fileName).getByRole('link', { name: /Download/ });
    await expect(link).toHaveAttribute('href', downloadUrl);
    const downloading = page.waitForEvent('download');
    // With the keyboard: in the narrow Documents card the sticky name column lies over the
    // Download button once the table scrolls sideways, so a mouse click does not reach it.
    await link.focus();
    await page.keyboard.press('Enter');
    const download = await downloading;
    expect(download.suggestedFilename()).toContain(suffix);
    expect(download.suggestedFilename()).toBe(fileName);
    const saved = await download.path();
    expect(fs.readFileSync(saved, 'utf8'), 'the bytes uploaded').toBe(fileText);
  });

  await test.step('the developer finds the file with the topbar search', async () => {
    await topbarSearch(page, fileName);
    const hit = searchHits(page).filter({ hasText: fileName });
    await expect(hit).toHaveCount(1);
    await expect(hit.locator('.badge')).toHaveText('Document');
    await expect(hit).toContainText(CODE);
    await hit.getByRole('link', { name: fileName }).click();
    await expect(page).toHaveURL(/\/documents\/\d+$/);
    await expect(page.locator('main')).toContainText(fileName);

    // The comment's words are found too (a Chinese phrase, taken from the middle of the text).
    await topbarSearch(page, phrase);
    const commentHit = searchHits(page).filter({ has: page.locator('.badge', { hasText: 'Comment' }) });
    await expect(commentHit).toHaveCount(1);
    await expect(commentHit).toContainText(TASK);
    await logout(page);
  });

  await test.step("the client gets 404 for the vendor's task page", async () => {
    await login(page, CLIENT_MEMBER);
    await useLanguage(page, 'en');
    const res = await page.goto(taskUrl);
    expect(res?.status(), `GET ${taskUrl}`).toBe(404);
    const text = await page.locator('body').innerText();
    expect(text, 'task name on the 404 page').not.toContain(TASK);
    expect(text, 'comment on the 404 page').not.toContain(phrase);
    // The file is out of reach as well.
    const file = await page.request.get(downloadUrl);
    expect(file.status(), `GET ${downloadUrl}`).toBe(404);
    await page.goto('/');
  });

  await test.step('the search finds neither the comment nor the file for the client', async () => {
    for (const q of [phrase, fileName]) {
      await topbarSearch(page, q);
      await expect(page.locator('main')).toContainText('Nothing you can see matches.');
      await expect(searchHits(page)).toHaveCount(0);
    }
  });

  await test.step('the client filters the portfolio by health', async () => {
    const res = await page.request.get(`/api/v1/engagements?q=${CODE}`);
    expect(res.status(), `GET /api/v1/engagements?q=${CODE}`).toBe(200);
    const items: { code: string; health: string }[] = (await res.json()).items;
    const health = items.find((e) => e.code === CODE)?.health ?? '';
    expect(['green', 'amber', 'red'], `health of ${CODE}`).toContain(health);
    const label = { green: 'On track', amber: 'At risk', red: 'Off track' }[health as 'green' | 'amber' | 'red'];

    await navLink(page, TEXT.en.engagements).click();
    await expect(page).toHaveURL(/\/engagements$/);
    await expect(page.locator('#portfolio-summary')).toBeVisible();
    const filter = page.locator('form.filter-bar');
    await filter.locator('#health').selectOption(health);
    await filter.locator('button[type="submit"]').click();

    await expect(page).toHaveURL(new RegExp(`/engagements\\?.*health=${health}`));
    await expect(page.locator('#health')).toHaveValue(health);
    const rows = page.locator('#engagement-rows > tr');
    await expect(rows.filter({ hasText: CODE })).toHaveCount(1);
    // Every row left has that health.
    const count = await rows.count();
    for (let i = 0; i < count; i++) {
      await expect(rows.nth(i).locator('.health')).toHaveText(label);
    }
    // The summary counts the filtered portfolio: all of it in that health.
    const summary = page.locator('#portfolio-summary');
    await expect(summary.locator('.stat-value').first()).toHaveText(String(count));
    await expect(summary.locator(`a[href="/engagements?health=${health}"] .stat-value`)).toHaveText(String(count));
  });
});
