// Clause to cash on the demo engagement XH-2026-001, with three people in three browsers: the PM
// adds a deliverable and a vendor contract whose acceptance clause names it and whose one
// installment waits for its initial acceptance; the PM and the vendor's manager sign; the vendor
// submits the deliverable; the client's manager rejects it (a failed item needs a note) and a
// defect opens; the vendor fixes it and resubmits; the client accepts; all three sign; the
// installment is now due and the PM records the payment. The client never sees the contract.
import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD, asUser, engagementId, openDialog, unique } from './helpers';

test.use({ locale: 'en-US' });

const PM = 'pm@xinghe.example';
const VENDOR_MANAGER = 'manager@yunfan.example';
const CLIENT_MANAGER = 'manager@hdlogistics.example';
const CODE = 'XH-2026-001';

/** Submits the form that holds `selector` with its own submit button. */
async function submitForm(page: Page, selector: string): Promise<void> {
  await page.locator('form').filter({ has: page.locator(selector) }).first().locator('button[type="submit"]').click();
}

test('clause to cash: contract, rejected then accepted deliverable, signatures, payment', async ({ browser }) => {
  test.slow();
  const tag = unique();
  const deliverable = `Route planner ${tag}`;
  const number = `E2E-${tag}`;
  const pm = await asUser(browser, PM);
  const vendor = await asUser(browser, VENDOR_MANAGER);
  const client = await asUser(browser, CLIENT_MANAGER);
  const id = await engagementId(pm, CODE);
  let deliverableId = '';
  let contractUrl = '';
  let acceptanceUrl = '';

  await test.step('the PM adds a deliverable with two acceptance criteria', async () => {
    await pm.goto(`/engagements/${id}`);
    await openDialog(pm, 'deliverable-dialog');
    await pm.locator('#deliverable-name').fill(deliverable);
    await pm.locator('#deliverable-due_date').fill('2027-02-26');
    await pm.locator('#deliverable-owner_party_id').selectOption({ label: '云帆软件 Yunfan Software' });
    await pm.locator('#deliverable-criteria').fill('Routes computed in under 2 s\nWorks offline');
    await submitForm(pm, '#deliverable-name');
    await expect(pm.locator('.toast-success')).toContainText(deliverable);
    const href = await pm.locator('#deliverables a', { hasText: deliverable }).getAttribute('href');
    deliverableId = href?.split('/').pop() ?? '';
    expect(deliverableId).toMatch(/^\d+$/);
  });

  await test.step('the PM drafts a vendor contract; a missing number is refused first', async () => {
    await pm.goto('/contracts');
    await pm.getByRole('link', { name: 'New contract' }).click();
    await pm.locator('#title').fill(`Route planner build ${tag}`);
    await pm.locator('#counterparty_id').selectOption({ label: 'Vendor · 云帆软件 Yunfan Software' });
    await pm.locator(`#engagement_ids + .checklist-box input[value="${id}"]`).check();
    await pm.locator('#total').fill('50000');
    await pm.getByRole('button', { name: 'Create contract' }).click();
    await expect(pm.locator('#number')).toHaveAttribute('aria-invalid', 'true');
    await expect(pm.locator('#number-error')).toBeVisible();
    await pm.locator('#number').fill(number);
    await pm.getByRole('button', { name: 'Create contract' }).click();
    await expect(pm.locator('.toast-success')).toContainText(number);
    await expect(pm.locator('h1')).toContainText(number);
    await expect(pm.locator('h1 .badge')).toHaveText('Draft');
    contractUrl = new URL(pm.url()).pathname;
  });

  await test.step('the acceptance clause comes from the library and names the deliverable', async () => {
    await pm.locator('#clause-template').selectOption({ value: 'builtin:acceptance' });
    await pm.locator('#clause-deliverable').selectOption({ label: deliverable });
    await submitForm(pm, '#clause-template');
    await expect(pm.locator('.toast-success')).toContainText('Clause added');
    await expect(pm.locator('[data-testid="clause-list"]')).toContainText('Acceptance');
    await expect(pm.locator('[data-testid="clause-list"]')).toContainText(deliverable);
  });

  await test.step('one installment, the whole amount, on initial acceptance', async () => {
    await pm.getByText('Add installment', { exact: true }).first().click();
    await pm.locator('#inst-name').fill('On initial acceptance');
    await pm.locator('#inst-percent').fill('100');
    await pm.locator('#inst-trigger').selectOption({ value: 'acceptance' });
    await pm.locator('#inst-target').selectOption({ value: `d${deliverableId}` });
    await pm.locator('#inst-stage').selectOption({ value: 'initial' });
    await submitForm(pm, '#inst-name');
    await expect(pm.locator('.toast-success')).toContainText('Installment added');
    await expect(pm.locator('[data-testid="installments"]')).toContainText('¥50,000.00');
    await expect(pm.locator('[data-testid="installments"] .badge')).toHaveText('Planned');
  });

  await test.step('submitted, then signed by the PM and the vendor with their passwords', async () => {
    await pm.getByRole('link', { name: 'Change state' }).click();
    await pm.locator('#transition-to').selectOption({ value: 'in_review' });
    await pm.getByRole('button', { name: 'Confirm change' }).click();
    await expect(pm.locator('h1 .badge')).toHaveText('In review');
    await pm.locator('#sign-password').fill('not-my-password');
    await submitForm(pm, '#sign-password');
    await expect(pm.locator('#sign-password-error')).toBeVisible();
    await pm.locator('#sign-password').fill(DEMO_PASSWORD);
    await submitForm(pm, '#sign-password');
    await expect(pm.locator('[data-testid="signature"]')).toHaveCount(1);

    await vendor.goto('/contracts');
    await vendor.getByRole('link', { name: `Route planner build ${tag}` }).click();
    await vendor.locator('#sign-password').fill(DEMO_PASSWORD);
    await submitForm(vendor, '#sign-password');
    await expect(vendor.locator('h1 .badge')).toHaveText('Signed');
    // The vendor reads the contract but none of the host's controls.
    await expect(vendor.getByText('Add installment', { exact: true })).toHaveCount(0);
  });

  await test.step('the client cannot open the vendor contract', async () => {
    const res = await client.goto(contractUrl);
    expect(res?.status()).toBe(404);
    await client.goto('/contracts');
    await expect(client.locator('body')).not.toContainText(number);
  });

  await test.step('the vendor submits the deliverable for initial acceptance', async () => {
    await vendor.goto(`/engagements/${id}/acceptance`);
    const row = vendor.locator(`#deliverable-${deliverableId}`);
    await row.locator('summary').click();
    await row.locator(`#note-${deliverableId}`).fill('Release candidate 1');
    await row.locator('button[type="submit"]').click();
    await expect(vendor.locator('.toast-success')).toContainText('Submitted for acceptance');
    acceptanceUrl = new URL(vendor.url()).pathname;
    await expect(vendor.locator('h1')).toContainText('Round 1');
  });

  await test.step('the client rejects it: a failed item needs a note; a defect opens', async () => {
    await client.goto(acceptanceUrl);
    const items = client.locator('[data-testid="checklist"] .check-item');
    await expect(items).toHaveCount(2);
    await items.nth(0).getByLabel('Pass').check();
    await items.nth(1).getByLabel('Fail').check();
    await client.locator('#outcome').selectOption({ value: 'rejected' });
    await client.getByRole('button', { name: 'Record result' }).click();
    await expect(client.locator('.check-item.has-error .field-error')).toBeVisible();
    await client.locator('[data-testid="checklist"] .check-item').nth(1).locator('input[name^="note_"]').fill('Crashes without network');
    await client.getByRole('button', { name: 'Record result' }).click();
    await expect(client.locator('h1')).toContainText('Rejected');
    await expect(client.locator('body')).toContainText('Crashes without network');
  });

  await test.step('the vendor fixes the defect and resubmits; the client accepts', async () => {
    await vendor.goto(`/engagements/${id}/acceptance`);
    const defect = vendor.locator('[data-testid="defects"] tr', { hasText: 'Works offline' }).first();
    await defect.getByRole('button', { name: /Resolved/ }).click();
    await expect(vendor.locator('.toast-success')).toContainText('Defect updated');
    const row = vendor.locator(`#deliverable-${deliverableId}`);
    await row.locator('summary').click();
    await row.locator('button[type="submit"]').click();
    await expect(vendor.locator('h1')).toContainText('Round 2');
    acceptanceUrl = new URL(vendor.url()).pathname;

    await client.goto(acceptanceUrl);
    for (const item of await client.locator('[data-testid="checklist"] .check-item').all()) {
      await item.getByLabel('Pass').check();
    }
    await client.locator('#outcome').selectOption({ value: 'accepted' });
    await client.getByRole('button', { name: 'Record result' }).click();
    await expect(client.locator('h1')).toContainText('Accepted');
    await expect(client.locator('h1')).toContainText('Awaiting signatures');
  });

  await test.step('the client, the vendor and the PM sign; the acceptance is in force', async () => {
    for (const who of [client, vendor, pm]) {
      await who.goto(acceptanceUrl);
      await who.locator('#sign-password').fill(DEMO_PASSWORD);
      await submitForm(who, '#sign-password');
      await expect(who.locator('.toast-success')).toContainText('Signed');
    }
    await expect(pm.locator('[data-testid="in-force"]')).toBeVisible();
    await expect(pm.locator('[data-testid="acceptance-signature"]')).toHaveCount(3);
    await pm.getByRole('link', { name: 'Certificate' }).click();
    await expect(pm.locator('[data-testid="certificate"]')).toContainText('Initial acceptance certificate');
    await expect(pm.locator('[data-testid="certificate-number"]')).toHaveText(/-I2-\d{5}$/); // round 2: round 1 was rejected
    await expect(pm.locator('[data-testid="seal-block"].is-signed')).toHaveCount(3);
    // On a phone the certificate fits the screen: nothing runs off its right edge.
    const size = pm.viewportSize();
    await pm.setViewportSize({ width: 390, height: 844 });
    const overflow = await pm.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, 'horizontal overflow of the certificate at 390 px').toBeLessThanOrEqual(0);
    if (size) await pm.setViewportSize(size);
  });

  await test.step('the installment is due now, and the PM records the payment', async () => {
    await pm.goto(contractUrl);
    const schedule = pm.locator('[data-testid="installments"]');
    await expect(schedule.locator('tbody tr').first().locator('.badge')).toHaveText('Due');
    await schedule.getByText('Record payment', { exact: true }).first().click();
    await schedule.locator('input[name="paid_on"]').first().fill('2026-12-10');
    await schedule.locator('input[name="paid_on"]').first().press('Enter');
    await expect(pm.locator('.toast-success')).toContainText('Payment recorded');
    await expect(schedule.locator('tbody tr').first().locator('.badge')).toHaveText('Paid');
  });

  await test.step('the vendor disputes part of the payment; the PM settles it as no one\'s fault', async () => {
    await vendor.goto(contractUrl);
    const schedule = vendor.locator('[data-testid="installments"]');
    await schedule.locator('summary', { hasText: /^Dispute$/ }).first().click();
    const form = schedule.locator('form[action$="/disputes"]').first();
    await form.locator('input[name="amount"]').fill('60000');
    await form.locator('textarea[name="reason"]').fill('Bank charges were deducted from the payment');
    await form.getByRole('button', { name: 'Dispute' }).click();
    // More than the installment: the amount says so, the reason is kept.
    await expect(vendor.locator('input[name="amount"][aria-invalid="true"]')).toBeVisible();
    await expect(vendor.locator('textarea[name="reason"]').first()).toHaveValue('Bank charges were deducted from the payment');
    await vendor.locator('input[name="amount"][aria-invalid="true"]').fill('25.00');
    await vendor.locator('form[action$="/disputes"]').first().getByRole('button', { name: 'Dispute' }).click();
    await expect(vendor.locator('.toast-success')).toContainText('Dispute raised');
    await expect(vendor.locator('[data-testid="dispute"]')).toContainText('contested ¥25.00');
    await expect(vendor.locator('[data-testid="dispute"] .badge')).toHaveText('Disputed');

    await pm.goto(contractUrl);
    const dispute = pm.locator('[data-testid="dispute"]');
    await expect(dispute).toContainText('Bank charges were deducted');
    await dispute.locator('summary', { hasText: 'Resolve' }).click();
    await dispute.locator('select[name="fault"]').selectOption({ value: 'none' });
    await dispute.locator('textarea[name="resolution"]').fill('Bank fee of the receiving bank; no one at fault');
    await dispute.getByRole('button', { name: 'Resolve' }).click();
    await expect(pm.locator('.toast-success')).toContainText('Dispute resolved');

    await vendor.reload();
    await expect(vendor.locator('[data-testid="dispute"] .badge')).toHaveText('Dispute resolved');
    await expect(vendor.locator('[data-testid="dispute"]')).toContainText('No one at fault (settled)');
    await expect(vendor.locator('[data-testid="dispute"]')).toContainText('Bank fee of the receiving bank');
  });
});
