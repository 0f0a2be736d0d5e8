// Web Push through a real push service peer written here: a local HTTP server that checks each
// POST's VAPID JWT (ES256 with the key of GET /push/vapid-public-key, aud = its origin, exp ahead)
// and decrypts the aes128gcm body (RFC 8291) with the private key of a browser this test plays
// (P-256 key pair and auth secret from node:crypto). A gone subscription (410) is removed; a 503 is
// retried. PRODUCT.md P10; docs/operations.md "Web Push".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createECDH, createDecipheriv, createPublicKey, hkdfSync, randomBytes, verify } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, Fixture, assertStatus, assertError } from './lib/server.mjs';
import { Passbook, sqlite } from './lib/passbook.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const b64u = (buf) => Buffer.from(buf).toString('base64url');
const SUBJECT = 'mailto:push-admin@bookstamp.test';

// A browser's side of a subscription: its key pair and auth secret, as PushManager makes them.
function browser(endpoint) {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return {
    endpoint,
    ecdh,
    auth,
    json: { endpoint, expirationTime: null, keys: { p256dh: b64u(ecdh.getPublicKey()), auth: b64u(auth) } },
  };
}

// RFC 8291 §3.4 / RFC 8188: what the browser does with a push message body.
function decrypt(b, body) {
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20];
  const asPublic = body.subarray(21, 21 + idlen);
  const record = body.subarray(21 + idlen);
  assert.equal(idlen, 65, 'keyid is the sender\'s public key');
  assert.ok(record.length <= rs, 'one record');
  const secret = b.ecdh.computeSecret(asPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), b.ecdh.getPublicKey(), asPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', secret, b.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const d = createDecipheriv('aes-128-gcm', cek, nonce);
  d.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([d.update(record.subarray(0, record.length - 16)), d.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  assert.equal(padded[end], 2, 'the last record ends with the 0x02 delimiter');
  return JSON.parse(padded.subarray(0, end).toString('utf8'));
}

// RFC 8292: "vapid t=<JWT>, k=<key>"; the JWT must verify with k, which must be the server's key.
function checkVapid(header, serverKey, origin) {
  const m = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(header || '');
  assert.ok(m, `Authorization: ${header}`);
  const [, jwt, k] = m;
  assert.equal(k, serverKey, 'k is the key of GET /push/vapid-public-key');
  const raw = Buffer.from(k, 'base64url');
  const key = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: b64u(raw.subarray(1, 33)), y: b64u(raw.subarray(33, 65)) },
    format: 'jwk',
  });
  const [h, p, s] = jwt.split('.');
  assert.deepEqual(JSON.parse(Buffer.from(h, 'base64url')), { typ: 'JWT', alg: 'ES256' });
  assert.ok(verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url')),
    'the ES256 signature verifies');
  const claims = JSON.parse(Buffer.from(p, 'base64url'));
  assert.equal(claims.aud, origin);
  assert.equal(claims.sub, SUBJECT);
  const now = Date.now() / 1000;
  assert.ok(claims.exp > now && claims.exp <= now + 24 * 3600, `exp ${claims.exp} within 24 h ahead`);
}

// The push service: records every POST; answers from a per-path script, else 201.
function startPushService() {
  const received = [];
  const script = new Map();
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const status = script.get(req.url)?.shift() ?? 201;
      received.push({ path: req.url, method: req.method, headers: req.headers, body: Buffer.concat(chunks), status });
      res.writeHead(status, { Location: `${origin}/msg/${received.length}` });
      res.end();
    });
  });
  let origin;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    origin = `http://127.0.0.1:${server.address().port}`;
    resolve({
      origin, received, script,
      stop: () => new Promise((r) => server.close(r)),
    });
  }));
}

async function waitFor(what, fn, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) assert.fail(`${what}: not within ${timeoutMs} ms`);
    await sleep(100);
  }
}

let work, push, srv, fx, pb, A, counter, reader, other, prize, vapidKey, phone, tablet;

before(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'bookstamp-push-'));
  push = await startPushService();
  const configPath = path.join(work, 'bookstamp.toml');
  await writeFile(configPath, [
    '[push]', `subject = "${SUBJECT}"`, 'allow_local_endpoints = true',  // the push service here is on 127.0.0.1
    'timeout_seconds = 3', 'lease_seconds = 5', 'retry_base_seconds = 1', 'retry_max_seconds = 2', 'poll_ms = 100', '',
  ].join('\n'));
  srv = await startServer({ config: configPath });  // --test-clock, unset until the expiry test
  fx = new Fixture(srv);
  pb = new Passbook(fx);
  A = await fx.branch();
  counter = await fx.staff({ role: 'counter', branch: A });
  reader = await fx.patron();
  other = await fx.patron();
  const admin = await fx.admin();
  prize = await pb.createPrize(admin, { branch: A, name: '拼圖', cost: 1, stock: 20 });
  await pb.earn(reader, 6, A);
  phone = browser(`${push.origin}/wpush/phone`);
  tablet = browser(`${push.origin}/wpush/tablet`);
});

after(async () => {
  await srv?.stop().catch(() => {});
  await push?.stop().catch(() => {});
  if (work) await rm(work, { recursive: true, force: true });
});

const subscribe = async (p, b) =>
  srv.api('PUT', `/cards/${p.card}/push-subscriptions`, { token: await fx.patronToken(p), body: b.json });
const redeemAtCounter = async () =>
  assertStatus(await pb.counterRedeemRaw(await fx.staffToken(counter), reader.card, prize.id), 201, 'counter redemption');
const subscriptions = async () =>
  (await sqlite(srv.dbPath, `SELECT endpoint FROM push_subscriptions ORDER BY id`)).rows.map((r) => r.endpoint);

test('the VAPID public key is public, a P-256 point, and the same after asking again', async () => {
  const r = assertStatus(await srv.api('GET', '/push/vapid-public-key'), 200, 'vapid key');
  const raw = Buffer.from(r.public_key, 'base64url');
  assert.equal(raw.length, 65);
  assert.equal(raw[0], 4);
  vapidKey = r.public_key;
  assert.equal(assertStatus(await srv.api('GET', '/push/vapid-public-key'), 200).public_key, vapidKey);
});

test('subscribing checks the endpoint, the keys and whose card it is', async () => {
  const token = await fx.patronToken(reader);
  const put = (body) => srv.api('PUT', `/cards/${reader.card}/push-subscriptions`, { token, body });
  const bad = (patch) => ({ ...phone.json, ...patch });
  assertError(await put(bad({ endpoint: 'http://push.example.net/x' })), 400, 'VALIDATION_FAILED', 'plain http elsewhere');
  assertError(await put(bad({ endpoint: 'ftp://127.0.0.1/x' })), 400, 'VALIDATION_FAILED', 'not http(s)');
  assertError(await put(bad({ keys: { p256dh: b64u(randomBytes(33)), auth: phone.json.keys.auth } })), 400, 'VALIDATION_FAILED', 'short key');
  assertError(await put(bad({ keys: { p256dh: phone.json.keys.p256dh, auth: b64u(randomBytes(8)) } })), 400, 'VALIDATION_FAILED', 'short auth');
  assertError(await put({ endpoint: phone.endpoint }), 400, 'VALIDATION_FAILED', 'no keys');
  const stranger = await srv.api('PUT', `/cards/${reader.card}/push-subscriptions`, { token: await fx.patronToken(other), body: phone.json });
  assert.ok([403, 404].includes(stranger.status), `another patron's card: ${stranger.status}`);
  assert.equal((await srv.api('PUT', `/cards/${reader.card}/push-subscriptions`, { body: phone.json })).status, 401);
  assert.deepEqual(await subscriptions(), [], 'nothing stored by refused requests');

  assert.equal(assertStatus(await subscribe(reader, phone), 201, 'phone').created, true);
  assert.equal(assertStatus(await subscribe(reader, phone), 200, 'phone again').created, false);
  assert.equal(assertStatus(await subscribe(reader, tablet), 201, 'tablet').subscriptions, 2);
});

test('a redemption is pushed to each browser, signed with VAPID and readable only with its key, in zh-TW', async () => {
  const before = push.received.length;
  await redeemAtCounter();
  const got = await waitFor('two pushes', () => push.received.length >= before + 2 && push.received.slice(before));
  assert.deepEqual(got.map((m) => m.path).sort(), ['/wpush/phone', '/wpush/tablet']);
  for (const m of got) {
    assert.equal(m.method, 'POST');
    assert.equal(m.headers['content-encoding'], 'aes128gcm');
    assert.equal(m.headers.ttl, '86400');
    assert.ok(['normal', 'high'].includes(m.headers.urgency), m.headers.urgency);
    checkVapid(m.headers.authorization, vapidKey, push.origin);
    const b = m.path.endsWith('phone') ? phone : tablet;
    const msg = decrypt(b, m.body);
    assert.equal(msg.title, '兌換完成：拼圖');
    assert.match(msg.body, /使用點數：1 點/);
    assert.match(msg.body, /剩餘點數：5 點/);  // 6 earned, 1 used
    assert.equal(msg.url, '/passbook/redemptions');
    assert.equal(typeof msg.notice_id, 'number');
    // The other browser's key cannot read it.
    assert.throws(() => decrypt(b === phone ? tablet : phone, m.body));
  }
  const rows = (await sqlite(srv.dbPath, "SELECT status, attempts FROM deliveries WHERE channel = 'push'")).rows;
  assert.deepEqual(rows, [{ status: 'sent', attempts: 1 }]);
});

test('a 410 from the push service removes that subscription; the other browser still gets the notice', async () => {
  push.script.set('/wpush/tablet', [410]);
  const before = push.received.length;
  await redeemAtCounter();
  await waitFor('both tried', () => push.received.length >= before + 2);
  await waitFor('the tablet removed', async () => !(await subscriptions()).includes(tablet.endpoint));
  assert.deepEqual(await subscriptions(), [phone.endpoint]);
  const last = (await sqlite(srv.dbPath,
    "SELECT d.status FROM deliveries d WHERE d.channel = 'push' ORDER BY d.id DESC LIMIT 1")).rows[0];
  assert.equal(last.status, 'sent');
  const logged = (await sqlite(srv.dbPath, "SELECT COUNT(*) AS n FROM delivery_attempts WHERE detail LIKE '%HTTP 410%removed'")).rows[0];
  assert.equal(logged.n, 1);
  // Later notices go to the phone only.
  const n = push.received.length;
  await redeemAtCounter();
  await waitFor('the next push', () => push.received.length > n);
  await sleep(500);
  assert.deepEqual(push.received.slice(n).map((m) => m.path), ['/wpush/phone']);
});

test('a 503 is retried with backoff and the push then arrives once', async () => {
  push.script.set('/wpush/phone', [503]);
  const before = push.received.length;
  await redeemAtCounter();
  const got = await waitFor('a retry after the 503', () => push.received.length >= before + 2 && push.received.slice(before));
  assert.deepEqual(got.map((m) => m.status), [503, 201]);
  assert.equal(decrypt(phone, got[1].body).title, '兌換完成：拼圖');
  await sleep(2500);  // longer than a retry and a poll: a double would show by now
  assert.equal(push.received.length, before + 2, 'not sent again after the 201');
  const row = (await sqlite(srv.dbPath,
    "SELECT status, attempts FROM deliveries WHERE channel = 'push' ORDER BY id DESC LIMIT 1")).rows[0];
  assert.deepEqual(row, { status: 'sent', attempts: 2 });
  const attempts = (await sqlite(srv.dbPath,
    "SELECT outcome FROM delivery_attempts WHERE delivery_id = (SELECT MAX(id) FROM deliveries WHERE channel = 'push') ORDER BY id")).rows;
  assert.deepEqual(attempts.map((a) => a.outcome), ['error', 'sent']);
});

test('a redemption code left unused expires in the sweep: the points come back and the patron is told by push', async () => {
  const start = Date.now();
  const red = await pb.redeem(reader, prize.id);
  const before = push.received.length;
  // Past the code's 5 minutes; the sweeper (every 10 s) expires it and queues the notice.
  await fx.setClock(new Date(start + 6 * 60_000).toISOString());
  const expired = (m) => decrypt(phone, m.body).title === '兌換已逾期：拼圖';
  const got = await waitFor('the expiry push', () => push.received.slice(before).find(expired), 30_000);
  const msg = decrypt(phone, got.body);
  assert.match(msg.body, /點數已退還/);
  assert.match(msg.body, /剩餘點數：2 點/);  // 6 earned, 4 used at the counter, this one refunded
  const after = await pb.redemption(reader, red.id);
  assert.equal(after.status, 'expired');
  const notices = (await sqlite(srv.dbPath, `SELECT COUNT(*) AS n FROM notices WHERE kind = 'redemption_expired'`)).rows[0];
  assert.equal(notices.n, 1, 'once');
});

test('unsubscribing removes the browser; a second time is 404', async () => {
  const token = await fx.patronToken(reader);
  const del = () => srv.api('DELETE', `/cards/${reader.card}/push-subscriptions`, { token, body: { endpoint: phone.endpoint } });
  assert.equal((await del()).status, 204);
  assertError(await del(), 404, 'NOT_FOUND');
  assert.deepEqual(await subscriptions(), []);
});
