// Operations (docs/operations.md): an online backup taken while checkouts run — through
// POST /admin/backup and the `bookstamp backup` CLI — opened by a fresh bookstamp that verifies its
// audit chain and ledger; and GET /metrics parsed as Prometheus text, protected by loopback/token.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, Fixture, assertError, assertStatus, at, runCli } from './lib/server.mjs';

let srv, fx, A, admin, scratch;
const PATRONS = 6;
const ITEMS_EACH = 4;

before(async () => {
  srv = await startServer();
  fx = new Fixture(srv);
  await fx.setClock(at('2026-03-02', '10:00'));
  A = await fx.branch();
  admin = await fx.admin();
  scratch = await mkdtemp(path.join(tmpdir(), 'bookstamp-ops-'));
});
after(async () => {
  await srv?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

// Patrons and items to check out; returns [[card, barcode], ...].
async function loansToMake() {
  const pairs = [];
  for (let i = 0; i < PATRONS; i++) {
    const p = await fx.patron();
    const bib = await fx.bib({ items: Array.from({ length: ITEMS_EACH }, () => ({ branch: A })) });
    for (const b of bib.barcodes) pairs.push([p.card, b]);
  }
  return pairs;
}

// Checks out every pair, a few at a time, until done; answers the statuses.
async function checkoutAll(pairs) {
  const statuses = [];
  const queue = [...pairs];
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (queue.length) {
      const [card, barcode] = queue.shift();
      statuses.push((await fx.checkoutRaw(card, barcode, A, admin)).status);
    }
  }));
  return statuses;
}

// A fresh data directory holding only `file` as its database: what a restore looks like.
async function verifyCopy(file, name) {
  const dir = await mkdtemp(path.join(scratch, `${name}-`));
  await copyFile(file, path.join(dir, 'bookstamp.db'));
  const audit = await runCli(['audit', 'verify', '--data', dir]);
  assert.equal(audit.code, 0, `audit verify on ${name}: ${audit.stdout}${audit.stderr}`);
  assert.match(audit.stdout, /audit log ok: \d+ entries/);
  const ledger = await runCli(['ledger', 'verify', '--data', dir]);
  assert.equal(ledger.code, 0, `ledger verify on ${name}: ${ledger.stdout}${ledger.stderr}`);
  assert.match(ledger.stdout, /ledger ok/);
  return { audit: audit.stdout, ledger: ledger.stdout };
}

test('POST /admin/backup while checkouts run: a verified copy that a fresh bookstamp verifies', async () => {
  const pairs = await loansToMake();
  const running = checkoutAll(pairs);
  const r = await srv.api('POST', '/admin/backup', { token: admin });
  const statuses = await running;
  assert.ok(statuses.every((s) => s === 201), `checkouts during the backup: ${statuses}`);
  const b = assertStatus(r, 201, 'backup').backup;
  assert.match(b.file, /^bookstamp-\d{8}T\d{6}Z(-\d+)?\.db$/);
  assert.equal(b.verified, true);
  const file = path.join(srv.dataDir, 'backups', b.file);
  assert.equal((await stat(file)).size, b.bytes);
  assert.ok(b.bytes > 0);
  await stat(path.join(srv.dataDir, 'backups', 'secret.key'));
  await verifyCopy(file, 'api');

  // The backup is audited.
  const audit = assertStatus(await srv.api('GET', '/audit?action=system.backup', { token: admin }), 200);
  assert.match(JSON.stringify(audit), new RegExp(b.file.replace(/\./g, '\\.')));
});

test('bookstamp backup (CLI) on the live data directory while checkouts run', async () => {
  const pairs = await loansToMake();
  const running = checkoutAll(pairs);
  const out = path.join(scratch, 'cli-backup.db');
  const cli = await runCli(['backup', '--data', srv.dataDir, '--out', out]);
  await running;
  assert.equal(cli.code, 0, cli.stdout + cli.stderr);
  assert.match(cli.stdout, /backup ok/);
  await verifyCopy(out, 'cli');
  const missing = await runCli(['backup', '--data', path.join(scratch, 'nowhere'), '--out', path.join(scratch, 'x.db')]);
  assert.notEqual(missing.code, 0);
});

test('only a sysadmin may take a backup', async () => {
  const branchAdmin = await fx.staffToken(await fx.staff({ role: 'branch_admin', branch: A }));
  const auditor = await fx.staffToken(await fx.staff({ role: 'auditor' }));
  assertError(await srv.api('POST', '/admin/backup', { token: branchAdmin }), 403, 'FORBIDDEN', 'branch admin');
  assertError(await srv.api('POST', '/admin/backup', { token: auditor }), 403, 'FORBIDDEN', 'auditor');
  assertError(await srv.api('POST', '/admin/backup', {}), 401, 'UNAUTHENTICATED', 'nobody');
});

// Parses the text exposition format 0.0.4 strictly enough to catch a malformed line.
function parseMetrics(text) {
  const types = new Map();
  const samples = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    let m = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (m) {
      assert.ok(!types.has(m[1]), `TYPE twice for ${m[1]}`);
      types.set(m[1], m[2]);
      continue;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .+$/.test(line)) continue;
    m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (-?[0-9.e+-]+|\+Inf|NaN)$/.exec(line);
    assert.ok(m, `not a sample line: ${line}`);
    const labels = {};
    if (m[3]) {
      for (const part of m[3].match(/[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"/g)) {
        const eq = part.indexOf('=');
        labels[part.slice(0, eq)] = part.slice(eq + 2, -1);
      }
    }
    const family = m[1].replace(/_(bucket|sum|count)$/, '');
    assert.ok(types.has(m[1]) || types.has(family), `sample before its TYPE: ${line}`);
    samples.push({ name: m[1], labels, value: Number(m[4]) });
  }
  return { types, samples };
}
const find = (s, name, labels = {}) =>
  s.samples.filter((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v));

test('GET /metrics: HTTP by route pattern, duration histograms, store, outbox, sessions, build info', async () => {
  const res = await fetch(`${srv.url}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  const m = parseMetrics(await res.text());

  // Route patterns, not raw paths: every checkout counted under one series.
  const checkouts = find(m, 'bookstamp_http_requests_total', { method: 'POST', route: '/api/v1/circulation/checkout', code: '2xx' });
  assert.equal(checkouts.length, 1);
  assert.ok(checkouts[0].value >= 2 * PATRONS * ITEMS_EACH, `checkouts counted: ${checkouts[0].value}`);
  assert.ok(!m.samples.some((x) => /\/cards\/[A-Z0-9]+\//.test(x.labels.route ?? '')), 'no raw card numbers in routes');
  assert.ok(find(m, 'bookstamp_http_requests_total', { route: '/api/v1/admin/backup', code: '4xx' }).length === 1);

  // Histograms: cumulative buckets ending in +Inf equal to _count.
  assert.equal(m.types.get('bookstamp_http_request_duration_seconds'), 'histogram');
  const buckets = find(m, 'bookstamp_http_request_duration_seconds_bucket', { route: '/api/v1/circulation/checkout' });
  assert.ok(buckets.length > 2);
  for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i].value >= buckets[i - 1].value, 'cumulative');
  assert.equal(buckets.at(-1).labels.le, '+Inf');
  assert.equal(buckets.at(-1).value, find(m, 'bookstamp_http_request_duration_seconds_count', { route: '/api/v1/circulation/checkout' })[0].value);

  assert.ok(find(m, 'bookstamp_store_jobs_total', { kind: 'write' })[0].value > 0);
  assert.ok(find(m, 'bookstamp_store_groups_committed_total')[0].value > 0);
  assert.equal(find(m, 'bookstamp_store_queue_depth', { kind: 'write' }).length, 1);
  assert.equal(find(m, 'bookstamp_store_queue_depth', { kind: 'read' }).length, 1);
  assert.equal(m.types.get('bookstamp_store_job_seconds'), 'histogram');
  assert.equal(find(m, 'bookstamp_outbox_pending', { channel: 'email' }).length, 1);
  assert.equal(find(m, 'bookstamp_outbox_oldest_pending_seconds', { channel: 'email' }).length, 1);
  assert.ok(find(m, 'bookstamp_sessions_active', { kind: 'staff' })[0].value >= 1);
  assert.equal(find(m, 'bookstamp_build_info')[0].value, 1);

  // Through a proxy on the same host the caller is not local.
  const proxied = await srv.http('GET', '/metrics', { headers: { 'X-Forwarded-For': '203.0.113.9' } });
  assertError(proxied, 401, 'UNAUTHENTICATED', 'forwarded request');
});

test('GET /metrics from elsewhere needs the configured bearer token', async () => {
  const config = path.join(scratch, 'metrics.toml');
  const token = 'metrics-token-0123456789';
  await writeFile(config, `[metrics]\ntoken = "${token}"\nloopback = false\n`);
  const other = await startServer({ config });
  try {
    const none = await other.http('GET', '/metrics');
    assertError(none, 401, 'UNAUTHENTICATED', 'no token');
    const wrong = await other.http('GET', '/metrics', { headers: { Authorization: 'Bearer nope' } });
    assertError(wrong, 401, 'UNAUTHENTICATED', 'wrong token');
    const ok = await other.http('GET', '/metrics', { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(ok.status, 200);
    assert.match(ok.text, /^# HELP bookstamp_build_info/m);
  } finally {
    await other.stop();
  }
});
