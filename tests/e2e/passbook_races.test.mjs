// Races with real concurrent HTTP requests (RULES.md "Under any concurrency, stock never goes below
// zero and no card exceeds its limit or its balance"; API.md Idempotency-Key): every request of a
// race is in flight at once (Promise.all over fetch, which opens a socket per request in flight).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Fixture, assertError, assertStatus, runCli, uniq } from './lib/server.mjs';
import { Clock, Passbook, assertEntriesAddUp } from './lib/passbook.mjs';

let srv;
let fx;
let pb;
let clock;
let A;
let adminA;
let counterA;
let counterA2;

before(async () => {
  srv = await startServer();
  fx = new Fixture(srv);
  pb = new Passbook(fx);
  clock = new Clock(fx);
  await clock.jump('2026-06-01T10:00:00+08:00');
  A = await fx.branch();
  adminA = await fx.staff({ role: 'branch_admin', branch: A });
  counterA = await fx.staff({ role: 'counter', branch: A });
  counterA2 = await fx.staff({ role: 'counter', branch: A });
});
after(async () => { await srv?.stop(); });

const tok = (st) => fx.staffToken(st);

// n patrons, logged in (tokens cached), so a race sends nothing but its own requests.
async function patrons(n, opts) {
  const list = await Promise.all(Array.from({ length: n }, () => fx.patron(opts)));
  await Promise.all(list.map((p) => fx.patronToken(p)));
  return list;
}

function tally(responses) {
  const out = {};
  for (const r of responses) {
    const k = r.status === 409 || r.status === 400 || r.status === 404 ? `${r.status} ${r.body?.error?.code}` : String(r.status);
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

async function assertCardAddsUp(p) {
  const book = await pb.passbook(p);
  const year = await pb.entries(p, 2026);
  assertEntriesAddUp(year.entries, book.balance, p.card);
  assert.ok(book.balance >= 0);
  return book.balance;
}

test('(a) 40 cards redeem a prize with stock 10 at once: exactly 10 × 201 and 30 × 409 OUT_OF_STOCK; stock_left 0; balances add up', async () => {
  const cards = await patrons(40);
  await pb.earn(cards, 2, A);
  const prize = await pb.createPrize(await tok(adminA), { branch: A, name: '限量十份', cost: 2, stock: 10 });
  const answers = await Promise.all(cards.map((p) => pb.redeemRaw(p, prize.id)));
  assert.deepEqual(tally(answers), { 201: 10, '409 OUT_OF_STOCK': 30 }, JSON.stringify(tally(answers)));
  assert.equal((await pb.prizeListed(prize.id)).stock_left, 0);
  const ids = new Set(answers.filter((r) => r.status === 201).map((r) => r.body.redemption.id));
  assert.equal(ids.size, 10, 'ten distinct redemptions');
  const balances = await Promise.all(cards.map(assertCardAddsUp));
  for (const [i, r] of answers.entries()) assert.equal(balances[i], r.status === 201 ? 0 : 2, `card ${cards[i].card}`);
  const cli = await runCli(['ledger', 'verify', '--data', srv.dataDir]);
  assert.equal(cli.code, 0, `${cli.stdout}\n${cli.stderr}`);
});

test('(b) two counter staff complete the same code at once: exactly one 200 and one 409 CODE_USED (five times over)', async () => {
  const [p] = await patrons(1);
  await pb.earn(p, 5, A);
  const prize = await pb.createPrize(await tok(adminA), { branch: A, cost: 1, stock: 10 });
  const [ta, ta2] = [await tok(counterA), await tok(counterA2)];
  for (let i = 0; i < 5; i++) {
    const red = await pb.redeem(p, prize.id);
    const answers = await Promise.all([pb.completeRaw(ta, red.id, red.code), pb.completeRaw(ta2, red.id, red.code)]);
    assert.deepEqual(tally(answers), { 200: 1, '409 CODE_USED': 1 }, `round ${i}: ${answers.map((r) => r.text).join(' | ')}`);
    assert.equal((await pb.redemption(p, red.id)).status, 'completed');
  }
  assert.equal(await assertCardAddsUp(p), 0, 'five completed, each debited once');
  assert.equal((await pb.prizeListed(prize.id)).stock_left, 5);
});

test('(c) the same checkout sent twice at once with one Idempotency-Key: the same answer, one loan, one point; another body → 409 IDEMPOTENCY_KEY_REUSED', async () => {
  const [p] = await patrons(1);
  const bib = await fx.bib({ items: [{ branch: A }, { branch: A }] });
  const token = await tok(counterA);
  const key = uniq('idem-');
  const send = (barcode) => srv.api('POST', '/circulation/checkout', {
    token, headers: { 'Idempotency-Key': key }, body: { card: p.card, item_barcode: barcode, branch: A },
  });
  const [one, two] = await Promise.all([send(bib.barcodes[0]), send(bib.barcodes[0])]);
  assert.equal(one.status, 201, one.text);
  assert.equal(two.status, one.status);
  assert.deepEqual(two.body, one.body);
  assert.equal(one.body.points_credited, 1);
  const loans = await fx.loans(p);
  assert.equal(loans.length, 1, `one loan: ${JSON.stringify(loans)}`);
  assert.equal(loans[0].id, one.body.loan.id);
  const book = await pb.passbook(p);
  assert.equal(book.balance, 1, 'one point');
  assert.equal(book.lifetime_earned, 1);
  assert.equal((await pb.entries(p, 2026, 6)).entries.length, 1);

  const replay = await send(bib.barcodes[0]);
  assert.equal(replay.status, 201);
  assert.deepEqual(replay.body, one.body, 'a later replay answers the first body');
  assertError(await send(bib.barcodes[1]), 409, 'IDEMPOTENCY_KEY_REUSED', 'the same key, another item');
  assert.equal((await fx.loans(p)).length, 1);

  // Six at once with a fresh key: still one loan.
  const bib2 = await fx.bib({ items: [{ branch: A }] });
  const key2 = uniq('idem-');
  const six = await Promise.all(Array.from({ length: 6 }, () => srv.api('POST', '/circulation/checkout', {
    token, headers: { 'Idempotency-Key': key2 }, body: { card: p.card, item_barcode: bib2.barcodes[0], branch: A },
  })));
  for (const r of six) {
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.body, six[0].body);
  }
  assert.equal((await fx.loans(p)).length, 2);
  assert.equal(await assertCardAddsUp(p), 2);
});

test('(c2) an app redemption sent three times at once with one Idempotency-Key: one redemption, one debit', async () => {
  const [p] = await patrons(1);
  await pb.earn(p, 3, A);
  const prize = await pb.createPrize(await tok(adminA), { branch: A, cost: 1, stock: 10 });
  const key = uniq('idem-');
  const answers = await Promise.all([0, 1, 2].map(() => pb.redeemRaw(p, prize.id, { 'Idempotency-Key': key })));
  for (const r of answers) {
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.body, answers[0].body);
  }
  assert.equal((await pb.redemptions(p)).length, 1);
  assert.equal(await assertCardAddsUp(p), 2);
  assert.equal((await pb.prizeListed(prize.id)).stock_left, 9);
});

test('(c3) an Idempotency-Key is scoped to the caller; an error answer is replayed as it was', async () => {
  const [p, q] = await patrons(2);
  const bib = await fx.bib({ items: [{ branch: A }] });
  const [ta, ta2] = [await tok(counterA), await tok(counterA2)];
  const key = uniq('idem-');
  const body = { card: p.card, item_barcode: bib.barcodes[0], branch: A };
  const first = await srv.api('POST', '/circulation/checkout', { token: ta, headers: { 'Idempotency-Key': key }, body });
  assertStatus(first, 201, 'counter A checks out');
  const other = await srv.api('POST', '/circulation/checkout', { token: ta2, headers: { 'Idempotency-Key': key }, body });
  assertError(other, 409, 'ITEM_ON_LOAN', 'the same key and body from another staff member runs anew');

  // A refusal is remembered: after the item is back, the replay still answers ITEM_ON_LOAN.
  const key2 = uniq('idem-');
  const refused = await srv.api('POST', '/circulation/checkout', {
    token: ta, headers: { 'Idempotency-Key': key2 }, body: { card: q.card, item_barcode: bib.barcodes[0], branch: A },
  });
  assertError(refused, 409, 'ITEM_ON_LOAN', 'first answer');
  await fx.checkin(bib.barcodes[0], A);
  const replay = await srv.api('POST', '/circulation/checkout', {
    token: ta, headers: { 'Idempotency-Key': key2 }, body: { card: q.card, item_barcode: bib.barcodes[0], branch: A },
  });
  assertError(replay, 409, 'ITEM_ON_LOAN', 'the replay answers the first answer');
  assert.deepEqual(replay.body, refused.body);
  assert.equal((await fx.loans(q)).length, 0);
});

test('(d) one card racing 10 redemptions of a prize with per_card_limit 2: exactly 2 succeed', async () => {
  const [p] = await patrons(1);
  await pb.earn(p, 10, A);
  const prize = await pb.createPrize(await tok(adminA), { branch: A, cost: 1, stock: 100, per_card_limit: 2 });
  const answers = await Promise.all(Array.from({ length: 10 }, () => pb.redeemRaw(p, prize.id)));
  assert.deepEqual(tally(answers), { 201: 2, '409 LIMIT_REACHED': 8 });
  assert.equal(await assertCardAddsUp(p), 8);
  assert.equal((await pb.prizeListed(prize.id)).stock_left, 98);

  // The same at the counter, by card number.
  const [q] = await patrons(1);
  await pb.earn(q, 10, A);
  const [ta, ta2] = [await tok(counterA), await tok(counterA2)];
  const counter = await Promise.all(Array.from({ length: 10 }, (_, i) => pb.counterRedeemRaw(i % 2 ? ta : ta2, q.card, prize.id)));
  assert.deepEqual(tally(counter), { 201: 2, '409 LIMIT_REACHED': 8 });
  assert.equal(await assertCardAddsUp(q), 8);
});

test('(e) one card with balance 3 racing 5 redemptions of a cost-1 prize: exactly 3 succeed, balance 0, never negative', async () => {
  const [p] = await patrons(1);
  assert.equal(await pb.earn(p, 3, A), 3);
  const prize = await pb.createPrize(await tok(adminA), { branch: A, cost: 1, stock: 100 });
  const answers = await Promise.all(Array.from({ length: 5 }, () => pb.redeemRaw(p, prize.id)));
  assert.deepEqual(tally(answers), { 201: 3, '409 INSUFFICIENT_POINTS': 2 });
  assert.equal(await assertCardAddsUp(p), 0);
  for (const e of (await pb.entries(p, 2026)).entries) assert.ok(e.balance_after >= 0, `entry ${e.id}: ${e.balance_after}`);
  assert.equal((await pb.prizeListed(prize.id)).stock_left, 97);
});

test('(f) 20 cards claim an event with capacity 5 at once: exactly 5 credited, 15 × 409 EVENT_FULL', async () => {
  await clock.set('2026-06-01T11:45:00+08:00');
  const e = await pb.createEvent(await tok(adminA), {
    branch: A, starts_at: '2026-06-01T10:00:00+08:00', ends_at: '2026-06-01T12:00:00+08:00', attendance_points: 2, capacity: 5,
  });
  const cards = await patrons(20);
  const token = await pb.attendanceToken(await tok(counterA), e.id);
  const answers = await Promise.all(cards.map((p) => pb.claimRaw(p, token)));
  assert.deepEqual(tally(answers), { 201: 5, '409 EVENT_FULL': 15 });
  const balances = await Promise.all(cards.map(assertCardAddsUp));
  assert.equal(balances.reduce((s, b) => s + b, 0), 10, 'five cards × 2 points');
  for (const [i, r] of answers.entries()) assert.equal(balances[i], r.status === 201 ? 2 : 0);
});

test('(g) the same card claiming one event 8 times at once: one credit', async () => {
  const e = await pb.createEvent(await tok(adminA), {
    branch: A, starts_at: '2026-06-01T10:00:00+08:00', ends_at: '2026-06-01T12:00:00+08:00', attendance_points: 3, capacity: 0,
  });
  const [p] = await patrons(1);
  const token = await pb.attendanceToken(await tok(counterA), e.id);
  const answers = await Promise.all(Array.from({ length: 8 }, () => pb.claimRaw(p, token)));
  assert.deepEqual(tally(answers), { 201: 1, '409 ALREADY_CLAIMED': 7 });
  assert.equal(await assertCardAddsUp(p), 3);
});

test('(h) backfills approved at once for a capacity-2 event: exactly 2 credited', async () => {
  const e = await pb.createEvent(await tok(adminA), {
    branch: A, starts_at: '2026-06-01T09:00:00+08:00', ends_at: '2026-06-01T10:00:00+08:00', attendance_points: 1, capacity: 2,
  });
  const cards = await patrons(6);
  const ta = await tok(counterA);
  const filed = [];
  for (const p of cards) filed.push(assertStatus(await pb.fileBackfillRaw(ta, e.id, p.card), 201).backfill);
  const ta2 = await tok(counterA2);
  const answers = await Promise.all(filed.map((b) => pb.approveRaw(ta2, b.id)));
  assert.deepEqual(tally(answers), { 200: 2, '409 EVENT_FULL': 4 });
  const balances = await Promise.all(cards.map(assertCardAddsUp));
  assert.equal(balances.reduce((s, b) => s + b, 0), 2);
});

test('(i) the patron cancelling while the counter completes: exactly one wins, points and stock agree (six times over)', async () => {
  const [p] = await patrons(1);
  await pb.earn(p, 6, A);
  const prize = await pb.createPrize(await tok(adminA), { branch: A, cost: 1, stock: 6 });
  const ta = await tok(counterA);
  let completed = 0;
  for (let i = 0; i < 6; i++) {
    const red = await pb.redeem(p, prize.id);
    const [done, cancel] = await Promise.all([pb.completeRaw(ta, red.id, red.code), pb.cancelRaw(p, red.id)]);
    const outcome = `${done.status} ${done.body?.error?.code ?? ''} / ${cancel.status} ${cancel.body?.error?.code ?? ''}`;
    assert.ok(['200  / 409 REDEMPTION_NOT_PENDING', '409 CODE_USED / 200 '].includes(outcome), `round ${i}: ${outcome}`);
    const status = (await pb.redemption(p, red.id)).status;
    assert.equal(status, done.status === 200 ? 'completed' : 'cancelled');
    if (done.status === 200) completed += 1;
  }
  assert.equal(await assertCardAddsUp(p), 6 - completed);
  assert.equal((await pb.prizeListed(prize.id)).stock_left, 6 - completed);
});

test('(j) lowering the stock while 10 cards redeem: stock never below taken, stock_left never negative', async () => {
  const cards = await patrons(10);
  await pb.earn(cards, 1, A);
  const t = await tok(adminA);
  const prize = await pb.createPrize(t, { branch: A, cost: 1, stock: 10 });
  const [patch, ...answers] = await Promise.all([
    pb.patchPrizeRaw(t, prize.id, { stock: 5, reason: '部分贊助品未到貨' }),
    ...cards.map((p) => pb.redeemRaw(p, prize.id)),
  ]);
  const won = answers.filter((r) => r.status === 201).length;
  for (const r of answers) if (r.status !== 201) assertError(r, 409, 'OUT_OF_STOCK', 'a loser');
  const got = assertStatus(await srv.api('GET', `/prizes/${prize.id}`), 200).prize;
  if (patch.status === 200) {
    assert.ok(won <= 5, `the stock became 5, yet ${won} redeemed`);
    assert.equal(got.stock_left, 5 - won);
  } else {
    assertError(patch, 409, 'STOCK_BELOW_TAKEN', 'the patch came too late');
    assert.ok(won > 5);
    assert.equal(got.stock_left, 10 - won);
  }
  assert.ok(got.stock_left >= 0);
  const balances = await Promise.all(cards.map(assertCardAddsUp));
  assert.equal(balances.filter((b) => b === 0).length, won);
});

test('(k) 10 cards register at once for an event with capacity 3 (cost 2): exactly 3 registered and debited', async () => {
  const cards = await patrons(10);
  await pb.earn(cards, 2, A);
  const e = await pb.createEvent(await tok(adminA), {
    branch: A, starts_at: '2026-06-20T10:00:00+08:00', ends_at: '2026-06-20T12:00:00+08:00', attendance_points: 1, capacity: 3, registration_cost: 2,
  });
  const answers = await Promise.all(cards.map((p) => pb.registerRaw(p, e.id)));
  assert.deepEqual(tally(answers), { 201: 3, '409 EVENT_FULL': 7 });
  const balances = await Promise.all(cards.map(assertCardAddsUp));
  for (const [i, r] of answers.entries()) assert.equal(balances[i], r.status === 201 ? 0 : 2);

  // One card registering five times at once: registered once, debited once.
  const [p] = await patrons(1);
  await pb.earn(p, 10, A);
  const e2 = await pb.createEvent(await tok(adminA), {
    branch: A, starts_at: '2026-06-20T10:00:00+08:00', ends_at: '2026-06-20T12:00:00+08:00', attendance_points: 1, capacity: 0, registration_cost: 2,
  });
  const five = await Promise.all(Array.from({ length: 5 }, () => pb.registerRaw(p, e2.id)));
  assert.deepEqual(tally(five), { 201: 1, '409 ALREADY_REGISTERED': 4 });
  assert.equal(await assertCardAddsUp(p), 8);
});

test('`bookstamp ledger verify` exits 0 after the races', async () => {
  const r = await runCli(['ledger', 'verify', '--data', srv.dataDir]);
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
});
