import { test } from '@playwright/test';
import * as fs from 'node:fs';
import { login, logout, useLanguage } from './helpers';
test.use({ locale: 'en-US' });
test('dump', async ({ page }) => {
  test.setTimeout(120_000);
  const dump = async (n: string) => {
    fs.writeFileSync(`/tmp/eng-dump/${n}.html`, await page.content());
    fs.writeFileSync(`/tmp/eng-dump/${n}.txt`, await page.locator('body').innerText());
    await page.screenshot({ path: `/tmp/eng-dump/${n}.png`, fullPage: true });
  };
  for (const u of ['pm@xinghe.example', 'dev@yunfan.example', 'manager@hdlogistics.example']) {
    await login(page, u);
    await useLanguage(page, 'en');
    await page.goto('/engagements');
    await dump(`${u}-list`);
    const href = await page.locator('#engagement-rows a').first().getAttribute('href');
    await page.goto(href!);
    await dump(`${u}-overview`);
    const r = await page.request.get(`/api/v1${href}/tasks`);
    fs.writeFileSync(`/tmp/eng-dump/${u}-api-tasks.json`, `${r.status()} ${await r.text()}`);
    const m = await page.request.get(`/api/v1${href}/milestones`);
    fs.writeFileSync(`/tmp/eng-dump/${u}-api-ms.json`, `${m.status()} ${await m.text()}`);
    const p = await page.request.get(`/api/v1${href}/participants`);
    fs.writeFileSync(`/tmp/eng-dump/${u}-api-pt.json`, `${p.status()} ${await p.text()}`);
    await logout(page);
  }
});
