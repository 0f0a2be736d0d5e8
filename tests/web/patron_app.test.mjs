// The patron app in a real Chromium against the real server (STYLE.md "Tests": select by role and
// label, as a person would). Starts `bookstamp serve --test-clock --static web/dist`, builds the
// fixture through the API as a sysadmin, then walks the app at phone size: sign-in, the mobile
// card (decoded with zbarimg), my study (overdue in red, renewals refused with the reason, holds),
// linking a family card and its suspension, the passbook by month, prizes by two branches and a
// points range, a redemption whose code keeps changing offline and that the counter completes,
// event points by token, event registration and phone checkout.
//
// Needs: BOOKSTAMP_BIN (default build/bookstamp), BOOKSTAMP_STATIC (default web/dist, built by
// `make build` / `cd web && npm run build`), /usr/bin/chromium, zbarimg (zbar-tools).
// Screenshots go to tests/web/artifacts/ (gitignored).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createHmac } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ADMIN, ARTIFACTS, BIN, CHROMIUM, CHROMIUM_ARGS, PLAYWRIGHT, STATIC, repoRoot, run, startServer } from './lib/harness.mjs';

const BWIPJS = path.join(repoRoot, 'web', 'node_modules', 'bwip-js', 'dist', 'bwip-js-node.mjs');
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-TW', timezoneId: 'Asia/Taipei' };

const CARD_A = { card: '20260001', pin: '1234', name: '王小明' };
const CARD_B = { card: '20260002', pin: '5678', name: '王家' };
const OTHER = { card: '20269999', pin: '9999', name: '林大同' };

// The library's days (Asia/Taipei). T0: card B borrows; T0b: card A borrows; T1: "today".
const T_AUG = '2026-08-10T10:00:00+08:00';
const T_AUG_RETURN = '2026-08-20T10:00:00+08:00';
const T0 = '2026-09-01T10:00:00+08:00';
const T0B = '2026-09-21T10:00:00+08:00';
const T1 = '2026-10-06T10:00:00+08:00';
const T1_MS = Date.parse(T1);


/** Branches, patrons, books, loans, holds, prizes and events the walk-through needs. */
async function buildFixture(srv) {
  const fx = {};
  // Staff sessions last 12 hours: sign in again whenever the clock jumps.
  const as = { token: null };
  const clock = async (iso) => {
    await srv.setClock(iso);
    as.token = (await srv.must(201, 'POST', '/staff/session', { body: ADMIN })).token;
    fx.staff = as.token;
  };
  await clock(T_AUG);
  for (const b of [
    { code: 'A', name: '總館', mobile_checkout: true },
    { code: 'B', name: '北屯分館', mobile_checkout: false },
    { code: 'C', name: '西屯分館', mobile_checkout: true },
  ]) {
    await srv.must(201, 'POST', '/branches', { ...as, body: b });
  }
  await srv.must(201, 'POST', '/patrons', { ...as, body: { name: CARD_A.name, card: { card: CARD_A.card, type: 'personal', pin: CARD_A.pin } } });
  await srv.must(201, 'POST', '/patrons', { ...as, body: { name: CARD_B.name, card: { card: CARD_B.card, type: 'family', pin: CARD_B.pin } } });
  await srv.must(201, 'POST', '/patrons', { ...as, body: { name: OTHER.name, card: { card: OTHER.card, type: 'personal', pin: OTHER.pin } } });

  const bib = async (title, author, items) =>
    (await srv.must(201, 'POST', '/bibs', { ...as, body: { title, author, publisher: '遠流', year: 2020, items } })).bib_id;
  fx.bibs = {
    renewable: await bib('被討厭的勇氣', '岸見一郎', [{ barcode: 'I-R1', branch: 'A' }]),
    reserved: await bib('小王子', '聖修伯里', [{ barcode: 'I-H1', branch: 'A' }]),
    ready: await bib('深夜食堂', '安倍夜郎', [{ barcode: 'I-X1', branch: 'A' }]),
    waiting: await bib('原子習慣', '詹姆斯．克利爾', [{ barcode: 'I-W1', branch: 'B' }]),
    suspend: await bib('解憂雜貨店', '東野圭吾', [{ barcode: 'I-S1', branch: 'A' }]),
    overdue: await bib('挪威的森林', '村上春樹', [{ barcode: 'I-O2', branch: 'A' }]),
    phone: await bib('百年孤寂', '馬奎斯', [{ barcode: 'I-M1', branch: 'A' }, { barcode: 'I-M2', branch: 'B' }]),
    august: await bib('蛤蟆先生去看心理師', '羅伯．狄保德', [{ barcode: 'I-A1', branch: 'C' }]),
  };
  const checkout = (card, item, branch = 'A') =>
    srv.must(201, 'POST', '/circulation/checkout', { ...as, body: { card, item_barcode: item, branch } });
  const checkin = (item, branch = 'A') => srv.must(200, 'POST', '/circulation/checkin', { ...as, body: { item_barcode: item, branch } });

  // August: card A borrows and returns a book (a point in another month for the chart).
  await checkout(CARD_A.card, 'I-A1', 'C');
  await clock(T_AUG_RETURN);
  await checkin('I-A1', 'C');

  // 1 September: card B borrows two books it will bring back late (or not at all); another
  // reader borrows the book card A will wait for.
  await clock(T0);
  await checkout(CARD_B.card, 'I-S1');
  await checkout(CARD_B.card, 'I-O2');
  await checkout(OTHER.card, 'I-X1');

  // 21 September: card A borrows two books and places two holds; the other reader holds the
  // title card A has, so card A cannot renew it.
  await clock(T0B);
  await checkout(CARD_A.card, 'I-R1');
  await checkout(CARD_A.card, 'I-H1');
  const tokA = (await srv.must(201, 'POST', '/session', { body: { card: CARD_A.card, pin: CARD_A.pin } })).token;
  await srv.must(201, 'POST', `/cards/${CARD_A.card}/holds`, { token: tokA, body: { bib_id: fx.bibs.ready, pickup_branch: 'A' } });
  await srv.must(201, 'POST', `/cards/${CARD_A.card}/holds`, { token: tokA, body: { bib_id: fx.bibs.waiting, pickup_branch: 'C' } });
  const tokO = (await srv.must(201, 'POST', '/session', { body: { card: OTHER.card, pin: OTHER.pin } })).token;
  await srv.must(201, 'POST', `/cards/${OTHER.card}/holds`, { token: tokO, body: { bib_id: fx.bibs.reserved, pickup_branch: 'A' } });

  // 6 October ("today"): the other reader returns 深夜食堂, trapped for card A (ready at 總館);
  // card B returns 解憂雜貨店 7 days late: 7 days of suspension.
  await clock(T1);
  const ret = await checkin('I-X1');
  assert.equal(ret.item_status, 'on_hold_shelf');
  const late = await checkin('I-S1');
  assert.equal(late.suspension_days_added, 7);

  // Prizes at three branches; the filter (總館 + 西屯分館, 2–5 points) keeps 帆布袋, 書籤組, 明信片.
  const prize = async (branch, name, cost, stock, extra = {}) =>
    (await srv.must(201, 'POST', '/prizes', { ...as, body: { branch, name, cost, stock, ...extra } })).prize.id;
  fx.prizes = {
    bag: await prize('A', '帆布袋', 2, 5, { sponsor: '文化局', per_card_limit: 1 }),
    bookmarks: await prize('C', '書籤組', 3, 10),
    notebook: await prize('B', '筆記本', 4, 3),
    bottle: await prize('A', '保溫瓶', 30, 2),
    postcards: await prize('C', '明信片', 2, 0),
  };

  // An event ending in 10 minutes (claim window open) and one in three days that costs a point.
  fx.talk = (await srv.must(201, 'POST', '/events', {
    ...as,
    body: {
      branch: 'A',
      title: '繪本說故事',
      starts_at: new Date(T1_MS - 45 * 60_000).toISOString(),
      ends_at: new Date(T1_MS + 10 * 60_000).toISOString(),
      attendance_points: 2,
      capacity: 30,
    },
  })).event.id;
  fx.lecture = (await srv.must(201, 'POST', '/events', {
    ...as,
    body: {
      branch: 'C',
      title: '作家講座：城市與閱讀',
      starts_at: new Date(T1_MS + 3 * 86_400_000).toISOString(),
      ends_at: new Date(T1_MS + 3 * 86_400_000 + 90 * 60_000).toISOString(),
      attendance_points: 3,
      capacity: 20,
      registration_cost: 1,
    },
  })).event.id;
  return fx;
}

/** What zbarimg reads in a PNG: ['CODE-128:…', 'QR-Code:…']. */
async function zbar(file) {
  const r = await run('zbarimg', ['--quiet', file]);
  return r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
}

/** The redemption code of step n, computed here independently of the app (docs/passbook.md). */
function codeAt(id, keyB64Url, n) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(n));
  const mac = createHmac('sha256', Buffer.from(keyB64Url, 'base64url')).update(msg).digest();
  return `R${id}-${String(mac.readUInt32BE(0) % 100_000_000).padStart(8, '0')}`;
}

describe('patron app (phone, zh-TW)', () => {
  let srv;
  let fx;
  let chromiumType;
  let browser;
  let context;
  let page;
  const shot = async (name) => {
    const file = path.join(ARTIFACTS, `${name}.png`);
    // Full page from the top, with the app bar and bottom bar in the flow instead of floating.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({
      path: file,
      fullPage: true,
      style: '.appbar, .tabbar { position: static !important; } .app { padding-bottom: 0 !important; }',
    });
    return file;
  };
  const nav = (name) => page.getByRole('navigation', { name }).first();

  before(async () => {
    assert.ok(existsSync(BIN), `no bookstamp binary at ${BIN}`);
    assert.ok(existsSync(path.join(STATIC, 'index.html')), `no built web app at ${STATIC}: run \`cd web && npm run build\``);
    assert.ok(existsSync(PLAYWRIGHT), 'playwright-core is missing: run `cd web && npm ci`');
    assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}`);
    await mkdir(ARTIFACTS, { recursive: true });
    srv = await startServer();
    fx = await buildFixture(srv);
    const { chromium } = await import(pathToFileURL(PLAYWRIGHT).href);
    chromiumType = chromium;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    context = await browser.newContext(PHONE);
    // The phone's clock reads "today" too (a few seconds after the server's, as phones drift).
    await context.clock.install({ time: new Date(T1_MS + 4000) });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await srv?.stop();
  });

  it('signs in with card number and PIN and shows the home with the passbook balance', async () => {
    await page.goto(`${srv.url}/`);
    await page.waitForURL('**/login**');
    await page.getByRole('heading', { level: 1, name: '讀者登入' }).waitFor();
    await shot('00-login');
    await page.getByLabel('借閱證號').fill(CARD_A.card);
    await page.getByLabel('密碼').fill('0000');
    await page.getByRole('button', { name: '登入', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: '借閱證號或密碼不正確' }).waitFor();
    await page.getByLabel('密碼').fill(CARD_A.pin);
    await page.getByRole('button', { name: '登入', exact: true }).click();
    await page.waitForURL(`${srv.url}/`);
    // Three loan points so far (August, and two in September); the passbook is one tap away.
    await page.getByRole('link', { name: /閱讀存摺\s*3\s*點/ }).waitFor();
    const tabs = nav('主要功能');
    for (const name of ['行動借閱證', '我的書房', '館藏查詢', '手機借書']) {
      assert.equal(await tabs.getByRole('link', { name }).count(), 1, `bottom bar has ${name}`);
    }
    await page.getByRole('link', { name: '2 借閱中' }).waitFor();
    await page.getByRole('link', { name: '0 已逾期' }).waitFor();
    await page.getByText('預約書《深夜食堂》已到館').waitFor();
    await shot('01-home');
  });

  it('shows the mobile library card as a Code 128 barcode and a QR that scan, offline too', async () => {
    await nav('主要功能').getByRole('link', { name: '行動借閱證' }).click();
    await page.getByRole('heading', { level: 1, name: '行動借閱證' }).waitFor();
    await page.getByRole('img', { name: `借閱證 ${CARD_A.card} 的條碼` }).waitFor();
    await page.getByRole('img', { name: `借閱證 ${CARD_A.card} 的 QR Code` }).waitFor();
    const file = await shot('02-card');
    const read = await zbar(file);
    assert.ok(read.includes(`CODE-128:${CARD_A.card}`), `zbarimg read ${JSON.stringify(read)}`);
    assert.ok(read.includes(`QR-Code:${CARD_A.card}`), `zbarimg read ${JSON.stringify(read)}`);

    // Once the service worker controls the page, the card opens with the network off.
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null && navigator.serviceWorker?.controller !== undefined, null, {
      timeout: 15_000,
    });
    await context.setOffline(true);
    await page.reload();
    await page.getByRole('img', { name: `借閱證 ${CARD_A.card} 的條碼` }).waitFor();
    await context.setOffline(false);
  });

  it('lists loans in my study, renews one, and shows why the others cannot be renewed', async () => {
    await nav('主要功能').getByRole('link', { name: '我的書房' }).click();
    await page.getByRole('heading', { level: 1, name: '我的書房' }).waitFor();
    await page.getByRole('heading', { name: '借閱狀態' }).waitFor();
    await page.getByText('正常，可借閱與預約。').waitFor();

    const loan = (title) => page.getByRole('listitem').filter({ hasText: title });
    // Another reader waits for 小王子: the reason sits beside a disabled button.
    await loan('小王子').getByText('無法續借：已有其他讀者預約').waitFor();
    assert.equal(await loan('小王子').getByRole('button', { name: '續借《小王子》' }).isDisabled(), true);

    await loan('被討厭的勇氣').getByRole('button', { name: '續借《被討厭的勇氣》' }).click();
    await page.getByRole('status').filter({ hasText: '《被討厭的勇氣》已續借，新到期日' }).waitFor();
    // One renewal per loan: now refused, with the reason.
    await loan('被討厭的勇氣').getByText('無法續借：已達續借次數上限').waitFor();
    assert.equal(await loan('被討厭的勇氣').getByRole('button', { name: '續借《被討厭的勇氣》' }).isDisabled(), true);
    assert.equal(await page.getByRole('button', { name: '全部續借' }).isDisabled(), true);

    // Holds: ready at 總館 until 13 October; 原子習慣 first in the queue for 西屯分館.
    const hold = (title) => page.locator('#holds').getByRole('listitem').filter({ hasText: title });
    await hold('深夜食堂').getByText(/請至總館取書，保留至 2026/).waitFor();
    await hold('原子習慣').getByText('預約順位第 1 位').waitFor();
    await hold('原子習慣').getByText('取書館：西屯分館').waitFor();
    await shot('03-study');

    await hold('原子習慣').getByRole('button', { name: '取消預約《原子習慣》' }).click();
    await hold('原子習慣').getByRole('button', { name: '確定取消' }).click();
    await page.getByRole('heading', { name: '預約（1）' }).waitFor();
  });

  it('links the family card, switches to it, and shows its suspension and overdue loan in red', async () => {
    await page.getByRole('link', { name: '帳號管理' }).first().click();
    await page.getByRole('heading', { level: 1, name: '帳號管理' }).waitFor();
    const form = page.getByRole('form', { name: '新增借閱證' });
    await form.getByLabel('借閱證號').fill(CARD_B.card);
    await form.getByLabel('密碼').fill(CARD_B.pin);
    await form.getByRole('button', { name: '連結借閱證' }).click();
    await page.getByRole('status').filter({ hasText: `已連結 ${CARD_B.name} 的借閱證 ${CARD_B.card}` }).waitFor();
    await page.getByRole('heading', { name: '我的借閱證（2）' }).waitFor();
    await shot('04-account');

    await nav('主要功能').getByRole('link', { name: '我的書房' }).click();
    await page.getByLabel('使用中的借閱證').selectOption(CARD_B.card);
    const status = page.locator('section.status--alert');
    await status.getByRole('heading', { name: '借閱狀態：停權中' }).waitFor();
    await status.getByText('停權剩餘 7 天').waitFor();
    await status.getByText(/2026.*10.*13.*起可再借閱/).waitFor();
    assert.equal(await status.evaluate((el) => getComputedStyle(el).color), 'rgb(179, 38, 30)');

    const overdue = page.getByRole('listitem').filter({ hasText: '挪威的森林' });
    await overdue.getByText('逾期 7 天').waitFor();
    assert.equal(await overdue.locator('.due').evaluate((el) => getComputedStyle(el).color), 'rgb(179, 38, 30)');
    await overdue.getByText('無法續借：借閱權停權中').waitFor();
    await shot('05-study-suspended');

    await page.getByLabel('使用中的借閱證').selectOption(CARD_A.card);
    await page.getByText('正常，可借閱與預約。').waitFor();
  });

  it('shows the passbook by year and month with earned and spent', async () => {
    await page.getByRole('link', { name: '閱讀存摺' }).first().click();
    await page.getByRole('heading', { level: 1, name: '閱讀存摺' }).waitFor();
    await page.locator('.balance').getByText('3').first().waitFor();
    const months = page.getByRole('group', { name: '月份' });
    // October: nothing yet.
    await page.getByText('2026 年 10 月沒有點數異動。').waitFor();
    await months.getByRole('button', { name: '9 月' }).click();
    const list = page.getByRole('list', { name: '2026 年 9 月點數明細' });
    await list.waitFor();
    assert.equal(await list.getByRole('listitem').count(), 2);
    await list.getByText('借閱《小王子》').waitFor();
    await page.getByText('2026 年 9 月獲得').waitFor();
    await shot('06-passbook-september');
    await months.getByRole('button', { name: '全年' }).click();
    await page.getByRole('list', { name: '2026 年點數明細' }).getByRole('listitem').nth(2).waitFor();
    assert.equal(await page.getByRole('list', { name: '2026 年點數明細' }).getByRole('listitem').count(), 3);
  });

  it('filters prizes by two branches and a points range', async () => {
    await page.getByRole('navigation', { name: '閱讀存摺功能' }).getByRole('link', { name: '可兌換明細' }).click();
    await page.getByText('共 5 項獎品').waitFor();
    await page.getByText('館別').first().click();
    await page.getByRole('checkbox', { name: '總館' }).check();
    await page.getByRole('checkbox', { name: '西屯分館' }).check();
    await page.getByLabel('最低點數').fill('2');
    await page.getByLabel('最高點數').fill('5');
    await page.getByRole('button', { name: '查詢' }).click();
    await page.getByText('共 3 項獎品').waitFor();
    const prizes = page.getByRole('list', { name: '獎品清單' });
    const names = await prizes.getByRole('heading').allTextContents();
    assert.deepEqual(names.sort(), ['帆布袋', '明信片', '書籤組'].sort());
    await prizes.getByRole('listitem').filter({ hasText: '明信片' }).getByText('已兌換完畢').waitFor();
    assert.equal(await page.getByRole('button', { name: '兌換「明信片」' }).isDisabled(), true);
    // 3 points: 書籤組 (3) is affordable, 帆布袋 (2) too.
    assert.equal(await page.getByRole('button', { name: '兌換「書籤組」' }).isDisabled(), false);
    await page.getByText('館別').first().click();
    await shot('07-prizes-filtered');
  });

  it('redeems a prize; the code changes every 30 s offline and the counter completes it', async () => {
    let created = null;
    page.on('response', async (res) => {
      if (res.request().method() === 'POST' && /\/redemptions$/.test(res.url()) && res.status() === 201) {
        created = (await res.json()).redemption;
      }
    });
    await page.getByRole('button', { name: '兌換「帆布袋」' }).click();
    await page.getByRole('group', { name: '確認兌換「帆布袋」' }).getByText('確定以 2 點兌換「帆布袋」？').waitFor();
    await page.getByRole('button', { name: '確認兌換' }).click();
    await page.waitForURL(/\/passbook\/redemptions\/\d+$/);
    await page.getByRole('heading', { level: 1, name: '兌換條碼' }).waitFor();
    const value = page.locator('output');
    await value.filter({ hasText: /^R\d+-\d{8}$/ }).waitFor();
    const first = (await value.textContent()).trim();
    assert.ok(created, 'the app made the redemption');
    assert.equal(first, codeAt(created.id, created.code_key, 0), 'step 0 computed in the browser');
    await page.getByRole('timer').getByText(/^[45]:\d\d$/).waitFor();
    const file = await shot('08-redemption-code');
    const read = await zbar(file);
    assert.ok(read.includes(`CODE-128:${first}`), `zbarimg read ${JSON.stringify(read)}`);
    assert.ok(read.includes(`QR-Code:${first}`), `zbarimg read ${JSON.stringify(read)}`);

    // Network off, 31 seconds later: a new code, made by the phone alone.
    await context.setOffline(true);
    await page.clock.fastForward(31_000);
    await value.filter({ hasText: new RegExp(`^R${created.id}-\\d{8}$`) }).filter({ hasNotText: first }).waitFor();
    const second = (await value.textContent()).trim();
    assert.equal(second, codeAt(created.id, created.code_key, 1), 'step 1 computed in the browser');
    await page.getByRole('status').filter({ hasText: '離線中' }).waitFor();
    await shot('09-redemption-code-offline');

    // At the counter (its clock 35 s on): scan shows it, complete hands the prize over.
    await srv.setClock(new Date(T1_MS + 35_000).toISOString());
    const scan = await srv.must(200, 'POST', '/counter/redemptions/scan', { token: fx.staff, body: { code: second } });
    assert.equal(scan.redemption.id, created.id);
    await srv.must(200, 'POST', `/counter/redemptions/${created.id}/complete`, { token: fx.staff, body: { code: second } });
    await context.setOffline(false);
    await page.getByRole('heading', { level: 1, name: '兌換完成' }).waitFor({ timeout: 20_000 });
    await page.getByText('帆布袋').waitFor();
    await page.locator('dd').filter({ hasText: '1 點' }).waitFor();
    await shot('10-redemption-done');
  });

  it('claims event points with the attendance token', async () => {
    const { token } = await srv.must(200, 'GET', `/events/${fx.talk}/attendance-token`, { token: fx.staff });
    await page.goto(`${srv.url}/passbook/claim`);
    await page.getByRole('heading', { name: '點數補登' }).waitFor();
    await page.getByLabel('活動代碼').fill('E999-00000000');
    await page.getByRole('button', { name: '補登點數' }).click();
    await page.getByRole('alert').filter({ hasText: '活動代碼無效' }).waitFor();
    await page.getByLabel('活動代碼').fill(token);
    await page.getByRole('button', { name: '補登點數' }).click();
    await page.getByRole('status').filter({ hasText: '已補登 2 點' }).waitFor();
    await page.getByText('繪本說故事 · 目前 3 點').waitFor();
    await shot('11-claim');
  });

  it('registers for an event, paying in points', async () => {
    await page.getByRole('link', { name: '看看近期活動' }).click();
    await page.getByRole('heading', { level: 1, name: '活動報名' }).waitFor();
    await page.getByRole('button', { name: '報名「作家講座：城市與閱讀」' }).click();
    await page.getByRole('status').filter({ hasText: '報名成功，已扣 1 點，剩 2 點。' }).waitFor();
    await page.getByRole('listitem').filter({ hasText: '作家講座' }).getByText('已報名', { exact: true }).waitFor();
    await shot('12-events');
  });

  it('borrows with the phone at a branch that offers it, and says which do not', async () => {
    await nav('主要功能').getByRole('link', { name: '手機借書' }).click();
    await page.getByRole('heading', { level: 1, name: '手機借書' }).waitFor();
    const branch = page.getByLabel('所在館別');
    const options = await branch.locator('option').allTextContents();
    assert.deepEqual(options.slice(1), ['總館', '西屯分館']);
    await page.getByText('尚未開放手機借書的館別（1）').click();
    await page.getByText('北屯分館').waitFor();
    await page.getByLabel('館藏條碼').fill('I-M1');
    await page.getByRole('button', { name: '下一步' }).click();
    await page.getByRole('alert').filter({ hasText: '請先選擇您所在的館別' }).waitFor();
    await branch.selectOption({ label: '總館' });
    await page.getByRole('button', { name: '下一步' }).click();
    await page.getByRole('group', { name: '確認借書' }).getByText('確定在總館借閱條碼 I-M1 的館藏？').waitFor();
    await page.getByRole('button', { name: '確認借書' }).click();
    await page.getByRole('heading', { name: '借書成功' }).waitFor();
    await page.getByText('百年孤寂').waitFor();
    await page.getByText('+1 點').waitFor();
    // Due 28 days from 6 October.
    await page.locator('dd.due').filter({ hasText: /2026.*11.*3/ }).waitFor();
    await page.getByText('3 點', { exact: true }).waitFor();
    await shot('13-checkout-done');

    // The other copy stands at 北屯分館, so it cannot be borrowed while standing in 總館.
    await page.getByRole('button', { name: '再借一本' }).click();
    await page.getByLabel('館藏條碼').fill('I-M2');
    await page.getByRole('button', { name: '下一步' }).click();
    await page.getByRole('button', { name: '確認借書' }).click();
    await page.getByRole('alert').filter({ hasText: '此館藏不在您選擇的館別' }).waitFor();
  });

  it('searches the catalog with two Chinese characters, opens a record and reserves it', async () => {
    const probe = await srv.api('GET', '/search?q=%E5%B0%8F%E7%8E%8B');
    await nav('主要功能').getByRole('link', { name: '館藏查詢' }).click();
    await page.getByRole('heading', { level: 1, name: '館藏查詢' }).waitFor();
    const box = page.getByRole('searchbox', { name: '查詢館藏' });
    await box.fill('小王');
    await box.press('Enter');
    if (probe.status === 404) {
      // This server has no catalog search yet: the page says so instead of failing.
      await page.getByText('館藏查詢即將開放').waitFor();
      return;
    }
    assert.equal(probe.status, 200, JSON.stringify(probe.body));
    await page.getByRole('status').filter({ hasText: /找到 \d+ 筆/ }).waitFor();
    const hit = page.getByRole('link', { name: /小王子/ });
    await hit.getByText('館藏 1 冊・可借 0 冊').waitFor();
    await shot('16-search');
    await hit.click();
    await page.getByRole('heading', { level: 1, name: '小王子' }).waitFor();
    await page.getByText('1 人預約中').waitFor();
    // Card A has this one on loan: the reason is shown.
    await page.getByLabel('取書館').selectOption({ label: '西屯分館' });
    await page.getByRole('button', { name: '預約', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: '您已借閱這本書' }).waitFor();
    await shot('17-record');

    await page.getByRole('link', { name: '回查詢結果' }).click();
    await box.fill('原子習慣');
    await box.press('Enter');
    await page.getByRole('link', { name: /原子習慣/ }).click();
    await page.getByRole('heading', { level: 1, name: '原子習慣' }).waitFor();
    await page.getByLabel('取書館').selectOption({ label: '總館' });
    await page.getByRole('button', { name: '預約', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '已預約，順位第 1 位，到館後於總館取書。' }).waitFor();
  });

  it('switches to English, and the account\'s notices follow', async () => {
    const toEn = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().endsWith('/api/v1/me'));
    await page.getByRole('button', { name: 'Switch to English' }).click();
    const answer = await toEn;
    assert.equal(answer.status(), 200);
    assert.equal((await answer.json()).lang, 'en');
    await nav('Main features').getByRole('link', { name: 'My study' }).click();
    await page.getByRole('heading', { level: 1, name: 'My study' }).waitFor();
    await page.getByText('Cannot renew: another reader has reserved it').waitFor();
    await shot('14-study-en');
    const toZh = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().endsWith('/api/v1/me'));
    await page.getByRole('button', { name: '切換為中文' }).click();
    await page.getByRole('heading', { level: 1, name: '我的書房' }).waitFor();
    assert.equal((await (await toZh).json()).lang, 'zh-TW');
  });
  it('scans an item barcode with the camera (zxing-wasm, served by the app)', async () => {
    // A fake camera that films a Code 128 label of item I-M3: Chromium plays a Y4M file.
    await srv.must(201, 'POST', '/bibs', {
      token: fx.staff,
      body: { title: '小婦人', author: '奧爾柯特', items: [{ barcode: 'I-M3', branch: 'C' }] },
    });
    const bwip = await import(pathToFileURL(BWIPJS).href);
    const png = await bwip.toBuffer({ bcid: 'code128', text: 'I-M3', scale: 4, height: 14, paddingwidth: 16, paddingheight: 8, backgroundcolor: 'FFFFFF' });
    const W = 640;
    const H = 480;
    const luma = await page.evaluate(
      async ({ dataUrl, W, H }) => {
        const img = new Image();
        img.src = dataUrl;
        await img.decode();
        const c = document.createElement('canvas');
        c.width = W;
        c.height = H;
        const g = c.getContext('2d');
        g.fillStyle = '#fff';
        g.fillRect(0, 0, W, H);
        const w = Math.min(W - 40, img.width);
        const h = (img.height * w) / img.width;
        g.imageSmoothingEnabled = false;
        g.drawImage(img, (W - w) / 2, (H - h) / 2, w, h);
        const d = g.getImageData(0, 0, W, H).data;
        const y = new Array(W * H);
        for (let i = 0; i < W * H; i++) y[i] = Math.round(0.299 * d[i * 4] + 0.587 * d[i * 4 + 1] + 0.114 * d[i * 4 + 2]);
        return y;
      },
      { dataUrl: `data:image/png;base64,${png.toString('base64')}`, W, H },
    );
    const frame = Buffer.concat([Buffer.from('FRAME\n'), Buffer.from(luma), Buffer.alloc((W * H) / 2, 128)]);
    const video = path.join(ARTIFACTS, 'item-barcode.y4m');
    await writeFile(video, Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F5:1 Ip A1:1 C420jpeg\n`), frame, frame]));

    const camBrowser = await chromiumType.launch({
      executablePath: CHROMIUM,
      args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
    });
    try {
      const ctx = await camBrowser.newContext(PHONE);
      await ctx.grantPermissions(['camera'], { origin: srv.url });
      const p = await ctx.newPage();
      p.setDefaultTimeout(20_000);
      await p.goto(`${srv.url}/login`);
      await p.getByLabel('借閱證號').fill(CARD_A.card);
      await p.getByLabel('密碼').fill(CARD_A.pin);
      await p.getByRole('button', { name: '登入', exact: true }).click();
      await p.waitForURL(`${srv.url}/`);
      await p.getByRole('navigation', { name: '主要功能' }).getByRole('link', { name: '手機借書' }).click();
      await p.getByLabel('所在館別').selectOption({ label: '西屯分館' });
      await p.getByRole('button', { name: '用相機掃描書上的條碼' }).click();
      await p.getByRole('status').filter({ hasText: '已讀取條碼 I-M3' }).waitFor();
      assert.equal(await p.getByLabel('館藏條碼').inputValue(), 'I-M3');
      await p.screenshot({ path: path.join(ARTIFACTS, '15-checkout-scanned.png') });
      // The reader's .wasm comes from this server, never a CDN.
      const wasm = await p.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.wasm')));
      assert.ok(wasm.length > 0 && wasm.every((n) => n.startsWith(srv.url)), `wasm from ${JSON.stringify(wasm)}`);
      await p.getByRole('button', { name: '下一步' }).click();
      await p.getByRole('button', { name: '確認借書' }).click();
      await p.getByRole('heading', { name: '借書成功' }).waitFor();
      await p.getByText('小婦人').waitFor();
    } finally {
      await camBrowser.close();
    }
  });
});
