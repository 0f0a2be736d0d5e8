// Events (RULES.md "Events"): the rotating attendance QR and its claim window, capacity, card
// types, registration paid in points with its deadline, and backfills (點數補登) that need a second
// staff member.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Fixture, assertError, assertStatus, runCli } from './lib/server.mjs';
import { Clock, Passbook } from './lib/passbook.mjs';

let srv;
let fx;
let pb;
let clock;
let A;
let B;
let adminA;
let counterA;
let counterA2;
let counterB;
const ev = {};

const day = '2026-05-04';
const t = (hms) => `${day}T${hms}+08:00`;
const tok = (st) => fx.staffToken(st);
const balance = async (p) => (await pb.passbook(p)).balance;

before(async () => {
  srv = await startServer();
  fx = new Fixture(srv);
  pb = new Passbook(fx);
  clock = new Clock(fx);
  await clock.jump(t('09:00:00'));
  [A, B] = [await fx.branch(), await fx.branch()];
  adminA = await fx.staff({ role: 'branch_admin', branch: A });
  counterA = await fx.staff({ role: 'counter', branch: A });
  counterA2 = await fx.staff({ role: 'counter', branch: A });
  counterB = await fx.staff({ role: 'counter', branch: B });
});
after(async () => { await srv?.stop(); });

test('a branch admin creates events (POST /events → 201); other branches and counter staff get 403', async () => {
  const admin = await tok(adminA);
  const r = await srv.api('POST', '/events', {
    token: admin,
    body: { branch: A, title: '繪本說故事', starts_at: t('10:00:00'), ends_at: t('12:00:00'), attendance_points: 3, capacity: 0 },
  });
  ev.talk = assertStatus(r, 201, 'POST /events').event;
  assert.ok(Number.isInteger(ev.talk.id));
  assert.equal(ev.talk.branch, A);
  assert.equal(ev.talk.title, '繪本說故事');
  assert.equal(Date.parse(ev.talk.starts_at), Date.parse(t('10:00:00')));
  assert.equal(Date.parse(ev.talk.ends_at), Date.parse(t('12:00:00')));
  assert.equal(ev.talk.attendance_points, 3);
  assert.equal(ev.talk.capacity, 0);
  ev.small = await pb.createEvent(admin, { branch: A, starts_at: t('10:00:00'), ends_at: t('12:00:00'), attendance_points: 1, capacity: 2 });
  const body = { branch: B, title: 'x', starts_at: t('10:00:00'), ends_at: t('12:00:00'), attendance_points: 1, capacity: 0 };
  assertError(await srv.api('POST', '/events', { token: admin, body }), 403, 'FORBIDDEN', 'branch admin of A, event at B');
  assertError(await srv.api('POST', '/events', { token: await tok(counterA), body: { ...body, branch: A } }), 403, 'FORBIDDEN', 'counter staff');
});

test('a claim before ends_at − 30 min → 409 CLAIM_WINDOW_CLOSED; at ends_at − 30 min exactly it is accepted', async () => {
  const p = await fx.patron();
  await clock.set(t('11:29:59'));
  const early = await pb.attendanceToken(await tok(counterA), ev.talk.id);
  assertError(await pb.claimRaw(p, early), 409, 'CLAIM_WINDOW_CLOSED', 'at 11:29:59');
  await clock.set(t('11:30:00'));
  const token = await pb.attendanceToken(await tok(counterA), ev.talk.id);
  const r = assertStatus(await pb.claimRaw(p, token), 201, 'at 11:30:00');
  assert.equal(r.points_credited, 3);
});

let p1;
let tokenAt1140;
test('counter staff show the token; a claim with it → 201 {event_id, points_credited, balance}; again → 409 ALREADY_CLAIMED', async () => {
  await clock.set(t('11:40:00'));
  const r = await pb.tokenRaw(await tok(counterA), ev.talk.id);
  const shown = assertStatus(r, 200, 'GET attendance-token as counter staff');
  assert.match(shown.token, new RegExp(`^E${ev.talk.id}-\\d{8}$`));
  assert.equal(Date.parse(shown.changes_at), Date.parse(t('11:40:30')), 'steps of 30 s counted from starts_at');
  assertError(await pb.tokenRaw(await tok(counterB), ev.talk.id), 403, 'FORBIDDEN', 'counter staff of another branch');
  tokenAt1140 = shown.token;

  p1 = await fx.patron();
  const claim = await pb.claimRaw(p1, shown.token);
  assertStatus(claim, 201, 'claim');
  assert.deepEqual(claim.body, { event_id: ev.talk.id, points_credited: 3, balance: 3 });
  const book = await pb.passbook(p1);
  assert.equal(book.balance, 3);
  assert.equal(book.lifetime_earned, 3);
  const month = await pb.entries(p1, 2026, 5);
  assert.equal(month.earned, 3);
  assert.equal(month.entries[0].kind, 'event');
  assert.equal(month.entries[0].delta, 3);
  assert.equal(month.entries[0].branch, A);
  assertError(await pb.claimRaw(p1, shown.token), 409, 'ALREADY_CLAIMED', 'the same card again');
  assert.equal(await balance(p1), 3);
});

test('the previous step\'s token is accepted; two steps old → 409 TOKEN_INVALID', async () => {
  await clock.set(t('11:40:30'));
  const p3 = await fx.patron();
  assertStatus(await pb.claimRaw(p3, tokenAt1140), 201, 'previous step');
  const next = await pb.attendanceToken(await tok(counterA), ev.talk.id);
  assert.notEqual(next, tokenAt1140, 'the token changed after 30 s');

  await clock.set(t('11:41:00'));
  const p4 = await fx.patron();
  assertError(await pb.claimRaw(p4, tokenAt1140), 409, 'TOKEN_INVALID', 'two steps old');
  assert.equal(await balance(p4), 0);
  assertStatus(await pb.claimRaw(p4, next), 201, 'the 11:40:30 token at 11:41:00 (previous step)');
});

test('a wrong or garbage token → 409 TOKEN_INVALID', async () => {
  const p = await fx.patron();
  const current = await pb.attendanceToken(await tok(counterA), ev.talk.id);
  const digits = current.slice(-8);
  const flipped = `E${ev.talk.id}-${digits.slice(0, 7)}${(Number(digits[7]) + 5) % 10}`;
  for (const bad of ['hello', flipped, `E${ev.talk.id + 1000}-${digits}`, `R${ev.talk.id}-${digits}`, `E${ev.talk.id}-${digits}0`,
    `E${ev.talk.id}-`, 'E'.repeat(65), `${current} `]) {
    assertError(await pb.claimRaw(p, bad), 409, 'TOKEN_INVALID', `token ${JSON.stringify(bad)}`);
  }
  assert.equal(await balance(p), 0);
});

test('a group card claiming → 409 CARD_TYPE_NO_POINTS', async () => {
  const g = await fx.patron({ type: 'group' });
  const token = await pb.attendanceToken(await tok(counterA), ev.talk.id);
  assertError(await pb.claimRaw(g, token), 409, 'CARD_TYPE_NO_POINTS', 'group card');
  assert.equal(await balance(g), 0);
});

test('claims fill the capacity: the third claim of a capacity-2 event → 409 EVENT_FULL', async () => {
  const token = await pb.attendanceToken(await tok(counterA), ev.small.id);
  const [x, y, z] = [await fx.patron(), await fx.patron(), await fx.patron()];
  assertStatus(await pb.claimRaw(x, token), 201, 'first');
  assertStatus(await pb.claimRaw(y, token), 201, 'second');
  assertError(await pb.claimRaw(z, token), 409, 'EVENT_FULL', 'third');
  assert.equal(await balance(z), 0);
  const e = assertStatus(await srv.api('GET', `/events/${ev.small.id}`), 200).event;
  assert.equal(e.capacity, 2);
});

test('at ends_at + 30 min a claim is still accepted; a second later → 409 CLAIM_WINDOW_CLOSED', async () => {
  await clock.set(t('12:30:00'));
  const token = await pb.attendanceToken(await tok(counterA), ev.talk.id);
  assertStatus(await pb.claimRaw(await fx.patron(), token), 201, 'at 12:30:00');
  await clock.set(t('12:30:01'));
  const later = await pb.attendanceToken(await tok(counterA), ev.talk.id);
  const p = await fx.patron();
  assertError(await pb.claimRaw(p, later), 409, 'CLAIM_WINDOW_CLOSED', 'at 12:30:01');
  assert.equal(await balance(p), 0);
});

test('backfill: filed by counter A (awaiting_approval, no points), listed in the queue; the filer approving → APPROVER_IS_FILER; another approves → points; again → BACKFILL_DECIDED', async () => {
  await clock.set(t('13:00:00'));
  const forgot = await fx.patron();
  const ta = await tok(counterA);
  const ta2 = await tok(counterA2);
  const r = await pb.fileBackfillRaw(ta, ev.talk.id, forgot.card, '簽到表上有簽名，手機沒電無法掃碼');
  const filed = assertStatus(r, 201, 'file a backfill').backfill;
  assert.ok(Number.isInteger(filed.id));
  assert.equal(filed.status, 'awaiting_approval');
  assert.equal(await balance(forgot), 0, 'no points before approval');
  assertError(await pb.fileBackfillRaw(await tok(counterB), ev.talk.id, forgot.card), 403, 'FORBIDDEN', 'counter staff of B, event of A');

  const queue = assertStatus(await srv.api('GET', '/backfills?status=awaiting_approval', { token: ta2 }), 200, 'the queue').backfills;
  const listed = queue.find((b) => b.id === filed.id);
  assert.ok(listed, `backfill ${filed.id} is in the queue`);
  assert.equal(listed.status, 'awaiting_approval');
  assert.equal(listed.card, forgot.card);
  assert.equal(listed.event_id, ev.talk.id);
  for (const b of queue) assert.equal(b.status, 'awaiting_approval');

  assertError(await pb.approveRaw(ta, filed.id), 409, 'APPROVER_IS_FILER', 'the filer approves');
  assert.equal(await balance(forgot), 0);
  const ok = await pb.approveRaw(ta2, filed.id);
  assertStatus(ok, 200, 'a second staff member approves');
  assert.equal(ok.body.backfill.status, 'approved');
  assert.equal(await balance(forgot), 3, 'the event\'s points arrive');
  const entry = (await pb.entries(forgot, 2026, 5)).entries[0];
  assert.equal(entry.kind, 'event');
  assert.equal(entry.delta, 3);

  assertError(await pb.approveRaw(ta2, filed.id), 409, 'BACKFILL_DECIDED', 'approving again');
  assertError(await pb.rejectRaw(ta2, filed.id), 409, 'BACKFILL_DECIDED', 'rejecting an approved one');
  assert.equal(await balance(forgot), 3);
  const after = assertStatus(await srv.api('GET', '/backfills?status=awaiting_approval', { token: ta2 }), 200).backfills;
  assert.ok(!after.some((b) => b.id === filed.id), 'no longer in the queue');

  assertError(await pb.fileBackfillRaw(ta, ev.talk.id, forgot.card), 409, 'ALREADY_CREDITED', 'backfilled already');
  assertError(await pb.fileBackfillRaw(ta, ev.talk.id, p1.card), 409, 'ALREADY_CREDITED', 'claimed by QR already');
  assertError(await pb.fileBackfillRaw(ta, ev.talk.id, (await fx.patron({ type: 'group' })).card), 409, 'CARD_TYPE_NO_POINTS', 'a group card');
});

test('backfill: reject works (no points, leaves the queue, deciding again → BACKFILL_DECIDED)', async () => {
  const p = await fx.patron();
  const filed = assertStatus(await pb.fileBackfillRaw(await tok(counterA), ev.talk.id, p.card), 201).backfill;
  const r = await pb.rejectRaw(await tok(counterA2), filed.id);
  assertStatus(r, 200, 'reject');
  assert.equal(r.body.backfill.status, 'rejected');
  assert.equal(await balance(p), 0);
  const queue = assertStatus(await srv.api('GET', '/backfills?status=awaiting_approval', { token: await tok(counterA2) }), 200).backfills;
  assert.ok(!queue.some((b) => b.id === filed.id));
  assertError(await pb.approveRaw(await tok(counterA2), filed.id), 409, 'BACKFILL_DECIDED', 'approving a rejected one');
  assertError(await pb.rejectRaw(await tok(counterA2), filed.id), 409, 'BACKFILL_DECIDED', 'rejecting twice');
  // A rejected backfill does not block a new one.
  assertStatus(await pb.fileBackfillRaw(await tok(counterA), ev.talk.id, p.card, '補件後重新申請'), 201, 'filing again');
});

test('backfills never exceed capacity: with capacity 1, the second approval → EVENT_FULL; QR claims and new filings too', async () => {
  // Its claim window (12:30–13:30) is open now, at 13:00.
  const e = await pb.createEvent(await tok(adminA), { branch: A, starts_at: t('12:00:00'), ends_at: t('13:00:00'), attendance_points: 2, capacity: 1 });
  const [x, y, z] = [await fx.patron(), await fx.patron(), await fx.patron()];
  const ta = await tok(counterA);
  const bx = assertStatus(await pb.fileBackfillRaw(ta, e.id, x.card), 201).backfill;
  const by = assertStatus(await pb.fileBackfillRaw(ta, e.id, y.card), 201).backfill;
  assertStatus(await pb.approveRaw(await tok(counterA2), bx.id), 200, 'first approval');
  assertError(await pb.approveRaw(await tok(counterA2), by.id), 409, 'EVENT_FULL', 'second approval over capacity');
  assert.equal(await balance(x), 2);
  assert.equal(await balance(y), 0);
  const token = await pb.attendanceToken(ta, e.id);
  assertError(await pb.claimRaw(z, token), 409, 'EVENT_FULL', 'a QR claim when backfills filled it');
  assertError(await pb.fileBackfillRaw(ta, e.id, z.card), 409, 'EVENT_FULL', 'filing when full');
  const got = assertStatus(await srv.api('GET', `/events/${e.id}`), 200).event;
  assert.ok(got.credits === undefined || got.credits === 1, `credits ${got.credits}`);
  assertError(await pb.claimRaw(x, token), 409, 'ALREADY_CLAIMED', 'a backfilled card claiming by QR');
});

test('backfill: a card credited by QR while its backfill waits → approval 409 ALREADY_CREDITED; one credit; a second filing → ALREADY_EXISTS', async () => {
  const e = await pb.createEvent(await tok(adminA), { branch: A, starts_at: t('12:00:00'), ends_at: t('13:00:00'), attendance_points: 4, capacity: 0 });
  const [w, v] = [await fx.patron(), await fx.patron()];
  const ta = await tok(counterA);
  const bw = assertStatus(await pb.fileBackfillRaw(ta, e.id, w.card), 201).backfill;
  assertError(await pb.fileBackfillRaw(await tok(counterA2), e.id, w.card), 409, 'ALREADY_EXISTS', 'one awaiting already');
  assertStatus(await pb.claimRaw(w, await pb.attendanceToken(ta, e.id)), 201, 'the card claims by QR meanwhile');
  assertError(await pb.approveRaw(await tok(counterA2), bw.id), 409, 'ALREADY_CREDITED', 'approving after the QR credit');
  assert.equal(await balance(w), 4, 'credited once');

  const bv = assertStatus(await pb.fileBackfillRaw(ta, e.id, v.card), 201).backfill;
  assertError(await pb.approveRaw(await tok(counterB), bv.id), 403, 'FORBIDDEN', 'counter staff of another branch approving');
  const queueB = assertStatus(await srv.api('GET', '/backfills?status=awaiting_approval', { token: await tok(counterB) }), 200).backfills;
  assert.ok(!queueB.some((b) => b.id === bv.id), 'branch B staff do not see branch A\'s queue');
  assertStatus(await pb.approveRaw(await fx.admin(), bv.id), 200, 'a sysadmin (all branches) approves');
  assert.equal(await balance(v), 4);
});

let pr = {};
test('registration paid in points: 201 debited; again → ALREADY_REGISTERED; INSUFFICIENT_POINTS; EVENT_FULL by registrations; cancel before the deadline → refunded', async () => {
  await clock.set(t('14:00:00'));
  ev.paid = await pb.createEvent(await tok(adminA), {
    branch: A, title: '手作課', starts_at: '2026-05-10T10:00:00+08:00', ends_at: '2026-05-10T12:00:00+08:00',
    attendance_points: 2, capacity: 2, registration_cost: 5, registration_deadline: '2026-05-08T18:00:00+08:00',
  });
  assert.equal(ev.paid.registration_cost, 5);
  pr = { one: await fx.patron(), two: await fx.patron(), three: await fx.patron(), four: await fx.patron() };
  await pb.earn([pr.one, pr.two, pr.three, pr.four], 6, A);   // 6 points each
  await pb.earn(pr.four, 4, A);                                 // pr.four: 10

  const r = await pb.registerRaw(pr.one, ev.paid.id);
  const reg = assertStatus(r, 201, 'register').registration;
  assert.equal(reg.event_id, ev.paid.id);
  assert.equal(reg.status, 'registered');
  assert.equal(reg.cost, 5);
  assert.equal(await balance(pr.one), 1, 'debited 5');
  const entry = (await pb.entries(pr.one, 2026, 5)).entries[0];
  assert.equal(entry.kind, 'registration');
  assert.equal(entry.delta, -5);
  assertError(await pb.registerRaw(pr.one, ev.paid.id), 409, 'ALREADY_REGISTERED', 'registering again');
  assert.equal(await balance(pr.one), 1);

  // pr.two spends 2 of its 6 points on a prize: 4 left, one short of the cost.
  const prize = await pb.createPrize(await tok(adminA), { branch: A, cost: 2, stock: 5 });
  assertStatus(await pb.counterRedeemRaw(await tok(counterA), pr.two.card, prize.id), 201);
  const poor = await pb.registerRaw(pr.two, ev.paid.id);
  assertError(poor, 409, 'INSUFFICIENT_POINTS', 'balance 4, cost 5');
  assert.match(poor.body.error.message, /(^|\D)5(\D|$)/);
  assert.match(poor.body.error.message, /(^|\D)4(\D|$)/);
  assert.equal(await balance(pr.two), 4);

  assertStatus(await pb.registerRaw(pr.three, ev.paid.id), 201, 'second registration: full now');
  assertError(await pb.registerRaw(pr.four, ev.paid.id), 409, 'EVENT_FULL', 'third registration, capacity 2');
  assert.equal(await balance(pr.four), 10);

  const c = await pb.unregisterRaw(pr.three, ev.paid.id);
  assertStatus(c, 200, 'cancel before the deadline');
  assert.equal(c.body.registration.status, 'cancelled');
  assert.equal(await balance(pr.three), 6, 'refunded');
  const refund = (await pb.entries(pr.three, 2026, 5)).entries[0];
  assert.equal(refund.kind, 'refund');
  assert.equal(refund.delta, 5);
  assertStatus(await pb.registerRaw(pr.four, ev.paid.id), 201, 'a place is free again');
  assert.equal(await balance(pr.four), 5);
});

test('register, cancel, register again, cancel again: each registration debited once and refunded once', async () => {
  const p = await fx.patron();
  await pb.earn(p, 4, A);
  const e = await pb.createEvent(await tok(adminA), {
    branch: A, starts_at: '2026-05-15T10:00:00+08:00', ends_at: '2026-05-15T11:00:00+08:00', attendance_points: 1, capacity: 0, registration_cost: 3,
  });
  assertStatus(await pb.registerRaw(p, e.id), 201, 'register');
  assertStatus(await pb.unregisterRaw(p, e.id), 200, 'cancel');
  assert.equal(await balance(p), 4);
  const again = assertStatus(await pb.registerRaw(p, e.id), 201, 'register again').registration;
  assert.equal(again.balance, 1);
  const r = await pb.unregisterRaw(p, e.id);
  assertStatus(r, 200, 'cancel the second registration');
  assert.equal(r.body.registration.status, 'cancelled');
  assert.equal(await balance(p), 4, 'the second debit refunded too');
  const kinds = (await pb.entries(p, 2026, 5)).entries.slice(0, 4).map((x) => `${x.kind} ${x.delta}`);
  assert.deepEqual(kinds, ['refund 3', 'registration -3', 'refund 3', 'registration -3']);
});

test('registration closes at the deadline (or at starts_at without one): registering or cancelling → 409 REGISTRATION_CLOSED', async () => {
  ev.free = await pb.createEvent(await tok(adminA), {
    branch: A, starts_at: '2026-05-09T10:00:00+08:00', ends_at: '2026-05-09T11:00:00+08:00',
    attendance_points: 1, capacity: 0, registration_cost: 1,
  });
  await clock.jump('2026-05-08T17:59:59+08:00');
  assertStatus(await pb.registerRaw(pr.three, ev.free.id), 201, 'no deadline: open before starts_at');
  await clock.jump('2026-05-08T18:00:00+08:00');
  assertError(await pb.unregisterRaw(pr.one, ev.paid.id), 409, 'REGISTRATION_CLOSED', 'cancelling at the deadline');
  assert.equal(await balance(pr.one), 1, 'no refund');
  assertError(await pb.registerRaw(pr.three, ev.paid.id), 409, 'REGISTRATION_CLOSED', 'registering at the deadline');
  assertStatus(await pb.unregisterRaw(pr.three, ev.free.id), 200, 'the other event has no deadline: still before starts_at');
  assertStatus(await pb.registerRaw(pr.three, ev.free.id), 201, 'register again');
  await clock.jump('2026-05-09T10:00:00+08:00');
  assertError(await pb.unregisterRaw(pr.three, ev.free.id), 409, 'REGISTRATION_CLOSED', 'no deadline: closed at starts_at');
});

test('points given back by an expired redemption code can pay a registration at once, before the sweeper runs', async () => {
  await clock.jump('2026-05-11T10:00:00+08:00');
  const p = await fx.patron();
  await pb.earn(p, 5, A);
  const prize = await pb.createPrize(await tok(adminA), { branch: A, cost: 5, stock: 5 });
  const e = await pb.createEvent(await tok(adminA), {
    branch: A, starts_at: '2026-05-20T10:00:00+08:00', ends_at: '2026-05-20T11:00:00+08:00', attendance_points: 1, capacity: 0, registration_cost: 5,
  });
  await pb.redeem(p, prize.id);
  assert.equal(await balance(p), 0);
  await clock.move(300);   // the code has expired; the sweeper runs only every few seconds
  assert.equal(await balance(p), 5, 'GET /passbook has the cost back');
  const r = await pb.registerRaw(p, e.id);
  assertStatus(r, 201, 'registering with the refunded points');
  assert.equal(r.body.registration.balance, 0);
});

test('`bookstamp ledger verify` exits 0 after the events', async () => {
  const r = await runCli(['ledger', 'verify', '--data', srv.dataDir]);
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
});
