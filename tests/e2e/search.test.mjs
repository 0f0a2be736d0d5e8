// Catalog search (查詢館藏, PRODUCT.md P5; API.md GET /search) through the real server: the
// indexer follows new records within a second, hits carry live holdings, Chinese, ISBN and class
// searches, the generated cover, and `bookstamp import marc` / `reindex` beside a running server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, Fixture, assertError, assertStatus, at, runCli, repoRoot, uniq } from './lib/server.mjs';

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

const search = (query) => srv.api('GET', `/search?${new URLSearchParams(query)}`);

// Polls GET /search until `ok(body)` holds; returns {body, ms}. Fails after `limitMs`.
async function waitFor(query, ok, limitMs = 1000) {
  const started = Date.now();
  for (;;) {
    const r = await search(query);
    assertStatus(r, 200, `GET /search ${JSON.stringify(query)}`);
    if (ok(r.body)) return { body: r.body, ms: Date.now() - started };
    assert.ok(Date.now() - started < limitMs, `not found within ${limitMs} ms: ${JSON.stringify(query)} -> ${r.text}`);
    await new Promise((res) => setTimeout(res, 25));
  }
}

async function addBib(body) {
  const items = (body.items ?? []).map((i) => ({ barcode: uniq('I'), ...i }));
  const r = await srv.api('POST', '/bibs', { token: await fx.admin(), body: { ...body, items } });
  assertStatus(r, 201, 'POST /bibs');
  return { bib_id: r.body.bib_id, barcodes: items.map((i) => i.barcode) };
}

test('a new record is found within a second, with the fields of API.md and live holdings', async () => {
  const bib = await addBib({
    title: '紅樓夢', author: '曹雪芹', publisher: '里仁書局', year: 1984, isbn: '957-33-1724-9', class_no: '857.49',
    items: [{ branch: A }, { branch: A }, { branch: B }],
  });
  const { body, ms } = await waitFor({ q: '紅樓' }, (b) => b.hits.some((h) => h.bib_id === bib.bib_id));
  assert.ok(ms < 1000, `indexed after ${ms} ms`);
  const hit = body.hits.find((h) => h.bib_id === bib.bib_id);
  for (const f of ['bib_id', 'title', 'author', 'publisher', 'year', 'isbn', 'class_no', 'cover_url', 'holdings'])
    assert.ok(f in hit, `hit has ${f}`);
  assert.equal(hit.title, '紅樓夢');
  assert.equal(hit.year, 1984);
  assert.deepEqual(hit.holdings, {
    total: 3, available: 3,
    by_branch: [{ branch: A, total: 2, available: 2 }, { branch: B, total: 1, available: 1 }].sort((x, y) => (x.branch < y.branch ? -1 : 1)),
  });
  assert.equal(typeof body.total, 'number');
  assert.equal(body.sort, 'relevance');
  assert.ok(Array.isArray(body.facets.branch));

  // Checked out: one fewer available, at that branch only.
  const p = await fx.patron();
  await fx.checkout(p.card, bib.barcodes[0], A);
  const after = (await search({ q: '紅樓' })).body.hits.find((h) => h.bib_id === bib.bib_id);
  assert.equal(after.holdings.available, 2);
  assert.equal(after.holdings.by_branch.find((b) => b.branch === A).available, 1);
});

test('simplified finds traditional, one and two characters work, and ISBN-10 finds ISBN-13', async () => {
  const bib = await addBib({ title: '國家圖書館館訊', isbn: '9780306406157', class_no: '020.5', items: [{ branch: A }] });
  await waitFor({ q: '国家' }, (b) => b.hits.some((h) => h.bib_id === bib.bib_id));
  assert.ok((await search({ q: '訊' })).body.hits.some((h) => h.bib_id === bib.bib_id));
  assert.ok((await search({ isbn: '0-306-40615-2' })).body.hits.some((h) => h.bib_id === bib.bib_id));
  assert.ok((await search({ class: '020' })).body.hits.some((h) => h.bib_id === bib.bib_id));
  assert.ok((await search({ q: '國家', branch: A })).body.hits.some((h) => h.bib_id === bib.bib_id));
  assert.ok(!(await search({ q: '國家', branch: B })).body.hits.some((h) => h.bib_id === bib.bib_id));
});

test('a record without a cover gets a generated one; an unknown record 404 BIB_NOT_FOUND', async () => {
  const bib = await addBib({ title: '封面測試 Cover test', items: [] });
  const { body } = await waitFor({ q: '封面' }, (b) => b.hits.some((h) => h.bib_id === bib.bib_id));
  const hit = body.hits.find((h) => h.bib_id === bib.bib_id);
  assert.equal(hit.cover_url, `/api/v1/bibs/${bib.bib_id}/cover`);
  const cover = await srv.http('GET', hit.cover_url);
  assert.equal(cover.status, 200);
  assert.match(cover.headers.get('content-type'), /^image\/svg\+xml/);
  assert.match(cover.text, /封面測試/);
  assertError(await srv.api('GET', '/bibs/999999/cover'), 404, 'BIB_NOT_FOUND');
});

test('bad parameters answer 400 VALIDATION_FAILED naming the field', async () => {
  for (const [query, field] of [[{ per_page: '0' }, 'per_page'], [{ per_page: '101' }, 'per_page'], [{ page: 'x' }, 'page'],
    [{ sort: 'title' }, 'sort'], [{ year: '19x9' }, 'year'], [{ year: '2000-1990' }, 'year']]) {
    const r = await search(query);
    assertError(r, 400, 'VALIDATION_FAILED', JSON.stringify(query));
    assert.equal(r.body.error.field, field);
  }
});

test('`bookstamp import marc` beside the running server: the server indexes what it wrote', async () => {
  const file = path.join(repoRoot, 'tests', 'data', 'marc', 'github-solrmarc-specTestRecs.mrc');
  const r = await runCli(['import', 'marc', '--data', srv.dataDir, '--create-branches', file]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /records read +76/);
  assert.match(r.stdout, /running server/);  // the server holds the index and catches up itself
  // 北京妇女发展报告 (880, simplified) found by traditional 婦女.
  await waitFor({ q: '婦女' }, (b) => b.hits.some((h) => h.vernacular?.title?.startsWith('北京妇女')), 3000);
  // A second import changes nothing.
  const again = await runCli(['import', 'marc', '--data', srv.dataDir, file]);
  assert.equal(again.code, 0, again.stdout + again.stderr);
  assert.match(again.stdout, /created +0\n/);
  assert.match(again.stdout, /unchanged +76/);
});

test('`bookstamp reindex` beside the running server keeps every answer', async () => {
  const before = (await search({ q: '紅樓' })).body.total;
  const r = await runCli(['reindex', '--data', srv.dataDir]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /Search index rebuilt/);
  await waitFor({ q: '紅樓' }, (b) => b.total === before);
  const bib = await addBib({ title: '重建之後 After the rebuild', items: [] });
  await waitFor({ q: '重建' }, (b) => b.hits.some((h) => h.bib_id === bib.bib_id));
});
