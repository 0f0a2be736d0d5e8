// Catalog search narrowed and sorted in a real Chromium at phone size against the real server:
// branch chips from the server's facets (with their counts), a chosen chip taken off again, the
// newest-first order, and all of it kept in the address across a reload.
//
// Needs what patron_app.test.mjs needs: BOOKSTAMP_BIN, BOOKSTAMP_STATIC (web/dist), /usr/bin/chromium.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ADMIN, ARTIFACTS, BIN, CHROMIUM, CHROMIUM_ARGS, PLAYWRIGHT, STATIC, startServer } from './lib/harness.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-TW', timezoneId: 'Asia/Taipei' };
const ME = { card: '20261101', pin: '1234', name: '林小海' };

describe('filters and order of a catalog search', () => {
  let srv;
  let browser;
  let page;

  // The results line is a live region (role status) that says how many were found.
  const results = (text) => page.locator('#results-heading', { hasText: text }).waitFor();
  const searched = (pred) =>
    page.waitForResponse((r) => r.url().includes('/api/v1/search?') && pred(new URL(r.url()).searchParams) && r.status() === 200);

  before(async () => {
    assert.ok(existsSync(BIN), `no bookstamp binary at ${BIN}`);
    assert.ok(existsSync(path.join(STATIC, 'index.html')), `no built web app at ${STATIC}: run \`cd web && npm run build\``);
    assert.ok(existsSync(PLAYWRIGHT), 'playwright-core is missing: run `cd web && npm ci`');
    assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}`);
    await mkdir(ARTIFACTS, { recursive: true });
    srv = await startServer();
    const as = { token: (await srv.must(201, 'POST', '/staff/session', { body: ADMIN })).token };
    for (const b of [
      { code: 'A', name: '總館' },
      { code: 'B', name: '北屯分館' },
    ]) {
      await srv.must(201, 'POST', '/branches', { ...as, body: b });
    }
    await srv.must(201, 'POST', '/patrons', { ...as, body: { name: ME.name, card: { card: ME.card, type: 'personal', pin: ME.pin } } });
    const bib = (title, year, items, author = '海洋研究會') => srv.must(201, 'POST', '/bibs', { ...as, body: { title, author, year, items } });
    await bib('海洋之歌', 2019, [{ barcode: 'S-1', branch: 'A' }]);
    await bib('海洋生物圖鑑', 2023, [{ barcode: 'S-2', branch: 'B' }]);
    await bib('深海與海洋學', 2010, [
      { barcode: 'S-3', branch: 'A' },
      { barcode: 'S-4', branch: 'B' },
    ]);
    await bib('山城散步', 2020, [{ barcode: 'S-5', branch: 'A' }], '林山');
    // The index follows the database within a second.
    for (let i = 0; i < 50 && (await srv.must(200, 'GET', '/search?q=%E6%B5%B7%E6%B4%8B')).total < 3; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }

    const { chromium } = await import(pathToFileURL(PLAYWRIGHT).href);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await (await browser.newContext(PHONE)).newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${srv.url}/login`);
    await page.getByLabel('借閱證號').fill(ME.card);
    await page.getByLabel('密碼').fill(ME.pin);
    await page.getByRole('button', { name: '登入', exact: true }).click();
    await page.waitForURL(`${srv.url}/`);
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await srv?.stop();
  });

  it('narrows to a branch with its chip, sorts newest first, and keeps both in the address', async () => {
    const first = searched((p) => p.get('q') === '海洋' && !p.has('branch'));
    await page.goto(`${srv.url}/search?q=${encodeURIComponent('海洋')}`);
    await first;
    await results('找到 3 筆');
    const refine = page.getByRole('group', { name: '篩選與排序' });
    const branches = refine.getByRole('group', { name: '館別' });
    // Counts of every match (facets_exact), highest first.
    assert.deepEqual((await branches.getByRole('button').allInnerTexts()).sort(), ['北屯分館（2）', '總館（2）'].sort());
    const chip = branches.getByRole('button', { name: '北屯分館（2）' });
    assert.equal(await chip.getAttribute('aria-pressed'), 'false');

    const narrowed = searched((p) => p.get('branch') === 'B');
    await chip.click();
    await narrowed;
    await results('找到 2 筆');
    const on = branches.getByRole('button', { name: '取消「北屯分館」篩選' });
    assert.equal(await on.getAttribute('aria-pressed'), 'true');
    assert.equal(await branches.getByRole('button').count(), 1, 'only the chosen branch is shown, to be taken off');
    assert.equal(new URL(page.url()).searchParams.get('branch'), 'B');

    const sorted = searched((p) => p.get('sort') === 'year' && p.get('branch') === 'B');
    await refine.getByLabel('排序', { exact: true }).selectOption('year');
    await sorted;
    await page.waitForFunction(() => document.querySelector('.hits')?.textContent?.indexOf('海洋生物圖鑑') >= 0);
    const order = await page.locator('.hits > li').allInnerTexts();
    assert.ok(order[0].includes('海洋生物圖鑑') && order[1].includes('深海與海洋學'), `newest first: ${order.join(' | ')}`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'search-filters.png'), fullPage: true });

    // A reload comes back to the same narrowed, sorted results.
    const again = searched((p) => p.get('sort') === 'year' && p.get('branch') === 'B');
    await page.reload();
    await again;
    await results('找到 2 筆');
    assert.equal(await page.getByLabel('排序', { exact: true }).inputValue(), 'year');

    const widened = searched((p) => p.get('q') === '海洋' && !p.has('branch'));
    await page.getByRole('button', { name: '取消「北屯分館」篩選' }).click();
    await widened;
    await results('找到 3 筆');
    assert.equal(new URL(page.url()).searchParams.get('branch'), null);
    assert.equal(new URL(page.url()).searchParams.get('sort'), 'year', 'the order stays when the filter goes');
  });
});
