// The mobile library card in the library's own symbology: with `[app] card_barcode = "code39"` the
// card page draws Code 39 (read back with zbarimg), keeps it offline, and asks to keep the screen on.
//
// Needs: BOOKSTAMP_BIN, BOOKSTAMP_STATIC (web/dist), /usr/bin/chromium, zbarimg (zbar-tools).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ADMIN, ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, PLAYWRIGHT, run, startServer } from './lib/harness.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-TW', timezoneId: 'Asia/Taipei' };
const CARD = { card: 'T39000123', pin: '2468', name: '林條碼' };

describe('the mobile card in Code 39', { timeout: 120_000 }, () => {
  let work;
  let srv;
  let browser;

  before(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    work = await mkdtemp(path.join(tmpdir(), 'bookstamp-code39-'));
    const config = path.join(work, 'bookstamp.toml');
    await writeFile(config, '[app]\ncard_barcode = "code39"\n');
    srv = await startServer({ config });
    const token = (await srv.must(201, 'POST', '/staff/session', { body: ADMIN })).token;
    await srv.must(201, 'POST', '/patrons', { token, body: { name: CARD.name, card: { card: CARD.card, type: 'personal', pin: CARD.pin } } });
    const { chromium } = await import(pathToFileURL(PLAYWRIGHT).href);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await srv?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('GET /home names the configured symbology', async () => {
    const home = await srv.must(200, 'GET', '/home');
    assert.equal(home.card_barcode, 'code39');
  });

  it('draws the card as Code 39 that zbarimg reads, offline too, and keeps the screen on', async () => {
    const context = await browser.newContext(PHONE);
    // Counts the app's screen wake lock requests (headless Chromium may refuse the lock itself).
    await context.addInitScript(() => {
      window.__wakeLocks = 0;
      if (navigator.wakeLock) {
        const request = navigator.wakeLock.request.bind(navigator.wakeLock);
        navigator.wakeLock.request = (type) => {
          window.__wakeLocks += 1;
          return request(type);
        };
      }
    });
    const page = await context.newPage();
    await page.goto(`${srv.url}/login`);
    await page.getByLabel('借閱證號').fill(CARD.card);
    await page.getByLabel('密碼').fill(CARD.pin);
    await page.getByRole('button', { name: '登入', exact: true }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.goto(`${srv.url}/card`);
    const barcode = page.getByRole('img', { name: new RegExp(CARD.card) }).first();
    await barcode.waitFor();
    await page.locator('.barcode--code39 svg').waitFor();
    // The page asks for the lock in an effect after it draws: wait for it rather than race it.
    await page.waitForFunction(() => window.__wakeLocks >= 1, null, { timeout: 10_000 }).catch(() => undefined);
    assert.ok(await page.evaluate(() => window.__wakeLocks) >= 1, 'the card page asks to keep the screen on');

    // A screenshot taken while the page is still settling (fonts, the card's entrance) may not
    // scan: try a few times before calling it unreadable.
    const file = path.join(ARTIFACTS, 'card-code39.png');
    let read = [];
    for (let attempt = 0; attempt < 4 && !read.includes(`CODE-39:${CARD.card}`); attempt++) {
      if (attempt > 0) await page.waitForTimeout(500);
      await page.screenshot({ path: file });
      read = (await run('zbarimg', ['--quiet', file])).stdout.split('\n').map((l) => l.trim()).filter(Boolean);
    }
    assert.ok(read.includes(`CODE-39:${CARD.card}`), `zbarimg read ${JSON.stringify(read)}`);

    // Offline (once the service worker controls the page), the remembered symbology is still used.
    await page.waitForFunction(() => Boolean(navigator.serviceWorker?.controller), null, { timeout: 45_000 });
    await context.setOffline(true);
    await page.reload();
    await page.locator('.barcode--code39 svg').waitFor();
    await context.setOffline(false);
    await context.close();
  });
});
