// The patron app's other screens in a real Chromium at phone size against the real server
// (STYLE.md "Tests": select by role and label): the cookie web session (no token in storage, a
// write without the CSRF header refused, a lost session back to sign-in), the home screen
// (announcement carousel, a featured list with a one-tap reserve, the library's links), the
// inbox (unread badge, open to read, mark all), notice settings, the reading report (counts of
// this fixture's loans by month, class and points), loan history switched off and erased, and
// a PIN change followed by a login with the new PIN.
//
// Needs what patron_app.test.mjs needs: BOOKSTAMP_BIN, BOOKSTAMP_STATIC (web/dist), /usr/bin/chromium.
// Screenshots go to tests/web/artifacts/ (gitignored).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ADMIN, ARTIFACTS, BIN, CHROMIUM, CHROMIUM_ARGS, PLAYWRIGHT, STATIC, startServer } from './lib/harness.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-TW', timezoneId: 'Asia/Taipei' };

const ME = { card: '20261001', pin: '1234', name: '陳小華' };
const OTHER = { card: '20261009', pin: '9999', name: '李大仁' };
const NEW_PIN = '8642';

const T_JAN = '2026-01-10T10:00:00+08:00';
const T_JAN_RET = '2026-01-20T10:00:00+08:00';
const T_MAR = '2026-03-05T10:00:00+08:00';
const T_MAR_RET = '2026-03-12T10:00:00+08:00';
const T_OCT1 = '2026-10-01T10:00:00+08:00';
const T_NOW = '2026-10-06T10:00:00+08:00';

async function buildFixture(srv) {
  const fx = { points2026: 0 };
  const as = { token: null };
  const clock = async (iso) => {
    await srv.setClock(iso);
    as.token = (await srv.must(201, 'POST', '/staff/session', { body: ADMIN })).token;
    fx.staff = as.token;
  };
  await clock(T_JAN);
  for (const b of [
    { code: 'A', name: '總館', mobile_checkout: true },
    { code: 'B', name: '北屯分館', mobile_checkout: false },
  ]) {
    await srv.must(201, 'POST', '/branches', { ...as, body: b });
  }
  for (const p of [ME, OTHER]) {
    await srv.must(201, 'POST', '/patrons', { ...as, body: { name: p.name, card: { card: p.card, type: 'personal', pin: p.pin } } });
  }
  const bib = async (title, author, class_no, items) =>
    (await srv.must(201, 'POST', '/bibs', { ...as, body: { title, author, publisher: '遠流', year: 2021, class_no, items } })).bib_id;
  fx.bibs = {
    novel: await bib('台北人', '白先勇', '857.63', [{ barcode: 'M-1', branch: 'A' }]),
    physics: await bib('物理之美', '林一', '330.1', [{ barcode: 'M-2', branch: 'A' }]),
    poems: await bib('唐詩三百首', '蘅塘退士', '831.4', [{ barcode: 'M-3', branch: 'A' }]),
    zine: await bib('社區小誌', '', '', [{ barcode: 'M-4', branch: 'A' }]),
    art: await bib('看懂名畫', '王美', '947.5', [{ barcode: 'M-5', branch: 'B' }]),
    featuredIn: await bib('小說課', '許榮哲', '812.7', [{ barcode: 'F-1', branch: 'A' }]),
    featuredOut: await bib('山居歲月', '彼得．梅爾', '874.6', [{ barcode: 'F-2', branch: 'A' }]),
  };
  const checkout = async (card, item, branch = 'A') =>
    srv.must(201, 'POST', '/circulation/checkout', { ...as, body: { card, item_barcode: item, branch } });
  const checkin = (item, branch = 'A') => srv.must(200, 'POST', '/circulation/checkin', { ...as, body: { item_barcode: item, branch } });

  // January: two loans (語言文學類, 科學類); March: one (語言文學類); October: one unclassified, still out.
  fx.points2026 += (await checkout(ME.card, 'M-1')).points_credited;
  fx.points2026 += (await checkout(ME.card, 'M-2')).points_credited;
  await clock(T_JAN_RET);
  await checkin('M-1');
  await checkin('M-2');
  await clock(T_MAR);
  fx.points2026 += (await checkout(ME.card, 'M-3')).points_credited;
  await clock(T_MAR_RET);
  await checkin('M-3');

  // October: the other reader has 看懂名畫 (wanted by me, pickup 北屯分館) and 山居歲月 (featured, all out).
  await clock(T_OCT1);
  await checkout(OTHER.card, 'M-5', 'B');
  await checkout(OTHER.card, 'F-2');
  const mine = (await srv.must(201, 'POST', '/session', { body: { card: ME.card, pin: ME.pin } })).token;
  await srv.must(201, 'POST', `/cards/${ME.card}/holds`, { token: mine, body: { bib_id: fx.bibs.art, pickup_branch: 'B' } });

  await clock(T_NOW);
  fx.points2026 += (await checkout(ME.card, 'M-4')).points_credited;
  // The hold becomes ready (a notice), and two PIN changes back and forth (two more): 3 unread.
  await checkin('M-5', 'B');
  await srv.must(204, 'PUT', `/cards/${ME.card}/pin`, { token: mine, body: { current_pin: ME.pin, new_pin: '5555' } });
  await srv.must(204, 'PUT', `/cards/${ME.card}/pin`, { token: mine, body: { current_pin: '5555', new_pin: ME.pin } });
  await srv.must(204, 'DELETE', '/session', { token: mine });

  // Home content: three announcements, a featured list, the library's links.
  for (const [i, title] of ['秋季閱讀月開跑', '總館十月休館公告', '電子書新上架'].entries()) {
    await srv.must(201, 'POST', '/announcements', {
      ...as,
      body: { title, body: `${title}：詳情請見活動網站。`, link: 'https://library.example.org/news', position: i },
    });
  }
  await srv.must(201, 'POST', '/featured-lists', {
    ...as,
    body: { title: '館員推薦', bib_ids: [fx.bibs.featuredIn, fx.bibs.featuredOut], active: true },
  });
  for (const [i, l] of [
    { label_zh: '電子書平台', label_en: 'E-books', url: 'https://ebook.example.org/', icon: 'ebook' },
    { label_zh: '活動網站', label_en: 'Events site', url: 'https://events.example.org/', icon: 'calendar' },
    { label_zh: '常見問題', label_en: 'FAQ', url: 'https://library.example.org/faq', icon: 'faq' },
  ].entries()) {
    await srv.must(201, 'POST', '/quick-links', { ...as, body: { ...l, position: i } });
  }
  return fx;
}

describe('patron app: home, inbox, report, history, PIN, cookie session (phone, zh-TW)', () => {
  let srv;
  let fx;
  let browser;
  let context;
  let page;
  const shot = async (name) => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({
      path: path.join(ARTIFACTS, `${name}.png`),
      fullPage: true,
      style: '.appbar, .tabbar { position: static !important; } .app { padding-bottom: 0 !important; }',
    });
  };
  const tabbar = () => page.getByRole('navigation', { name: '主要功能' });
  const openFromAccount = async (name) => {
    await page.getByRole('link', { name: '帳號管理' }).first().click();
    await page.getByRole('navigation', { name: '我的服務' }).getByRole('link', { name }).click();
  };
  const signIn = async (pin) => {
    await page.getByLabel('借閱證號').fill(ME.card);
    await page.getByLabel('密碼').fill(pin);
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/session') && r.request().method() === 'POST');
    await page.getByRole('button', { name: '登入', exact: true }).click();
    return answer;
  };

  before(async () => {
    assert.ok(existsSync(BIN), `no bookstamp binary at ${BIN}`);
    assert.ok(existsSync(path.join(STATIC, 'index.html')), `no built web app at ${STATIC}: run \`cd web && npm run build\``);
    assert.ok(existsSync(PLAYWRIGHT), 'playwright-core is missing: run `cd web && npm ci`');
    assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}`);
    await mkdir(ARTIFACTS, { recursive: true });
    srv = await startServer();
    fx = await buildFixture(srv);
    const { chromium } = await import(pathToFileURL(PLAYWRIGHT).href);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    context = await browser.newContext(PHONE);
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await srv?.stop();
  });

  it('signs in with a cookie session: no token in storage, writes need the CSRF header', async () => {
    await page.goto(`${srv.url}/`);
    await page.waitForURL('**/login**');
    const res = await signIn(ME.pin);
    assert.equal(res.request().headers()['x-session'], 'cookie');
    const body = await res.json();
    assert.ok(body.token && body.csrf_token, 'the login answers a token and a CSRF value');
    await page.waitForURL(`${srv.url}/`);

    const stored = await page.evaluate(() => {
      const all = [];
      for (const s of [localStorage, sessionStorage]) for (let i = 0; i < s.length; i++) all.push(`${s.key(i)}=${s.getItem(s.key(i))}`);
      return { all, cookie: document.cookie };
    });
    assert.ok(!stored.all.some((v) => v.includes(body.token)), `the session token is in web storage: ${stored.all}`);
    assert.ok(!stored.cookie.includes(body.token), 'the session cookie is readable by scripts');
    const cookie = (await context.cookies()).find((c) => c.name === 'bookstamp_session');
    assert.ok(cookie, 'the session cookie is set');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Strict');

    // A write with the cookie but without the CSRF header does not count (docs/openapi.yaml: 401)
    // and changes nothing; the same write with the header goes through.
    const tryWrite = (withCsrf) =>
      page.evaluate(
        async ({ card, withCsrf }) => {
          const headers = { 'Content-Type': 'application/json' };
          if (withCsrf) headers['X-CSRF-Token'] = localStorage.getItem('bookstamp.patron.csrf');
          const r = await fetch(`/api/v1/cards/${card}/notices/read-all`, { method: 'POST', headers, credentials: 'same-origin' });
          return r.status;
        },
        { card: ME.card, withCsrf },
      );
    const refused = await tryWrite(false);
    assert.ok(refused === 401 || refused === 403, `a write without X-CSRF-Token answered ${refused}`);
    const unread = await page.evaluate(async (card) => (await (await fetch(`/api/v1/cards/${card}/notices`)).json()).unread, ME.card);
    assert.equal(unread, 3, 'the refused write marked nothing read');
  });

  it('shows the home: announcement carousel, featured books with a one-tap reserve, library links', async () => {
    const carousel = page.locator('section.carousel');
    await carousel.getByRole('heading', { name: '最新公告' }).waitFor();
    const dot = (n) => carousel.getByRole('button', { name: `看第 ${n} 則公告` });
    assert.equal(await dot(1).getAttribute('aria-current'), 'true');
    await carousel.getByRole('group', { name: '第 1 則，共 3 則' }).getByRole('heading', { name: '秋季閱讀月開跑' }).waitFor();
    // Autoplay runs (no reduced motion here) and stops while focus is inside.
    await carousel.getByRole('button', { name: '暫停輪播' }).waitFor();
    await carousel.getByRole('button', { name: '下一則公告' }).click();
    assert.equal(await dot(2).getAttribute('aria-current'), 'true');
    await page.waitForTimeout(6500);
    assert.equal(await dot(2).getAttribute('aria-current'), 'true', 'autoplay paused while focus is in the carousel');
    // A swipe to the left shows the next one; the dots jump.
    const box = await carousel.locator('.carousel__viewport').boundingBox();
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    assert.equal(await dot(3).getAttribute('aria-current'), 'true');
    await dot(1).click();
    assert.equal(await dot(1).getAttribute('aria-current'), 'true');
    await carousel.getByRole('button', { name: '暫停輪播' }).click();
    await carousel.getByRole('button', { name: '繼續輪播' }).waitFor();
    // Hidden slides' links are out of the tab order.
    assert.equal(await carousel.getByRole('link', { name: /詳細內容/ }).count(), 1);

    // Featured: covers, availability, and a reserve for the title that is all out.
    const shelf = page.getByRole('region', { name: /館員推薦/ });
    await shelf.getByRole('link', { name: /小說課/ }).waitFor();
    assert.equal(await shelf.locator('img.book__cover').count(), 2);
    await shelf.getByRole('listitem').filter({ hasText: '小說課' }).getByText('可借 1 冊').waitFor();
    await shelf.getByRole('listitem').filter({ hasText: '山居歲月' }).getByText('全部借出，可預約').waitFor();
    const links = page.getByRole('navigation', { name: '圖書館服務' });
    assert.equal(await links.getByRole('link', { name: /電子書平台/ }).getAttribute('href'), 'https://ebook.example.org/');
    await links.getByRole('link', { name: /常見問題/ }).waitFor();
    await shot('20-home');

    await shelf.getByRole('button', { name: '預約《山居歲月》' }).click();
    const dialog = page.getByRole('dialog', { name: '預約《山居歲月》' });
    await dialog.waitFor();
    // The branch of my latest hold is preselected.
    await page.waitForFunction(() => document.querySelector('dialog select')?.value === 'B');
    await shot('21-reserve');
    await dialog.getByRole('button', { name: '確定預約' }).click();
    await dialog.getByRole('status').filter({ hasText: '已預約，順位第 1 位，到館後於北屯分館取書。' }).waitFor();
    await dialog.getByRole('button', { name: '關閉' }).last().click();
    await dialog.waitFor({ state: 'detached' });
    const { token } = await srv.must(201, 'POST', '/session', { body: { card: ME.card, pin: ME.pin } });
    const { holds } = await srv.must(200, 'GET', `/cards/${ME.card}/holds`, { token });
    const hold = holds.find((h) => h.bib_id === fx.bibs.featuredOut);
    assert.ok(hold, 'the hold was placed');
    assert.equal(hold.pickup_branch, 'B');
    await srv.must(204, 'DELETE', '/session', { token });
  });

  it('respects reduced motion: the carousel does not play by itself', async () => {
    const p = await context.newPage();
    await p.emulateMedia({ reducedMotion: 'reduce' });
    await p.goto(`${srv.url}/`);
    await p.locator('section.carousel').getByRole('button', { name: '繼續輪播' }).waitFor();
    await p.close();
  });

  it('shows unread notices with a badge, marks one read on opening, and marks all read', async () => {
    const bell = page.getByRole('link', { name: '通知，3 則未讀' });
    await bell.click();
    await page.getByRole('heading', { level: 1, name: '通知' }).waitFor();
    await page.getByRole('status').filter({ hasText: '3 則未讀' }).waitFor();
    const list = page.getByRole('list', { name: '通知' });
    assert.equal(await list.getByRole('listitem').count(), 3);
    assert.equal(await list.locator('.notice-row--unread').count(), 3);
    await shot('22-inbox');
    const first = list.getByRole('listitem').first().getByRole('button');
    await first.click();
    assert.equal(await first.getAttribute('aria-expanded'), 'true');
    await page.getByRole('status').filter({ hasText: '2 則未讀' }).waitFor();
    await page.getByRole('link', { name: '通知，2 則未讀' }).waitFor();
    assert.equal(await list.locator('.notice-row--unread').count(), 2);
    await page.getByRole('button', { name: '全部標為已讀' }).click();
    await page.getByRole('status').filter({ hasText: '全部已讀' }).waitFor();
    await page.getByRole('link', { name: '通知', exact: true }).waitFor();
    const unread = await page.evaluate(async (card) => (await (await fetch(`/api/v1/cards/${card}/notices`)).json()).unread, ME.card);
    assert.equal(unread, 0);
  });

  it('saves notice settings per channel and per type', async () => {
    await page.getByRole('link', { name: '通知設定' }).click();
    await page.getByRole('heading', { level: 1, name: '通知設定' }).waitFor();
    await page.getByRole('switch', { name: /電子郵件/ }).uncheck();
    await page.locator('summary', { hasText: '各類通知' }).click();
    await page.getByRole('checkbox', { name: '借閱即將到期：推播通知' }).uncheck();
    assert.equal(await page.getByRole('checkbox', { name: '借閱逾期：電子郵件' }).isDisabled(), true);
    await page.getByRole('button', { name: '儲存設定' }).click();
    await page.getByRole('status').filter({ hasText: '已儲存通知設定。' }).waitFor();
    await shot('23-notice-settings');
    const prefs = await page.evaluate(async (card) => (await (await fetch(`/api/v1/cards/${card}/notice-preferences`)).json()).preferences, ME.card);
    const off = prefs.filter((p) => !p.enabled).map((p) => `${p.kind}/${p.channel}`).sort();
    assert.deepEqual(off, ['*/email', 'due_soon/push']);
  });

  it('draws the reading report with this year’s loans by month and class and points by year', async () => {
    await openFromAccount('閱讀報告');
    await page.getByRole('heading', { level: 1, name: '閱讀報告' }).waitFor();
    await page.getByText('2026 年', { exact: true }).waitFor();
    const total = (label) => page.locator('.totals__cell').filter({ hasText: label }).locator('dd');
    assert.equal(await total('2026 年借閱').textContent(), '4');
    assert.equal(await total('累計獲得點數').textContent(), String(fx.points2026));

    const months = page.getByRole('table', { name: '2026 年每月借閱冊數' });
    const cell = (table, row) =>
      table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: row, exact: true }) }).getByRole('cell').first();
    assert.equal(await cell(months, '1 月').textContent(), '2');
    assert.equal(await cell(months, '2 月').textContent(), '0');
    assert.equal(await cell(months, '3 月').textContent(), '1');
    assert.equal(await cell(months, '10 月').textContent(), '1');

    const classes = page.getByRole('table', { name: /2026 年各類借閱冊數/ });
    const classCount = async (name) =>
      (
        await classes
          .getByRole('row')
          .filter({ has: page.getByRole('rowheader', { name, exact: true }) })
          .locator('.bartable__value')
          .textContent()
      ).split(' ')[0];
    assert.equal(await classCount('800 語言文學類'), '2');
    assert.equal(await classCount('300 科學類'), '1');
    assert.equal(await classCount('未分類'), '1');
    assert.equal(await classCount('900 藝術類'), '0');

    const years = page.getByRole('table', { name: '每年獲得與使用的點數' });
    assert.equal(await cell(years, '2026').textContent(), String(fx.points2026));
    await shot('24-report');

    // The year before: nothing borrowed.
    await page.getByRole('button', { name: '前一年（2025）' }).click();
    await page.getByText('2025 年沒有借閱紀錄。').first().waitFor();
    await page.getByRole('button', { name: '下一年（2026）' }).click();
    await page.getByRole('table', { name: '2026 年每月借閱冊數' }).waitFor();
  });

  it('erases the loan history after asking, switches it off, and the report then withholds subjects', async () => {
    await openFromAccount('借閱歷史');
    await page.getByRole('heading', { level: 1, name: '借閱歷史' }).waitFor();
    const list = page.locator('section').filter({ has: page.getByRole('heading', { name: '已歸還 3 筆' }) });
    await list.getByText('唐詩三百首').waitFor();
    await list.getByText('台北人').waitFor();
    await shot('25-history');

    await page.getByRole('button', { name: '清除借閱歷史' }).click();
    const ask = page.getByRole('alertdialog', { name: '清除借閱歷史？' });
    await ask.waitFor();
    await ask.getByRole('button', { name: '取消' }).click();
    await ask.waitFor({ state: 'detached' });
    await list.getByText('台北人').waitFor();
    await page.getByRole('button', { name: '清除借閱歷史' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: '確定清除' }).click();
    await page.getByRole('status').filter({ hasText: '已清除 3 筆借閱的書名。' }).waitFor();
    // The status can show before the list has reloaded: wait for the third erased row.
    await list.getByText('借閱 1 冊（書名已清除）').nth(2).waitFor();
    assert.equal(await list.getByText('借閱 1 冊（書名已清除）').count(), 3);
    assert.equal(await page.getByRole('button', { name: '清除借閱歷史' }).isDisabled(), true);

    const keep = page.getByRole('switch', { name: /^保留借閱歷史/ });
    assert.equal(await keep.isChecked(), true);
    await keep.click();
    const off = page.getByRole('alertdialog', { name: '關閉借閱歷史？' });
    await off.getByRole('button', { name: '關閉並清除' }).click();
    await page.getByRole('status').filter({ hasText: '已關閉借閱歷史' }).waitFor();
    await page.getByRole('switch', { name: /^保留借閱歷史/, checked: false }).waitFor();
    assert.equal(await keep.isChecked(), false);
    await page.getByText('借閱歷史已關閉：已歸還圖書的書名不會保留。').waitFor();
    await shot('26-history-off');

    await openFromAccount('閱讀報告');
    await page.getByText('您已關閉借閱歷史，系統不保留書名，所以無法統計借閱主題。').waitFor();
    assert.equal(await page.getByRole('table', { name: /各類借閱冊數/ }).count(), 0);
    // Months and points are dates and numbers, not titles: still there.
    const months = page.getByRole('table', { name: '2026 年每月借閱冊數' });
    const jan = months.getByRole('row').filter({ has: page.getByRole('rowheader', { name: '1 月', exact: true }) });
    assert.equal(await jan.getByRole('cell').textContent(), '2');
  });

  it('changes the PIN with validation, then signs in with the new PIN only', async () => {
    await openFromAccount('變更密碼');
    await page.getByRole('heading', { level: 1, name: '變更密碼' }).waitFor();
    const form = page.locator('form');
    const submit = () => form.getByRole('button', { name: '變更密碼' }).click();
    await form.getByLabel('目前密碼').fill(ME.pin);
    await form.getByLabel('新密碼', { exact: true }).fill('12');
    await submit();
    await page.getByRole('alert').filter({ hasText: '新密碼至少要 4 碼。' }).waitFor();
    assert.equal(await form.getByLabel('新密碼', { exact: true }).getAttribute('aria-invalid'), 'true');
    await form.getByLabel('新密碼', { exact: true }).fill(NEW_PIN);
    await form.getByLabel('再輸入一次新密碼').fill('8641');
    await submit();
    await page.getByRole('alert').filter({ hasText: '兩次輸入的新密碼不一致。' }).waitFor();
    await form.getByLabel('目前密碼').fill('0000');
    await form.getByLabel('再輸入一次新密碼').fill(NEW_PIN);
    await submit();
    await page.getByRole('alert').filter({ hasText: '目前密碼不正確。' }).waitFor();
    await shot('27-pin-error');
    await form.getByLabel('目前密碼').fill(ME.pin);
    await submit();
    await page.getByRole('status').filter({ hasText: '密碼已變更' }).waitFor();

    // Sign out: the cookie goes, and the app asks for a login again.
    await page.getByRole('link', { name: '帳號管理' }).first().click();
    await shot('28-account');
    await page.getByRole('button', { name: '登出' }).click();
    await page.waitForURL('**/login**');
    assert.equal((await context.cookies()).filter((c) => c.name === 'bookstamp_session' && c.value).length, 0);
    assert.equal(await page.evaluate(() => localStorage.getItem('bookstamp.patron.csrf')), null);

    await signIn(ME.pin);
    await page.getByRole('alert').filter({ hasText: '借閱證號或密碼不正確' }).waitFor();
    await signIn(NEW_PIN);
    await page.waitForURL(`${srv.url}/`);
    await page.getByRole('link', { name: /閱讀存摺/ }).first().waitFor();
  });

  it('goes back to sign-in when the session is gone', async () => {
    await context.clearCookies();
    await page.goto(`${srv.url}/inbox`);
    await page.waitForURL('**/login?next=%2Finbox');
    await page.getByRole('heading', { level: 1, name: '讀者登入' }).waitFor();
    await signIn(NEW_PIN);
    await page.waitForURL('**/inbox');
    await page.getByRole('heading', { level: 1, name: '通知' }).waitFor();
    assert.equal(await tabbar().getByRole('link').count(), 4);
  });
});
