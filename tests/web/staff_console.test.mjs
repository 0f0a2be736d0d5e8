// The staff console in a real Chromium at desktop size (1366×900) against the real server
// (STYLE.md "Tests": select by role and label, as a person would). Starts `bookstamp serve
// --test-clock --static web/dist`, builds a small fixture through the API, then walks the console:
// a redemption by a scanned code (typed into the always-focused field + Enter) and one by card
// number (then cancelled), the circulation desk, a backfill filed by one counter and approved by
// another (two browser contexts; the filer's own approval is refused), a prize created in the
// console and visible in GET /prizes and the patron app, a lottery defined, frozen, drawn and
// published in the console and re-computed by `bookstamp lottery verify`, the audit log verified,
// the attendance QR and the public transparency page; then the admin screens: a report shown and
// downloaded (CSV parsed, XLSX unzipped), home content edited and seen in GET /home, a staff
// account created (it signs in; disabled, its session ends), a branch's phone checkout switched
// off and a holiday added, the policy changed (a bad value refused naming the field), the staff
// prize list with a prize not on sale yet, and last an audit row altered in SQLite behind the
// server's back, which the console's verify button names.
//
// Needs: BOOKSTAMP_BIN (default build/bookstamp), BOOKSTAMP_STATIC (default web/dist), /usr/bin/chromium.
// Screenshots go to tests/web/artifacts/ (gitignored).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createHmac } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ADMIN, ARTIFACTS, BIN, CHROMIUM, CHROMIUM_ARGS, PLAYWRIGHT, STATIC, repoRoot, run, startServer } from './lib/harness.mjs';

const DESKTOP = { viewport: { width: 1366, height: 900 }, locale: 'zh-TW', timezoneId: 'Asia/Taipei' };

const COUNTER1 = { username: 'amy', password: 'counterpass1', role: 'counter', branch: 'A' };
const COUNTER2 = { username: 'ben', password: 'counterpass2', role: 'counter', branch: 'A' };
const BOSS = { username: 'chen', password: 'bosspass123', role: 'branch_admin', branch: 'A' };
const AUDITOR = { username: 'dora', password: 'auditpass12', role: 'auditor', branch: null };
const CARD_A = { card: '20260001', pin: '1234', name: '王小明' };
const CARD_B = { card: '20260002', pin: '5678', name: '李小華' };
const CARD_C = { card: '20260003', pin: '2468', name: '林大同' };

const T0 = '2026-09-10T10:00:00+08:00';
const T1 = '2026-10-06T10:00:00+08:00';
const T1_MS = Date.parse(T1);


/** The redemption code of step n, computed here independently of the app (docs/passbook.md). */
function codeAt(id, keyB64Url, n) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(n));
  const mac = createHmac('sha256', Buffer.from(keyB64Url, 'base64url')).update(msg).digest();
  return `R${id}-${String(mac.readUInt32BE(0) % 100_000_000).padStart(8, '0')}`;
}

/** Branches, staff, patrons with points, a prize and an event in progress. */
async function buildFixture(srv) {
  const fx = {};
  const as = { token: null };
  const clock = async (iso) => {
    await srv.setClock(iso);
    as.token = (await srv.must(201, 'POST', '/staff/session', { body: ADMIN })).token;
    fx.staff = as.token;
  };
  await clock(T0);
  for (const b of [
    { code: 'A', name: '總館', mobile_checkout: true },
    { code: 'B', name: '北屯分館', mobile_checkout: false },
  ]) {
    await srv.must(201, 'POST', '/branches', { ...as, body: b });
  }
  for (const s of [COUNTER1, COUNTER2, BOSS, AUDITOR]) await srv.must(201, 'POST', '/staff', { ...as, body: s });
  for (const c of [CARD_A, CARD_B, CARD_C]) {
    await srv.must(201, 'POST', '/patrons', { ...as, body: { name: c.name, card: { card: c.card, type: 'personal', pin: c.pin } } });
  }
  const bib = async (title, author, items) =>
    (await srv.must(201, 'POST', '/bibs', { ...as, body: { title, author, publisher: '遠流', year: 2020, items } })).bib_id;
  await bib('被討厭的勇氣', '岸見一郎', [{ barcode: 'I-1', branch: 'A' }]);
  await bib('小王子', '聖修伯里', [{ barcode: 'I-2', branch: 'A' }]);
  await bib('深夜食堂', '安倍夜郎', [{ barcode: 'I-3', branch: 'A' }]);
  fx.habits = await bib('原子習慣', '詹姆斯．克利爾', [{ barcode: 'I-4', branch: 'A' }]);
  await bib('解憂雜貨店', '東野圭吾', [{ barcode: 'I-5', branch: 'A' }, { barcode: 'I-6', branch: 'A' }]);
  const checkout = (card, item) => srv.must(201, 'POST', '/circulation/checkout', { ...as, body: { card, item_barcode: item, branch: 'A' } });
  const checkin = (item) => srv.must(200, 'POST', '/circulation/checkin', { ...as, body: { item_barcode: item, branch: 'A' } });
  // September: card A borrows three books and returns them (3 points); card B borrows one.
  for (const i of ['I-1', 'I-2', 'I-3']) await checkout(CARD_A.card, i);
  await checkout(CARD_B.card, 'I-4');
  for (const i of ['I-1', 'I-2', 'I-3', 'I-4']) await checkin(i);
  await clock(T1);
  fx.bag = (await srv.must(201, 'POST', '/prizes', { ...as, body: { branch: 'A', name: '帆布袋', sponsor: '文化局', cost: 1, stock: 10 } })).prize.id;
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
  fx.patronA = (await srv.must(201, 'POST', '/session', { body: { card: CARD_A.card, pin: CARD_A.pin } })).token;
  // Card C wants 原子習慣 picked up at 北屯分館: the copy on 總館's shelf is on the pull list.
  const tokC = (await srv.must(201, 'POST', '/session', { body: { card: CARD_C.card, pin: CARD_C.pin } })).token;
  await srv.must(201, 'POST', `/cards/${CARD_C.card}/holds`, { token: tokC, body: { bib_id: fx.habits, pickup_branch: 'B' } });
  return fx;
}

describe('staff console (desktop, zh-TW)', () => {
  let srv;
  let fx;
  let browser;
  const contexts = [];

  /** A signed-in console tab of its own (its own sessionStorage) for staff member who. */
  async function consoleFor(who) {
    const context = await browser.newContext(DESKTOP);
    await context.clock.install({ time: new Date(T1_MS + 2000) });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${srv.url}/staff`);
    await page.getByRole('heading', { level: 1, name: '館員工作台登入' }).waitFor();
    await page.getByLabel('帳號').fill(who.username);
    await page.getByLabel('密碼').fill(who.password);
    await page.getByRole('button', { name: '登入' }).click();
    await page.getByRole('navigation', { name: '工作台選單' }).waitFor();
    return page;
  }
  const shot = async (page, name) => {
    const file = path.join(ARTIFACTS, `staff-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  };
  const menu = (page) => page.getByRole('navigation', { name: '工作台選單' });

  let amy;

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
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await srv?.stop();
  });

  it('signs a counter in onto the redemption desk with a menu scoped to the role', async () => {
    amy = await consoleFor(COUNTER1);
    await amy.waitForURL('**/staff/redemptions');
    await amy.getByRole('heading', { level: 1, name: '兌換櫃台' }).waitFor();
    const links = await menu(amy).getByRole('link').allInnerTexts();
    assert.deepEqual(links, ['兌換櫃台', '流通櫃台', '活動', '補登審核'], 'a counter sees only the desk screens');
    // The scan field has the focus from the start.
    assert.equal(await amy.evaluate(() => document.activeElement?.id), 'scan-code');
    await shot(amy, '00-redemption-desk');
  });

  it('redeems by a scanned code: typed into the focused field + Enter, then handed over', async () => {
    const created = (await srv.must(201, 'POST', `/cards/${CARD_A.card}/redemptions`, { token: fx.patronA, body: { prize_id: fx.bag } })).redemption;
    assert.equal(created.code, codeAt(created.id, created.code_key, 0));
    // A USB scanner types into whatever has the focus and presses Enter.
    await amy.keyboard.type(created.code);
    await amy.keyboard.press('Enter');
    const ticket = amy.getByRole('region', { name: '帆布袋' });
    await ticket.waitFor();
    await ticket.getByText('20****001').or(ticket.getByText(/\*+/)).first().waitFor();
    await ticket.getByText('2 點').waitFor(); // balance: 3 − 1
    await shot(amy, '01-scanned');
    await amy.getByRole('button', { name: '交付獎品' }).click();
    await amy.getByRole('status').filter({ hasText: '已交付：帆布袋' }).waitFor();
    await shot(amy, '02-handed-over');
    const r = await srv.must(200, 'GET', `/cards/${CARD_A.card}/redemptions/${created.id}`, { token: fx.patronA });
    assert.equal(r.redemption.status, 'completed');

    // The same code again: refused in plain words, with the code.
    assert.equal(await amy.evaluate(() => document.activeElement?.id), 'scan-code', 'focus back in the scan field');
    await amy.keyboard.type(created.code);
    await amy.keyboard.press('Enter');
    await amy.getByRole('alert').filter({ hasText: 'CODE_USED' }).waitFor();
    await amy.keyboard.type('R999-12345678');
    await amy.keyboard.press('Enter');
    await amy.getByRole('alert').filter({ hasText: 'CODE_INVALID' }).waitFor();
    await shot(amy, '03-refused');
  });

  it('redeems by card number with the prize picker, then cancels it with a reason', async () => {
    await amy.getByRole('tab', { name: '以借閱證號兌換' }).click();
    await amy.getByLabel('借閱證號', { exact: true }).fill(CARD_A.card);
    await amy.getByLabel('獎品').selectOption({ label: /帆布袋/ }).catch(async () => {
      const value = await amy.getByLabel('獎品').locator('option', { hasText: '帆布袋' }).getAttribute('value');
      await amy.getByLabel('獎品').selectOption(value);
    });
    const redeemed = amy.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/counter/redemptions'));
    await amy.getByRole('button', { name: '兌換並交付' }).click();
    assert.equal((await redeemed).status(), 201);
    await amy.getByRole('status').filter({ hasText: '已交付：帆布袋' }).waitFor();
    let pb = await srv.must(200, 'GET', `/cards/${CARD_A.card}/passbook`, { token: fx.patronA });
    assert.equal(pb.balance, 1);
    await shot(amy, '04-by-card');
    await amy.getByRole('button', { name: '讀者退回獎品，取消這筆兌換' }).click();
    await amy.getByLabel('取消原因').fill('讀者退回獎品');
    await amy.getByRole('button', { name: '取消兌換並退還點數' }).click();
    await amy.getByRole('status').filter({ hasText: '已取消' }).waitFor();
    pb = await srv.must(200, 'GET', `/cards/${CARD_A.card}/passbook`, { token: fx.patronA });
    assert.equal(pb.balance, 2);
  });

  it('checks out and in at the circulation desk, showing the due date and the point', async () => {
    await menu(amy).getByRole('link', { name: '流通櫃台' }).click();
    await amy.getByRole('heading', { level: 1, name: '流通櫃台' }).waitFor();
    await amy.getByLabel('借閱證號').fill(CARD_C.card);
    await amy.getByLabel('館藏條碼').fill('I-5');
    await amy.getByRole('button', { name: '借出', exact: true }).click();
    const out = amy.getByRole('status').filter({ hasText: '已借出《解憂雜貨店》' });
    await out.waitFor();
    await out.getByText(/到期日/).waitFor();
    await out.getByText(/獲得 1 點/).waitFor();
    await shot(amy, '05-checkout');
    // The same title again today: no point, with the reason.
    await amy.getByLabel('館藏條碼').fill('I-6');
    await amy.getByRole('button', { name: '借出', exact: true }).click();
    await amy.getByRole('status').filter({ hasText: 'SAME_TITLE_TODAY' }).waitFor();
    await amy.getByRole('tab', { name: '還書' }).click();
    await amy.getByLabel('館藏條碼').fill('I-6');
    await amy.getByRole('button', { name: '歸還' }).click();
    await amy.getByRole('status').filter({ hasText: '已歸還《解憂雜貨店》' }).waitFor();
    // The pull list names the copy for card C's hold; checking it in sends it in transit to B.
    await amy.getByRole('tab', { name: '預約調書' }).click();
    await amy.getByRole('heading', { name: '待調書清單（1）' }).waitFor();
    await amy.getByRole('cell', { name: /I-4/ }).waitFor();
    await shot(amy, '05b-pull-list');
    await amy.getByRole('tab', { name: '還書' }).click();
    await amy.getByLabel('館藏條碼').fill('I-4');
    await amy.getByRole('button', { name: '歸還' }).click();
    await amy.getByRole('status').filter({ hasText: '請調撥至 B：《原子習慣》' }).waitFor();
    await amy.getByRole('tab', { name: '預約調書' }).click();
    await amy.getByRole('heading', { name: '待調書清單（0）' }).waitFor();
    await amy.getByRole('tab', { name: '讀者查詢' }).click();
    await amy.getByLabel('借閱證號').fill(CARD_C.card);
    await amy.getByRole('button', { name: '查詢' }).click();
    await amy.getByRole('heading', { name: new RegExp(CARD_C.name) }).waitFor();
    await shot(amy, '06-card-lookup');
  });

  it('files a backfill as one counter; the filer cannot approve it, another counter does', async () => {
    await menu(amy).getByRole('link', { name: '活動' }).click();
    await amy.getByRole('heading', { level: 1, name: '活動' }).waitFor();
    await amy.getByRole('button', { name: '為「繪本說故事」補登' }).click();
    await amy.getByLabel('借閱證號').fill(CARD_B.card);
    await amy.getByLabel('說明').fill('簽到表第 2 頁，手機沒電');
    await amy.getByRole('button', { name: '補登', exact: true }).click();
    await amy.getByRole('status').filter({ hasText: '待另一位館員核准' }).waitFor();
    await shot(amy, '07-backfill-filed');

    await menu(amy).getByRole('link', { name: '補登審核' }).click();
    await amy.getByRole('button', { name: `核准 ${CARD_B.card} 的「繪本說故事」補登` }).click();
    await amy.getByRole('alert').filter({ hasText: 'APPROVER_IS_FILER' }).waitFor();
    await shot(amy, '08-approver-is-filer');

    const ben = await consoleFor(COUNTER2);
    await menu(ben).getByRole('link', { name: '補登審核' }).click();
    await ben.getByRole('cell', { name: COUNTER1.username }).waitFor();
    await ben.getByRole('button', { name: `核准 ${CARD_B.card} 的「繪本說故事」補登` }).click();
    await ben.getByRole('status').filter({ hasText: '已核准' }).waitFor();
    await ben.getByText('沒有待審核的補登。').waitFor();
    await shot(ben, '09-backfill-approved');
    const list = await srv.must(200, 'GET', '/backfills?status=approved', { token: fx.staff });
    assert.equal(list.backfills.length, 1);
    assert.equal(list.backfills[0].decided_by, COUNTER2.username);
  });

  it('shows the event attendance QR full screen', async () => {
    await menu(amy).getByRole('link', { name: '活動' }).click();
    await amy.getByRole('link', { name: '顯示「繪本說故事」的出席 QR' }).click();
    await amy.getByRole('img', { name: '活動出席 QR 碼' }).waitFor();
    await amy.getByText(/^E\d+-\d+/).waitFor();
    await shot(amy, '10-event-qr');
    await amy.getByRole('link', { name: '回到活動列表' }).click();
    await amy.getByRole('heading', { level: 1, name: '活動' }).waitFor();
  });

  it('creates a prize as a branch admin; it is in GET /prizes and the patron app', async () => {
    const chen = await consoleFor(BOSS);
    await menu(chen).getByRole('link', { name: '獎品上架' }).click();
    await chen.getByRole('heading', { level: 1, name: '獎品上架' }).waitFor();
    await chen.getByRole('button', { name: '新增獎品' }).click();
    await chen.getByLabel('獎品名稱').fill('藏書票');
    await chen.getByLabel('提供單位').fill('市立美術館');
    await chen.getByLabel('兌換點數').fill('2');
    await chen.getByLabel('總數量').fill('20');
    await shot(chen, '11a-prize-form');
    await chen.getByRole('button', { name: '上架' }).click();
    await chen.getByRole('status').filter({ hasText: '已儲存獎品「藏書票」' }).waitFor();
    await chen.getByRole('cell', { name: '藏書票（市立美術館）' }).waitFor();
    const prizes = (await srv.must(200, 'GET', '/prizes?branches=A')).prizes;
    const made = prizes.find((p) => p.name === '藏書票');
    assert.ok(made, 'the new prize is on sale');
    assert.equal(made.cost, 2);
    assert.equal(made.stock, 20);
    assert.equal(made.sponsor, '市立美術館');

    // A stock change needs a reason.
    await chen.getByRole('button', { name: '編輯「藏書票」' }).click();
    await chen.getByLabel('總數量').fill('25');
    await chen.getByRole('button', { name: '儲存' }).click();
    await chen.getByRole('alert').filter({ hasText: '變更數量時請填寫原因' }).waitFor();
    await chen.getByLabel('數量變更原因').fill('廠商追加 5 個');
    // The create step's "saved" status is still shown: wait for the edit's own answer.
    const patched = chen.waitForResponse((r) => r.request().method() === 'PATCH' && /\/api\/v1\/prizes\/\d+$/.test(r.url()));
    await chen.getByRole('button', { name: '儲存' }).click();
    assert.equal((await patched).status(), 200);
    await chen.getByRole('status').filter({ hasText: '已儲存獎品「藏書票」' }).waitFor();
    const after = (await srv.must(200, 'GET', '/prizes?branches=A')).prizes.find((p) => p.name === '藏書票');
    assert.equal(after.stock, 25);
    await shot(chen, '11-prizes');

    // The patron app's prize page lists it too.
    const patron = await chen.context().newPage();
    await patron.goto(`${srv.url}/login`);
    await patron.getByLabel('借閱證號').fill(CARD_A.card);
    await patron.getByLabel('密碼').fill(CARD_A.pin);
    await patron.getByRole('button', { name: '登入', exact: true }).click();
    await patron.waitForURL(`${srv.url}/`);
    await patron.goto(`${srv.url}/passbook/prizes`);
    await patron.getByText('藏書票').first().waitFor();
    await patron.screenshot({ path: path.join(ARTIFACTS, 'staff-11b-patron-prizes.png'), fullPage: true });
    await patron.close();
  });

  it('creates and edits an event as a branch admin', async () => {
    const chen = await consoleFor(BOSS);
    await menu(chen).getByRole('link', { name: '活動' }).click();
    await chen.getByRole('button', { name: '新增活動' }).click();
    await chen.getByLabel('活動名稱').fill('親子共讀');
    await chen.getByLabel('開始時間').fill('2026-10-20T14:00');
    await chen.getByLabel('結束時間').fill('2026-10-20T15:30');
    await chen.getByLabel('出席點數').fill('2');
    await chen.getByLabel('名額').fill('25');
    await chen.getByRole('button', { name: '建立活動' }).click();
    await chen.getByRole('status').filter({ hasText: '已儲存活動「親子共讀」' }).waitFor();
    await chen.getByRole('button', { name: '編輯「親子共讀」' }).click();
    await chen.getByLabel('出席點數').fill('3');
    // The create step's "saved" status is still shown: wait for the edit's own answer.
    const patched = chen.waitForResponse((r) => r.request().method() === 'PATCH' && /\/api\/v1\/events\/\d+$/.test(r.url()));
    await chen.getByRole('button', { name: '儲存' }).click();
    assert.equal((await patched).status(), 200);
    await chen.getByRole('status').filter({ hasText: '已儲存活動「親子共讀」' }).waitFor();
    const events = (await srv.must(200, 'GET', '/events')).events;
    const made = events.find((e) => e.title === '親子共讀');
    assert.ok(made, 'the new event is listed');
    assert.equal(made.branch, 'A');
    assert.equal(made.attendance_points, 3);
    assert.equal(made.capacity, 25);
    assert.equal(Date.parse(made.starts_at), Date.parse('2026-10-20T14:00:00+08:00'));
    await shot(chen, '11c-events');
  });

  it('defines, freezes, draws and publishes a lottery; the CLI recomputes the same winners', async () => {
    const admin = await consoleFor(ADMIN);
    await menu(admin).getByRole('link', { name: '抽獎' }).click();
    await admin.getByRole('heading', { level: 1, name: '抽獎' }).waitFor();
    await admin.getByRole('button', { name: '新增抽獎' }).click();
    await admin.getByLabel('名稱').fill('九月借閱抽獎');
    await admin.getByLabel('借閱期間起').fill('2026-09-01');
    await admin.getByLabel('借閱期間迄').fill('2026-09-30');
    await admin.getByLabel('至少借閱冊數').fill('1');
    await admin.getByLabel('公開亂數來源').fill('2026-10-25 統一發票特別獎');
    await admin.getByLabel('獎項').fill('圖書禮券 × 1');
    await shot(admin, '12a-lottery-form');
    await admin.getByRole('button', { name: '建立' }).click();
    await admin.getByRole('status').filter({ hasText: '已建立抽獎「九月借閱抽獎」' }).waitFor();
    const card = admin.getByRole('region', { name: '九月借閱抽獎' });
    await card.getByRole('button', { name: '凍結名單' }).click();
    await card.getByText('名單已凍結').waitFor();
    await card.getByLabel(/公開值/).fill('12345678');
    await card.getByRole('button', { name: '抽出 1 名' }).click();
    await card.getByRole('button', { name: '公布結果' }).click();
    await card.getByText('已公布').waitFor();
    await card.getByRole('table').waitFor();
    await shot(admin, '12-lottery');

    const all = (await srv.must(200, 'GET', '/lotteries')).lotteries;
    const lot = all.find((l) => l.title === '九月借閱抽獎');
    const { lottery } = await srv.must(200, 'GET', `/lotteries/${lot.id}`);
    assert.equal(lottery.status, 'published');
    assert.equal(lottery.entries, 2, 'cards A and B borrowed in September');
    const shownHash = await card.getByTestId('list-hash').innerText();
    assert.equal(shownHash.trim(), lottery.list_sha256);
    const listRes = await fetch(`${srv.url}/api/v1/lotteries/${lot.id}/list`);
    assert.equal(listRes.status, 200);
    const dir = await mkdtemp(path.join(tmpdir(), 'bookstamp-lottery-'));
    const listFile = path.join(dir, 'list.txt');
    await writeFile(listFile, Buffer.from(await listRes.arrayBuffer()));
    const winners = lottery.prizes.reduce((n, p) => n + p.quantity, 0);
    const cli = await run(BIN, ['lottery', 'verify', '--list', listFile, '--secret', lottery.secret, '--public', lottery.public_value, '--winners', String(winners)]);
    await rm(dir, { recursive: true, force: true });
    assert.equal(cli.code, 0, `lottery verify failed:\n${cli.stdout}\n${cli.stderr}`);
    const cliTokens = cli.stdout.match(/\b[0-9a-f]{16}\b/g) ?? [];
    const published = lottery.results.filter((r) => r.status === 'winner').map((r) => r.token);
    assert.deepEqual(cliTokens, published, `CLI said:\n${cli.stdout}`);
    assert.ok(cli.stdout.includes(lottery.list_sha256), 'the CLI prints the list hash');
    for (const tok of published) await card.getByRole('cell', { name: tok }).waitFor();
  });

  it('verifies the audit chain as an auditor', async () => {
    const dora = await consoleFor(AUDITOR);
    await dora.waitForURL('**/staff/reports');
    const links = await menu(dora).getByRole('link').allInnerTexts();
    assert.deepEqual(links, ['報表', '稽核紀錄'], 'an auditor reads reports and the audit log only');
    await menu(dora).getByRole('link', { name: '稽核紀錄' }).click();
    await dora.waitForURL('**/staff/audit');
    await dora.getByRole('table').waitFor();
    await dora.getByRole('button', { name: '驗證雜湊鏈' }).click();
    await dora.getByRole('status').filter({ hasText: '驗證通過' }).waitFor();
    const v = await srv.must(200, 'GET', '/audit/verify', { token: fx.staff });
    assert.equal(v.ok, true);
    await dora.getByText(v.head).first().waitFor();
    await dora.getByLabel('動作').fill('redemption*');
    await dora.getByRole('button', { name: '篩選' }).click();
    await dora.getByRole('table').waitFor();
    await shot(dora, '13-audit');
  });

  it('shows the public transparency page with the head hash and the lottery proof', async () => {
    const page = await contexts[0].newPage();
    await page.goto(`${srv.url}/transparency`);
    await page.getByRole('heading', { level: 1, name: '公開資訊' }).waitFor();
    await page.getByRole('heading', { name: '抽獎證明' }).waitFor();
    await page.getByText('九月借閱抽獎').waitFor();
    await shot(page, '14-transparency');
    await page.close();
  });
  it('switches the console to English, and the desk tabs work with the arrow keys', async () => {
    await menu(amy).getByRole('link', { name: '兌換櫃台' }).click();
    await amy.getByRole('button', { name: 'Switch to English' }).click();
    await amy.getByRole('heading', { level: 1, name: 'Redemption desk' }).waitFor();
    const links = await amy.getByRole('navigation', { name: 'Console menu' }).getByRole('link').allInnerTexts();
    assert.deepEqual(links, ['Redemption desk', 'Circulation desk', 'Events', 'Backfill queue']);
    await amy.getByRole('tab', { name: 'Scan a code' }).focus();
    await amy.keyboard.press('ArrowRight');
    await amy.getByRole('tab', { name: 'Redeem by card number', selected: true }).waitFor();
    await amy.getByRole('combobox', { name: 'Prize' }).waitFor();
    await shot(amy, '15-english');
  });

  // ---- the admin screens (reports, content, branches, policy, staff accounts) ----------------

  let root;
  const tokenOf = async (who) => (await srv.must(201, 'POST', '/staff/session', { body: { username: who.username, password: who.password } })).token;
  /** The newest audit entries with action (exact), newest first. */
  const auditOf = async (action) => (await srv.must(200, 'GET', `/audit?action=${encodeURIComponent(action)}`, { token: fx.staff })).entries;

  it('shows the redemption report with a chart and downloads it as CSV and XLSX', async () => {
    fx.staff = await tokenOf(ADMIN);
    root = await consoleFor(ADMIN);
    const links = await menu(root).getByRole('link').allInnerTexts();
    for (const l of ['報表', '首頁內容', '分館與行事曆', '借閱與點數規則', '館員帳號', '稽核紀錄']) assert.ok(links.includes(l), `sysadmin menu has ${l}: ${links}`);
    await menu(root).getByRole('link', { name: '報表' }).click();
    await root.getByRole('heading', { level: 1, name: '報表' }).waitFor();
    await root.getByRole('button', { name: '查詢' }).click();
    const totals = root.getByRole('table', { name: '各分館兌換合計' });
    await totals.getByRole('rowheader', { name: 'A・總館' }).waitFor();
    await root.getByRole('img', { name: /長條圖：各分館已兌換點數/ }).waitFor();
    const list = root.getByRole('table', { name: /兌換明細/ });
    await list.getByRole('cell', { name: '帆布袋' }).first().waitFor();
    await shot(root, '20-report');

    const save = async (name) => {
      const [download] = await Promise.all([root.waitForEvent('download'), root.getByRole('button', { name }).click()]);
      const file = path.join(ARTIFACTS, download.suggestedFilename());
      await download.saveAs(file);
      return { file, name: download.suggestedFilename() };
    };
    const csv = await save('下載 CSV');
    assert.match(csv.name, /^redemptions_all_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
    const bytes = await readFile(csv.file);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the CSV starts with a UTF-8 BOM');
    const rows = bytes.subarray(3).toString('utf8').split('\r\n').filter(Boolean).map((l) => l.split(','));
    assert.equal(rows[0][6], '獎品');
    assert.equal(rows[0][8], '狀態');
    const api = await srv.must(200, 'GET', '/reports/redemptions', { token: fx.staff });
    assert.equal(rows.length - 1, api.redemptions.length, 'one CSV row per redemption');
    const done = rows.filter((r) => r[6] === '帆布袋' && r[9] === 'completed');
    assert.ok(done.length >= 1, `a completed 帆布袋 redemption in:\n${rows.join('\n')}`);
    assert.equal(done[0][8], '已兌換');
    assert.equal(done[0][4], '總館', 'Chinese intact');

    const xlsx = await save('下載 Excel（XLSX）');
    assert.match(xlsx.name, /\.xlsx$/);
    const head = await readFile(xlsx.file);
    assert.equal(head.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
    const sheet = await run('unzip', ['-p', xlsx.file, 'xl/worksheets/sheet1.xml']);
    assert.equal(sheet.code, 0, sheet.stderr);
    assert.ok(sheet.stdout.includes('帆布袋'), 'the prize name is in sheet1.xml');
    assert.ok(sheet.stdout.includes('兌換明細') || sheet.stdout.includes('獎品'), 'the zh-TW heading is in sheet1.xml');
    const book = await run('unzip', ['-p', xlsx.file, 'xl/workbook.xml']);
    assert.ok(book.stdout.includes('兌換明細') && book.stdout.includes('分館合計'), 'two sheets named in zh-TW');

    // In English the headings follow (lang=en), the data stays as it is.
    const en = await fetch(`${srv.url}/api/v1/reports/redemptions?format=csv&lang=en`, { headers: { Authorization: `Bearer ${fx.staff}` } });
    assert.equal(en.status, 200);
    const enRows = (await en.text()).replace(/^\uFEFF/, '').split('\r\n').filter(Boolean).map((l) => l.split(','));
    assert.equal(enRows[0][6], 'Prize');
    assert.ok(enRows.some((r) => r[6] === '帆布袋' && r[8] === 'Completed'));
    const bad = await srv.api('GET', '/reports/redemptions?format=csv&lang=xx', { token: fx.staff });
    assert.equal(bad.status, 400, JSON.stringify(bad.body));

    // The points report: a chart per branch and per day.
    await root.getByRole('tab', { name: '點數統計' }).click();
    await root.getByRole('button', { name: '查詢' }).click();
    await root.getByRole('img', { name: /長條圖：各分館發出與使用點數/ }).waitFor();
    await root.getByRole('table', { name: '各分館點數合計' }).getByRole('rowheader', { name: '合計' }).waitFor();
    // A card's point changes.
    await root.getByRole('tab', { name: '借閱證點數異動' }).click();
    await root.getByLabel('借閱證號', { exact: true }).fill(CARD_A.card);
    await root.getByRole('button', { name: '查詢' }).click();
    await root.getByText(/目前餘額 \d+ 點/).waitFor();
    await root.getByRole('cell', { name: '借閱' }).first().waitFor();
    await shot(root, '21-card-points');
  });

  it('edits the home content; GET /home and the preview show it', async () => {
    await menu(root).getByRole('link', { name: '首頁內容' }).click();
    await root.getByRole('heading', { level: 1, name: '首頁內容' }).waitFor();
    await root.getByRole('button', { name: '新增公告' }).click();
    await root.getByLabel('標題', { exact: true }).fill('國慶日休館');
    await root.getByLabel('內容', { exact: true }).fill('10 月 10 日全館休館一天。');
    await root.getByLabel('圖片網址', { exact: true }).fill('https://example.org/flag.png');
    await root.getByLabel('連結網址', { exact: true }).fill('https://example.org/notice');
    await root.getByLabel('開始顯示', { exact: true }).fill('2026-10-01T09:00');
    await root.getByLabel('結束顯示', { exact: true }).fill('2026-10-11T00:00');
    await root.getByLabel('排序', { exact: true }).fill('1');
    await root.getByRole('button', { name: '儲存' }).click();
    await root.getByRole('status').filter({ hasText: '已儲存「國慶日休館」' }).waitFor();

    await root.getByRole('tab', { name: '快速連結' }).click();
    await root.getByRole('button', { name: '新增快速連結' }).click();
    await root.getByLabel('名稱（中文）', { exact: true }).fill('電子書');
    await root.getByLabel('名稱（英文）', { exact: true }).fill('E-books');
    await root.getByLabel('網址', { exact: true }).fill('https://example.org/ebooks');
    await root.getByRole('button', { name: '儲存' }).click();
    await root.getByRole('status').filter({ hasText: '已儲存「電子書」' }).waitFor();

    await root.getByRole('tab', { name: '推薦書單' }).click();
    await root.getByRole('button', { name: '新增推薦書單' }).click();
    await root.getByLabel('標題', { exact: true }).fill('秋日選書');
    const probe = await srv.api('GET', `/search?q=${encodeURIComponent('小王子')}`);
    if (probe.status === 200 && probe.body.hits.length > 0) {
      await root.getByRole('searchbox', { name: '書名、作者或 ISBN' }).fill('小王子');
      await root.getByRole('button', { name: '搜尋', exact: true }).click();
      await root.getByRole('button', { name: '加入《小王子》' }).click();
      await root.getByRole('heading', { name: '書單內容（1 本）' }).waitFor();
    }
    await shot(root, '22-content-list');
    await root.getByRole('button', { name: '儲存' }).click();
    await root.getByRole('status').filter({ hasText: '已儲存「秋日選書」' }).waitFor();

    const home = await srv.must(200, 'GET', '/home');
    const ann = home.announcements.find((a) => a.title === '國慶日休館');
    assert.ok(ann, `the announcement is on the home page: ${JSON.stringify(home)}`);
    assert.equal(ann.image_url, 'https://example.org/flag.png');
    assert.equal(ann.link, 'https://example.org/notice');
    assert.equal(Date.parse(ann.ends_at), Date.parse('2026-10-11T00:00:00+08:00'));
    assert.ok(home.quick_links.some((l) => l.label_zh === '電子書' && l.label_en === 'E-books'));
    const list = home.featured_lists.find((l) => l.title === '秋日選書');
    assert.ok(list);
    if (probe.status === 200 && probe.body.hits.length > 0) assert.deepEqual(list.bibs.map((b) => b.title), ['小王子']);

    await root.getByRole('tab', { name: '首頁預覽' }).click();
    const preview = root.getByRole('region', { name: '首頁預覽' });
    await preview.getByText('國慶日休館').waitFor();
    await preview.getByText('電子書').waitFor();
    await shot(root, '23-content-preview');
    for (const a of ['announcement.create', 'quick_link.create', 'featured_list.create']) {
      const rows = await srv.api('GET', `/audit?action=${a.split('.')[0]}*`, { token: fx.staff });
      assert.ok(rows.body.entries.length >= 1, `an audit row for ${a}`);
    }
  });

  it('creates a staff account that signs in; disabling it ends its session', async () => {
    const EVE = { username: 'eve', password: 'evepass1234', role: 'counter', branch: 'B' };
    await menu(root).getByRole('link', { name: '館員帳號' }).click();
    await root.getByRole('heading', { level: 1, name: '館員帳號' }).waitFor();
    await root.getByRole('cell', { name: /admin（您）/ }).waitFor();
    await root.getByRole('button', { name: '新增館員帳號' }).click();
    await root.getByLabel('帳號名稱', { exact: true }).fill(EVE.username);
    await root.getByLabel('初始密碼', { exact: true }).fill(EVE.password);
    await root.getByLabel('角色', { exact: true }).selectOption('counter');
    await root.getByLabel('服務館別', { exact: true }).selectOption('B');
    await shot(root, '24-new-account');
    await root.getByRole('button', { name: '新增館員帳號' }).click();
    await root.getByRole('status').filter({ hasText: '已建立館員帳號「eve」' }).waitFor();
    await root.getByRole('cell', { name: /^eve/ }).waitFor();

    const eve = await consoleFor(EVE);
    await eve.waitForURL('**/staff/redemptions');
    assert.deepEqual(await menu(eve).getByRole('link').allInnerTexts(), ['兌換櫃台', '流通櫃台', '活動', '補登審核']);
    const eveToken = await tokenOf(EVE);
    assert.equal((await srv.api('GET', '/backfills', { token: eveToken })).status, 200);

    // A sysadmin cannot disable themselves: the console offers no button for it.
    assert.equal(await root.getByRole('button', { name: '停用「admin」' }).count(), 0);
    await root.getByRole('button', { name: '停用「eve」' }).click();
    await root.getByRole('status').filter({ hasText: '已停用「eve」並登出其所有裝置' }).waitFor();
    assert.equal((await srv.api('GET', '/backfills', { token: eveToken })).status, 401, 'the disabled account is signed out');
    assert.equal((await srv.api('POST', '/staff/session', { body: { username: EVE.username, password: EVE.password } })).status, 401);
    // Each change reloads the list, which closes any form opened meanwhile: wait for that reload.
    const relisted = () => root.waitForResponse((r) => r.url().endsWith('/api/v1/staff') && r.request().method() === 'GET');
    let listed = relisted();
    await root.getByRole('button', { name: '啟用「eve」' }).click();
    await root.getByRole('status').filter({ hasText: '已啟用「eve」' }).waitFor();
    await listed;
    await root.getByRole('button', { name: '重設「eve」的密碼' }).click();
    await root.getByLabel('新密碼', { exact: true }).fill('evepass5678');
    listed = relisted();
    await root.getByRole('button', { name: '重設密碼' }).click();
    await root.getByRole('status').filter({ hasText: '已重設「eve」的密碼' }).waitFor();
    await listed;
    await tokenOf({ username: 'eve', password: 'evepass5678' });
    await root.getByRole('button', { name: '變更「eve」的角色或館別' }).click();
    await root.getByLabel('角色', { exact: true }).selectOption('branch_admin');
    await root.getByRole('button', { name: '儲存' }).click();
    await root.getByRole('status').filter({ hasText: '已更新「eve」' }).waitFor();
    await shot(root, '25-accounts');
    const staffList = (await srv.must(200, 'GET', '/staff', { token: fx.staff })).staff;
    const e = staffList.find((x) => x.username === 'eve');
    assert.equal(e.role, 'branch_admin');
    assert.equal(e.branch, 'B');
    assert.equal(e.active, true);
    const updates = await auditOf('staff.update');
    assert.ok(updates.length >= 4, 'disable, enable, reset and role change are audited');
    assert.ok(!JSON.stringify(updates).includes('evepass'), 'no password in the audit log');
    // Only sysadmins list or change accounts.
    assert.equal((await srv.api('GET', '/staff', { token: await tokenOf(BOSS) })).status, 403);
  });

  it("switches a branch's phone checkout off and adds a holiday", async () => {
    await menu(root).getByRole('link', { name: '分館與行事曆' }).click();
    await root.getByRole('heading', { level: 1, name: '分館與行事曆' }).waitFor();
    const sw = root.getByRole('switch', { name: '關閉「總館」手機借書' });
    assert.equal(await sw.getAttribute('aria-checked'), 'true');
    await sw.click();
    await root.getByRole('status').filter({ hasText: '「總館」手機借書：已關閉' }).waitFor();
    await root.getByRole('switch', { name: '開放「總館」手機借書' }).waitFor();
    const a = (await srv.must(200, 'GET', '/branches')).branches.find((b) => b.code === 'A');
    assert.equal(a.mobile_checkout, false);
    const refused = await srv.api('POST', '/cards/' + CARD_A.card + '/mobile-checkout', { token: fx.patronA, body: { item_barcode: 'I-6', branch: 'A' } });
    assert.notEqual(refused.status, 201, 'no phone checkout at a branch with the switch off');
    if (refused.status === 403) assert.equal(refused.body?.error?.code, 'MOBILE_CHECKOUT_DISABLED', JSON.stringify(refused.body));

    await root.getByRole('button', { name: '「總館」的休館日' }).click();
    await root.getByLabel('日期', { exact: true }).fill('2026-10-10');
    await root.getByLabel('名稱（例：中秋節）', { exact: true }).fill('國慶日');
    await root.getByRole('button', { name: '加入休館日' }).click();
    await root.getByRole('status').filter({ hasText: '設為休館日' }).waitFor();
    await root.getByRole('heading', { name: '總館的休館日（1 天）' }).waitFor();
    const a2 = (await srv.must(200, 'GET', '/branches')).branches.find((b) => b.code === 'A');
    assert.deepEqual(a2.holidays, ['2026-10-10']);

    await root.getByRole('button', { name: '編輯分館「北屯分館」' }).click();
    await root.getByLabel('星期一', { exact: true }).check();
    await root.getByRole('button', { name: '儲存' }).click();
    await root.getByRole('status').filter({ hasText: '已儲存分館「北屯分館」' }).waitFor();
    await root.getByRole('row').filter({ hasText: '北屯分館' }).getByRole('cell', { name: '一', exact: true }).waitFor();
    await shot(root, '26-branches');
    const b = (await srv.must(200, 'GET', '/branches')).branches.find((x) => x.code === 'B');
    assert.deepEqual(b.closed_weekdays, [1]);
    assert.ok((await auditOf('branch.update')).length >= 2);
    assert.ok((await auditOf('branch.holiday_add')).length >= 1);
  });

  it('changes the policy; a value out of range is refused naming the field', async () => {
    await menu(root).getByRole('link', { name: '借閱與點數規則' }).click();
    await root.getByRole('heading', { level: 1, name: '借閱與點數規則' }).waitFor();
    const before = (await srv.must(200, 'GET', '/policy', { token: fx.staff })).policy;
    await root.getByLabel('預約保留天數', { exact: true }).fill('0');
    await root.getByRole('button', { name: '儲存' }).click();
    const alert = root.getByRole('alert').filter({ hasText: '預約保留天數' });
    await alert.waitFor();
    assert.match(await alert.innerText(), /VALIDATION_FAILED/);
    assert.deepEqual((await srv.must(200, 'GET', '/policy', { token: fx.staff })).policy, before, 'a refusal changes nothing');
    await shot(root, '27-policy-refused');
    await root.getByLabel('預約保留天數', { exact: true }).fill('10');
    await root.getByLabel('個人證・借閱上限（冊）', { exact: true }).fill('12');
    await root.getByLabel('每日點數上限', { exact: true }).fill('5');
    await root.getByRole('button', { name: '儲存' }).click();
    await root.getByRole('status').filter({ hasText: '已儲存借閱與點數規則' }).waitFor();
    await shot(root, '28-policy');
    const after = (await srv.must(200, 'GET', '/policy', { token: fx.staff })).policy;
    assert.equal(after.pickup_days, 10);
    assert.equal(after.card_types.personal.max_loans, 12);
    assert.equal(after.points.daily_cap, 5);
    assert.equal(after.card_types.family.max_loans, before.card_types.family.max_loans);
    const [entry] = await auditOf('policy.update');
    assert.equal(entry.details.before.pickup_days, before.pickup_days);
    assert.equal(entry.details.after.pickup_days, 10);
  });

  it("lists the branch's prizes not on sale too, for its admin", async () => {
    const later = await srv.must(201, 'POST', '/prizes', {
      token: fx.staff,
      body: { branch: 'A', name: '年終紀念章', cost: 3, stock: 5, on_sale_from: '2026-12-01T00:00:00+08:00' },
    });
    await srv.must(201, 'POST', '/prizes', { token: fx.staff, body: { branch: 'B', name: '北屯書籤', cost: 1, stock: 5 } });
    assert.ok(!(await srv.must(200, 'GET', '/prizes?branches=A')).prizes.some((p) => p.id === later.prize.id), 'not on sale for patrons');
    const bossToken = await tokenOf(BOSS);
    const staffList = (await srv.must(200, 'GET', '/prizes?scope=all', { token: bossToken })).prizes;
    assert.ok(staffList.some((p) => p.id === later.prize.id));
    assert.ok(staffList.every((p) => p.branch === 'A'), 'a branch admin sees their branch only');
    assert.equal((await srv.api('GET', '/prizes?scope=all&branches=B', { token: bossToken })).status, 403);
    assert.equal((await srv.api('GET', '/prizes?scope=all')).status, 401);
    const chen = await consoleFor(BOSS);
    assert.deepEqual(await menu(chen).getByRole('link').allInnerTexts(), ['兌換櫃台', '流通櫃台', '活動', '補登審核', '獎品上架', '報表', '首頁內容']);
    await menu(chen).getByRole('link', { name: '獎品上架' }).click();
    const row = chen.getByRole('row').filter({ hasText: '年終紀念章' });
    await row.getByText('尚未開放兌換').waitFor();
    await shot(chen, '29-prizes-all');
  });

  it('shows the admin screens in English; the download headings follow', async () => {
    await menu(root).getByRole('link', { name: '報表' }).click();
    await root.getByRole('button', { name: 'Switch to English' }).click();
    await root.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
    const links = await root.getByRole('navigation', { name: 'Console menu' }).getByRole('link').allInnerTexts();
    for (const l of ['Reports', 'Home content', 'Branches & calendars', 'Loan & points policy', 'Staff accounts']) assert.ok(links.includes(l), `${l} in ${links}`);
    await root.getByRole('button', { name: 'Show' }).click();
    await root.getByRole('table', { name: 'Redemptions per branch' }).waitFor();
    const [download] = await Promise.all([root.waitForEvent('download'), root.getByRole('button', { name: 'Download CSV' }).click()]);
    const file = path.join(ARTIFACTS, `en-${download.suggestedFilename()}`);
    await download.saveAs(file);
    const header = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '').split('\r\n')[0].split(',');
    assert.equal(header[6], 'Prize');
    await shot(root, '31-report-english');
    await root.getByRole('navigation', { name: 'Console menu' }).getByRole('link', { name: 'Staff accounts' }).click();
    await root.getByRole('heading', { level: 1, name: 'Staff accounts' }).waitFor();
    await root.getByRole('button', { name: '切換為中文' }).click();
    await root.getByRole('heading', { level: 1, name: '館員帳號' }).waitFor();
  });

  it('names the audit entry altered in SQLite behind the server’s back', async () => {
    const v = await srv.must(200, 'GET', '/audit/verify', { token: fx.staff });
    assert.equal(v.ok, true);
    // The server's data directory: the one whose audit log ends with this head.
    const dirs = readdirSync(tmpdir()).filter((d) => d.startsWith('bookstamp-web-')).map((d) => path.join(tmpdir(), d, 'bookstamp.db'));
    let db = null;
    for (const f of dirs.filter((x) => existsSync(x))) {
      const r = await run('sqlite3', [f, `SELECT count(*) FROM audit_log WHERE hash = '${v.head}'`]);
      if (r.stdout.trim() === '1') db = f;
    }
    assert.ok(db, 'found the server database');
    const [target] = await auditOf('policy.update');
    const r = await run('sqlite3', [
      '-cmd',
      '.timeout 5000',
      db,
      `DROP TRIGGER audit_log_no_update;
UPDATE audit_log SET actor = 'staff:mallory' WHERE seq = ${target.seq};
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
SELECT changes();`,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), '1', `one row altered: ${r.stdout} ${r.stderr}`);
    const broken = await srv.must(200, 'GET', '/audit/verify', { token: fx.staff });
    assert.equal(broken.ok, false);
    assert.equal(broken.first_broken, target.seq);

    await menu(root).getByRole('link', { name: '稽核紀錄' }).click();
    await root.getByRole('button', { name: '驗證雜湊鏈' }).click();
    const status = root.getByRole('status').filter({ hasText: String(target.seq) });
    await status.waitFor();
    assert.match(await status.innerText(), new RegExp(`#?${target.seq}\\b`));
    await shot(root, '30-audit-broken');
  });
});
