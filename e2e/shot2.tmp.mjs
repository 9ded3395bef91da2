import { chromium } from 'playwright-core';
const base = 'http://127.0.0.1:18080';
const [,, email, lang, ...paths] = process.argv;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu','--disable-quic','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: lang === 'en' ? 'en-US' : 'zh-CN' });
await page.goto(base + '/login');
await page.fill('[name=email]', email);
await page.fill('[name=password]', 'accord-demo');
await page.locator('form').filter({ has: page.locator('[name=password]') }).locator('button[type=submit]').click();
await page.waitForURL(u => !u.pathname.startsWith('/login'));
for (const p of paths) {
  await page.goto(base + p);
  const name = (email.split('@')[0] + p.replace(/[\/?=&#]/g, '_')) + '_' + lang + '.png';
  const sel = process.env.SEL; if (sel) { await page.locator(sel).first().screenshot({ path: "/tmp/shots/" + name }); } else { await page.screenshot({ path: "/tmp/shots/" + name, fullPage: true }); }
  console.log(name);
}
await browser.close();
