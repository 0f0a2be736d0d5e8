// The browser's redemption-code arithmetic (web/src/otp.ts) against the test vectors of
// docs/passbook.md: the file is transpiled with the web app's own TypeScript and run here, with
// Node's WebCrypto standing in for the browser's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, mkdtemp, writeFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const web = path.resolve(here, '..', '..', 'web');

async function loadOtp() {
  const ts = createRequire(path.join(web, 'package.json'))('typescript');
  const source = await readFile(path.join(web, 'src', 'otp.ts'), 'utf8');
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  const dir = await mkdtemp(path.join(tmpdir(), 'bookstamp-otp-'));
  const file = path.join(dir, 'otp.mjs');
  await writeFile(file, js);
  try {
    return await import(pathToFileURL(file).href);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('otp.ts gives the docs/passbook.md test vectors', async () => {
  const otp = await loadOtp();
  assert.ok(otp.canComputeCodes());
  const key = await otp.importCodeKey('AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8');
  const vectors = { 0: '68419513', 1: '91668569', 9: '76547320', 10: '29876648' };
  for (const [n, want] of Object.entries(vectors)) {
    assert.equal(await otp.otpAt(key, Number(n)), want, `step ${n}`);
  }
  assert.equal(otp.redemptionCodeText(42, await otp.otpAt(key, 1)), 'R42-91668569');
});

test('steps count 30-second intervals from created_at, never below 0', async () => {
  const otp = await loadOtp();
  const created = Date.parse('2026-11-29T14:03:00+08:00');
  assert.equal(otp.stepAt(created, created, 30), 0);
  assert.equal(otp.stepAt(created + 29_999, created, 30), 0);
  assert.equal(otp.stepAt(created + 30_000, created, 30), 1);
  assert.equal(otp.stepAt(created + 299_000, created, 30), 9);
  assert.equal(otp.stepAt(created - 5_000, created, 30), 0);
});

test('base64url keys decode with or without padding', async () => {
  const otp = await loadOtp();
  assert.deepEqual([...otp.base64UrlBytes('-_8')], [0xfb, 0xff]);
  assert.deepEqual([...otp.base64UrlBytes('-_8=')], [0xfb, 0xff]);
});
