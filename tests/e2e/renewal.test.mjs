// Renewal (RULES.md "Renewal"): new due date, the limit, reserved titles, overdue loans, the
// patron's own renew button and the refusal shown beside it.
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

test('staff renewal answers 200: due on renewal day + 28, renewals 1', async () => {
  const day = '2026-03-02';
  await fx.setClock(at(day));
  const p = await fx.patron();
  const bib = await fx.bib({ items: [{ branch: A }] });
  await fx.checkout(p.card, bib.barcodes[0], A);
  const renewDay = addDays(day, 10);
  await fx.setClock(at(renewDay));
  const r = await fx.renewRaw(bib.barcodes[0]);
  assertStatus(r, 200, 'POST /circulation/renew');
  assert.equal(r.body.loan.due_on, addDays(renewDay, 28));
  assert.equal(r.body.loan.renewals, 1);
  const [loan] = await fx.loans(p);
  assert.equal(loan.due_on, addDays(renewDay, 28));
  assert.equal(loan.renewals, 1);
});

test('a second renewal answers 409 RENEWAL_LIMIT and the loan shows renew_refusal RENEWAL_LIMIT', async () => {
  await fx.setClock(at('2026-04-06'));
  const p = await fx.patron();
  const bib = await fx.bib({ items: [{ branch: A }] });
  await fx.checkout(p.card, bib.barcodes[0], A);
  let [loan] = await fx.loans(p);
  assert.equal(loan.renewable, true);
  assert.equal(loan.renew_refusal, null);
  assertStatus(await fx.renewRaw(bib.barcodes[0]), 200, 'first renewal');
  assertError(await fx.renewRaw(bib.barcodes[0]), 409, 'RENEWAL_LIMIT', 'second renewal');
  [loan] = await fx.loans(p);
  assert.equal(loan.renewable, false);
  assert.equal(loan.renew_refusal, 'RENEWAL_LIMIT');
});

test('a loan whose title another card waits for answers 409 TITLE_RESERVED', async () => {
  await fx.setClock(at('2026-05-04'));
  const p = await fx.patron();
  const waiter = await fx.patron();
  const bib = await fx.bib({ items: [{ branch: A }] });
  await fx.checkout(p.card, bib.barcodes[0], A);
  await fx.placeHold(waiter, bib.bib_id, A);
  assertError(await fx.renewRaw(bib.barcodes[0]), 409, 'TITLE_RESERVED');
  const [loan] = await fx.loans(p);
  assert.equal(loan.renewable, false);
  assert.equal(loan.renew_refusal, 'TITLE_RESERVED');
});

test('an overdue loan answers 409 LOAN_OVERDUE', async () => {
  const day = '2026-06-01';
  await fx.setClock(at(day));
  const p = await fx.patron();
  const bib = await fx.bib({ items: [{ branch: A }] });
  await fx.checkout(p.card, bib.barcodes[0], A);
  await fx.setClock(at(addDays(day, 29)));
  assertError(await fx.renewRaw(bib.barcodes[0]), 409, 'LOAN_OVERDUE');
  const [loan] = await fx.loans(p);
  assert.equal(loan.overdue_days, 1);
  assert.equal(loan.renewable, false);
  assert.equal(loan.renew_refusal, 'LOAN_OVERDUE');
  const own = await srv.api('POST', `/cards/${p.card}/loans/${loan.id}/renew`, { token: await fx.patronToken(p) });
  assertError(own, 409, 'LOAN_OVERDUE', 'patron renews an overdue loan');
});

test('the renewal limit is checked before a waiting hold (RENEWAL_LIMIT before TITLE_RESERVED)', async () => {
  await fx.setClock(at('2026-08-03'));
  const p = await fx.patron();
  const waiter = await fx.patron();
  const bib = await fx.bib({ items: [{ branch: A }] });
  await fx.checkout(p.card, bib.barcodes[0], A);
  assertStatus(await fx.renewRaw(bib.barcodes[0]), 200);
  await fx.placeHold(waiter, bib.bib_id, A);
  assertError(await fx.renewRaw(bib.barcodes[0]), 409, 'RENEWAL_LIMIT');
});

test('a patron renews their own loan: POST /cards/{card}/loans/{id}/renew answers 200 {loan}', async () => {
  const day = '2026-09-07';
  await fx.setClock(at(day));
  const p = await fx.patron();
  const bib = await fx.bib({ title: '續借的書', items: [{ branch: A }] });
  await fx.checkout(p.card, bib.barcodes[0], A);
  const renewDay = addDays(day, 20);
  await fx.setClock(at(renewDay));
  const [loan] = await fx.loans(p);
  for (const k of ['id', 'item_barcode', 'bib_id', 'title', 'branch', 'checked_out_at', 'due_on', 'overdue_days',
    'renewals', 'renewable', 'renew_refusal']) assert.ok(k in loan, `loan has ${k}: ${JSON.stringify(loan)}`);
  assert.equal(loan.title, '續借的書');
  assert.equal(loan.bib_id, bib.bib_id);
  assert.equal(loan.branch, A);
  assert.equal(loan.overdue_days, 0);
  const r = await srv.api('POST', `/cards/${p.card}/loans/${loan.id}/renew`, { token: await fx.patronToken(p) });
  assertStatus(r, 200, 'patron renew');
  assert.equal(r.body.loan.id, loan.id);
  assert.equal(r.body.loan.due_on, addDays(renewDay, 28));
  assert.equal(r.body.loan.renewals, 1);
  const again = await srv.api('POST', `/cards/${p.card}/loans/${loan.id}/renew`, { token: await fx.patronToken(p) });
  assertError(again, 409, 'RENEWAL_LIMIT', 'patron renews twice');
});

test("a patron cannot renew another card's loan (404)", async () => {
  await fx.setClock(at('2026-10-05'));
  const owner = await fx.patron();
  const me = await fx.patron();
  const bib = await fx.bib({ items: [{ branch: A }] });
  await fx.checkout(owner.card, bib.barcodes[0], A);
  const [loan] = await fx.loans(owner);
  const viaTheirCard = await srv.api('POST', `/cards/${owner.card}/loans/${loan.id}/renew`, { token: await fx.patronToken(me) });
  assert.equal(viaTheirCard.status, 404, viaTheirCard.text);
  const viaMyCard = await srv.api('POST', `/cards/${me.card}/loans/${loan.id}/renew`, { token: await fx.patronToken(me) });
  assert.equal(viaMyCard.status, 404, viaMyCard.text);
  assert.equal((await fx.loans(owner))[0].renewals, 0);
});
