// Passkeys (P11) in a real Chromium with its virtual authenticator (CDP WebAuthn domain), at
// phone size against the real server: sign in with card + PIN, add a passkey on the account
// page, sign out, sign in with the passkey, and see the account page; then replay the captured
// assertion through the API and see it refused.
//
// Needs: BOOKSTAMP_BIN, BOOKSTAMP_STATIC (web/dist), /usr/bin/chromium. Screenshots go to
// tests/web/artifacts/.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ADMIN, ARTIFACTS, BIN, CHROMIUM, CHROMIUM_ARGS, PLAYWRIGHT, STATIC, startServer } from './lib/harness.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-TW', timezoneId: 'Asia/Taipei' };
const CARD = { card: '20265001', pin: '2468', name: '陳通行' };

describe('passkeys in the patron app', { timeout: 180_000 }, () => {
  let srv;
  let browser;
  let page;
  let cdp;
  let authenticatorId;
  const shot = async (name) => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({
      path: path.join(ARTIFACTS, `${name}.png`),
      fullPage: true,
      style: '.appbar, .tabbar { position: static !important; } .app { padding-bottom: 0 !important; }',
    });
  };

  before(async () => {
    assert.ok(existsSync(BIN), `no bookstamp binary at ${BIN}`);
    assert.ok(existsSync(path.join(STATIC, 'index.html')), `no built web app at ${STATIC}: run \`cd web && npm run build\``);
    assert.ok(existsSync(PLAYWRIGHT), 'playwright-core is missing: run `cd web && npm ci`');
    await mkdir(ARTIFACTS, { recursive: true });
    srv = await startServer();
    await srv.setClock('2026-10-06T10:00:00+08:00');
    const token = (await srv.must(201, 'POST', '/staff/session', { body: ADMIN })).token;
    await srv.must(201, 'POST', '/patrons', { token, body: { name: CARD.name, card: { card: CARD.card, type: 'personal', pin: CARD.pin } } });

    const { chromium } = await import(pathToFileURL(PLAYWRIGHT).href);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext(PHONE);
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    // A platform authenticator (like a phone's screen lock) that always verifies the user.
    cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    }));
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await srv?.stop();
  });

  it('adds a passkey after a card + PIN sign-in', async () => {
    await page.goto(`${srv.url}/login`);
    await page.getByRole('heading', { level: 1, name: '讀者登入' }).waitFor();
    await page.getByLabel('借閱證號').fill(CARD.card);
    await page.getByLabel('密碼').fill(CARD.pin);
    await page.getByRole('button', { name: '登入', exact: true }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));

    await page.goto(`${srv.url}/account`);
    await page.getByRole('heading', { level: 2, name: '通行金鑰' }).waitFor();
    await page.getByText('尚未新增通行金鑰。').waitFor();
    await page.getByLabel('名稱（選填）').fill('測試手機');
    await page.getByRole('button', { name: '新增通行金鑰' }).click();
    await page.getByRole('status').filter({ hasText: '已新增通行金鑰「測試手機」' }).waitFor();
    const row = page.getByRole('list', { name: `借閱證 ${CARD.card} 的通行金鑰` }).getByRole('listitem');
    // The status can show before the list has reloaded: wait for the row, then count.
    await row.filter({ hasText: '測試手機' }).getByText('尚未使用').waitFor();
    assert.equal(await row.count(), 1);
    await row.getByRole('button', { name: '移除通行金鑰 測試手機' }).waitFor();

    // The authenticator holds one discoverable credential for this site.
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.equal(credentials.length, 1);
    assert.equal(credentials[0].isResidentCredential, true);
    assert.equal(credentials[0].rpId, 'localhost');
    await shot('passkeys-01-added');
  });

  let assertionBody;
  it('signs out, signs in with the passkey and sees the account page', async () => {
    await page.getByRole('button', { name: '登出' }).last().click();
    await page.waitForURL('**/login**');
    await page.getByRole('heading', { level: 1, name: '讀者登入' }).waitFor();
    await shot('passkeys-02-login');

    const captured = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/session/passkey');
    const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/session/passkey');
    await page.getByRole('button', { name: '使用通行金鑰登入' }).click();
    assertionBody = (await captured).postData();
    assert.equal((await answered).status(), 201);
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));

    await page.goto(`${srv.url}/account`);
    await page.getByRole('heading', { level: 1, name: '帳號管理' }).waitFor();
    await page.getByText(CARD.name).first().waitFor();
    const row = page.getByRole('list', { name: `借閱證 ${CARD.card} 的通行金鑰` }).getByRole('listitem');
    await row.filter({ hasText: '測試手機' }).getByText(/上次使用/).waitFor();
    await shot('passkeys-03-signed-in-with-passkey');
  });

  it('refuses a replayed assertion (same signature and counter)', async () => {
    assert.ok(assertionBody, 'the assertion was captured');
    // Sent from the page, so Host and origin are the app's own: only the replay is wrong.
    const replay = await page.evaluate(async (body) => {
      const r = await fetch('/api/v1/session/passkey', { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body });
      return { status: r.status, body: await r.json() };
    }, assertionBody);
    assert.equal(replay.status, 400, JSON.stringify(replay.body));
    assert.equal(replay.body.error.code, 'CHALLENGE_EXPIRED');

    // The same assertion under a fresh challenge id is refused too: the signature covers the old one.
    const fresh = await srv.must(200, 'POST', '/session/passkey/options', { body: {} });
    const forged = JSON.parse(assertionBody);
    const client = JSON.parse(Buffer.from(forged.response.clientDataJSON, 'base64url').toString());
    client.challenge = fresh.challenge;
    forged.response.clientDataJSON = Buffer.from(JSON.stringify(client)).toString('base64url');
    const again = await page.evaluate(async (body) => {
      const r = await fetch('/api/v1/session/passkey', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      return { status: r.status, body: await r.json() };
    }, JSON.stringify(forged));
    assert.equal(again.status, 400, JSON.stringify(again.body));
    assert.equal(again.body.error.code, 'PASSKEY_INVALID');
  });

  it('signs in with the passkey of the card number typed', async () => {
    await page.goto(`${srv.url}/account`);
    await page.getByRole('button', { name: '登出' }).last().click();
    await page.waitForURL('**/login**');
    await page.getByLabel('借閱證號').fill(CARD.card);
    await page.getByRole('button', { name: '使用通行金鑰登入' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.ok(credentials[0].signCount >= 2, `sign count ${credentials[0].signCount}`);
  });
});
