// The "Done when" scenario of the foundation issue, told as one story through the HTTP API:
// checkout with points, late returns and 停權 (borrowing suspension), holds (預約) trapped at the
// pickup branch or sent in transit, the hold shelf, and no-shows suspending reserving.
// Steps share state and run in order; dates are in Asia/Taipei.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Fixture, assertError, assertStatus, at, addDays } from './lib/server.mjs';

let srv;
let fx;
before(async () => {
  srv = await startServer();
  fx = new Fixture(srv);
});
after(async () => { await srv?.stop(); });

describe('foundation "Done when" story', () => {
  const DAY0 = '2026-03-02';          // a Monday
  const DUE = addDays(DAY0, 28);      // 2026-03-30
  const LATE = addDays(DUE, 5);       // 2026-04-04: 5 days overdue
  let A, B;                           // main branch, another branch
  let reader, heavy, spare;           // patrons
  let book, extra, three;             // bibs

  it('sets up branches, patrons and books through the API', async () => {
    await fx.setClock(at(DAY0));
    A = await fx.branch({ name: '總館' });
    B = await fx.branch({ name: '西區分館' });
    const branches = assertStatus(await srv.api('GET', '/branches'), 200).branches;
    assert.ok(branches.some((b) => b.code === A && b.name === '總館' && b.mobile_checkout === false));
    reader = await fx.patron({ name: '陳讀者' });
    heavy = await fx.patron({ name: '三本書' });
    spare = await fx.patron();
    book = await fx.bib({ title: '小王子', items: [{ branch: A }] });
    extra = await fx.bib({ items: [{ branch: A }] });
    three = await Promise.all([1, 2, 3].map(() => fx.bib({ items: [{ branch: A }] })));
    const bibRead = assertStatus(await srv.api('GET', `/bibs/${book.bib_id}`), 200);
    assert.equal(bibRead.title, '小王子');
    assert.deepEqual(bibRead.items.map((i) => i.barcode), book.barcodes);
  });

  it('checks out: due on checkout day + 28, one point credited', async () => {
    const out = await fx.checkout(reader.card, book.barcodes[0], A);
    assert.equal(out.loan.due_on, DUE);
    assert.ok(out.loan.id !== undefined);
    assert.equal(out.points_credited, 1);
    assert.equal(out.points_reason, null);
    assert.equal(out.balance, 1);
    assert.equal(out.hold_fulfilled, null);
    for (const b of three) await fx.checkout(heavy.card, b.barcodes[0], A);
    const loans = await fx.loans(heavy);
    assert.equal(loans.length, 3);
    assert.ok(loans.every((l) => l.due_on === DUE));
  });

  it('a late return adds d days of suspension; the status says when borrowing resumes', async () => {
    await fx.setClock(at(LATE));
    const back = await fx.checkin(book.barcodes[0], A);
    assert.equal(back.loan.item_barcode, book.barcodes[0]);
    assert.equal(back.loan.due_on, DUE);
    assert.equal(back.overdue_days, 5);
    assert.equal(back.suspension_days_added, 5);
    assert.equal(back.item_status, 'available');
    assert.equal(back.hold, null);
    const st = await fx.status(reader);
    assert.equal(st.status, 'active');
    assert.equal(st.suspension_days_left, 5);
    assert.equal(st.borrow_resumes_on, addDays(LATE, 5));
    assert.equal(st.reserve_resumes_on, null);
  });

  it('a suspended card is refused a checkout with 409 BORROW_SUSPENDED, and the message gives the date', async () => {
    const r = await fx.checkoutRaw(reader.card, extra.barcodes[0], A);
    assertError(r, 409, 'BORROW_SUSPENDED');
    assert.match(r.body.error.message, new RegExp(addDays(LATE, 5)), 'the message names the day borrowing resumes');
  });

  it('three items each 5 days overdue returned the same day add 15 days', async () => {
    const added = [];
    for (const b of three) added.push((await fx.checkin(b.barcodes[0], A)).suspension_days_added);
    assert.deepEqual(added, [5, 5, 5]);
    const st = await fx.status(heavy);
    assert.equal(st.suspension_days_left, 15);
    assert.equal(st.borrow_resumes_on, addDays(LATE, 15));
  });

  it('the suspension ends on borrow_resumes_on', async () => {
    await fx.setClock(at(addDays(LATE, 4), '20:00'));
    assert.equal((await fx.status(reader)).suspension_days_left, 1);
    await fx.setClock(at(addDays(LATE, 5), '09:00'));
    const st = await fx.status(reader);
    assert.equal(st.suspension_days_left, 0);
    assert.equal(st.borrow_resumes_on, null);
    await fx.checkout(reader.card, extra.barcodes[0], A);
  });

  // --- holds -----------------------------------------------------------------------------------
  const HOLD_DAY = '2026-04-10';
  let title;                  // two copies, both on loan to `lender`
  let lender, first, second, other;
  let firstHold, secondHold;

  it('holds by two cards on a title with all copies on loan queue at positions 1 and 2', async () => {
    await fx.setClock(at(HOLD_DAY, '09:00'));
    lender = await fx.patron();
    first = await fx.patron({ name: '第一位' });
    second = await fx.patron({ name: '第二位' });
    other = await fx.patron();
    title = await fx.bib({ title: '哈利波特', items: [{ branch: A }, { branch: A }] });
    await fx.checkout(lender.card, title.barcodes[0], A);
    await fx.checkout(lender.card, title.barcodes[1], A);

    await fx.setClock(at(HOLD_DAY, '10:00'));
    firstHold = await fx.placeHold(first, title.bib_id, A);
    await fx.setClock(at(HOLD_DAY, '10:05'));
    secondHold = await fx.placeHold(second, title.bib_id, A);
    assert.equal(firstHold.status, 'waiting');
    assert.equal(firstHold.queue_position, 1);
    assert.equal(firstHold.pickup_branch, A);
    assert.equal(firstHold.bib_id, title.bib_id);
    assert.equal(firstHold.pickup_by, null);
    assert.equal(secondHold.queue_position, 2);
    const listed = await fx.holds(second);
    assert.deepEqual(listed.map((h) => [h.id, h.status, h.queue_position, h.title]), [[secondHold.id, 'waiting', 2, '哈利波特']]);
  });

  it('a copy checked in at the first hold\'s pickup branch goes on the hold shelf: ready, pickup_by = today + 7', async () => {
    await fx.setClock(at(HOLD_DAY, '11:00'));
    const r = await fx.checkin(title.barcodes[0], A);
    assert.equal(r.item_status, 'on_hold_shelf');
    assert.equal(r.hold.id, firstHold.id);
    assert.equal(r.hold.status, 'ready');
    assert.equal(r.hold.pickup_by, addDays(HOLD_DAY, 7));
    const [h] = await fx.holds(first);
    assert.equal(h.status, 'ready');
    assert.equal(h.queue_position, null);
    assert.equal(h.pickup_by, addDays(HOLD_DAY, 7));
    // The second card moves up the queue.
    assert.equal((await fx.holds(second))[0].queue_position, 1);
  });

  it('a copy checked in at another branch goes in transit, and is ready once checked in at the pickup branch', async () => {
    const away = await fx.checkin(title.barcodes[1], B);
    assert.equal(away.item_status, 'in_transit');
    assert.equal(away.hold.id, secondHold.id);
    assert.equal(away.hold.status, 'in_transit');
    assert.equal(away.hold.queue_position, null);
    assert.equal((await fx.holds(second))[0].status, 'in_transit');

    await fx.setClock(at(addDays(HOLD_DAY, 1), '10:00'));
    const home = await fx.checkin(title.barcodes[1], A);
    assert.equal(home.item_status, 'on_hold_shelf');
    assert.equal(home.hold.id, secondHold.id);
    assert.equal(home.hold.status, 'ready');
    assert.equal(home.hold.pickup_by, addDays(HOLD_DAY, 8));
  });

  it('another card cannot check out the trapped copy: 409 ITEM_HELD_FOR_ANOTHER', async () => {
    assertError(await fx.checkoutRaw(other.card, title.barcodes[0], A), 409, 'ITEM_HELD_FOR_ANOTHER');
  });

  it('the holder checks out the trapped copy and the hold is fulfilled', async () => {
    const out = await fx.checkout(first.card, title.barcodes[0], A);
    assert.equal(out.hold_fulfilled, firstHold.id);
    assert.equal(out.points_credited, 1);
    const active = (await fx.holds(first)).filter((h) => ['waiting', 'in_transit', 'ready'].includes(h.status));
    assert.deepEqual(active, []);
  });

  it('a ready hold stays ready through its pickup date and expires after it', async () => {
    const pickupBy = addDays(HOLD_DAY, 8);
    await fx.setClock(at(pickupBy, '23:59'));
    assert.equal((await fx.holds(second)).find((h) => h.id === secondHold.id)?.status, 'ready');
    await fx.setClock(at(addDays(pickupBy, 1), '09:00'));
    const h = (await fx.holds(second)).find((x) => x.id === secondHold.id);
    assert.ok(h === undefined || h.status === 'expired', `hold after its pickup date: ${JSON.stringify(h)}`);
    // The copy is free again: anyone may borrow it.
    await fx.checkout(other.card, title.barcodes[1], A);
  });

  let thirdPickup;
  it('two more holds trapped on the hold shelf and not picked up (no-shows 2 and 3)', async () => {
    // No-show 1 was the hold above (pickup date HOLD_DAY + 8). Two more, each on a copy on the shelf.
    let pickupBy = addDays(HOLD_DAY, 8);
    for (let n = 2; n <= 3; n++) {
      const day = addDays(pickupBy, 1);
      await fx.setClock(at(day, '10:00'));
      const shelf = await fx.bib({ items: [{ branch: A }] });
      const hold = await fx.placeHold(second, shelf.bib_id, A);
      assert.equal(hold.status, 'waiting', `hold ${n} waits until the copy is scanned`);
      const trapped = await fx.checkin(shelf.barcodes[0], A);
      assert.equal(trapped.hold?.id, hold.id);
      assert.equal(trapped.item_status, 'on_hold_shelf');
      pickupBy = addDays(day, 7);
      assert.equal(trapped.hold.pickup_by, pickupBy);
    }
    thirdPickup = pickupBy;
    // Two no-shows do not suspend reserving.
    assert.equal((await fx.status(second)).reserve_resumes_on, null);
  });

  // Both of the next two steps run right after the third pickup date, before the server's
  // sweeper (every 10 s) has written the expiry: RULES.md says every read treats the hold as
  // expired already, and the card's status always says when reserving resumes.
  it('after the third no-show\'s pickup date the status says reserving resumes on that date + 31', async () => {
    await fx.setClock(at(addDays(thirdPickup, 1), '10:00'));
    const st = await fx.status(second);
    assert.equal(st.reserve_resumes_on, addDays(thirdPickup, 31));
    assert.equal(st.borrow_resumes_on, null, 'borrowing is not affected');
    assert.equal(st.suspension_days_left, 0);
  });

  it('placing a hold after the third no-show answers 409 RESERVE_SUSPENDED', async () => {
    await fx.setClock(at(addDays(thirdPickup, 1), '10:30'));
    const next = await fx.bib({ items: [{ branch: A }] });
    assertError(await fx.placeHoldRaw(second, next.bib_id, A), 409, 'RESERVE_SUSPENDED', 'hold after the third no-show');
  });

  it('reserving stays suspended until the third pickup date + 31, then holds are accepted again', async () => {
    const resumes = addDays(thirdPickup, 31);
    await fx.setClock(at(addDays(thirdPickup, 2), '10:00'));
    const st = await fx.status(second);
    assert.equal(st.reserve_resumes_on, resumes);
    assert.equal(st.borrow_resumes_on, null);
    const next = await fx.bib({ items: [{ branch: A }] });
    const refused = await fx.placeHoldRaw(second, next.bib_id, A);
    assertError(refused, 409, 'RESERVE_SUSPENDED');
    assert.match(refused.body.error.message, new RegExp(resumes));
    await fx.setClock(at(addDays(resumes, -1), '23:00'));
    assertError(await fx.placeHoldRaw(second, next.bib_id, A), 409, 'RESERVE_SUSPENDED', 'the day before it resumes');
    await fx.setClock(at(resumes, '09:00'));
    assert.equal((await fx.status(second)).reserve_resumes_on, null);
    await fx.placeHold(second, next.bib_id, A);
  });
});
