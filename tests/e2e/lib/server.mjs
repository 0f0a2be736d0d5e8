// End-to-end harness: starts the real `bookstamp serve` binary on a free port with a fresh data
// directory and --test-clock, and talks to it over HTTP exactly as API.md writes it.
// Usage:
//   const srv = await startServer();            // before()
//   const fx = new Fixture(srv);                // branches, patrons, bibs, staff, tokens
//   const r = await srv.api('GET', '/me', { token });
//   await srv.stop();                           // after(): SIGTERM, asserts exit code 0
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..', '..');
export const BIN = process.env.BOOKSTAMP_BIN || path.join(repoRoot, 'build', 'bookstamp');

export const ADMIN = { username: 'admin', password: 'adminpass1' };

// Runs the bookstamp CLI; resolves {code, stdout, stderr} whatever the exit code.
export function runCli(args, { timeoutMs = 60_000 } = {}) {
  return new Promise((resolve) => {
    execFile(BIN, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      let code = 0;
      if (err) code = typeof err.code === 'number' ? err.code : (err.signal ? `signal ${err.signal}` : -1);
      // A binary that could not run at all (missing, not executable) says why in stderr.
      if (err && typeof err.code === 'string') stderr = `${stderr}${BIN}: ${err.message}`;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

// Starts a server. testClock: pass --test-clock (default true). Creates the sysadmin `admin` first.
// config: a --config file. dataDir: start again on an existing data directory (admin already made).
export async function startServer({ testClock = true, startTimeoutMs = 20_000, config, dataDir: reuse } = {}) {
  assert.ok(existsSync(BIN), `no bookstamp binary at ${BIN}: build it (ninja -C build bookstamp) or set BOOKSTAMP_BIN`);
  const dataDir = reuse ?? await mkdtemp(path.join(tmpdir(), 'bookstamp-e2e-'));
  if (!reuse) {
    const add = await runCli(['staff', 'add', '--data', dataDir, '--username', ADMIN.username,
      '--password', ADMIN.password, '--role', 'sysadmin']);
    if (add.code !== 0) await rm(dataDir, { recursive: true, force: true });
    assert.equal(add.code, 0, `bookstamp staff add failed:\n${add.stdout}\n${add.stderr}`);
  }

  const args = ['serve', '--data', dataDir, '--listen', '127.0.0.1:0'];
  if (testClock) args.push('--test-clock');
  if (config) args.push('--config', config);
  const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });

  // Keep the tail of the server's output for failure messages.
  const log = [];
  const keep = (prefix) => (chunk) => {
    for (const line of String(chunk).split('\n')) if (line) log.push(prefix + line);
    if (log.length > 200) log.splice(0, log.length - 200);
  };
  child.stderr.on('data', keep('[err] '));

  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let exitInfo = null;
  let stopped = false;
  exited.then((e) => { exitInfo = e; });

  const listening = new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`server did not report listening within ${startTimeoutMs} ms:\n${log.join('\n')}`)), startTimeoutMs);
    child.stdout.on('data', (chunk) => {
      keep('[out] ')(chunk);
      if (buf === null) return;
      buf += String(chunk);
      const m = buf.match(/^bookstamp listening on (http:\/\/127\.0\.0\.1:\d+)\s*$/m);
      if (m) {
        clearTimeout(timer);
        buf = null;
        resolve(m[1]);
      }
    });
    exited.then((e) => {
      clearTimeout(timer);
      reject(new Error(`server exited before listening (${JSON.stringify(e)}):\n${log.join('\n')}`));
    });
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
  let url;
  try {
    url = await listening;
  } catch (e) {
    child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
    throw e;
  }

  // One request. body: an object (sent as JSON) or a string/bytes (sent as given, labelled JSON
  // unless headers say otherwise, or unlabelled with raw: true). Answers {status, body (parsed JSON,
  // else text), text, headers}.
  async function http(method, p, { token, body, headers = {}, raw = false } = {}) {
    const h = { ...headers };
    if (token) h.Authorization = `Bearer ${token}`;
    let payload;
    if (body !== undefined) {
      if (raw || typeof body === 'string' || body instanceof Uint8Array) {
        payload = body;
        if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type') && !raw) h['Content-Type'] = 'application/json';
      } else {
        payload = JSON.stringify(body);
        if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'application/json';
      }
    }
    let res;
    try {
      res = await fetch(url + p, { method, headers: h, body: payload });
    } catch (e) {
      throw new Error(`${method} ${p}: ${e.cause?.code || e.message}` +
        (exitInfo ? `; the server exited ${JSON.stringify(exitInfo)}` : '') + `\n${log.slice(-30).join('\n')}`);
    }
    const text = await res.text();
    let parsed = text;
    const ct = res.headers.get('content-type') || '';
    if (ct.includes('application/json') && text.length) {
      try { parsed = JSON.parse(text); } catch { parsed = text; }
    }
    return { status: res.status, body: parsed, text, headers: res.headers };
  }

  const server = {
    url,
    dataDir,
    dbPath: path.join(dataDir, 'bookstamp.db'),
    log,
    http,
    // A path under /api/v1.
    api: (method, p, opts) => http(method, '/api/v1' + p, opts),
    get exited() { return exitInfo; },
    async setClock(iso) {
      const r = await http('PUT', '/api/v1/test/clock', { body: { now: iso } });
      assert.equal(r.status, 200, `PUT /test/clock ${iso}: ${r.status} ${r.text}`);
      return r.body;
    },
    // SIGTERM, wait for the exit, assert a graceful shutdown (exit code 0). keepData leaves the directory.
    // Idempotent: a second call only removes the data directory (unless keepData).
    async stop({ keepData = false } = {}) {
      const first = !stopped;
      stopped = true;
      if (!exitInfo) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const e = await exited;
      clearTimeout(killer);
      if (!keepData) await rm(dataDir, { recursive: true, force: true });
      if (first) assert.deepEqual(e, { code: 0, signal: null }, `server did not shut down cleanly:\n${log.slice(-30).join('\n')}`);
    },
    async removeData() { await rm(dataDir, { recursive: true, force: true }); },
    // SIGKILL (a crash): no clean shutdown, the data directory stays.
    async kill() {
      stopped = true;
      if (!exitInfo) child.kill('SIGKILL');
      return exited;
    },
  };
  return server;
}

// Unique names for one test process: card numbers, barcodes, branch codes, usernames.
let serial = 0;
const run = (process.pid % 10000).toString().padStart(4, '0');
export function uniq(prefix) {
  serial += 1;
  return `${prefix}${run}${serial.toString().padStart(4, '0')}`;
}

// Dates: the library's zone is Asia/Taipei (+08:00, no DST).
export function addDays(ymd, n) {
  const d = new Date(`${ymd}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
export const at = (ymd, hm = '10:00') => `${ymd}T${hm}:00+08:00`;

// Asserts an error answer: status, error.code, a message, and JSON (never HTML).
export function assertError(r, status, code, what = '') {
  const ctx = `${what} → ${r.status} ${r.text}`;
  assert.equal(r.status, status, ctx);
  assert.match(r.headers.get('content-type') || '', /application\/json/, ctx);
  assert.equal(typeof r.body, 'object', ctx);
  assert.equal(r.body.error?.code, code, ctx);
  assert.equal(typeof r.body.error.message, 'string', ctx);
  assert.ok(r.body.error.message.length > 0, ctx);
}

export function assertStatus(r, status, what = '') {
  assert.equal(r.status, status, `${what} → ${r.status} ${r.text}`);
  return r.body;
}

// Builds the world of a test through the API. Tokens are cached per identity and dropped when the
// clock moves (staff sessions last 12 hours of server time).
export class Fixture {
  constructor(server) {
    this.s = server;
    this.tokens = new Map();
  }

  async setClock(iso) {
    this.tokens.clear();
    return this.s.setClock(iso);
  }

  async staffLogin(username, password) {
    const r = await this.s.api('POST', '/staff/session', { body: { username, password } });
    assertStatus(r, 201, `staff login ${username}`);
    return r.body.token;
  }

  async patronLogin(card, pin) {
    const r = await this.s.api('POST', '/session', { body: { card, pin } });
    assertStatus(r, 201, `patron login ${card}`);
    return r.body.token;
  }

  async admin() {
    if (!this.tokens.has('admin')) this.tokens.set('admin', await this.staffLogin(ADMIN.username, ADMIN.password));
    return this.tokens.get('admin');
  }

  // A patron token for a card (an account is created at first login).
  async patronToken(p) {
    const key = `card:${p.card}`;
    if (!this.tokens.has(key)) this.tokens.set(key, await this.patronLogin(p.card, p.pin));
    return this.tokens.get(key);
  }

  async staffToken(st) {
    const key = `staff:${st.username}`;
    if (!this.tokens.has(key)) this.tokens.set(key, await this.staffLogin(st.username, st.password));
    return this.tokens.get(key);
  }

  async branch({ code = uniq('B'), name, mobile_checkout = false } = {}) {
    const r = await this.s.api('POST', '/branches', {
      token: await this.admin(), body: { code, name: name ?? `分館 ${code}`, mobile_checkout },
    });
    assertStatus(r, 201, `POST /branches ${code}`);
    return code;
  }

  async patron({ type = 'personal', card = uniq('C'), pin = '1234', name } = {}) {
    const holder = name ?? `讀者 ${card}`;
    const r = await this.s.api('POST', '/patrons', {
      token: await this.admin(),
      body: { name: holder, email: `${card.toLowerCase()}@example.org`, card: { card, type, pin } },
    });
    assertStatus(r, 201, `POST /patrons ${card}`);
    return { card, pin, type, name: holder };
  }

  // items: [{branch, loanable?, item_type?, barcode?}]; returns {bib_id, title, barcodes}.
  async bib({ title = `書名 ${uniq('T')}`, items }) {
    const withCodes = items.map((i) => ({ barcode: uniq('I'), ...i }));
    const r = await this.s.api('POST', '/bibs', {
      token: await this.admin(),
      body: { title, author: '作者', publisher: '出版社', year: 2024, isbn: '', class_no: '863', items: withCodes },
    });
    assertStatus(r, 201, `POST /bibs ${title}`);
    assert.equal(typeof r.body.bib_id, 'number');
    return { bib_id: r.body.bib_id, title, barcodes: withCodes.map((i) => i.barcode) };
  }

  async staff({ role, branch = null, username = uniq('u'), password = 'staffpass1' }) {
    const r = await this.s.api('POST', '/staff', { token: await this.admin(), body: { username, password, role, branch } });
    assertStatus(r, 201, `POST /staff ${username}`);
    return { username, password, role, branch };
  }

  async patchPolicy(patch) {
    const r = await this.s.api('PATCH', '/policy', { token: await this.admin(), body: patch });
    assertStatus(r, 200, `PATCH /policy ${JSON.stringify(patch)}`);
    return r.body;
  }

  // Raw circulation answers (status not asserted) and asserting variants.
  async checkoutRaw(card, item_barcode, branch, token) {
    return this.s.api('POST', '/circulation/checkout', { token: token ?? await this.admin(), body: { card, item_barcode, branch } });
  }
  async checkout(card, item_barcode, branch, token) {
    const r = await this.checkoutRaw(card, item_barcode, branch, token);
    return assertStatus(r, 201, `checkout ${item_barcode} to ${card} at ${branch}`);
  }
  async checkinRaw(item_barcode, branch, token) {
    return this.s.api('POST', '/circulation/checkin', { token: token ?? await this.admin(), body: { item_barcode, branch } });
  }
  async checkin(item_barcode, branch, token) {
    const r = await this.checkinRaw(item_barcode, branch, token);
    return assertStatus(r, 200, `checkin ${item_barcode} at ${branch}`);
  }
  async renewRaw(item_barcode, token) {
    return this.s.api('POST', '/circulation/renew', { token: token ?? await this.admin(), body: { item_barcode } });
  }
  async placeHoldRaw(p, bib_id, pickup_branch) {
    return this.s.api('POST', `/cards/${p.card}/holds`, { token: await this.patronToken(p), body: { bib_id, pickup_branch } });
  }
  async placeHold(p, bib_id, pickup_branch) {
    const r = await this.placeHoldRaw(p, bib_id, pickup_branch);
    return assertStatus(r, 201, `hold on ${bib_id} by ${p.card}`).hold;
  }
  async holds(p) {
    const r = await this.s.api('GET', `/cards/${p.card}/holds`, { token: await this.patronToken(p) });
    return assertStatus(r, 200, `GET holds ${p.card}`).holds;
  }
  async loans(p) {
    const r = await this.s.api('GET', `/cards/${p.card}/loans`, { token: await this.patronToken(p) });
    return assertStatus(r, 200, `GET loans ${p.card}`).loans;
  }
  async status(p) {
    const r = await this.s.api('GET', `/cards/${p.card}/status`, { token: await this.patronToken(p) });
    return assertStatus(r, 200, `GET status ${p.card}`);
  }
}
