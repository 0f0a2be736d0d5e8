// Reports (PRODUCT.md A3) and home content (P6, A5) through the API: the redemption report as JSON,
// CSV (BOM, CRLF, quoting, no formulas) and XLSX (unzipped with Debian's unzip), who may read what,
// points per branch, a card's changes without titles; the home page and its staff editor.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, Fixture, assertError, assertStatus, at } from './lib/server.mjs';
import { Passbook } from './lib/passbook.mjs';

const PRIZE = '故宮明信片';
const SNEAKY = '=HYPERLINK("http://x"),"獎"';
let srv, fx, pb, A, B, p, admin, titles;

before(async () => {
  srv = await startServer();
  fx = new Fixture(srv);
  pb = new Passbook(fx);
  await fx.setClock(at('2026-03-02', '10:00'));
  A = await fx.branch();
  B = await fx.branch();
  p = await fx.patron();
  await pb.earn(p, 10, A);
  admin = await fx.admin();
  const a = await pb.createPrize(admin, { branch: A, name: PRIZE, cost: 3, stock: 5 });
  const b = await pb.createPrize(admin, { branch: B, name: SNEAKY, cost: 4, stock: 5 });
  assertStatus(await pb.counterRedeemRaw(admin, p.card, a.id), 201, 'redeem at A');
  assertStatus(await pb.counterRedeemRaw(admin, p.card, b.id), 201, 'redeem at B');
  titles = (await fx.loans(p)).map?.((l) => l.title) ?? [];
});
after(async () => { await srv?.stop(); });

const q = (o) => new URLSearchParams(o).toString();
const range = { from: '2026-03-01', to: '2026-03-02' };

async function download(pathAndQuery, token) {
  const res = await fetch(`${srv.url}/api/v1${pathAndQuery}`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

test('the redemption report as JSON: rows, masked cards and per-branch totals', async () => {
  const r = assertStatus(await srv.api('GET', `/reports/redemptions?${q(range)}`, { token: admin }), 200, 'report');
  assert.deepEqual(r.period, { branch: null, from: '2026-03-01', to: '2026-03-02' });
  assert.equal(r.redemptions.length, 2);
  const row = r.redemptions.find((x) => x.prize_name === PRIZE);
  assert.equal(row.branch, A);
  assert.equal(row.status, 'completed');
  assert.equal(row.channel, 'counter');
  assert.notEqual(row.card_masked, p.card);
  assert.equal(r.totals.find((t) => t.branch === A).completed_points, 3);
  assert.equal(r.total.completed_points, 7);
  const none = assertStatus(await srv.api('GET', '/reports/redemptions?from=2026-02-01&to=2026-02-02', { token: admin }), 200);
  assert.equal(none.redemptions.length, 0);
  assertError(await srv.api('GET', '/reports/redemptions?from=2026-03-03&to=2026-03-01', { token: admin }), 400, 'VALIDATION_FAILED');
  assertError(await srv.api('GET', '/reports/redemptions?format=pdf', { token: admin }), 400, 'VALIDATION_FAILED');
  assertError(await srv.api('GET', '/reports/redemptions?from=yesterday', { token: admin }), 400, 'VALIDATION_FAILED');
});

test('the CSV opens cleanly: BOM, CRLF, RFC 4180 quoting, Chinese intact, no formula', async () => {
  const d = await download(`/reports/redemptions?${q({ ...range, format: 'csv' })}`, admin);
  assert.equal(d.status, 200);
  assert.match(d.headers.get('content-type'), /^text\/csv/);
  assert.match(d.headers.get('content-disposition'), /^attachment; filename="redemptions_all_2026-03-01_2026-03-02\.csv"$/);
  assert.deepEqual([...d.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const text = d.bytes.subarray(3).toString('utf8');
  const lines = text.split('\r\n');
  assert.equal(lines.at(-1), '', 'ends with CRLF');
  assert.equal(lines.length, 4, 'header + 2 rows');
  assert.ok(!text.replace(/\r\n/g, '').includes('\n'), 'no bare LF');
  assert.ok(lines[1].includes(PRIZE) || lines[2].includes(PRIZE));
  const sneaky = lines.find((l) => l.includes('HYPERLINK'));
  assert.ok(sneaky.includes('"\'=HYPERLINK(""http://x""),""獎"""'), sneaky);
});

test('the XLSX is a workbook with the list and a totals sheet (unzip)', async () => {
  const d = await download(`/reports/redemptions?${q({ ...range, format: 'xlsx', branch: A })}`, admin);
  assert.equal(d.status, 200);
  assert.equal(d.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(d.headers.get('content-disposition'), new RegExp(`filename="redemptions_${A}_2026-03-01_2026-03-02\\.xlsx"`));
  const dir = mkdtempSync(path.join(tmpdir(), 'bookstamp-xlsx-'));
  try {
    const file = path.join(dir, 'r.xlsx');
    writeFileSync(file, d.bytes);
    const list = execFileSync('unzip', ['-l', file], { encoding: 'utf8' });
    assert.match(list, /xl\/worksheets\/sheet1\.xml/);
    assert.match(list, /xl\/worksheets\/sheet2\.xml/);
    const sheet1 = execFileSync('unzip', ['-p', file, 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
    assert.ok(sheet1.includes(PRIZE), 'the Chinese prize name is in the first sheet');
    assert.ok(sheet1.includes('獎品'), 'the header row');
    assert.ok(!sheet1.includes('HYPERLINK'), 'only branch A');
    assert.ok(!sheet1.includes('<f>'), 'no formulas');
    const book = execFileSync('unzip', ['-p', file, 'xl/workbook.xml'], { encoding: 'utf8' });
    assert.ok(book.includes('兌換明細') && book.includes('分館合計'), book);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('who reads reports: branch admins their branch only, counters none, auditors all', async () => {
  const ba = await fx.staffToken(await fx.staff({ role: 'branch_admin', branch: A }));
  const own = assertStatus(await srv.api('GET', `/reports/redemptions?${q(range)}`, { token: ba }), 200);
  assert.equal(own.period.branch, A);
  assert.deepEqual(own.redemptions.map((x) => x.branch), [A]);
  assertError(await srv.api('GET', `/reports/redemptions?branch=${B}`, { token: ba }), 403, 'FORBIDDEN');
  assertError(await srv.api('GET', `/reports/points?branch=${B}`, { token: ba }), 403, 'FORBIDDEN');
  const counter = await fx.staffToken(await fx.staff({ role: 'counter', branch: A }));
  assertError(await srv.api('GET', '/reports/redemptions', { token: counter }), 403, 'FORBIDDEN');
  assertError(await srv.api('GET', `/reports/card-points?card=${p.card}`, { token: counter }), 403, 'FORBIDDEN');
  assertError(await srv.api('GET', '/reports/redemptions', { token: await fx.patronToken(p) }), 403, 'FORBIDDEN');
  assertError(await srv.api('GET', '/reports/redemptions'), 401, 'UNAUTHENTICATED');
  const auditor = await fx.staffToken(await fx.staff({ role: 'auditor' }));
  assert.equal(assertStatus(await srv.api('GET', `/reports/redemptions?${q(range)}`, { token: auditor }), 200).redemptions.length, 2);
  assertError(await srv.api('GET', '/reports/redemptions?branch=NOPE', { token: auditor }), 404, 'BRANCH_NOT_FOUND');
});

test('points per branch and day; a card\'s changes show points and dates, never titles', async () => {
  const r = assertStatus(await srv.api('GET', `/reports/points?${q(range)}`, { token: admin }), 200);
  const a = r.branches.find((x) => x.branch === A);
  assert.equal(a.issued_for_loans, 10);
  assert.equal(a.redemptions, 3);
  assert.equal(r.total.redeemed, 7);
  assert.ok(r.days.some((x) => x.branch === A && x.day === '2026-03-02'));
  const csv = await download(`/reports/points?${q({ ...range, format: 'csv' })}`, admin);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-disposition'), /points_all_2026-03-01_2026-03-02\.csv/);

  const c = assertStatus(await srv.api('GET', `/reports/card-points?${q({ card: p.card, ...range })}`, { token: admin }), 200);
  assert.equal(c.entries.length, 12);
  assert.equal(c.earned, 10);
  assert.equal(c.spent, 7);
  assert.equal(c.balance, 3);
  for (const t of titles) assert.ok(!JSON.stringify(c).includes(t), 'no title');
  const x = await download(`/reports/card-points?${q({ card: p.card, ...range, format: 'csv' })}`, admin);
  assert.equal(x.status, 200);
  assert.ok(!x.bytes.toString('utf8').includes('書名'), 'no title in the CSV');
  assertError(await srv.api('GET', '/reports/card-points?card=NOPE', { token: admin }), 404, 'CARD_NOT_FOUND');
  assertError(await srv.api('GET', '/reports/card-points', { token: admin }), 400, 'VALIDATION_FAILED');
});

test('home content: staff edit it (audited), the public home shows what is current', async () => {
  const bib = await fx.bib({ title: '精選好書', items: [{ branch: A }, { branch: A }] });
  const ann = assertStatus(await srv.api('POST', '/announcements', {
    token: admin, body: { title: '閱讀存摺上線', body: '借書集點', link: 'https://example.org/x', starts_at: at('2026-03-01'), ends_at: at('2026-04-01') },
  }), 201).announcement;
  assertStatus(await srv.api('POST', '/announcements', {
    token: admin, body: { title: '未來公告', starts_at: at('2026-05-01') },
  }), 201);
  const list = assertStatus(await srv.api('POST', '/featured-lists', { token: admin, body: { title: '本月精選', bib_ids: [bib.bib_id] } }), 201).featured_list;
  assert.deepEqual(list.bib_ids, [bib.bib_id]);
  const link = assertStatus(await srv.api('POST', '/quick-links', {
    token: admin, body: { label_zh: '電子書', label_en: 'E-books', url: 'https://example.org/ebooks', icon: 'book' },
  }), 201).quick_link;
  assertError(await srv.api('POST', '/quick-links', { token: admin, body: { label_zh: 'x', url: 'javascript:alert(1)' } }), 400, 'VALIDATION_FAILED');
  assertError(await srv.api('POST', '/featured-lists', { token: admin, body: { title: 'x', bib_ids: [999999] } }), 404, 'BIB_NOT_FOUND');
  const counter = await fx.staffToken(await fx.staff({ role: 'counter', branch: A }));
  assertError(await srv.api('POST', '/announcements', { token: counter, body: { title: 'x' } }), 403, 'FORBIDDEN');

  const home = assertStatus(await srv.api('GET', '/home'), 200);
  assert.deepEqual(home.announcements.map((x) => x.title), ['閱讀存摺上線']);
  const fl = home.featured_lists.find((x) => x.id === list.id);
  assert.equal(fl.bibs[0].title, '精選好書');
  assert.equal(fl.bibs[0].items, 2);
  assert.equal(fl.bibs[0].available, 2);
  assert.ok(home.quick_links.some((x) => x.label_zh === '電子書'));

  const patched = assertStatus(await srv.api('PATCH', `/announcements/${ann.id}`, { token: admin, body: { title: '新標題', link: null } }), 200).announcement;
  assert.equal(patched.title, '新標題');
  assert.equal(patched.link, null);
  assertStatus(await srv.api('PATCH', `/featured-lists/${list.id}`, { token: admin, body: { active: false } }), 200);
  assertStatus(await srv.api('PATCH', `/quick-links/${link.id}`, { token: admin, body: { position: 3 } }), 200);
  assert.ok(!assertStatus(await srv.api('GET', '/home'), 200).featured_lists.some((x) => x.id === list.id), 'inactive lists hidden');
  assertStatus(await srv.api('DELETE', `/quick-links/${link.id}`, { token: admin }), 204);
  assertStatus(await srv.api('DELETE', `/announcements/${ann.id}`, { token: admin }), 204);
  assertStatus(await srv.api('DELETE', `/featured-lists/${list.id}`, { token: admin }), 204);
  assertError(await srv.api('DELETE', `/featured-lists/${list.id}`, { token: admin }), 404, 'NOT_FOUND');
  const all = assertStatus(await srv.api('GET', '/content', { token: admin }), 200);
  assert.deepEqual(all.announcements.map((x) => x.title), ['未來公告']);
  const audit = assertStatus(await srv.api('GET', '/audit?action=quick_link.*', { token: admin }), 200);
  assert.deepEqual(audit.entries.map((e) => e.action), ['quick_link.delete', 'quick_link.update', 'quick_link.create']);
});
