// Push notices in the patron app, in a real Chromium at phone size against the real server: the
// account page's switch (role="switch") subscribes this browser with the server's VAPID key and
// sends the subscription to the server, and turns it off again; a browser that blocks notices is
// told so; and the app's service worker (public/push-sw.js) shows a pushed message with the page
// it opens. Headless Chromium has no push service of its own, so PushManager is replaced by a stand-in
// that records what the app asks; CDP's ServiceWorker.deliverPushMessage plays the push service.
//
// Needs: BOOKSTAMP_BIN, BOOKSTAMP_STATIC (web/dist), /usr/bin/chromium.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createECDH, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ADMIN, BIN, CHROMIUM, CHROMIUM_ARGS, PLAYWRIGHT, STATIC, startServer } from './lib/harness.mjs';

const PHONE = { viewport: { width: 360, height: 780 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-TW', timezoneId: 'Asia/Taipei' };
const CARD = { card: '20267001', pin: '1357', name: '林推播' };

// What a browser's PushManager would hand out, with keys made like a browser makes them.
function fakeSubscription(endpoint) {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { endpoint, expirationTime: null, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') } };
}

// Installed before the app runs: PushManager answers with `sub` and remembers the key it was given.
function pushManagerStandIn(sub) {
  let current = null;
  window.__pushAsked = [];
  PushManager.prototype.getSubscription = async () => current;
  PushManager.prototype.subscribe = async (options) => {
    window.__pushAsked.push(btoa(String.fromCharCode(...new Uint8Array(options.applicationServerKey))));
    current = {
      endpoint: sub.endpoint,
      options: { applicationServerKey: options.applicationServerKey },
      toJSON: () => sub,
      unsubscribe: async () => {
        current = null;
        return true;
      },
    };
    return current;
  };
}

describe('push notices in the patron app', { timeout: 180_000 }, () => {
  let srv;
  let browser;
  let context;
  let page;

  const signIn = async (p) => {
    await p.goto(`${srv.url}/login`);
    await p.getByLabel('借閱證號').fill(CARD.card);
    await p.getByLabel('密碼').fill(CARD.pin);
    await p.getByRole('button', { name: '登入', exact: true }).click();
    await p.waitForURL((u) => !u.pathname.startsWith('/login'));
  };

  before(async () => {
    assert.ok(existsSync(BIN), `no bookstamp binary at ${BIN}`);
    assert.ok(existsSync(path.join(STATIC, 'index.html')), `no built web app at ${STATIC}: run \`cd web && npm run build\``);
    assert.ok(existsSync(PLAYWRIGHT), 'playwright-core is missing: run `cd web && npm ci`');
    srv = await startServer();
    const token = (await srv.must(201, 'POST', '/staff/session', { body: ADMIN })).token;
    await srv.must(201, 'POST', '/patrons', { token, body: { name: CARD.name, card: { card: CARD.card, type: 'personal', pin: CARD.pin } } });
    const { chromium } = await import(pathToFileURL(PLAYWRIGHT).href);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await srv?.stop();
  });

  it('turns push on with the server\'s VAPID key and off again, with a switch a screen reader can use', async () => {
    context = await browser.newContext(PHONE);
    await context.grantPermissions(['notifications'], { origin: srv.url });
    const sub = fakeSubscription('https://push.example.net/wpush/phone-1');
    await context.addInitScript(pushManagerStandIn, sub);
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page);
    await page.goto(`${srv.url}/account`);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await page.reload();  // now under the service worker's control, as a returning patron is

    await page.getByRole('heading', { level: 2, name: '推播通知' }).waitFor();
    const toggle = page.getByRole('switch', { name: '在這台裝置接收推播通知' });
    assert.equal(await toggle.getAttribute('aria-checked'), 'false');

    const put = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().endsWith(`/cards/${CARD.card}/push-subscriptions`));
    await toggle.focus();
    await page.keyboard.press('Enter');
    const answer = await put;
    assert.equal(answer.status(), 201);
    assert.deepEqual(JSON.parse(answer.request().postData()), sub, 'the subscription as PushSubscription.toJSON() gave it');
    assert.equal((await answer.json()).subscriptions, 1);
    await page.waitForFunction(() => document.querySelector('[role="switch"]')?.getAttribute('aria-checked') === 'true');

    const { public_key } = await srv.must(200, 'GET', '/push/vapid-public-key');
    const asked = await page.evaluate(() => window.__pushAsked);
    assert.deepEqual(asked, [Buffer.from(public_key, 'base64url').toString('base64')], 'subscribed with the server\'s key');

    const del = page.waitForResponse((r) => r.request().method() === 'DELETE' && r.url().endsWith(`/cards/${CARD.card}/push-subscriptions`));
    await toggle.click();
    assert.equal((await del).status(), 204);
    assert.deepEqual(JSON.parse((await del).request().postData()), { endpoint: sub.endpoint });
    await page.waitForFunction(() => document.querySelector('[role="switch"]')?.getAttribute('aria-checked') === 'false');
  });

  it('shows a pushed notice from the service worker, with the page it opens', async () => {
    const cdp = await context.newCDPSession(page);
    const registrations = [];
    const activated = new Set();
    cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => registrations.push(...e.registrations));
    cdp.on('ServiceWorker.workerVersionUpdated', (e) => {
      for (const v of e.versions) if (v.status === 'activated') activated.add(v.registrationId);
    });
    await cdp.send('ServiceWorker.enable');
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    const deadline = Date.now() + 10_000;
    const live = () => registrations.find((r) => !r.isDeleted && activated.has(r.registrationId));
    while (!live() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const reg = live();
    assert.ok(reg, 'the app registered and activated its service worker');
    const message = { title: '預約書已到館', body: '您預約的資料已可於 A 分館取書，請於 2026-10-09 前取書。', url: '/study', notice_id: 42, tag: 'notice-42' };
    const shown = () =>
      page.evaluate(async () => {
        const r = await navigator.serviceWorker.ready;
        return (await r.getNotifications()).map((x) => ({ title: x.title, body: x.body, tag: x.tag, data: x.data }));
      });
    // A push that reaches a worker still starting can be dropped by the browser; the tag makes a
    // repeated delivery replace, not add, so deliver again until it shows.
    let n;
    for (let attempt = 0; !n && attempt < 5; attempt++) {
      await cdp.send('ServiceWorker.deliverPushMessage', { origin: new URL(srv.url).origin, registrationId: reg.registrationId, data: JSON.stringify(message) });
      for (const until = Date.now() + 3_000; !n && Date.now() < until; await new Promise((r) => setTimeout(r, 100))) [n] = await shown();
    }
    assert.ok(n, 'a notification is shown');
    assert.equal(n.title, message.title);
    assert.equal(n.body, message.body);
    assert.equal(n.tag, 'notice-42');
    assert.equal(n.data.url, `${new URL(srv.url).origin}/study`);
    assert.equal(n.data.notice_id, 42);
  });

  it('tells a patron whose browser blocks notices how to allow them, with no switch', async () => {
    const blocked = await browser.newContext(PHONE);
    await blocked.addInitScript(() => Object.defineProperty(Notification, 'permission', { get: () => 'denied' }));
    const p = await blocked.newPage();
    p.setDefaultTimeout(15_000);
    await signIn(p);
    await p.goto(`${srv.url}/account`);
    await p.getByRole('heading', { level: 2, name: '推播通知' }).waitFor();
    await p.getByText('瀏覽器已封鎖本站的通知').waitFor();
    assert.equal(await p.getByRole('switch').count(), 0);
    await blocked.close();
  });
});
