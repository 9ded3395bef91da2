// The risk register on the demo engagement XH-2026-001: the PM opens the Risks tab, an empty
// raise form is refused inside its dialog, the PM raises a shared risk owned by the vendor's
// manager, finds it through its heat map cell, and the vendor's manager reassesses it from the
// portfolio's register. The client never sees the PM's internal risk.
import { expect, test } from '@playwright/test';
import { asUser, engagementId, openDialog, optionValue, unique } from './helpers';

test.use({ locale: 'en-US' });

const CODE = 'XH-2026-001';
const INTERNAL = '供应商报价偏低';

test('the PM raises a shared risk, the heat map finds it, its owner reassesses it', async ({ browser }) => {
  test.slow();
  const title = `Test rig not delivered ${unique()}`;
  const pm = await asUser(browser, 'pm@xinghe.example');
  const id = await engagementId(pm, CODE);
  let riskUrl = '';

  await test.step('the Risks tab shows the register and the heat map', async () => {
    await pm.goto(`/engagements/${id}`);
    await pm.locator('nav.tabs').getByRole('link', { name: 'Risks', exact: true }).click();
    await expect(pm).toHaveURL(new RegExp(`/engagements/${id}/risks$`));
    await expect(pm.locator('svg.heatmap')).toBeVisible();
    await expect(pm.getByTestId('risk-table')).toContainText(INTERNAL);
  });

  await test.step('an empty form is refused in its dialog; a full one raises the risk', async () => {
    await openDialog(pm, 'risk-dialog');
    await pm.locator('#risk-form button[type="submit"]').click();
    await expect(pm.locator('dialog#risk-dialog')).toHaveJSProperty('open', true);
    await expect(pm.locator('#risk-title')).toHaveAttribute('aria-invalid', 'true');
    await pm.locator('#risk-title').fill(title);
    await pm.locator('#risk-category').selectOption('schedule');
    await pm.locator('#risk-probability').selectOption('5');
    await pm.locator('#risk-impact').selectOption('4');
    await pm.locator('#risk-strategy').selectOption('mitigate');
    await pm.locator('#risk-visibility').selectOption('participants');
    const owner = pm.locator('#risk-owner');
    await owner.selectOption(await optionValue(owner, '孙浩 Sun Hao'));
    await pm.locator('#risk-trigger').fill('The rig is not on site by Friday');
    await pm.locator('#risk-form button[type="submit"]').click();
    await expect(pm.locator('.toast-success')).toContainText('Risk raised');
    await expect(pm.locator('dialog#risk-dialog')).toHaveJSProperty('open', false);
    await pm.getByTestId('risk-table').getByRole('link', { name: title }).click();
    await expect(pm).toHaveURL(new RegExp(`/engagements/${id}/risks/\\d+$`));
    riskUrl = new URL(pm.url()).pathname;
    await expect(pm.locator('h1')).toContainText(title);
    await expect(pm.getByTestId('risk-score')).toHaveText('20');
    await expect(pm.getByTestId('risk-owner')).toHaveText('孙浩 Sun Hao');
  });

  await test.step('its heat map cell lists it', async () => {
    await pm.goto(`/engagements/${id}/risks`);
    await pm.locator('svg.heatmap a[data-cell="5-4"]').click();
    await expect(pm).toHaveURL(/cell=5-4/);
    await expect(pm.getByTestId('risk-table')).toContainText(title);
    await expect(pm.getByTestId('risk-table')).not.toContainText(INTERNAL);
  });

  await test.step('the owner finds it in the portfolio and reassesses it', async () => {
    const vendor = await asUser(browser, 'manager@yunfan.example');
    await vendor.getByRole('link', { name: 'Risks' }).first().click();
    await expect(vendor).toHaveURL(/\/risks$/);
    await expect(vendor.getByTestId('risk-table')).toContainText(title);
    await expect(vendor.getByTestId('risk-table')).not.toContainText(INTERNAL);
    await vendor.goto(riskUrl);
    await vendor.locator('#risk-probability').selectOption('3');
    await vendor.locator('#risk-status').selectOption('monitoring');
    await vendor.locator('#risk-note').fill('A loan rig arrives Thursday');
    await vendor.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(vendor.locator('.toast-success')).toContainText('Risk saved');
    await expect(vendor.getByTestId('risk-score')).toHaveText('12');
    await expect(vendor.getByTestId('risk-history').locator('tbody tr')).toHaveCount(2);
    await expect(vendor.getByTestId('risk-history')).toContainText('A loan rig arrives Thursday');
  });

  await test.step('the client sees the shared risk but not the internal one', async () => {
    const client = await asUser(browser, 'manager@hdlogistics.example');
    await client.goto(`/engagements/${id}/risks`);
    await expect(client.getByTestId('risk-table')).toContainText(title);
    await expect(client.getByTestId('risk-table')).not.toContainText(INTERNAL);
  });
});
