// Notices by e-mail through a real SMTP server (aiosmtpd, started here): a redemption mail arrives
// with prize, points used and points left in Chinese; with the mail server down the notices wait,
// and after a crash (SIGKILL) of bookstamp and a restart of both, every mail arrives exactly once.
// ARCHITECTURE.md "Outbox"; PRODUCT.md P10.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, Fixture, assertError, assertStatus } from './lib/server.mjs';
import { Passbook, sqlite } from './lib/passbook.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const PYTHON = '/usr/bin/python3';  // Debian's, which has aiosmtpd; `python3` on PATH may not

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// Starts the sink on `port`, writing mails into `dir`; resolves once it listens.
async function startSmtp(port, dir) {
  const child = spawn(PYTHON, [path.join(here, 'lib', 'smtp_sink.py'), String(port), dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c) => { err += c; });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`SMTP sink did not start: ${err}`)), 15_000);
    child.stdout.on('data', (c) => { if (String(c).includes('ready')) { clearTimeout(timer); resolve(); } });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`SMTP sink exited ${code}: ${err}`)); });
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return {
    async stop() { child.kill('SIGTERM'); await exited; },
  };
}

async function mails(dir) {
  const out = [];
  for (const f of (await readdir(dir)).filter((x) => x.endsWith('.json')).sort())
    out.push(JSON.parse(await readFile(path.join(dir, f), 'utf8')));
  return out;
}

async function waitForMails(dir, n, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await mails(dir);
    if (got.length >= n) return got;
    if (Date.now() > deadline) assert.fail(`${what}: ${got.length} of ${n} mails after ${timeoutMs} ms: ${JSON.stringify(got.map((m) => m.subject))}`);
    await sleep(200);
  }
}

let work, mailDir, configPath, smtpPort, smtp, srv, fx, pb;
let A, counter, reader, puzzle, bookmark;

before(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'bookstamp-mail-'));
  mailDir = path.join(work, 'mail');
  smtpPort = await freePort();
  smtp = await startSmtp(smtpPort, mailDir);
  configPath = path.join(work, 'bookstamp.toml');
  // Fast retries so the test need not wait for the production 30 s backoff.
  await writeFile(configPath, [
    '[points]', 'daily_cap = 100', '',
    '[smtp]', 'host = "127.0.0.1"', `port = ${smtpPort}`, 'tls = "none"',
    'from = "library@bookstamp.test"', 'from_name = "市立圖書館"',
    'timeout_seconds = 3', 'lease_seconds = 5', 'retry_base_seconds = 1', 'retry_max_seconds = 2', 'poll_ms = 200', '',
  ].join('\n'));
  srv = await startServer({ testClock: false, config: configPath });
  fx = new Fixture(srv);
  pb = new Passbook(fx);
  A = await fx.branch();
  counter = await fx.staff({ role: 'counter', branch: A });
  reader = await fx.patron();
  const admin = await fx.admin();
  puzzle = await pb.createPrize(admin, { branch: A, name: '拼圖', cost: 3, stock: 10 });
  bookmark = await pb.createPrize(admin, { branch: A, name: '書籤', cost: 1, stock: 10 });
  await pb.earn(reader, 5, A);
});

after(async () => {
  await srv?.stop().catch(() => {});
  await smtp?.stop().catch(() => {});
  if (work) await rm(work, { recursive: true, force: true });
});

test('a counter redemption mails the patron the prize, points used and points left in Chinese', async () => {
  const r = await pb.counterRedeemRaw(await fx.staffToken(counter), reader.card, puzzle.id);
  assert.equal(assertStatus(r, 201, 'counter redemption').redemption.status, 'completed');
  const [mail] = await waitForMails(mailDir, 1, 'the redemption mail');
  assert.equal(mail.subject, '兌換完成：拼圖');
  assert.deepEqual(mail.rcpt, [`${reader.card.toLowerCase()}@example.org`]);
  assert.match(mail.from, /市立圖書館 <library@bookstamp\.test>/);
  assert.equal(mail.content_type, 'multipart/alternative');
  assert.match(mail.text, /獎品：拼圖/);
  assert.match(mail.text, /使用點數：3 點/);
  assert.match(mail.text, /剩餘點數：2 點/);
  assert.match(mail.html, /<p>剩餘點數：2 點<\/p>/);
  assert.match(mail.message_id, /^<notice-\d+\.[0-9a-f]{16}@bookstamp\.test>$/);
  const rows = (await sqlite(srv.dbPath, "SELECT status, attempts, message_id FROM deliveries WHERE channel = 'email'")).rows;
  assert.deepEqual(rows, [{ status: 'sent', attempts: 1, message_id: mail.message_id }]);
});

test('mail server down, bookstamp killed: after both restart every queued mail arrives exactly once', async () => {
  await smtp.stop();
  const t = await fx.staffToken(counter);
  for (let i = 0; i < 2; i++)
    assertStatus(await pb.counterRedeemRaw(t, reader.card, bookmark.id), 201, `bookmark redemption ${i + 1}`);
  // Let the dispatcher try (and fail) at least once for each.
  const deadline = Date.now() + 15_000;
  for (;;) {
    const failed = (await sqlite(srv.dbPath, "SELECT COUNT(DISTINCT delivery_id) AS n FROM delivery_attempts WHERE outcome = 'error'")).rows;
    if (failed[0]?.n >= 2) break;
    assert.ok(Date.now() < deadline, 'the dispatcher tried the two new notices while the mail server was down');
    await sleep(200);
  }
  assert.equal((await mails(mailDir)).length, 1, 'nothing new arrived while the server was down');

  const dataDir = srv.dataDir;
  await srv.kill();
  smtp = await startSmtp(smtpPort, mailDir);
  srv = await startServer({ testClock: false, config: configPath, dataDir });
  fx = new Fixture(srv);
  pb = new Passbook(fx);

  const got = await waitForMails(mailDir, 3, 'all three mails after the restart');
  await sleep(3000);  // longer than a retry and a poll: a double would show by now
  const all = await mails(mailDir);
  assert.equal(all.length, 3, `no mail sent twice: ${JSON.stringify(all.map((m) => m.message_id))}`);
  assert.equal(new Set(all.map((m) => m.message_id)).size, 3, 'three distinct Message-IDs');
  assert.equal(got.filter((m) => m.subject === '兌換完成：書籤').length, 2);
  for (const m of all.filter((x) => x.subject === '兌換完成：書籤')) assert.match(m.text, /使用點數：1 點/);
  const left = all.filter((x) => x.subject === '兌換完成：書籤').map((m) => m.text.match(/剩餘點數：(\d+) 點/)[1]).sort();
  assert.deepEqual(left, ['0', '1']);
  const rows = (await sqlite(srv.dbPath,
    "SELECT d.status, d.message_id FROM deliveries d WHERE d.channel = 'email' ORDER BY d.id")).rows;
  assert.equal(rows.length, 3);
  for (const row of rows) assert.equal(row.status, 'sent');
  assert.deepEqual(rows.map((x) => x.message_id).sort(), all.map((m) => m.message_id).sort(),
    'each delivery recorded with the Message-ID the mail carried');
});

test('the inbox lists every notice newest first in the request language; read flags and preferences', async () => {
  const token = await fx.patronToken(reader);
  const zh = assertStatus(await srv.api('GET', `/cards/${reader.card}/notices`, { token }), 200, 'inbox');
  assert.equal(zh.notices.length, 3);
  assert.equal(zh.unread, 3);
  assert.ok(zh.notices[0].id > zh.notices[1].id, 'newest first');
  assert.deepEqual(zh.notices.map((n) => n.title), ['兌換完成：書籤', '兌換完成：書籤', '兌換完成：拼圖']);
  assert.match(zh.notices[2].body, /剩餘點數：2 點/);
  for (const n of zh.notices) assert.equal(n.read, false);
  const en = assertStatus(await srv.api('GET', `/cards/${reader.card}/notices`, { token, headers: { 'Accept-Language': 'en' } }), 200, 'inbox en');
  assert.equal(en.notices[2].title, 'Redeemed: 拼圖');
  assert.match(en.notices[2].body, /Points left: 2/);

  const r = await srv.api('POST', `/cards/${reader.card}/notices/${zh.notices[2].id}/read`, { token });
  assert.equal(r.status, 204, r.text);
  const after1 = assertStatus(await srv.api('GET', `/cards/${reader.card}/notices`, { token }), 200, 'inbox');
  assert.equal(after1.unread, 2);
  assert.equal(after1.notices[2].read, true);
  assert.equal((await srv.api('POST', `/cards/${reader.card}/notices/999999/read`, { token })).status, 404);
  const all = assertStatus(await srv.api('POST', `/cards/${reader.card}/notices/read-all`, { token }), 200, 'read-all');
  assert.equal(all.marked, 2);

  const other = await fx.patron();
  assert.equal((await srv.api('GET', `/cards/${reader.card}/notices`, { token: await fx.patronToken(other) })).status, 404,
    'another patron cannot read this inbox');

  const put = assertStatus(await srv.api('PUT', `/cards/${reader.card}/notice-preferences`, {
    token, body: { preferences: [{ kind: 'redemption_done', channel: 'email', enabled: false }] },
  }), 200, 'PUT preferences');
  assert.deepEqual(put.preferences, [{ kind: 'redemption_done', channel: 'email', enabled: false }]);
  assert.ok(put.kinds.includes('due_soon'));
  const bad = await srv.api('PUT', `/cards/${reader.card}/notice-preferences`, {
    token, body: { preferences: [{ kind: 'redemption_done', channel: 'fax', enabled: false }] },
  });
  assert.equal(bad.status, 400, bad.text);
  const got = assertStatus(await srv.api('GET', `/cards/${reader.card}/notice-preferences`, { token }), 200, 'GET preferences');
  assert.deepEqual(got.preferences, put.preferences);

  // Turned off: the next redemption reaches the inbox but no mail goes out.
  await pb.earn(reader, 1, A);
  assertStatus(await pb.counterRedeemRaw(await fx.staffToken(counter), reader.card, bookmark.id), 201, 'one more bookmark');
  const deadline = Date.now() + 10_000;
  let rows;
  for (;;) {
    rows = (await sqlite(srv.dbPath, "SELECT status FROM deliveries WHERE channel = 'email' ORDER BY id DESC LIMIT 1")).rows;
    if (rows[0]?.status !== 'pending' || Date.now() > deadline) break;
    await sleep(200);
  }
  assert.deepEqual(rows, [{ status: 'skipped' }]);
  assert.equal((await mails(mailDir)).length, 3, 'no mail for a kind the patron turned off');
  const inbox = assertStatus(await srv.api('GET', `/cards/${reader.card}/notices`, { token }), 200, 'inbox');
  assert.equal(inbox.notices[0].title, '兌換完成：書籤');
  assert.equal(inbox.unread, 1);
});

test('the daily digest: one mail for all of a patron\'s loans due in two days', async () => {
  // A server of its own with the test clock, to stand two days before the due day.
  const digestSrv = await startServer({ testClock: true, config: configPath });
  try {
    const f = new Fixture(digestSrv);
    await f.setClock('2026-03-02T10:00:00+08:00');
    const branch = await f.branch();
    const p = await f.patron();
    const books = [await f.bib({ title: '小王子', items: [{ branch }] }), await f.bib({ title: '夜行觀覽車', items: [{ branch }] })];
    for (const b of books) await f.checkout(p.card, b.barcodes[0], branch);
    const [{ due_on: dueOn }] = (await sqlite(digestSrv.dbPath, 'SELECT due_on FROM loans LIMIT 1')).rows;
    const before = (await mails(mailDir)).length;
    const twoDaysBefore = new Date(Date.parse(`${dueOn}T09:00:00+08:00`) - 2 * 86_400_000).toISOString();
    await f.setClock(twoDaysBefore);
    const got = await waitForMails(mailDir, before + 1, 'the digest (the sweeper runs every 10 s)', 40_000);
    await sleep(1500);
    const fresh = (await mails(mailDir)).filter((m) => m.rcpt[0] === `${p.card.toLowerCase()}@example.org`);
    assert.equal(fresh.length, 1, `one mail, not one per item: ${JSON.stringify(fresh.map((m) => m.subject))}`);
    assert.match(fresh[0].subject, /^借閱提醒（\d{4}-\d{2}-\d{2}）$/);
    assert.match(fresh[0].text, /即將到期：「小王子」應還日/);
    assert.match(fresh[0].text, /即將到期：「夜行觀覽車」應還日/);
    assert.ok(got.length >= before + 1);
    const inbox = assertStatus(await digestSrv.api('GET', `/cards/${p.card}/notices`, { token: await f.patronToken(p) }), 200, 'inbox');
    assert.deepEqual(inbox.notices.map((n) => n.kind), ['due_soon', 'due_soon'], 'the inbox has the items, not the digest');
  } finally {
    await digestSrv.stop();
  }
});

test('a patron whose account is set to English (PATCH /me) gets the redemption mail in English', async () => {
  const p = await fx.patron();
  await pb.earn(p, 2, A);
  const token = await fx.patronToken(p);
  assertError(await srv.api('PATCH', '/me', { token, body: { lang: 'fr' } }), 400, 'VALIDATION_FAILED');
  assert.equal(assertStatus(await srv.api('GET', '/me', { token }), 200).lang, 'zh-TW', 'a refused change changes nothing');
  assert.equal(assertStatus(await srv.api('PATCH', '/me', { token, body: { lang: 'en' } }), 200).lang, 'en');
  assert.equal(assertStatus(await srv.api('GET', '/me', { token }), 200).lang, 'en');

  assertStatus(await pb.counterRedeemRaw(await fx.staffToken(counter), p.card, bookmark.id), 201, 'counter redemption');
  const rcpt = `${p.card.toLowerCase()}@example.org`;
  const deadline = Date.now() + 30_000;
  let mail;
  while (!(mail = (await mails(mailDir)).find((m) => m.rcpt[0] === rcpt))) {
    assert.ok(Date.now() < deadline, 'the English mail arrives');
    await sleep(200);
  }
  assert.equal(mail.subject, 'Redeemed: 書籤');
  assert.match(mail.text, /Points used: 1/);
  assert.match(mail.text, /Points left: 1/);
});
