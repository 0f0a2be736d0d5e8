// The passbook story (RULES.md "Points", "Prizes and redemption"; API.md Patron/Public/Staff):
// points earned at checkout, prizes listed and filtered, redemption in the app with the rotating
// code recomputed here from code_key, the counter scanning and completing it, every refusal,
// cancelling, expiry, stock changes, and the ledger verifying at the end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Fixture, assertError, assertStatus, runCli } from './lib/server.mjs';
import {
  Clock, Passbook, STEP_MS, CODE_LIFE_MS, fromBase64Url, redemptionCode, stepAt, sqlite, assertEntriesAddUp,
} from './lib/passbook.mjs';

let srv;
let fx;
let pb;
let clock;
let A;
let B;
let C;
let adminA;
let counterA;
let counterA2;
let counterB;
let reader;   // the patron of the story
const prize = {};

before(async () => {
  srv = await startServer();
  fx = new Fixture(srv);
  pb = new Passbook(fx);
  clock = new Clock(fx);
  await clock.jump('2026-03-31T15:00:00+08:00');
  [A, B, C] = [await fx.branch(), await fx.branch(), await fx.branch()];
  adminA = await fx.staff({ role: 'branch_admin', branch: A });
  counterA = await fx.staff({ role: 'counter', branch: A });
  counterA2 = await fx.staff({ role: 'counter', branch: A });
  counterB = await fx.staff({ role: 'counter', branch: B });
  reader = await fx.patron();
});
after(async () => { await srv?.stop(); });

const tok = (st) => fx.staffToken(st);
const stockLeft = async (id) => (await pb.prizeListed(id))?.stock_left;
const balance = async (p) => (await pb.passbook(p)).balance;

test('a checkout earns one point: points_credited 1, points_reason null, the new balance', async () => {
  const bib = await fx.bib({ title: '三月的書', items: [{ branch: A }] });
  const out = await fx.checkout(reader.card, bib.barcodes[0], A);
  assert.equal(out.points_credited, 1);
  assert.equal(out.points_reason, null);
  assert.equal(out.balance, 1);
  const book = await pb.passbook(reader);
  assert.equal(book.balance, 1);
  assert.equal(book.lifetime_earned, 1);
  assert.equal(book.pending_redemptions, 0);

  // Twenty more in April, one title each.
  await clock.jump('2026-04-01T10:00:00+08:00');
  assert.equal(await pb.earn(reader, 20, A), 21);
  assert.equal(await balance(reader), 21);
});

test('a branch admin of A creates prizes; GET /prizes filters by two branches and by points, out-of-stock included', async () => {
  const t = await tok(adminA);
  prize.two = await pb.createPrize(t, { branch: A, name: '帆布袋', sponsor: '書店', cost: 2, stock: 20 });
  prize.dear = await pb.createPrize(t, { branch: A, name: '藍牙耳機', cost: 50, stock: 1 });
  prize.none = await pb.createPrize(t, { branch: A, name: '簽名書', cost: 3, stock: 0 });
  prize.later = await pb.createPrize(t, { branch: A, name: '明天開賣', cost: 2, stock: 5, on_sale_from: '2026-04-02T00:00:00+08:00' });
  prize.over = await pb.createPrize(t, {
    branch: A, name: '已下架', cost: 2, stock: 5, on_sale_from: '2026-03-01T00:00:00+08:00', on_sale_until: clock.iso,
  });
  const admin = await fx.admin();
  prize.b = await pb.createPrize(admin, { branch: B, name: '帆布袋', cost: 10, stock: 2 });
  prize.c = await pb.createPrize(admin, { branch: C, name: '別館的獎品', cost: 4, stock: 2 });
  assert.ok(Number.isInteger(prize.two.id));
  assert.equal(prize.two.branch, A);
  assert.equal(prize.two.cost, 2);
  assert.equal(prize.two.stock_left, 20);
  assertError(await pb.createPrizeRaw(t, { branch: B, name: 'x', cost: 1, stock: 1, per_card_limit: 0 }), 403, 'FORBIDDEN',
    'a branch admin of A creating a prize for B');

  const list = await pb.prizes(`branches=${A},${B}`);
  const ids = list.map((x) => x.id);
  for (const p of [prize.two, prize.dear, prize.none, prize.b]) assert.ok(ids.includes(p.id), `prize ${p.name} listed: ${ids}`);
  for (const p of [prize.c, prize.later, prize.over]) assert.ok(!ids.includes(p.id), `prize ${p.name} not listed`);
  for (const x of list) assert.ok([A, B].includes(x.branch), `branch ${x.branch}`);
  const none = list.find((x) => x.id === prize.none.id);
  assert.equal(none.stock_left, 0, 'out of stock, still listed');
  const b = list.find((x) => x.id === prize.b.id);
  for (const k of ['id', 'branch', 'name', 'sponsor', 'cost', 'stock_left', 'per_card_limit', 'image_url', 'on_sale_until'])
    assert.ok(k in b, `field ${k} in ${JSON.stringify(b)}`);
  assert.equal(list.find((x) => x.id === prize.two.id).sponsor, '書店');
  assert.equal(b.branch, B);

  const ranged = await pb.prizes(`branches=${A},${B}&min_points=3&max_points=10`);
  const rids = ranged.map((x) => x.id);
  assert.ok(rids.includes(prize.none.id), 'cost 3 is within [3, 10]');
  assert.ok(rids.includes(prize.b.id), 'cost 10 is within [3, 10]');
  assert.ok(!rids.includes(prize.two.id), 'cost 2 is below 3');
  assert.ok(!rids.includes(prize.dear.id), 'cost 50 is above 10');
  for (const x of ranged) assert.ok(x.cost >= 3 && x.cost <= 10, `cost ${x.cost}`);
  const onlyB = await pb.prizes(`branches=${B}`);
  assert.deepEqual(onlyB.map((x) => x.id), [prize.b.id]);
});

let first;   // the app redemption followed through the code tests
test('redeem in the app: 201 with code, code_key (32 bytes, base64url), step_seconds 30, expires_at = created_at + 5 min', async () => {
  const before = await stockLeft(prize.two.id);
  const r = await pb.redeemRaw(reader, prize.two.id);
  const red = assertStatus(r, 201, 'redeem').redemption;
  assert.equal(red.status, 'pending');
  assert.equal(red.prize_id, prize.two.id);
  assert.equal(red.cost, 2);
  assert.equal(red.step_seconds, 30);
  assert.equal(fromBase64Url(red.code_key).length, 32, `code_key ${red.code_key}`);
  assert.match(red.code_key, /^[A-Za-z0-9_-]{43}=?$/);
  assert.equal(Date.parse(red.created_at), clock.ms);
  assert.equal(Date.parse(red.expires_at) - Date.parse(red.created_at), CODE_LIFE_MS);
  assert.equal(Date.parse(red.server_now), clock.ms);
  assert.match(red.code, new RegExp(`^R${red.id}-\\d{8}$`));
  assert.equal(red.code, redemptionCode(red.id, red.code_key, 0), 'the code is step 0 of the documented derivation');

  const code = assertStatus(await pb.codeRaw(reader, red.id), 200, 'GET code');
  assert.equal(code.code, redemptionCode(red.id, red.code_key, stepAt(red.created_at, clock.ms)));
  assert.equal(code.code, red.code);
  assert.equal(Date.parse(code.changes_at), Date.parse(red.created_at) + STEP_MS);

  const book = await pb.passbook(reader);
  assert.equal(book.balance, 19, 'the cost is debited at once');
  assert.equal(book.pending_redemptions, 1);
  assert.equal(await stockLeft(prize.two.id), before - 1, 'one unit taken');
  first = red;
});

let current;   // the newest code of `first`
test('the code changes every 30 s: the previous step is accepted, two steps old is CODE_INVALID', async () => {
  const t = await tok(counterA);
  const code0 = first.code;
  await clock.move(30);
  const got1 = assertStatus(await pb.codeRaw(reader, first.id), 200, 'GET code at +30 s');
  const code1 = redemptionCode(first.id, first.code_key, 1);
  assert.equal(got1.code, code1);
  assert.notEqual(code1, code0);
  assert.equal(Date.parse(got1.changes_at), Date.parse(first.created_at) + 2 * STEP_MS);
  assertStatus(await pb.scanRaw(t, code0), 200, 'the step-0 code at +30 s (previous step)');
  assertStatus(await pb.scanRaw(t, code1), 200, 'the step-1 code at +30 s');

  await clock.move(30);
  const code2 = redemptionCode(first.id, first.code_key, 2);
  assert.equal(assertStatus(await pb.codeRaw(reader, first.id), 200).code, code2);
  assertError(await pb.scanRaw(t, code0), 409, 'CODE_INVALID', 'the step-0 code at +60 s');
  assertError(await pb.completeRaw(t, first.id, code0), 409, 'CODE_INVALID', 'completing with the step-0 code at +60 s');
  assertStatus(await pb.scanRaw(t, code2), 200, 'the current code at +60 s');
  assertStatus(await pb.scanRaw(t, code1), 200, 'the previous code at +60 s');
  const wrong = `R${first.id}-${String((Number(code2.slice(-8)) + 1) % 1e8).padStart(8, '0')}`;
  assertError(await pb.scanRaw(t, wrong), 409, 'CODE_INVALID', 'a wrong otp');
  assertError(await pb.scanRaw(t, 'not a code'), 409, 'CODE_INVALID', 'garbage');
  assertError(await pb.scanRaw(t, `R${first.id + 100000}-${code2.slice(-8)}`), 409, 'CODE_INVALID', 'an unknown redemption');
  current = code2;
});

test('scan answers card_masked, prize and balance and changes nothing; complete → 200, again → 409 CODE_USED', async () => {
  const t = await tok(counterA);
  const bookBefore = await pb.passbook(reader);
  const stockBefore = await stockLeft(prize.two.id);
  const scan = assertStatus(await pb.scanRaw(t, current), 200, 'scan');
  assert.equal(scan.redemption.id, first.id);
  assert.equal(scan.redemption.status, 'pending');
  assert.equal(typeof scan.card_masked, 'string');
  assert.ok(!scan.card_masked.includes(reader.card), `card_masked ${scan.card_masked} hides the number`);
  assert.equal(scan.prize.id, prize.two.id);
  assert.equal(scan.balance, 19);
  assert.deepEqual(await pb.passbook(reader), bookBefore, 'a scan changes no points');
  assert.equal(await stockLeft(prize.two.id), stockBefore, 'a scan changes no stock');
  assert.equal((await pb.redemption(reader, first.id)).status, 'pending');

  const done = assertStatus(await pb.completeRaw(t, first.id, current), 200, 'complete');
  assert.equal(done.redemption.id, first.id);
  assert.equal(done.redemption.status, 'completed');
  assert.equal((await pb.redemption(reader, first.id)).status, 'completed');
  const book = await pb.passbook(reader);
  assert.equal(book.balance, 19, 'completing debits nothing more');
  assert.equal(book.pending_redemptions, 0);
  assert.equal(await stockLeft(prize.two.id), stockBefore);

  assertError(await pb.completeRaw(await tok(counterA2), first.id, current), 409, 'CODE_USED', 'completing again');
  assertError(await pb.scanRaw(t, current), 409, 'CODE_USED', 'scanning a used code');
  assertError(await pb.codeRaw(reader, first.id), 409, 'REDEMPTION_NOT_PENDING', 'GET code of a completed one');
});

test('a counter member of branch B scanning or completing a branch-A code gets 409 WRONG_BRANCH', async () => {
  const red = await pb.redeem(reader, prize.two.id);
  const t = await tok(counterB);
  assertError(await pb.scanRaw(t, red.code), 409, 'WRONG_BRANCH', 'scan at B');
  assertError(await pb.completeRaw(t, red.id, red.code), 409, 'WRONG_BRANCH', 'complete at B');
  assert.equal((await pb.redemption(reader, red.id)).status, 'pending');
  // An all-branch staff member passes.
  assertStatus(await pb.scanRaw(await fx.admin(), red.code), 200, 'scan by a sysadmin (all branches)');
  assertStatus(await pb.cancelRaw(reader, red.id), 200, 'tidy up: the patron cancels');
});

test('counter redemption by card number: 201 completed at once, balance debited, one unit taken', async () => {
  const before = await balance(reader);
  const stock = await stockLeft(prize.two.id);
  const r = await pb.counterRedeemRaw(await tok(counterA), reader.card, prize.two.id);
  const red = assertStatus(r, 201, 'counter redemption').redemption;
  assert.equal(red.status, 'completed');
  assert.equal(red.prize_id, prize.two.id);
  assert.equal(red.cost, 2);
  assert.equal(await balance(reader), before - 2);
  assert.equal(await stockLeft(prize.two.id), stock - 1);
  assert.equal((await pb.redemption(reader, red.id)).status, 'completed');
  assertError(await pb.counterRedeemRaw(await tok(counterB), reader.card, prize.two.id), 409, 'WRONG_BRANCH', 'counter B, prize of A');
});

let poor;
test('refusals: INSUFFICIENT_POINTS (needed and available), LIMIT_REACHED, OUT_OF_STOCK, PRIZE_NOT_ON_SALE', async () => {
  poor = await fx.patron();
  assert.equal(await pb.earn(poor, 3, A), 3);
  const stock = await stockLeft(prize.dear.id);

  const insufficient = await pb.redeemRaw(poor, prize.dear.id);
  assertError(insufficient, 409, 'INSUFFICIENT_POINTS', 'cost 50, balance 3');
  assert.match(insufficient.body.error.message, /(^|\D)50(\D|$)/, `the message names the points needed: ${insufficient.body.error.message}`);
  assert.match(insufficient.body.error.message, /(^|\D)3(\D|$)/, `the message names the points available: ${insufficient.body.error.message}`);
  assertError(await pb.counterRedeemRaw(await tok(counterA), poor.card, prize.dear.id), 409, 'INSUFFICIENT_POINTS', 'at the counter');
  assert.equal(await balance(poor), 3);
  assert.equal(await stockLeft(prize.dear.id), stock);

  prize.once = await pb.createPrize(await tok(adminA), { branch: A, name: '限兌一次', cost: 1, stock: 10, per_card_limit: 1 });
  const once = await pb.redeem(poor, prize.once.id);
  const limited = await pb.redeemRaw(poor, prize.once.id);
  assertError(limited, 409, 'LIMIT_REACHED', 'per_card_limit 1, one pending');
  assertError(await pb.counterRedeemRaw(await tok(counterA), poor.card, prize.once.id), 409, 'LIMIT_REACHED', 'at the counter');
  assert.equal(await balance(poor), 2);
  assertStatus(await pb.cancelRaw(poor, once.id), 200, 'cancel the pending one');
  const again = await pb.counterRedeemRaw(await tok(counterA), poor.card, prize.once.id);
  assert.equal(assertStatus(again, 201, 'a cancelled one no longer counts').redemption.status, 'completed');
  assertError(await pb.redeemRaw(poor, prize.once.id), 409, 'LIMIT_REACHED', 'per_card_limit 1, one completed');

  assertError(await pb.redeemRaw(poor, prize.none.id), 409, 'OUT_OF_STOCK', 'stock 0');
  assertError(await pb.counterRedeemRaw(await tok(counterA), poor.card, prize.none.id), 409, 'OUT_OF_STOCK', 'stock 0 at the counter');
  assertError(await pb.redeemRaw(poor, prize.later.id), 409, 'PRIZE_NOT_ON_SALE', 'on_sale_from tomorrow');
  assertError(await pb.redeemRaw(poor, prize.over.id), 409, 'PRIZE_NOT_ON_SALE', 'on_sale_until is now (the window is [from, until))');
  assert.equal(await balance(poor), 2);
  assert.equal(await stockLeft(prize.none.id), 0);
});

test('refusal order: PRIZE_NOT_ON_SALE before OUT_OF_STOCK before LIMIT_REACHED before INSUFFICIENT_POINTS', async () => {
  const t = await tok(adminA);
  const p = await fx.patron();
  await pb.earn(p, 1, A);
  const closedEmpty = await pb.createPrize(t, { branch: A, cost: 1, stock: 0, on_sale_from: '2026-05-01T00:00:00+08:00' });
  assertError(await pb.redeemRaw(p, closedEmpty.id), 409, 'PRIZE_NOT_ON_SALE', 'not on sale and out of stock');
  const single = await pb.createPrize(t, { branch: A, cost: 1, stock: 1, per_card_limit: 1 });
  const cheap = await pb.createPrize(t, { branch: A, cost: 1, stock: 5, per_card_limit: 1 });
  assertStatus(await pb.counterRedeemRaw(await tok(counterA), p.card, single.id), 201, 'takes the only unit');
  await pb.earn(p, 1, A);
  assertStatus(await pb.counterRedeemRaw(await tok(counterA), p.card, cheap.id), 201, 'reaches the limit of another prize');
  assert.equal(await balance(p), 0);
  assertError(await pb.redeemRaw(p, single.id), 409, 'OUT_OF_STOCK', 'out of stock, at the limit, no points');
  assertError(await pb.redeemRaw(p, cheap.id), 409, 'LIMIT_REACHED', 'at the limit, no points');
  assertError(await pb.redeemRaw(p, 99999999), 404, 'PRIZE_NOT_FOUND', 'an unknown prize');
  assertError(await srv.api('GET', '/prizes?min_points=abc'), 400, 'VALIDATION_FAILED', 'min_points not an integer');
});

test('scan and cancel refusals by state: WRONG_BRANCH before CODE_USED before CODE_EXPIRED; another redemption\'s code is CODE_INVALID', async () => {
  const ta = await tok(counterA);
  const done = await pb.redeem(reader, prize.two.id);
  const other = await pb.redeem(reader, prize.two.id);
  assertError(await pb.completeRaw(ta, done.id, other.code), 409, 'CODE_INVALID', 'the code of another redemption');
  assertError(await pb.staffCancelRaw(ta, done.id, { reason: '還沒完成' }), 409, 'REDEMPTION_NOT_PENDING', 'staff cancelling a pending one');
  assertStatus(await pb.completeRaw(ta, done.id, done.code), 200, 'complete');
  assertError(await pb.cancelRaw(reader, done.id), 409, 'REDEMPTION_NOT_PENDING', 'the patron cancelling a completed one');
  assertStatus(await pb.cancelRaw(reader, other.id), 200, 'tidy up');
  await clock.move(360);   // both are past expires_at now
  assertError(await pb.scanRaw(ta, done.code), 409, 'CODE_USED', 'completed and past expires_at');
  assertError(await pb.scanRaw(ta, other.code), 409, 'CODE_USED', 'cancelled and past expires_at');
  assertError(await pb.scanRaw(await tok(counterB), done.code), 409, 'WRONG_BRANCH', 'another branch, completed');
});

test('the patron cancels a pending redemption: 200, refunded, stock back; cancelling again → 409 REDEMPTION_NOT_PENDING', async () => {
  const bal = await balance(reader);
  const stock = await stockLeft(prize.two.id);
  const red = await pb.redeem(reader, prize.two.id);
  assert.equal(await balance(reader), bal - 2);
  assert.equal(await stockLeft(prize.two.id), stock - 1);
  const r = await pb.cancelRaw(reader, red.id);
  assertStatus(r, 200, 'DELETE redemption');
  assert.equal(r.body.redemption.status, 'cancelled');
  assert.equal(await balance(reader), bal, 'refunded');
  assert.equal(await stockLeft(prize.two.id), stock, 'stock back');
  assert.equal((await pb.redemption(reader, red.id)).status, 'cancelled');
  assertError(await pb.cancelRaw(reader, red.id), 409, 'REDEMPTION_NOT_PENDING', 'cancel again');
  assertError(await pb.scanRaw(await tok(counterA), red.code), 409, 'CODE_USED', 'a cancelled code');
  const april = await pb.entries(reader, 2026, 4);
  assert.equal(april.entries[0].kind, 'refund');
  assert.equal(april.entries[0].delta, 2);
  assert.equal(april.entries[1].kind, 'redemption');
  assert.equal(april.entries[1].delta, -2);
  assertError(await pb.cancelRaw(poor, red.id), 404, 'NOT_FOUND', 'another card\'s redemption');
});

test('staff cancel a completed redemption with a reason within 7 days (refund, stock back); after 7 days → 409 CANCEL_WINDOW_PASSED', async () => {
  const t = await tok(counterA);
  const bal = await balance(reader);
  const stock = await stockLeft(prize.two.id);
  const one = assertStatus(await pb.counterRedeemRaw(t, reader.card, prize.two.id), 201).redemption;
  const two = assertStatus(await pb.counterRedeemRaw(t, reader.card, prize.two.id), 201).redemption;
  assert.equal(await balance(reader), bal - 4);

  await clock.jump('2026-04-07T10:00:00+08:00');   // six days later
  const t6 = await tok(counterA);
  assertError(await pb.staffCancelRaw(t6, one.id, {}), 400, 'VALIDATION_FAILED', 'no reason');
  assertError(await pb.staffCancelRaw(t6, one.id, { reason: '' }), 400, 'VALIDATION_FAILED', 'an empty reason');
  assertError(await pb.staffCancelRaw(await tok(counterB), one.id, { reason: '退回' }), 409, 'WRONG_BRANCH', 'counter of B');
  const r = await pb.staffCancelRaw(t6, one.id, { reason: '讀者退回獎品' });
  assertStatus(r, 200, 'staff cancel within 7 days');
  assert.equal(r.body.redemption.status, 'cancelled');
  assert.equal(await balance(reader), bal - 2, 'refunded');
  assert.equal(await stockLeft(prize.two.id), stock - 1, 'stock back');
  assertError(await pb.staffCancelRaw(t6, one.id, { reason: '又一次' }), 409, 'REDEMPTION_NOT_PENDING', 'cancelling a cancelled one');

  await clock.jump('2026-04-09T10:00:00+08:00');   // eight days after completion
  assertError(await pb.staffCancelRaw(await tok(counterA), two.id, { reason: '太晚了' }), 409, 'CANCEL_WINDOW_PASSED', 'after 7 days');
  assert.equal(await balance(reader), bal - 2);
  assert.equal((await pb.redemption(reader, two.id)).status, 'completed');
});

test('an expired code: CODE_EXPIRED at 5 min; the passbook and GET /prizes give the cost and the unit back before any sweep', async () => {
  const t = await tok(counterA);
  const bal = await balance(reader);
  const stock = await stockLeft(prize.two.id);
  const red = await pb.redeem(reader, prize.two.id);
  assert.equal(await balance(reader), bal - 2);

  await clock.move(299);   // 4 min 59 s: still alive
  const late = redemptionCode(red.id, red.code_key, stepAt(red.created_at, clock.ms));
  assert.equal(assertStatus(await pb.codeRaw(reader, red.id), 200).code, late);
  assertStatus(await pb.scanRaw(t, late), 200, 'at 4:59');

  await clock.move(1);     // expires_at: now < expires_at no longer holds
  assertError(await pb.scanRaw(t, late), 409, 'CODE_EXPIRED', 'at 5:00');
  const book = await pb.passbook(reader);
  assert.equal(book.balance, bal, 'the cost is back');
  assert.equal(book.pending_redemptions, 0);
  assert.equal(await stockLeft(prize.two.id), stock, 'the unit is back');
  assert.equal((await pb.redemption(reader, red.id)).status, 'expired');
  assertError(await pb.completeRaw(t, red.id, late), 409, 'CODE_EXPIRED', 'completing at 5:00');
  assertError(await pb.cancelRaw(reader, red.id), 409, 'REDEMPTION_NOT_PENDING', 'cancelling an expired one');
  await clock.move(60);
  assertError(await pb.scanRaw(t, redemptionCode(red.id, red.code_key, stepAt(red.created_at, clock.ms))), 409, 'CODE_EXPIRED', 'the would-be current code at 6:00');
});

test('a unit held by an expired (unswept) redemption is free for a stock change', async () => {
  const t = await tok(adminA);
  const p = await pb.createPrize(t, { branch: A, name: '最後一份', cost: 1, stock: 1 });
  await pb.redeem(reader, p.id);
  assertError(await pb.patchPrizeRaw(t, p.id, { stock: 0, reason: '破損' }), 409, 'STOCK_BELOW_TAKEN', 'one pending');
  await clock.move(300);
  const r = await pb.patchPrizeRaw(t, p.id, { stock: 0, reason: '破損' });
  assertStatus(r, 200, 'the pending one expired');
  assert.equal(r.body.prize.stock_left, 0);
});

test('points given back by an expired code count at once, before the sweeper: a checkout answers them in its balance', async () => {
  const bal = await balance(reader);
  const red = await pb.redeem(reader, prize.two.id);
  await clock.move(300);
  assert.equal(await balance(reader), bal, 'GET passbook has the cost back');
  const bib = await fx.bib({ items: [{ branch: A }] });
  const out = await fx.checkout(reader.card, bib.barcodes[0], A);
  assert.equal(out.points_credited, 1);
  assert.equal(out.balance, bal + 1, `the checkout's new balance counts the expired redemption's refund (redemption ${red.id})`);
  assert.equal(await balance(reader), bal + 1);
});

test('PATCH /prizes/{id}: stock below taken → 409 STOCK_BELOW_TAKEN; a stock change needs a reason (400) and is audited', async () => {
  const t = await tok(adminA);
  const p = await pb.createPrize(t, { branch: A, name: '限量書籤', cost: 1, stock: 3 });
  assertStatus(await pb.counterRedeemRaw(await tok(counterA), reader.card, p.id), 201, 'one completed');
  const pending = await pb.redeem(reader, p.id);
  assert.equal(await stockLeft(p.id), 1);

  assertError(await pb.patchPrizeRaw(t, p.id, { stock: 1, reason: '盤點短少' }), 409, 'STOCK_BELOW_TAKEN', 'two taken, total 1');
  const nor = await pb.patchPrizeRaw(t, p.id, { stock: 5 });
  assertError(nor, 400, 'VALIDATION_FAILED', 'a stock change without a reason');
  assert.equal(nor.body.error.field, 'reason');
  assertError(await pb.patchPrizeRaw(await tok(counterA), p.id, { stock: 5, reason: '追加' }), 403, 'FORBIDDEN', 'a counter member');
  assert.equal(await stockLeft(p.id), 1, 'nothing changed');

  const verifyBefore = assertStatus(await srv.api('GET', '/audit/verify', { token: await fx.admin() }), 200);
  const r = await pb.patchPrizeRaw(t, p.id, { stock: 5, reason: '贊助商追加兩份' });
  assertStatus(r, 200, 'a stock change with a reason');
  assert.equal(r.body.prize.stock_left, 3);
  assert.equal(await stockLeft(p.id), 3);
  assertStatus(await pb.patchPrizeRaw(t, p.id, { name: '限量書籤（新版）' }), 200, 'a change that is not stock needs no reason');
  assertStatus(await pb.patchPrizeRaw(t, p.id, { stock: 2, reason: '剛好等於已兌換' }), 200, 'total = taken is allowed');
  assert.equal(await stockLeft(p.id), 0);

  const audit = await sqlite(srv.dbPath, `SELECT action, subject, details FROM audit_log WHERE subject = 'prize:${p.id}' AND action LIKE '%stock%' ORDER BY seq`);
  assert.equal(audit.code, 0, audit.stderr);
  assert.equal(audit.rows.length, 2, `two stock changes audited: ${JSON.stringify(audit.rows)}`);
  assert.match(audit.rows[0].details, /贊助商追加兩份/);
  assert.match(audit.rows[1].details, /剛好等於已兌換/);
  const verify = assertStatus(await srv.api('GET', '/audit/verify', { token: await fx.admin() }), 200);
  assert.equal(verify.ok, true);
  assert.equal(verify.first_broken, null);
  assert.ok(verify.entries > verifyBefore.entries);
  assertStatus(await pb.cancelRaw(reader, pending.id), 200, 'tidy up');
});

test('changing a prize\'s cost does not change a pending redemption\'s cost', async () => {
  const t = await tok(adminA);
  const p = await pb.createPrize(t, { branch: A, name: '漲價的獎品', cost: 2, stock: 5 });
  const bal = await balance(reader);
  const red = await pb.redeem(reader, p.id);
  const r = await pb.patchPrizeRaw(t, p.id, { cost: 7 });
  assert.equal(assertStatus(r, 200, 'PATCH cost').prize.cost, 7);
  assert.equal((await pb.prizeListed(p.id)).cost, 7);
  assert.equal((await pb.redemption(reader, red.id)).cost, 2);
  const code = assertStatus(await pb.codeRaw(reader, red.id), 200).code;
  const done = assertStatus(await pb.completeRaw(await tok(counterA), red.id, code), 200, 'complete');
  assert.equal(done.redemption.cost, 2);
  assert.equal(await balance(reader), bal - 2);
  const next = await pb.redeem(reader, p.id);
  assert.equal(next.cost, 7, 'a new redemption pays the new cost');
  assert.equal(await balance(reader), bal - 9);
  assertStatus(await pb.cancelRaw(reader, next.id), 200);
  assert.equal(await balance(reader), bal - 2, 'the refund is the 7 paid');
});

test('the passbook by year and month: earned, spent, entries newest first with kind and description', async () => {
  const march = await pb.entries(reader, 2026, 3);
  assert.equal(march.earned, 1);
  assert.equal(march.spent, 0);
  assert.equal(march.entries.length, 1);
  assert.equal(march.entries[0].kind, 'loan');
  assert.match(march.entries[0].description, /三月的書/);

  const april = await pb.entries(reader, 2026, 4);
  const kinds = new Set(april.entries.map((e) => e.kind));
  for (const k of ['loan', 'redemption', 'refund']) assert.ok(kinds.has(k), `a ${k} entry in April: ${[...kinds]}`);
  for (const e of april.entries) {
    assert.equal(typeof e.description, 'string');
    assert.ok(e.description.length > 0, `entry ${e.id} has a description`);
    assert.ok(Number.isInteger(e.delta) && Number.isInteger(e.balance_after));
  }
  for (let i = 1; i < april.entries.length; i++) {
    const [newer, older] = [april.entries[i - 1], april.entries[i]];
    assert.ok(Date.parse(newer.at) >= Date.parse(older.at), `newest first: ${newer.at} before ${older.at}`);
    assert.notEqual(newer.id, older.id);
  }
  const sum = (kinds_) => april.entries.filter((e) => kinds_.includes(e.kind)).reduce((s, e) => s + e.delta, 0);
  assert.equal(april.earned, sum(['loan', 'event']));
  assert.equal(april.earned, 21, 'twenty loans on April 1, one on April 9');
  assert.equal(april.spent, -sum(['redemption', 'registration', 'refund']));
  assert.ok(april.spent > 0);

  const year = await pb.entries(reader, 2026);
  assert.equal(year.entries.length, march.entries.length + april.entries.length);
  assert.equal(year.earned, 22);
  assert.equal(year.spent, april.spent);
  const book = await pb.passbook(reader);
  assert.equal(book.balance, year.earned - year.spent);
  assert.equal(book.lifetime_earned, 22);
  assertEntriesAddUp(year.entries, book.balance, 'the reader\'s 2026');
  assert.equal(year.entries[0].balance_after, book.balance);
});

test('`bookstamp ledger verify` exits 0 at the end; the audit chain verifies', async () => {
  const r = await runCli(['ledger', 'verify', '--data', srv.dataDir]);
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  const v = assertStatus(await srv.api('GET', '/audit/verify', { token: await fx.admin() }), 200);
  assert.equal(v.ok, true);
});
