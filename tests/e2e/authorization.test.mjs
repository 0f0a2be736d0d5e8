// Roles and branch scope (API.md "Staff"), duplicates (ALREADY_EXISTS) and lookups named in a
// body (404 with the specific code).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Fixture, assertError, assertStatus, at, uniq } from './lib/server.mjs';

let srv;
let fx;
let A;
let B;
before(async () => {
  srv = await startServer();
  fx = new Fixture(srv);
  await fx.setClock(at('2026-03-02'));
  A = await fx.branch();
  B = await fx.branch();
});
after(async () => { await srv?.stop(); });

test('a counter member of branch A checking out at branch B answers 403 FORBIDDEN', async () => {
  const counter = await fx.staff({ role: 'counter', branch: A });
  const token = await fx.staffToken(counter);
  const p = await fx.patron();
  const bib = await fx.bib({ items: [{ branch: B }, { branch: A }] });
  assertError(await fx.checkoutRaw(p.card, bib.barcodes[0], B, token), 403, 'FORBIDDEN', 'counter@A checks out at B');
  // The same member may act at their own branch.
  const ok = await fx.checkoutRaw(p.card, bib.barcodes[1], A, token);
  assertStatus(ok, 201, 'counter@A checks out at A');
  assertError(await fx.checkinRaw(bib.barcodes[1], B, token), 403, 'FORBIDDEN', 'counter@A checks in at B');
});

test('a counter member cannot create a branch (403 FORBIDDEN)', async () => {
  const counter = await fx.staff({ role: 'counter', branch: A });
  const r = await srv.api('POST', '/branches', {
    token: await fx.staffToken(counter), body: { code: uniq('X'), name: 'x', mobile_checkout: false },
  });
  assertError(r, 403, 'FORBIDDEN', 'counter POST /branches');
});

test('an auditor cannot check out (403 FORBIDDEN)', async () => {
  const auditor = await fx.staff({ role: 'auditor' });
  const p = await fx.patron();
  const bib = await fx.bib({ items: [{ branch: A }] });
  assertError(await fx.checkoutRaw(p.card, bib.barcodes[0], A, await fx.staffToken(auditor)), 403, 'FORBIDDEN');
});

test('only a sysadmin creates staff; the new member can log in with their role and branch', async () => {
  const username = uniq('clerk');
  const r = await srv.api('POST', '/staff', {
    token: await fx.admin(), body: { username, password: 'clerkpass1', role: 'branch_admin', branch: A },
  });
  assertStatus(r, 201, 'sysadmin POST /staff');
  const s = await srv.api('POST', '/staff/session', { body: { username, password: 'clerkpass1' } });
  assertStatus(s, 201, 'new staff logs in');
  assert.equal(s.body.staff.role, 'branch_admin');
  assert.equal(s.body.staff.branch, A);

  const other = await srv.api('POST', '/staff', {
    token: s.body.token, body: { username: uniq('x'), password: 'clerkpass1', role: 'counter', branch: A },
  });
  assertError(other, 403, 'FORBIDDEN', 'branch_admin POST /staff');
});

test('a duplicate branch code answers 409 ALREADY_EXISTS', async () => {
  const r = await srv.api('POST', '/branches', { token: await fx.admin(), body: { code: A, name: 'again', mobile_checkout: false } });
  assertError(r, 409, 'ALREADY_EXISTS', 'POST /branches twice');
});

test('a duplicate item barcode answers 409 ALREADY_EXISTS', async () => {
  const bib = await fx.bib({ items: [{ branch: A }] });
  const r = await srv.api('POST', '/bibs', {
    token: await fx.admin(),
    body: { title: 'Another book', author: 'x', publisher: 'x', year: 2020, isbn: '', class_no: '',
      items: [{ barcode: bib.barcodes[0], branch: A }] },
  });
  assertError(r, 409, 'ALREADY_EXISTS', 'POST /bibs with a taken barcode');
});

test('a duplicate card number or username answers 409 ALREADY_EXISTS', async () => {
  const p = await fx.patron();
  const again = await srv.api('POST', '/patrons', {
    token: await fx.admin(), body: { name: 'x', email: 'x@example.org', card: { card: p.card, type: 'personal', pin: '1234' } },
  });
  assertError(again, 409, 'ALREADY_EXISTS', 'POST /patrons with a taken card');
  const st = await fx.staff({ role: 'counter', branch: A });
  const dup = await srv.api('POST', '/staff', {
    token: await fx.admin(), body: { username: st.username, password: 'staffpass1', role: 'counter', branch: A },
  });
  assertError(dup, 409, 'ALREADY_EXISTS', 'POST /staff with a taken username');
});

test('an unknown branch in a checkout answers 404 BRANCH_NOT_FOUND', async () => {
  const p = await fx.patron();
  const bib = await fx.bib({ items: [{ branch: A }] });
  assertError(await fx.checkoutRaw(p.card, bib.barcodes[0], 'NOSUCHBRANCH'), 404, 'BRANCH_NOT_FOUND');
});

test('an unknown card in a checkout answers 404 CARD_NOT_FOUND', async () => {
  const bib = await fx.bib({ items: [{ branch: A }] });
  assertError(await fx.checkoutRaw('NOSUCHCARD', bib.barcodes[0], A), 404, 'CARD_NOT_FOUND');
});

test('an unknown item in a checkout answers 404 ITEM_NOT_FOUND', async () => {
  const p = await fx.patron();
  assertError(await fx.checkoutRaw(p.card, 'NOSUCHITEM', A), 404, 'ITEM_NOT_FOUND');
  assertError(await fx.checkinRaw('NOSUCHITEM', A), 404, 'ITEM_NOT_FOUND', 'checkin');
});
