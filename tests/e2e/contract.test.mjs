// The request contract of API.md "Conventions": error shape, statuses, limits, language, headers,
// and the test clock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { startServer, Fixture, assertError, assertStatus, at } from './lib/server.mjs';

let srv;
let fx;
before(async () => {
  srv = await startServer();
  fx = new Fixture(srv);
  await fx.setClock(at('2026-03-02'));
});
after(async () => { await srv?.stop(); });

const CJK = /[\u4e00-\u9fff]/;

function sqlite(db, sql) {
  return new Promise((resolve) => {
    execFile('sqlite3', [db, sql], (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr }));
  });
}

test('an unknown /api path answers 404 NOT_FOUND as JSON', async () => {
  const r = await srv.api('GET', '/no/such/thing');
  assertError(r, 404, 'NOT_FOUND', 'GET /api/v1/no/such/thing');
});

test('a wrong method on a known path answers 405 METHOD_NOT_ALLOWED', async () => {
  const r = await srv.api('DELETE', '/branches');
  assertError(r, 405, 'METHOD_NOT_ALLOWED', 'DELETE /branches');
});

test('malformed JSON answers 400 VALIDATION_FAILED with a field', async () => {
  const r = await srv.api('POST', '/session', { body: '{"card": "C1", "pin": ' });
  assertError(r, 400, 'VALIDATION_FAILED', 'POST /session with broken JSON');
  assert.equal(typeof r.body.error.field, 'string');
  assert.ok(r.body.error.field.length > 0);
});

test('a field of the wrong type answers 400 naming the field', async () => {
  const r = await srv.api('POST', '/session', { body: { card: 12345678, pin: '1234' } });
  assertError(r, 400, 'VALIDATION_FAILED', 'POST /session card as a number');
  assert.equal(r.body.error.field, 'card');
});

test('a body that is not JSON answers 415 UNSUPPORTED_MEDIA_TYPE', async () => {
  const r = await srv.api('POST', '/session', {
    body: 'card=C1&pin=1234', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assertError(r, 415, 'UNSUPPORTED_MEDIA_TYPE', 'POST /session form-encoded');
});

test('a body over 1 MiB answers 413 PAYLOAD_TOO_LARGE', async () => {
  const big = JSON.stringify({ card: 'C1', pin: '1234', padding: 'x'.repeat(1024 * 1024) });
  const r = await srv.api('POST', '/session', { body: big });
  assertError(r, 413, 'PAYLOAD_TOO_LARGE', 'POST /session 1 MiB body');
});

test('a body of exactly 1 MiB is not refused for its size', async () => {
  const prefix = '{"card":"C1","pin":"1234","padding":"';
  const suffix = '"}';
  const body = prefix + 'x'.repeat(1024 * 1024 - prefix.length - suffix.length) + suffix;
  assert.equal(Buffer.byteLength(body), 1024 * 1024);
  const r = await srv.api('POST', '/session', { body });
  assert.notEqual(r.status, 413, r.text);
});

test('a staff route without a token answers 401 UNAUTHENTICATED', async () => {
  const r = await srv.api('POST', '/circulation/checkout', { body: { card: 'C1', item_barcode: 'I1', branch: 'A' } });
  assertError(r, 401, 'UNAUTHENTICATED', 'checkout without a token');
  const me = await srv.api('GET', '/me');
  assertError(me, 401, 'UNAUTHENTICATED', 'GET /me without a token');
});

test('a bad token answers 401 UNAUTHENTICATED', async () => {
  const r = await srv.api('GET', '/me', { token: 'not-a-real-token' });
  assertError(r, 401, 'UNAUTHENTICATED', 'GET /me with a made-up token');
});

test('a patron token on a staff route answers 403 FORBIDDEN', async () => {
  const branch = await fx.branch();
  const p = await fx.patron();
  const token = await fx.patronToken(p);
  const r = await srv.api('POST', '/circulation/checkout', { token, body: { card: p.card, item_barcode: 'X', branch } });
  assertError(r, 403, 'FORBIDDEN', 'patron calls checkout');
  const b = await srv.api('POST', '/branches', { token, body: { code: 'ZZ', name: 'z', mobile_checkout: false } });
  assertError(b, 403, 'FORBIDDEN', 'patron creates a branch');
});

test('messages are zh-TW by default and English with Accept-Language: en', async () => {
  const zh = await srv.api('GET', '/no/such/thing');
  assertError(zh, 404, 'NOT_FOUND');
  assert.match(zh.body.error.message, CJK);

  const zhExplicit = await srv.api('GET', '/no/such/thing', { headers: { 'Accept-Language': 'zh-TW,zh;q=0.9' } });
  assert.match(zhExplicit.body.error.message, CJK);

  const en = await srv.api('GET', '/no/such/thing', { headers: { 'Accept-Language': 'en' } });
  assertError(en, 404, 'NOT_FOUND');
  assert.doesNotMatch(en.body.error.message, CJK);
  assert.match(en.body.error.message, /not found/i);

  const enUs = await srv.api('POST', '/circulation/checkout', {
    headers: { 'Accept-Language': 'en-US,en;q=0.8' }, body: { card: 'C', item_barcode: 'I', branch: 'B' },
  });
  assertError(enUs, 401, 'UNAUTHENTICATED');
  assert.doesNotMatch(enUs.body.error.message, CJK);
});

test('GET /healthz answers 200', async () => {
  const r = await srv.http('GET', '/healthz');
  assert.equal(r.status, 200, r.text);
});

test('error answers are JSON, never an HTML page, even when the client asks for HTML', async () => {
  const cases = [
    ['GET', '/api/v1/no/such/thing', undefined],
    ['DELETE', '/api/v1/branches', undefined],
    ['POST', '/api/v1/session', '{oops'],
    ['GET', '/api/v1/me', undefined],
  ];
  for (const [method, path, body] of cases) {
    const r = await srv.http(method, path, { body, headers: { Accept: 'text/html,application/xhtml+xml' } });
    assert.ok(r.status >= 400, `${method} ${path} → ${r.status}`);
    assert.match(r.headers.get('content-type') || '', /^application\/json/, `${method} ${path}`);
    assert.doesNotMatch(r.text, /<html|<!doctype/i, `${method} ${path}`);
    assert.equal(typeof r.body.error.code, 'string', `${method} ${path}`);
  }
});

test('answers carry X-Content-Type-Options: nosniff', async () => {
  for (const [method, path] of [['GET', '/healthz'], ['GET', '/api/v1/branches'], ['GET', '/api/v1/no/such/thing']]) {
    const r = await srv.http(method, path);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', `${method} ${path}`);
  }
});

test('a replayed write with the same Idempotency-Key answers the first status and body, and writes once', async () => {
  const branch = await fx.branch();
  const p = await fx.patron();
  const bib = await fx.bib({ items: [{ branch }] });
  const token = await fx.admin();
  const send = () => srv.api('POST', '/circulation/checkout', {
    token, headers: { 'Idempotency-Key': `checkout-${bib.barcodes[0]}` }, body: { card: p.card, item_barcode: bib.barcodes[0], branch },
  });
  const first = await send();
  assertStatus(first, 201, 'first checkout');
  const replay = await send();
  assert.equal(replay.status, 201, replay.text);
  assert.deepEqual(replay.body, first.body);
  assert.equal((await fx.loans(p)).length, 1);
  const pb = assertStatus(await srv.api('GET', `/cards/${p.card}/passbook`, { token: await fx.patronToken(p) }), 200);
  assert.equal(pb.balance, 1, 'the point is credited once');
});

test('an Idempotency-Key reused with a different body answers 409 IDEMPOTENCY_KEY_REUSED; errors replay too', async () => {
  const branch = await fx.branch();
  const p = await fx.patron();
  const bib = await fx.bib({ items: [{ branch }, { branch }] });
  const token = await fx.admin();
  const key = { 'Idempotency-Key': `reuse-${bib.barcodes[0]}` };
  assertStatus(await srv.api('POST', '/circulation/checkout', { token, headers: key, body: { card: p.card, item_barcode: bib.barcodes[0], branch } }), 201);
  const other = await srv.api('POST', '/circulation/checkout', { token, headers: key, body: { card: p.card, item_barcode: bib.barcodes[1], branch } });
  assertError(other, 409, 'IDEMPOTENCY_KEY_REUSED');

  const errKey = { 'Idempotency-Key': `error-${bib.barcodes[1]}` };
  const refused = await srv.api('POST', '/circulation/checkout', { token, headers: errKey, body: { card: 'NOSUCHCARD', item_barcode: bib.barcodes[1], branch } });
  assertError(refused, 404, 'CARD_NOT_FOUND');
  const again = await srv.api('POST', '/circulation/checkout', { token, headers: errKey, body: { card: 'NOSUCHCARD', item_barcode: bib.barcodes[1], branch } });
  assert.equal(again.status, 404);
  assert.deepEqual(again.body, refused.body);
});

test('a login with an Idempotency-Key opens a new session each time and its token is never stored', async () => {
  const p = await fx.patron();
  const key = { 'Idempotency-Key': `login-${p.card}` };
  const first = assertStatus(await srv.api('POST', '/session', { headers: key, body: { card: p.card, pin: p.pin } }), 201);
  const second = assertStatus(await srv.api('POST', '/session', { headers: key, body: { card: p.card, pin: p.pin } }), 201);
  assert.notEqual(first.token, second.token, 'a retried login is a new session, not a replayed answer');
  const stored = await sqlite(srv.dbPath,
    "SELECT count(*) FROM idempotency_keys WHERE path LIKE '/api/v1/%session%'");
  assert.equal(stored.code, 0, stored.stderr);
  assert.equal(stored.stdout.trim(), '0', 'no login answer (with its token) is kept');
});

test('PUT /api/v1/test/clock sets the server time that circulation uses', async () => {
  const now = '2026-03-05T09:30:00+08:00';
  const r = await srv.api('PUT', '/test/clock', { body: { now } });
  assertStatus(r, 200, 'PUT /test/clock');
  assert.equal(Date.parse(r.body.now), Date.parse(now));
  fx.tokens.clear();

  const branch = await fx.branch();
  const p = await fx.patron();
  const bib = await fx.bib({ items: [{ branch }] });
  const out = await fx.checkout(p.card, bib.barcodes[0], branch);
  assert.equal(Date.parse(out.loan.checked_out_at), Date.parse(now));
  assert.equal(out.loan.due_on, '2026-04-02');
});

test('PUT /api/v1/test/clock with a bad time answers 400 naming "now"', async () => {
  const r = await srv.api('PUT', '/test/clock', { body: { now: 'next tuesday' } });
  assertError(r, 400, 'VALIDATION_FAILED');
  assert.equal(r.body.error.field, 'now');
});

test('a server started without --test-clock answers 404 for PUT /api/v1/test/clock', async () => {
  const plain = await startServer({ testClock: false });
  try {
    const r = await plain.api('PUT', '/test/clock', { body: { now: '2026-03-02T10:00:00+08:00' } });
    assertError(r, 404, 'NOT_FOUND', 'PUT /test/clock without --test-clock');
  } finally {
    await plain.stop();
  }
});

test('GET /home names the mobile card symbology: Code 128 unless [app] card_barcode says otherwise', async () => {
  const home = assertStatus(await srv.api('GET', '/home'), 200, 'GET /home');
  assert.equal(home.card_barcode, 'code128');
});
