// The audit hash chain (RULES.md "Audit"): verification over the API and the CLI, and the CLI
// finding a tampered entry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { startServer, Fixture, assertError, assertStatus, at, runCli } from './lib/server.mjs';

let srv;
let fx;
let A;
before(async () => {
  srv = await startServer();
  fx = new Fixture(srv);
  await fx.setClock(at('2026-03-02'));
  // Some history: staff logins, a branch, a patron, a bib, a loan (with its ledger entry).
  A = await fx.branch();
  const p = await fx.patron();
  const bib = await fx.bib({ items: [{ branch: A }] });
  await fx.checkout(p.card, bib.barcodes[0], A);
});
after(async () => { await srv?.stop(); });

function sqlite(db, sql) {
  return new Promise((resolve) => {
    execFile('sqlite3', [db, sql], (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr }));
  });
}

test('GET /audit/verify as sysadmin: ok, entries, a 64-hex head, no broken entry', async () => {
  const r = await srv.api('GET', '/audit/verify', { token: await fx.admin() });
  assertStatus(r, 200, 'GET /audit/verify');
  assert.equal(r.body.ok, true);
  assert.ok(Number.isInteger(r.body.entries) && r.body.entries > 0, `entries: ${r.body.entries}`);
  assert.match(r.body.head, /^[0-9a-f]{64}$/);
  assert.equal(r.body.first_broken, null);
});

test('the head moves when something is audited', async () => {
  const token = await fx.admin();
  const before = assertStatus(await srv.api('GET', '/audit/verify', { token }), 200);
  await fx.branch();
  const after = assertStatus(await srv.api('GET', '/audit/verify', { token }), 200);
  assert.ok(after.entries > before.entries);
  assert.notEqual(after.head, before.head);
  assert.equal(after.ok, true);
});

test('an auditor may verify; a counter member gets 403 FORBIDDEN', async () => {
  const auditor = await fx.staff({ role: 'auditor' });
  assertStatus(await srv.api('GET', '/audit/verify', { token: await fx.staffToken(auditor) }), 200, 'auditor');
  const counter = await fx.staff({ role: 'counter', branch: A });
  assertError(await srv.api('GET', '/audit/verify', { token: await fx.staffToken(counter) }), 403, 'FORBIDDEN', 'counter');
});

test('`bookstamp audit verify` exits 0 against the running server\'s data', async () => {
  const r = await runCli(['audit', 'verify', '--data', srv.dataDir]);
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
});

test('`bookstamp ledger verify` exits 0 against the running server\'s data', async () => {
  const r = await runCli(['ledger', 'verify', '--data', srv.dataDir]);
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
});

test('a changed audit row is found: `bookstamp audit verify` exits non-zero naming entry 3', async () => {
  await srv.stop({ keepData: true });
  const original = await sqlite(srv.dbPath, 'SELECT details FROM audit_log WHERE seq=3;');
  assert.notEqual(original.stdout.trim(), '{}', 'entry 3 must have details to change');
  const t = await sqlite(srv.dbPath, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET details='{}' WHERE seq=3;");
  assert.equal(t.code, 0, `sqlite3: ${t.stderr}`);
  const check = await sqlite(srv.dbPath, 'SELECT details FROM audit_log WHERE seq=3;');
  assert.equal(check.stdout.trim(), '{}');

  const r = await runCli(['audit', 'verify', '--data', srv.dataDir]);
  assert.notEqual(r.code, 0, `audit verify should fail:\n${r.stdout}\n${r.stderr}`);
  assert.match(`${r.stdout}\n${r.stderr}`, /\b3\b/, 'the output names entry 3');
  assert.match(`${r.stdout}\n${r.stderr}`, /entry 3\b/);
});
