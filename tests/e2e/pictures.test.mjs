// Prize pictures (PRODUCT.md A1) through the API: a real PNG made here is uploaded by the prize's
// branch admin, refused when its bytes are not what its type says, too big, or sent by another
// branch's admin; served publicly with ETag/304; its URL shows in GET /prizes; deleted; audited.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { startServer, Fixture, assertError, assertStatus, at, runCli } from './lib/server.mjs';
import { Passbook } from './lib/passbook.mjs';

let srv, fx, pb, A, B, prize, adminA, adminB, counterA;

// CRC-32 (ISO-HDLC) for PNG chunks.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
// A valid RGB PNG of width × height with a colour gradient.
function makePng(width, height) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) {
      raw[row + 1 + x * 3] = (x * 255) / Math.max(1, width - 1);
      raw[row + 2 + x * 3] = (y * 255) / Math.max(1, height - 1);
      raw[row + 3 + x * 3] = 128;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const put = (id, bytes, type, token) =>
  srv.api('PUT', `/prizes/${id}/picture`, { token, body: bytes, headers: { 'Content-Type': type } });

async function getPicture(url, headers = {}) {
  const res = await fetch(srv.url + url, { headers });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

before(async () => {
  srv = await startServer();
  fx = new Fixture(srv);
  pb = new Passbook(fx);
  await fx.setClock(at('2026-03-02', '10:00'));
  A = await fx.branch();
  B = await fx.branch();
  prize = await pb.createPrize(await fx.admin(), { branch: A, name: '故宮明信片', cost: 3, stock: 5 });
  adminA = await fx.staffToken(await fx.staff({ role: 'branch_admin', branch: A }));
  adminB = await fx.staffToken(await fx.staff({ role: 'branch_admin', branch: B }));
  counterA = await fx.staffToken(await fx.staff({ role: 'counter', branch: A }));
});
after(async () => { await srv?.stop(); });

test('the branch admin uploads a real PNG; its URL is in GET /prizes and it is served with ETag and 304', async () => {
  const png = makePng(48, 30);
  const r = assertStatus(await put(prize.id, png, 'image/png', adminA), 200, 'PUT picture');
  assert.equal(r.picture.content_type, 'image/png');
  assert.equal(r.picture.width, 48);
  assert.equal(r.picture.height, 30);
  assert.equal(r.picture.bytes, png.length);
  assert.match(r.picture.url, new RegExp(`^/api/v1/prizes/${prize.id}/picture\\?v=[0-9a-f]{16}$`));

  const listed = await pb.prizeListed(prize.id);
  assert.equal(listed.image_url, r.picture.url);

  const got = await getPicture(r.picture.url);
  assert.equal(got.status, 200);
  assert.equal(got.headers.get('content-type'), 'image/png');
  assert.ok(got.bytes.equals(png), 'the same bytes come back');
  const etag = got.headers.get('etag');
  assert.equal(etag, `"${r.picture.sha256}"`);
  assert.match(got.headers.get('cache-control'), /immutable/);
  assert.equal(got.headers.get('x-content-type-options'), 'nosniff');

  const again = await getPicture(r.picture.url, { 'If-None-Match': etag });
  assert.equal(again.status, 304);
  assert.equal(again.bytes.length, 0);
  assert.equal(again.headers.get('etag'), etag);
  // Without the version the answer must be revalidated.
  const plain = await getPicture(`/api/v1/prizes/${prize.id}/picture`);
  assert.equal(plain.status, 200);
  assert.match(plain.headers.get('cache-control'), /no-cache/);
});

test('bytes that are not the declared type, other types and empty bodies are refused and change nothing', async () => {
  const before = await pb.prizeListed(prize.id);
  const png = makePng(4, 4);
  const mismatch = await put(prize.id, png, 'image/jpeg', adminA);
  assertError(mismatch, 400, 'VALIDATION_FAILED', 'PNG labelled JPEG');
  assert.equal(mismatch.body.error.field, 'body');
  assertError(await put(prize.id, Buffer.from('not a picture at all'), 'image/png', adminA), 400, 'VALIDATION_FAILED', 'text labelled PNG');
  assertError(await put(prize.id, Buffer.from('GIF89a\x01\x00\x01\x00'), 'image/gif', adminA), 415, 'UNSUPPORTED_MEDIA_TYPE', 'GIF');
  assertError(await put(prize.id, png, 'text/plain', adminA), 415, 'UNSUPPORTED_MEDIA_TYPE', 'text/plain');
  assertError(await put(prize.id, png.subarray(0, 20), 'image/png', adminA), 400, 'VALIDATION_FAILED', 'truncated PNG');
  assertError(await put(prize.id, Buffer.alloc(0), 'image/png', adminA), 400, 'VALIDATION_FAILED', 'empty');
  assert.equal((await pb.prizeListed(prize.id)).image_url, before.image_url);
});

test('a picture over 2 MiB is refused with 413 in the error shape', async () => {
  const big = Buffer.concat([makePng(8, 8), Buffer.alloc(2 * 1024 * 1024)]);
  const r = await put(prize.id, big, 'image/png', adminA);
  assertError(r, 413, 'PAYLOAD_TOO_LARGE', 'too big');
  // The server is still fine afterwards.
  assertStatus(await srv.api('GET', `/prizes/${prize.id}`), 200);
});

test('another branch admin, a counter clerk and a patron may not change the picture; unknown prizes are 404', async () => {
  const png = makePng(2, 2);
  assertError(await put(prize.id, png, 'image/png', adminB), 403, 'FORBIDDEN', 'admin of B');
  assertError(await put(prize.id, png, 'image/png', counterA), 403, 'FORBIDDEN', 'counter of A');
  assertError(await put(prize.id, png, 'image/png', undefined), 401, 'UNAUTHENTICATED', 'nobody');
  const p = await fx.patron();
  assertError(await put(prize.id, png, 'image/png', await fx.patronToken(p)), 403, 'FORBIDDEN', 'patron');
  assertError(await srv.api('DELETE', `/prizes/${prize.id}/picture`, { token: adminB }), 403, 'FORBIDDEN', 'delete by B');
  assertError(await put(999999, png, 'image/png', await fx.admin()), 404, 'PRIZE_NOT_FOUND', 'unknown prize');
});

test('replacing changes the URL and ETag, deleting clears image_url, and every change is audited', async () => {
  const first = assertStatus(await put(prize.id, makePng(5, 5), 'image/png', await fx.admin()), 200);
  const second = assertStatus(await put(prize.id, makePng(6, 5), 'image/png', adminA), 200);
  assert.notEqual(first.picture.url, second.picture.url);
  assert.notEqual(first.picture.sha256, second.picture.sha256);
  assert.equal((await getPicture(second.picture.url, { 'If-None-Match': `"${first.picture.sha256}"` })).status, 200);

  assert.equal((await srv.api('DELETE', `/prizes/${prize.id}/picture`, { token: adminA })).status, 204);
  assert.equal((await pb.prizeListed(prize.id)).image_url, null);
  assert.equal((await getPicture(`/api/v1/prizes/${prize.id}/picture`)).status, 404);
  assertError(await srv.api('DELETE', `/prizes/${prize.id}/picture`, { token: adminA }), 404, 'PRIZE_NOT_FOUND', 'nothing to delete');

  const audit = assertStatus(await srv.api('GET', '/audit/verify', { token: await fx.admin() }), 200);
  assert.equal(audit.ok, true);
  const rows = assertStatus(await srv.api('GET', `/audit?subject=${encodeURIComponent(`prize:${prize.id}`)}`, { token: await fx.admin() }), 200);
  const actions = JSON.stringify(rows);
  assert.match(actions, /prize\.picture"/);
  assert.match(actions, /prize\.picture_delete/);
  // The chain also verifies offline.
  const cli = await runCli(['audit', 'verify', '--data', srv.dataDir]);
  assert.equal(cli.code, 0, cli.stdout + cli.stderr);
});
