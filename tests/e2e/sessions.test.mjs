// Sessions and accounts (API.md "Sessions", "Patron"; RULES.md "Cards and accounts"):
// logins, the login rate limit, logout, linking cards, and 404 for cards of other accounts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Fixture, assertError, assertStatus, at, ADMIN } from './lib/server.mjs';

let srv;
let fx;
before(async () => {
  srv = await startServer();
  fx = new Fixture(srv);
  await fx.setClock(at('2026-03-02'));
});
after(async () => { await srv?.stop(); });

const login = (card, pin, headers) => srv.api('POST', '/session', { body: { card, pin }, headers });

test('patron login answers 201 with a token and the account with its cards', async () => {
  const p = await fx.patron({ name: '王小明' });
  const r = await login(p.card, p.pin);
  assertStatus(r, 201, 'POST /session');
  assert.equal(typeof r.body.token, 'string');
  assert.ok(r.body.token.length >= 16);
  assert.ok(['number', 'string'].includes(typeof r.body.account.id));
  assert.equal(r.body.account.cards.length, 1);
  const c = r.body.account.cards[0];
  assert.equal(c.card, p.card);
  assert.equal(c.type, 'personal');
  assert.equal(c.holder_name, '王小明');
  assert.equal(c.status, 'active');
  const me = await srv.api('GET', '/me', { token: r.body.token });
  assertStatus(me, 200, 'GET /me');
  assert.equal(me.body.id, r.body.account.id);
});

test('a wrong PIN answers 401 UNAUTHENTICATED', async () => {
  const p = await fx.patron();
  assertError(await login(p.card, '9999'), 401, 'UNAUTHENTICATED', 'wrong PIN');
});

test('an unknown card number answers 401, the same as a wrong PIN', async () => {
  assertError(await login('NOSUCHCARD1', '1234'), 401, 'UNAUTHENTICATED', 'unknown card');
});

test('after 5 failures the 6th attempt within 15 minutes answers 429 RATE_LIMITED, even with the right PIN', async () => {
  await fx.setClock('2026-03-03T09:00:00+08:00');
  const p = await fx.patron();
  for (let i = 1; i <= 5; i++) assertError(await login(p.card, '0000'), 401, 'UNAUTHENTICATED', `failure ${i}`);
  await fx.setClock('2026-03-03T09:14:00+08:00');
  assertError(await login(p.card, p.pin), 429, 'RATE_LIMITED', '6th attempt with the right PIN');
  // Another card is not affected.
  const other = await fx.patron();
  assertStatus(await login(other.card, other.pin), 201, 'another card logs in');
  // Once the failures are older than 15 minutes the right PIN works again.
  await fx.setClock('2026-03-03T09:16:00+08:00');
  assertStatus(await login(p.card, p.pin), 201, 'login after the window');
});

test('staff logins are rate limited per username too', async () => {
  await fx.setClock('2026-03-04T09:00:00+08:00');
  const st = await fx.staff({ role: 'counter' });
  for (let i = 1; i <= 5; i++) {
    const r = await srv.api('POST', '/staff/session', { body: { username: st.username, password: 'wrong-password' } });
    assertError(r, 401, 'UNAUTHENTICATED', `failure ${i}`);
  }
  const r = await srv.api('POST', '/staff/session', { body: { username: st.username, password: st.password } });
  assertError(r, 429, 'RATE_LIMITED', '6th staff attempt');
});

test('DELETE /session answers 204 and the token no longer works', async () => {
  const p = await fx.patron();
  const token = await fx.patronLogin(p.card, p.pin);
  assertStatus(await srv.api('GET', '/me', { token }), 200, 'GET /me before logout');
  const del = await srv.api('DELETE', '/session', { token });
  assert.equal(del.status, 204, del.text);
  assert.equal(del.text, '');
  assertError(await srv.api('GET', '/me', { token }), 401, 'UNAUTHENTICATED', 'GET /me after logout');
  assertError(await srv.api('GET', `/cards/${p.card}/loans`, { token }), 401, 'UNAUTHENTICATED', 'loans after logout');
});

test('staff login answers 201 with the token and the staff member', async () => {
  const r = await srv.api('POST', '/staff/session', { body: { username: ADMIN.username, password: ADMIN.password } });
  assertStatus(r, 201, 'POST /staff/session');
  assert.equal(typeof r.body.token, 'string');
  assert.equal(r.body.staff.username, 'admin');
  assert.equal(r.body.staff.role, 'sysadmin');
  assert.equal(r.body.staff.branch, null);
  assert.ok(r.body.staff.id !== undefined && r.body.staff.id !== null);

  const branch = await fx.branch();
  const st = await fx.staff({ role: 'counter', branch });
  const c = await srv.api('POST', '/staff/session', { body: { username: st.username, password: st.password } });
  assertStatus(c, 201, 'counter login');
  assert.equal(c.body.staff.role, 'counter');
  assert.equal(c.body.staff.branch, branch);
});

test('a wrong staff password answers 401 UNAUTHENTICATED', async () => {
  const r = await srv.api('POST', '/staff/session', { body: { username: ADMIN.username, password: 'not-the-password' } });
  assertError(r, 401, 'UNAUTHENTICATED', 'wrong staff password');
});

test('GET /me lists the account cards with card, type, holder_name and status', async () => {
  const p = await fx.patron({ type: 'family', name: '林家' });
  const token = await fx.patronToken(p);
  const r = await srv.api('GET', '/me', { token });
  assertStatus(r, 200, 'GET /me');
  assert.equal(r.body.cards.length, 1);
  const c = r.body.cards[0];
  assert.equal(c.card, p.card);
  assert.equal(c.type, 'family');
  assert.equal(c.holder_name, '林家');
  assert.equal(c.status, 'active');
});

test('linking a second card with its PIN answers 201 and GET /me lists both', async () => {
  const first = await fx.patron();
  const second = await fx.patron({ type: 'family', pin: '5678' });
  const token = await fx.patronToken(first);
  const r = await srv.api('POST', '/me/cards', { token, body: { card: second.card, pin: second.pin } });
  assertStatus(r, 201, 'POST /me/cards');
  const me = assertStatus(await srv.api('GET', '/me', { token }), 200);
  assert.deepEqual(me.cards.map((c) => c.card).sort(), [first.card, second.card].sort());
  // The linked card's own routes now work with this account's token.
  assertStatus(await srv.api('GET', `/cards/${second.card}/status`, { token }), 200, 'status of the linked card');
});

test('linking a card with a wrong PIN answers 401', async () => {
  const first = await fx.patron();
  const second = await fx.patron();
  const token = await fx.patronToken(first);
  const r = await srv.api('POST', '/me/cards', { token, body: { card: second.card, pin: '0000' } });
  assertError(r, 401, 'UNAUTHENTICATED', 'link with a wrong PIN');
  const me = assertStatus(await srv.api('GET', '/me', { token }), 200);
  assert.deepEqual(me.cards.map((c) => c.card), [first.card]);
});

test('linking a card that another account holds answers 409 CARD_ALREADY_LINKED', async () => {
  const mine = await fx.patron();
  const theirs = await fx.patron();
  await fx.patronToken(theirs); // logging in links the card to its own account
  const token = await fx.patronToken(mine);
  const r = await srv.api('POST', '/me/cards', { token, body: { card: theirs.card, pin: theirs.pin } });
  assertError(r, 409, 'CARD_ALREADY_LINKED', 'link a card of another account');
});

test('DELETE /me/cards/{card} answers 204 and the card leaves the account', async () => {
  const first = await fx.patron();
  const second = await fx.patron();
  const token = await fx.patronToken(first);
  assertStatus(await srv.api('POST', '/me/cards', { token, body: { card: second.card, pin: second.pin } }), 201);
  const del = await srv.api('DELETE', `/me/cards/${second.card}`, { token });
  assert.equal(del.status, 204, del.text);
  const me = assertStatus(await srv.api('GET', '/me', { token }), 200);
  assert.deepEqual(me.cards.map((c) => c.card), [first.card]);
  assert.equal((await srv.api('GET', `/cards/${second.card}/loans`, { token })).status, 404);
});

test("another account's card in a path answers 404 (not 403), the same as a card that does not exist", async () => {
  const mine = await fx.patron();
  const theirs = await fx.patron();
  await fx.patronToken(theirs);
  const token = await fx.patronToken(mine);
  for (const sub of ['loans', 'status', 'holds', 'passbook']) {
    const r = await srv.api('GET', `/cards/${theirs.card}/${sub}`, { token });
    assert.equal(r.status, 404, `GET /cards/{theirs}/${sub} → ${r.status} ${r.text}`);
    assert.ok(['CARD_NOT_FOUND', 'NOT_FOUND'].includes(r.body.error.code), r.text);
    const missing = await srv.api('GET', `/cards/NOSUCH${theirs.card}/${sub}`, { token });
    assert.equal(missing.status, 404, missing.text);
    assert.equal(r.body.error.code, missing.body.error.code, `${sub}: same answer as a missing card`);
  }
  const hold = await srv.api('POST', `/cards/${theirs.card}/holds`, { token, body: { bib_id: 1, pickup_branch: 'X' } });
  assert.equal(hold.status, 404, `POST holds on another's card → ${hold.status} ${hold.text}`);
});
