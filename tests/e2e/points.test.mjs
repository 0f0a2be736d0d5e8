// Points at checkout (RULES.md "Points"): one per loan, the no-credit reasons in order, caps,
// renewals earning nothing, and the passbook.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Fixture, assertError, assertStatus, at, addDays } from './lib/server.mjs';

let srv;
let fx;
let A;
before(async () => {
  srv = await startServer();
  fx = new Fixture(srv);
  await fx.setClock(at('2026-03-02'));
  A = await fx.branch();
});
after(async () => { await srv?.stop(); });

async function passbook(p) {
  return assertStatus(await srv.api('GET', `/cards/${p.card}/passbook`, { token: await fx.patronToken(p) }), 200, 'passbook');
}

test('the same title twice the same day earns once: SAME_TITLE_TODAY', async () => {
  await fx.setClock(at('2026-03-02', '10:00'));
  const p = await fx.patron();
  const bib = await fx.bib({ items: [{ branch: A }, { branch: A }] });
  const first = await fx.checkout(p.card, bib.barcodes[0], A);
  assert.equal(first.points_credited, 1);
  assert.equal(first.points_reason, null);
  await fx.checkin(bib.barcodes[0], A);
  const second = await fx.checkout(p.card, bib.barcodes[1], A);
  assert.equal(second.points_credited, 0);
  assert.equal(second.points_reason, 'SAME_TITLE_TODAY');
  assert.equal(second.balance, 1);
  assert.ok(second.loan.id, 'the loan still happens');
});

test('"today" is the library\'s day (Asia/Taipei): the same title after local midnight earns again', async () => {
  await fx.setClock('2026-03-03T23:50:00+08:00');
  const p = await fx.patron();
  const bib = await fx.bib({ items: [{ branch: A }, { branch: A }] });
  assert.equal((await fx.checkout(p.card, bib.barcodes[0], A)).points_credited, 1);
  await fx.checkin(bib.barcodes[0], A);
  // 00:10 in Taipei is still 2026-03-03 in UTC.
  await fx.setClock('2026-03-04T00:10:00+08:00');
  const again = await fx.checkout(p.card, bib.barcodes[1], A);
  assert.equal(again.points_credited, 1);
  assert.equal(again.points_reason, null);
  assert.equal(again.balance, 2);
  assert.equal(again.loan.due_on, '2026-04-01');
});

test('an attachment earns nothing: ITEM_TYPE_NO_POINTS', async () => {
  await fx.setClock(at('2026-03-05'));
  const p = await fx.patron();
  const bib = await fx.bib({ items: [{ branch: A, item_type: 'attachment' }] });
  const out = await fx.checkout(p.card, bib.barcodes[0], A);
  assert.equal(out.points_credited, 0);
  assert.equal(out.points_reason, 'ITEM_TYPE_NO_POINTS');
  assert.equal(out.balance, 0);
});

test('a group card earns nothing: CARD_TYPE_NO_POINTS (checked before the item type)', async () => {
  await fx.setClock(at('2026-03-06'));
  const g = await fx.patron({ type: 'group' });
  const bib = await fx.bib({ items: [{ branch: A }] });
  const out = await fx.checkout(g.card, bib.barcodes[0], A);
  assert.equal(out.points_credited, 0);
  assert.equal(out.points_reason, 'CARD_TYPE_NO_POINTS');
  assert.equal(out.balance, 0);
  assert.equal(out.loan.due_on, addDays('2026-03-06', 60), 'group cards borrow for 60 days');
  const att = await fx.bib({ items: [{ branch: A, item_type: 'attachment' }] });
  assert.equal((await fx.checkout(g.card, att.barcodes[0], A)).points_reason, 'CARD_TYPE_NO_POINTS');
});

test('a daily cap of 2: the third loan that day earns nothing (DAILY_CAP), the next day earns again', async () => {
  await fx.setClock(at('2026-03-09'));
  const p = await fx.patron();
  const bibs = await Promise.all([1, 2, 3, 4].map(() => fx.bib({ items: [{ branch: A }] })));
  await fx.patchPolicy({ points: { daily_cap: 2 } });
  try {
    const got = [];
    for (const b of bibs.slice(0, 3)) {
      const out = await fx.checkout(p.card, b.barcodes[0], A);
      got.push([out.points_credited, out.points_reason, out.balance]);
    }
    assert.deepEqual(got, [[1, null, 1], [1, null, 2], [0, 'DAILY_CAP', 2]]);
    await fx.setClock(at('2026-03-10'));
    const next = await fx.checkout(p.card, bibs[3].barcodes[0], A);
    assert.deepEqual([next.points_credited, next.points_reason, next.balance], [1, null, 3]);
  } finally {
    await fx.patchPolicy({ points: { daily_cap: 0 } });
  }
});

test('renewals earn nothing', async () => {
  await fx.setClock(at('2026-03-11'));
  const p = await fx.patron();
  const bib = await fx.bib({ items: [{ branch: A }] });
  await fx.checkout(p.card, bib.barcodes[0], A);
  await fx.setClock(at('2026-03-12'));
  assertStatus(await fx.renewRaw(bib.barcodes[0]), 200, 'staff renew');
  const pb = await passbook(p);
  assert.deepEqual(pb, { ...pb, balance: 1, lifetime_earned: 1 });
});

test('GET /cards/{card}/passbook answers balance, lifetime_earned and pending_redemptions as integers', async () => {
  await fx.setClock(at('2026-03-13'));
  const p = await fx.patron();
  const empty = await passbook(p);
  assert.equal(empty.balance, 0);
  assert.equal(empty.lifetime_earned, 0);
  assert.equal(empty.pending_redemptions, 0);
  const bib = await fx.bib({ items: [{ branch: A }] });
  await fx.checkout(p.card, bib.barcodes[0], A);
  const pb = await passbook(p);
  for (const k of ['balance', 'lifetime_earned', 'pending_redemptions']) assert.ok(Number.isInteger(pb[k]), `${k}: ${pb[k]}`);
  assert.equal(pb.balance, 1);
  assert.equal(pb.lifetime_earned, 1);
});

test('passbook entries of a month: earned, spent and the loan entries newest first', async () => {
  const p = await fx.patron();
  const one = await fx.bib({ title: '第一本書', items: [{ branch: A }] });
  const two = await fx.bib({ title: '第二本書', items: [{ branch: A }] });
  await fx.setClock('2026-03-16T09:15:00+08:00');
  await fx.checkout(p.card, one.barcodes[0], A);
  await fx.setClock('2026-03-17T14:30:00+08:00');
  await fx.checkout(p.card, two.barcodes[0], A);

  const token = await fx.patronToken(p);
  const r = await srv.api('GET', `/cards/${p.card}/passbook/entries?year=2026&month=3`, { token });
  assertStatus(r, 200, 'passbook entries');
  assert.equal(r.body.earned, 2);
  assert.equal(r.body.spent, 0);
  assert.equal(r.body.entries.length, 2);
  const [newest, oldest] = r.body.entries;
  assert.equal(newest.kind, 'loan');
  assert.equal(newest.delta, 1);
  assert.equal(newest.balance_after, 2);
  assert.match(newest.description, /第二本書/);
  assert.equal(newest.branch, A);
  assert.equal(Date.parse(newest.at), Date.parse('2026-03-17T14:30:00+08:00'));
  assert.match(newest.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
  assert.ok(newest.id !== undefined && newest.id !== oldest.id);
  assert.equal(oldest.balance_after, 1);
  assert.match(oldest.description, /第一本書/);

  const en = await srv.api('GET', `/cards/${p.card}/passbook/entries?year=2026&month=3`, { token, headers: { 'Accept-Language': 'en' } });
  assert.match(en.body.entries[0].description, /第二本書/, 'the title is in the English description too');

  const whole = assertStatus(await srv.api('GET', `/cards/${p.card}/passbook/entries?year=2026`, { token }), 200);
  assert.equal(whole.entries.length, 2);
  const other = assertStatus(await srv.api('GET', `/cards/${p.card}/passbook/entries?year=2026&month=2`, { token }), 200);
  assert.deepEqual(other, { earned: 0, spent: 0, entries: [] });
});

test('passbook entries without a year answer 400 naming "year"', async () => {
  const p = await fx.patron();
  const r = await srv.api('GET', `/cards/${p.card}/passbook/entries?month=3`, { token: await fx.patronToken(p) });
  assertError(r, 400, 'VALIDATION_FAILED');
  assert.equal(r.body.error.field, 'year');
});
