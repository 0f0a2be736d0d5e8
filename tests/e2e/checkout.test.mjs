// Checkout refusals in the order of RULES.md "Checkout", each with its exact code, and phone
// (mobile) checkout.
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

// CARD_NOT_ACTIVE (rule 1b) is not reachable through the API yet: no endpoint marks a card lost,
// expired or blocked in this build.

test('a card with an overdue loan not yet returned is refused: 409 OVERDUE_ITEMS', async () => {
  const day = '2026-03-02';
  await fx.setClock(at(day));
  const p = await fx.patron();
  const late = await fx.bib({ items: [{ branch: A }] });
  const next = await fx.bib({ items: [{ branch: A }] });
  const out = await fx.checkout(p.card, late.barcodes[0], A);
  assert.equal(out.loan.due_on, addDays(day, 28));
  // On the due date itself the loan is not overdue yet.
  await fx.setClock(at(addDays(day, 28), '23:00'));
  await fx.checkout(p.card, next.barcodes[0], A);
  await fx.checkin(next.barcodes[0], A);
  // The day after it is.
  await fx.setClock(at(addDays(day, 29)));
  assertError(await fx.checkoutRaw(p.card, next.barcodes[0], A), 409, 'OVERDUE_ITEMS');
  const [loan] = await fx.loans(p);
  assert.equal(loan.overdue_days, 1);
});

test('borrowing suspension is checked before overdue loans (BORROW_SUSPENDED first)', async () => {
  const day = '2026-04-06';
  await fx.setClock(at(day));
  const p = await fx.patron();
  const one = await fx.bib({ items: [{ branch: A }] });
  const two = await fx.bib({ items: [{ branch: A }] });
  const next = await fx.bib({ items: [{ branch: A }] });
  await fx.checkout(p.card, one.barcodes[0], A);
  await fx.checkout(p.card, two.barcodes[0], A);
  await fx.setClock(at(addDays(day, 28 + 3)));
  assert.equal((await fx.checkin(one.barcodes[0], A)).suspension_days_added, 3);
  // Suspended and still holding an overdue loan: the suspension is the answer.
  assertError(await fx.checkoutRaw(p.card, next.barcodes[0], A), 409, 'BORROW_SUSPENDED');
});

test('a card at its type\'s loan limit is refused: 409 LOAN_LIMIT_REACHED', async () => {
  await fx.setClock(at('2026-05-11'));
  const p = await fx.patron();
  const bibs = await Promise.all([1, 2, 3].map(() => fx.bib({ items: [{ branch: A }] })));
  await fx.patchPolicy({ card_types: { personal: { max_loans: 2 } } });
  try {
    await fx.checkout(p.card, bibs[0].barcodes[0], A);
    await fx.checkout(p.card, bibs[1].barcodes[0], A);
    assertError(await fx.checkoutRaw(p.card, bibs[2].barcodes[0], A), 409, 'LOAN_LIMIT_REACHED');
    // The limit (rule 4) comes before the item checks (rule 5).
    assertError(await fx.checkoutRaw(p.card, 'NOSUCHITEM', A), 409, 'LOAN_LIMIT_REACHED', 'limit before unknown item');
    // Another card type keeps its own limit.
    const fam = await fx.patron({ type: 'family' });
    await fx.checkout(fam.card, bibs[2].barcodes[0], A);
  } finally {
    await fx.patchPolicy({ card_types: { personal: { max_loans: 10 } } });
  }
  const policy = assertStatus(await srv.api('GET', '/policy', { token: await fx.admin() }), 200);
  assert.equal(policy.policy.card_types.personal.max_loans, 10);
});

test('an item that is not loanable is refused: 409 ITEM_NOT_LOANABLE', async () => {
  await fx.setClock(at('2026-05-12'));
  const p = await fx.patron();
  const ref = await fx.bib({ items: [{ branch: A, loanable: false }] });
  assertError(await fx.checkoutRaw(p.card, ref.barcodes[0], A), 409, 'ITEM_NOT_LOANABLE');
});

test('an item already on loan is refused: 409 ITEM_ON_LOAN', async () => {
  await fx.setClock(at('2026-05-13'));
  const holder = await fx.patron();
  const p = await fx.patron();
  const bib = await fx.bib({ items: [{ branch: A }] });
  await fx.checkout(holder.card, bib.barcodes[0], A);
  assertError(await fx.checkoutRaw(p.card, bib.barcodes[0], A), 409, 'ITEM_ON_LOAN', 'another card');
  assertError(await fx.checkoutRaw(holder.card, bib.barcodes[0], A), 409, 'ITEM_ON_LOAN', 'the same card again');
});

test('phone checkout at a branch with phone checkout off is refused: 409 MOBILE_CHECKOUT_DISABLED', async () => {
  await fx.setClock(at('2026-05-14'));
  const off = await fx.branch({ mobile_checkout: false });
  const p = await fx.patron();
  const bib = await fx.bib({ items: [{ branch: off }] });
  const r = await srv.api('POST', `/cards/${p.card}/mobile-checkout`, {
    token: await fx.patronToken(p), body: { item_barcode: bib.barcodes[0], branch: off },
  });
  assertError(r, 409, 'MOBILE_CHECKOUT_DISABLED');
});

test('phone checkout of an item on another branch\'s shelf is refused: 409 ITEM_NOT_AT_BRANCH', async () => {
  await fx.setClock(at('2026-05-15'));
  const on = await fx.branch({ mobile_checkout: true });
  const elsewhere = await fx.branch();
  const p = await fx.patron();
  const bib = await fx.bib({ items: [{ branch: elsewhere }] });
  const r = await srv.api('POST', `/cards/${p.card}/mobile-checkout`, {
    token: await fx.patronToken(p), body: { item_barcode: bib.barcodes[0], branch: on },
  });
  assertError(r, 409, 'ITEM_NOT_AT_BRANCH');
});

test('a phone checkout at a branch that allows it answers 201 like a staff checkout, with points', async () => {
  const day = '2026-05-18';
  await fx.setClock(at(day));
  const on = await fx.branch({ mobile_checkout: true });
  const p = await fx.patron();
  const bib = await fx.bib({ items: [{ branch: on }] });
  const r = await srv.api('POST', `/cards/${p.card}/mobile-checkout`, {
    token: await fx.patronToken(p), body: { item_barcode: bib.barcodes[0], branch: on },
  });
  assertStatus(r, 201, 'mobile checkout');
  assert.equal(r.body.loan.due_on, addDays(day, 28));
  assert.equal(r.body.points_credited, 1);
  assert.equal(r.body.points_reason, null);
  assert.equal(r.body.balance, 1);
  assert.equal(r.body.hold_fulfilled, null);
  const loans = await fx.loans(p);
  assert.deepEqual(loans.map((l) => l.item_barcode), [bib.barcodes[0]]);
});

test('a patron cannot phone-check-out on a card of another account (404)', async () => {
  await fx.setClock(at('2026-05-19'));
  const on = await fx.branch({ mobile_checkout: true });
  const me = await fx.patron();
  const them = await fx.patron();
  const bib = await fx.bib({ items: [{ branch: on }] });
  const r = await srv.api('POST', `/cards/${them.card}/mobile-checkout`, {
    token: await fx.patronToken(me), body: { item_barcode: bib.barcodes[0], branch: on },
  });
  assert.equal(r.status, 404, r.text);
});
