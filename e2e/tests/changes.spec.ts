// Change control on the demo engagement XH-2026-001, whose board is the PM and the client's
// manager: the client's manager raises a change (an empty form is refused first), the PM records
// its impact (a task five working days longer, ¥15,000, an internal note) and sees which
// milestones move, both board members approve, and the Gantt compared with the previous baseline
// shows the plan's new dates against the old. The client never sees the internal note.
import { expect, test } from '@playwright/test';
import { asUser, engagementId, tick, unique } from './helpers';

test.use({ locale: 'en-US' });

const PM = 'pm@xinghe.example';
const CLIENT_MANAGER = 'manager@hdlogistics.example';
const CODE = 'XH-2026-001';
const TASK = '接口联调 API integration';
const NOTE = `Vendor asked 9,000; keep the rest ${unique()}`;

test('the client raises a change, the PM assesses it, the board approves, the Gantt shows the move', async ({
  browser,
}) => {
  test.slow();
  const title = `Arrival alert v2 ${unique()}`;
  const client = await asUser(browser, CLIENT_MANAGER);
  const pm = await asUser(browser, PM);
  const id = await engagementId(pm, CODE);
  let changeUrl = '';
  let key = '';

  await test.step('the client opens the Changes tab and raises a change; an empty form is refused', async () => {
    await client.goto(`/engagements/${id}`);
    await client.locator('nav.tabs').getByRole('link', { name: 'Changes', exact: true }).click();
    await expect(client).toHaveURL(new RegExp(`/engagements/${id}/changes$`));
    await expect(client.locator('#changes tbody tr')).not.toHaveCount(0);
    await client.getByRole('button', { name: 'Raise a change' }).click();
    await expect(client.locator('#change-title')).toHaveAttribute('aria-invalid', 'true');
    await expect(client.locator('#change-reason-error')).toBeVisible();
    await client.locator('#change-title').fill(title);
    await client.locator('#change-reason').fill('Consignees want a second alert **10 minutes** before arrival.');
    await client.getByRole('button', { name: 'Raise a change' }).click();
    await expect(client.locator('.toast-success')).toContainText('raised');
    await expect(client).toHaveURL(new RegExp(`/engagements/${id}/changes/\\d+$`));
    changeUrl = new URL(client.url()).pathname;
    await expect(client.locator('h1')).toContainText(title);
    key = ((await client.locator('h1').textContent()) ?? '').match(/CR-\d+/)?.[0] ?? '';
    expect(key).not.toBe('');
    await expect(client.locator('h1 .badge')).toHaveText('Pending');
    await expect(client.locator('.markdown strong')).toHaveText('10 minutes');
  });

  await test.step('the PM records the impact and sees which milestones move', async () => {
    await pm.goto(changeUrl);
    await tick(pm, 'impact-tasks', TASK);
    await pm.locator('#impact-days').fill('5');
    await pm.locator('#impact-cost').fill('15000');
    await pm.locator('#impact-notes').fill(NOTE);
    await pm.getByRole('button', { name: 'Save impact' }).click();
    await expect(pm.locator('.toast-success')).toContainText('Impact saved');
    await expect(pm.getByTestId('decided-by')).toHaveText('Change board');
    await expect(pm.getByTestId('impact-cost')).toHaveText('¥15,000.00');
    await expect(pm.getByTestId('impact-days')).toHaveText(/^\+\d+$/);
    await expect(pm.getByTestId('milestone-moves')).toContainText('调度端初验 Dispatch console initial acceptance');
    await expect(pm.getByTestId('impact-notes')).toHaveText(NOTE);
  });

  await test.step('the PM approves; one vote of two leaves it pending', async () => {
    await pm.locator('#decision').selectOption('approve');
    await pm.locator('#decision-comment').fill('Within budget reserve');
    await pm.getByRole('button', { name: 'Record decision' }).click();
    await expect(pm.locator('.toast-success')).toContainText('Decision recorded');
    await expect(pm.locator('h1 .badge')).toHaveText('Pending');
    await expect(pm.getByTestId('decision-list')).toContainText('Within budget reserve');
    await expect(pm.getByRole('button', { name: 'Record decision' })).toHaveCount(0);
  });

  await test.step('the client approves: the change is applied; the internal note stays with the host', async () => {
    await client.goto(changeUrl);
    await expect(client.locator('body')).not.toContainText(NOTE);
    await expect(client.getByTestId('impact-cost')).toHaveText('¥15,000.00');
    await client.locator('#decision').selectOption('approve');
    await client.getByRole('button', { name: 'Record decision' }).click();
    await expect(client.locator('h1 .badge')).toHaveText('Approved');
    await expect(client.locator('#impact-title')).toHaveText('Impact applied');
    await expect(client.locator('body')).not.toContainText(NOTE);
  });

  await test.step('the Gantt compared with the previous baseline shows the new dates against the old', async () => {
    await pm.goto(changeUrl);
    await pm.getByRole('link', { name: 'Gantt against the previous baseline' }).click();
    await expect(pm).toHaveURL(new RegExp(`/engagements/${id}/gantt\\?baseline=\\d+$`));
    const variance = pm.locator('section[aria-labelledby="baselines-title"] tbody tr');
    const row = variance.filter({ hasText: TASK });
    await expect(row.locator('.badge-orange')).toHaveText(/^\+\d+$/);
    const milestone = variance.filter({ hasText: '调度端初验 Dispatch console initial acceptance' });
    await expect(milestone.locator('.badge-orange')).toHaveText(/^\+\d+$/);
    // The change is the client's and the host's: the baseline every participant sees names its key only.
    await expect(pm.locator('#baseline option').filter({ hasText: key })).toHaveCount(1);
    await expect(pm.locator('#baseline option').filter({ hasText: title })).toHaveCount(0);
  });

  await test.step('the change log counts it', async () => {
    await pm.goto(`/engagements/${id}/changes?state=approved`);
    await expect(pm.locator('#changes tbody tr').filter({ hasText: title })).toHaveCount(1);
    await expect(pm.getByTestId('changes-open')).toHaveText(/^\d+$/);
  });
});
