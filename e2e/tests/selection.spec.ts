// A selection (比选) from invitation to award, in four browsers: the PM opens it on a fresh
// engagement with an evaluator and invites two vendors; each vendor sees only its own invitation
// and bid; bids stay sealed until bidding closes; the evaluator scores both while the ranking
// waits for every sheet; the PM awards the leader, which makes the winner a participant of the
// engagement and drafts its contract; each vendor reads only its own outcome.
import { expect, test, type Page } from '@playwright/test';
import { asUser, choose, field, optionValue, submitOf, tick, unique } from './helpers';

test.use({ locale: 'en-US' });

const PM = 'pm@xinghe.example';
const EVALUATOR = 'member@xinghe.example';
const EVALUATOR_NAME = 'Liu Yang';
const YUNFAN_MANAGER = 'manager@yunfan.example';
const SHUZHI_MANAGER = 'manager@shuzhi.example';
const YUNFAN = '云帆软件 Yunfan Software';
const SHUZHI = '数智测试 Shuzhi QA';

/** Opens the selection from the viewer's list of selections, as a user would. */
async function openFromList(page: Page, title: string): Promise<void> {
  await page.goto('/selections');
  await page.getByRole('link', { name: title, exact: true }).click();
  await expect(page.locator('h1')).toContainText(title);
}

/** Fills one evaluator's sheet for the bid of `vendorId`, criterion by criterion, and saves it. */
async function scoreBid(page: Page, vendorId: string, scores: number[]): Promise<void> {
  const sheet = page.locator(`#bid-${vendorId} form`);
  const inputs = sheet.locator('input.score-input');
  await expect(inputs).toHaveCount(scores.length);
  for (let i = 0; i < scores.length; i++) await inputs.nth(i).fill(String(scores[i]));
  await sheet.getByRole('button', { name: 'Save my scores' }).click();
  await expect(page.locator('.toast-success')).toContainText('Scores saved');
}

test('a selection from invitation to award: PM, two vendors and an evaluator', async ({ browser }) => {
  test.slow();
  const tag = unique();
  const code = `SEL-${tag}`.toUpperCase();
  const engagementName = `Warehouse scanners ${tag}`;
  const title = `Scanner app RFQ ${tag}`;
  const pm = await asUser(browser, PM);
  const evaluator = await asUser(browser, EVALUATOR);
  const yunfan = await asUser(browser, YUNFAN_MANAGER);
  const shuzhi = await asUser(browser, SHUZHI_MANAGER);
  let engagementUrl = '';
  let selectionUrl = '';
  let yunfanId = '';
  let shuzhiId = '';

  await test.step('the PM starts an engagement the winner will work in', async () => {
    await pm.goto('/engagements/new');
    await field(pm, 'code').fill(code);
    await field(pm, 'name').fill(engagementName);
    await choose(pm, 'kind', 'outsourced_development');
    await field(pm, 'start_date').fill('2027-01-04');
    await field(pm, 'end_date').fill('2027-06-30');
    await submitOf(pm, 'code').click();
    await expect(pm).toHaveURL(/\/engagements\/\d+$/);
    engagementUrl = new URL(pm.url()).pathname;
    // Before any award, neither vendor is in it.
    expect((await shuzhi.goto(engagementUrl))?.status()).toBe(404);
  });

  await test.step('the PM opens the selection; weights from a template, a missing deadline refused first', async () => {
    await pm.goto('/selections');
    await pm.getByRole('link', { name: 'New selection' }).first().click();
    await expect(pm).toHaveURL(/\/selections\/new$/);
    await pm.locator('#title').fill(title);
    const engagement = pm.locator('#engagement_id');
    await engagement.selectOption(await optionValue(engagement, code));
    await pm.locator('#scope').fill('Android app for handheld scanners: receiving, picking, stock counts.');
    await pm.locator('#budget_min').fill('150000');
    await pm.locator('#budget_max').fill('250000');
    // The template fills the criteria box, which stays editable.
    await pm.locator('#template').selectOption({ value: 'price_first' });
    await expect(pm.locator('#criteria')).toHaveValue(/^Price 60\n/);
    await pm.locator('#template').selectOption({ value: 'standard' });
    await expect(pm.locator('#criteria')).toHaveValue('Price 30\nCapability 25\nQuality 20\nDelivery 15\nService 10');
    await tick(pm, 'evaluator_ids', EVALUATOR_NAME);
    await pm.getByRole('button', { name: 'Open the selection' }).click();
    await expect(pm.locator('#deadline')).toHaveAttribute('aria-invalid', 'true');
    await expect(pm.locator('#deadline-error')).toBeVisible();
    await expect(pm.locator('#title'), 'input kept after the error').toHaveValue(title);

    await pm.locator('#deadline').fill('2027-01-15T17:00');
    await pm.getByRole('button', { name: 'Open the selection' }).click();
    await expect(pm.locator('.toast-success')).toContainText('Selection opened');
    await expect(pm.locator('h1')).toContainText(title);
    await expect(pm.locator('h1 .badge')).toHaveText('Bidding');
    selectionUrl = new URL(pm.url()).pathname;
    await expect(pm.locator('#criteria-title')).toBeVisible();
    await expect(pm.locator('#evaluators')).toContainText(EVALUATOR_NAME);
  });

  await test.step('the PM invites Yunfan and Shuzhi', async () => {
    for (const vendor of [YUNFAN, SHUZHI]) {
      const select = pm.locator('#invite-vendor');
      await select.selectOption(await optionValue(select, vendor));
      await pm.getByRole('button', { name: 'Invite', exact: true }).click();
      await expect(pm.locator('.toast-success')).toContainText('Vendor invited');
    }
    const rows = pm.locator('#invitations tbody tr');
    await expect(rows).toHaveCount(2);
    await expect(rows.filter({ hasText: YUNFAN })).toContainText('Awaited');
    yunfanId = (await rows.filter({ hasText: YUNFAN }).locator('a').getAttribute('href'))?.split('/').pop() ?? '';
    shuzhiId = (await rows.filter({ hasText: SHUZHI }).locator('a').getAttribute('href'))?.split('/').pop() ?? '';
    expect(yunfanId).toMatch(/^\d+$/);
    expect(shuzhiId).toMatch(/^\d+$/);
  });

  await test.step('Yunfan sees its own invitation only and bids with a proposal document', async () => {
    await openFromList(yunfan, title);
    await expect(yunfan.locator('body')).not.toContainText(SHUZHI);
    await expect(yunfan.locator('body'), 'the budget is the host\'s').not.toContainText('250,000');
    await expect(yunfan.locator('#ranking')).toHaveCount(0);
    await yunfan.locator('#bid-price').fill('abc');
    await yunfan.locator('#bid-summary').fill('Native Android, 12 weeks, two developers and a tester.');
    await yunfan.getByRole('button', { name: 'Submit your bid' }).click();
    await expect(yunfan.locator('#bid-price')).toHaveAttribute('aria-invalid', 'true');
    await expect(yunfan.locator('#bid-summary'), 'input kept').toHaveValue(/Native Android/);

    await yunfan.locator('#bid-price').fill('198000');
    await yunfan.locator('#bid-file').setInputFiles({
      name: 'yunfan-proposal.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('云帆软件 proposal: scanner app, 12 weeks.', 'utf8'),
    });
    await yunfan.getByRole('button', { name: 'Submit your bid' }).click();
    await expect(yunfan.locator('.toast-success')).toContainText('Bid submitted');
    await expect(yunfan.locator('#bid')).toContainText('¥198,000.00');
    await expect(yunfan.locator('#bid')).toContainText('yunfan-proposal.txt');
  });

  await test.step('Shuzhi bids; bids stay sealed from the PM while bidding lasts', async () => {
    await openFromList(shuzhi, title);
    await expect(shuzhi.locator('body')).not.toContainText(YUNFAN);
    await expect(shuzhi.locator('body')).not.toContainText('198,000');
    await shuzhi.locator('#bid-price').fill('176500');
    await shuzhi.locator('#bid-summary').fill('Cross-platform app, 10 weeks, with automated test suite.');
    await shuzhi.getByRole('button', { name: 'Submit your bid' }).click();
    await expect(shuzhi.locator('.toast-success')).toContainText('Bid submitted');
    await expect(shuzhi.locator('#bid')).toContainText('¥176,500.00');

    await pm.goto(selectionUrl);
    await expect(pm.locator('#invitations tbody tr').filter({ hasText: SHUZHI })).toContainText('Bid in');
    await expect(pm.locator('body')).not.toContainText('198,000');
    await expect(pm.locator('#scoring')).toHaveCount(0);
  });

  await test.step('the PM closes bidding early; a late revision is refused', async () => {
    pm.once('dialog', (d) => d.accept());
    await pm.getByRole('button', { name: 'Close bidding now' }).click();
    await expect(pm.locator('.toast-success')).toContainText('Bidding closed');
    await expect(pm.locator('h1 .badge')).toHaveText('Evaluating');
    await expect(pm.locator('#scoring')).toContainText('¥198,000.00');
    await expect(pm.locator('#scoring')).toContainText('¥176,500.00');
    await expect(pm.locator('#ranking')).toContainText('0 sheets in');

    await yunfan.reload();
    await expect(yunfan.getByRole('button', { name: /Submit your bid|Revise/ })).toHaveCount(0);
    const late = await yunfan.request.post(`/api/v1${selectionUrl}/bids`, {
      headers: { 'X-CSRF-Token': (await yunfan.locator('meta[name="csrf-token"]').getAttribute('content')) ?? '' },
      data: { price: { amount: '150000', currency: 'CNY' }, summary: 'A late discount' },
    });
    expect(late.status()).toBe(409);
    expect((await late.json()).detail).toContain('Bidding has ended');
  });

  await test.step('the evaluator scores; the ranking opens only when every sheet is in', async () => {
    await openFromList(evaluator, title);
    // Price, capability, quality, delivery, service (the standard template).
    await scoreBid(evaluator, yunfanId, [70, 90, 85, 80, 85]);
    await expect(evaluator.locator('#ranking')).toContainText('1 sheets in');
    await expect(evaluator.locator('#comparison')).toHaveCount(0);
    const sheet = evaluator.locator(`#bid-${shuzhiId} form`);
    await sheet.locator('input.score-input').first().fill('140');
    await sheet.getByRole('button', { name: 'Save my scores' }).click();
    // Each box says what is wrong with it: out of range, or left empty.
    await expect(sheet.locator('.field-error')).toHaveCount(5);
    await expect(sheet.locator('.field-error').first()).toHaveText('Use a number from 0 to 100.');
    await expect(sheet.locator('input.score-input').first()).toHaveAttribute('aria-invalid', 'true');
    await expect(sheet.locator('input.score-input').first(), 'input kept').toHaveValue('140');
    await scoreBid(evaluator, shuzhiId, [90, 80, 80, 85, 80]);
    const table = evaluator.locator('#comparison');
    await expect(table).toBeVisible();
    // Yunfan 0.30·70 + 0.25·90 + 0.20·85 + 0.15·80 + 0.10·85 = 81.0; Shuzhi 83.8.
    await expect(table.locator('thead th').nth(1)).toContainText(`#1 ${SHUZHI}`);
    await expect(table.locator('thead th').nth(2)).toContainText(`#2 ${YUNFAN}`);
    await expect(table.locator('tr').last()).toContainText('83.8');
    await expect(table.locator('tr').last()).toContainText('81.0');
    await expect(evaluator.locator('svg.chart')).toContainText(SHUZHI);
    // An evaluator scores; the award is the PM's.
    await expect(evaluator.locator('#award')).toHaveCount(0);
  });

  await test.step('the vendors never see the ranking', async () => {
    await shuzhi.reload();
    await expect(shuzhi.locator('#ranking, #comparison')).toHaveCount(0);
    const res = await shuzhi.request.get(`/api/v1${selectionUrl}/ranking`);
    expect(res.status()).toBe(403);
  });

  await test.step('the PM awards the leader with a justification; a draft contract follows', async () => {
    await pm.goto(selectionUrl);
    const award = pm.locator('#award');
    await award.locator('#award-vendor').selectOption({ value: shuzhiId });
    await award.getByRole('button', { name: 'Award the selection' }).click();
    await expect(pm.locator('#award-justification')).toHaveAttribute('aria-invalid', 'true');
    await award.locator('#award-justification').fill('Highest weighted total (83.8) and the lowest price within budget.');
    await award.getByRole('button', { name: 'Award the selection' }).click();
    await expect(pm.locator('.toast-success')).toContainText('Awarded');
    await expect(pm.locator('h1 .badge')).toHaveText('Awarded');
    await expect(pm.locator('.alert-success')).toContainText(`Awarded to ${SHUZHI}`);
    await pm.getByRole('link', { name: 'Draft contract' }).click();
    await expect(pm.locator('h1 .badge')).toHaveText('Draft');
    await expect(pm.locator('body')).toContainText('176,500.00');
  });

  await test.step('the winner joins the engagement; each vendor reads its own outcome', async () => {
    await shuzhi.goto(selectionUrl);
    await expect(shuzhi.locator('.alert-success')).toContainText('Your organisation won this selection');
    expect((await shuzhi.goto(engagementUrl))?.status()).toBe(200);
    await expect(shuzhi.locator('h1')).toContainText(engagementName);

    await yunfan.goto(selectionUrl);
    await expect(yunfan.locator('.alert-info')).toContainText('went to another vendor');
    await expect(yunfan.locator('body')).not.toContainText(SHUZHI);
    expect((await yunfan.goto(engagementUrl))?.status()).toBe(404);
  });
});
