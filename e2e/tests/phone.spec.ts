// Every kind of page, as each kind of person sees it, in both languages, on a 390 px phone:
// nothing may run off the right edge of the screen (tables and charts scroll inside their
// own boxes). The pages are found by following the links a person has, one page per kind.
import { expect, test, type Page } from '@playwright/test';
import { type Lang, login, useLanguage } from './helpers';

const PEOPLE = [
  'admin@xinghe.example',
  'pm@xinghe.example',
  'manager@yunfan.example',
  'manager@hdlogistics.example',
];

/** How many kinds of page one person's walk visits at most. */
const MAX_KINDS = 60;

/** `/engagements/12/tasks/34?x=1` → `/engagements/#/tasks/#`: one page per kind. */
function kindOf(path: string): string {
  return path.split('?')[0].split('#')[0].replace(/\/\d+(?=\/|$)/g, '/#');
}

function worthVisiting(path: string): boolean {
  return (
    path.startsWith('/') &&
    !path.startsWith('//') &&
    !path.startsWith('/api/') &&
    !path.startsWith('/static/') &&
    !/\/(logout|download)\b|\.(svg|csv|ics|pdf|zip|json)(\?|$)|\/files\//.test(path)
  );
}

async function overflowOf(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

for (const email of PEOPLE) {
  // Chinese last: the demo's people are left in the language they started in.
  for (const lang of ['en', 'zh-CN'] as Lang[]) {
    test(`${email} (${lang}): every page fits a 390 px phone`, async ({ browser }) => {
      test.slow();
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
      const page = await context.newPage();
      await login(page, email);
      await useLanguage(page, lang);
      const seen = new Set<string>();
      const queue = ['/'];
      const overflowing: string[] = [];
      while (queue.length > 0 && seen.size < MAX_KINDS) {
        const path = queue.shift() as string;
        const kind = kindOf(path);
        if (seen.has(kind)) continue;
        seen.add(kind);
        // A link that answers with a file (an export, a document) is no page.
        const res = await page.goto(path).catch(() => null);
        if (!res || !(res.headers()['content-type'] ?? '').startsWith('text/html')) continue;
        const over = await overflowOf(page);
        if (over > 0) overflowing.push(`${path} (${over} px)`);
        const links = await page.$$eval('a[href]:not([download])', (as) => as.map((a) => a.getAttribute('href') ?? ''));
        for (const href of links) {
          if (worthVisiting(href) && !seen.has(kindOf(href))) queue.push(href);
        }
      }
      expect(seen.size, 'the walk found pages to look at').toBeGreaterThan(8);
      expect(overflowing, `pages wider than the phone, of ${seen.size} kinds`).toEqual([]);
      await context.close();
    });
  }
}
