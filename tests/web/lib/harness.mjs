// Shared by the browser tests: the real server started with --test-clock and the built web app,
// a tiny API client, and where Chromium and playwright-core are.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..', '..');
export const BIN = process.env.BOOKSTAMP_BIN || path.join(repoRoot, 'build', 'bookstamp');
export const STATIC = process.env.BOOKSTAMP_STATIC || path.join(repoRoot, 'web', 'dist');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const ARTIFACTS = path.join(repoRoot, 'tests', 'web', 'artifacts');
export const PLAYWRIGHT = path.join(repoRoot, 'web', 'node_modules', 'playwright-core', 'index.mjs');
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const ADMIN = { username: 'admin', password: 'adminpass1' };

export function run(cmd, args, { timeoutMs = 60_000 } = {}) {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** Starts the server (with a --config file if given); answers {url (http://localhost:PORT), api(), setClock(), stop()}. */
export async function startServer({ config } = {}) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'bookstamp-web-'));
  const add = await run(BIN, ['staff', 'add', '--data', dataDir, '--username', ADMIN.username, '--password', ADMIN.password, '--role', 'sysadmin']);
  assert.equal(add.code, 0, `staff add failed:\n${add.stdout}\n${add.stderr}`);
  const args = ['serve', '--data', dataDir, '--listen', '127.0.0.1:0', '--test-clock', '--static', STATIC];
  if (config) args.push('--config', config);
  const child = spawn(BIN, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = [];
  child.stderr.on('data', (c) => log.push(String(c)));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const port = await new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log.join('')}`)), 20_000);
    child.stdout.on('data', (c) => {
      buf += String(c);
      const m = /bookstamp listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    exited.then((e) => {
      clearTimeout(timer);
      reject(new Error(`server exited ${JSON.stringify(e)}:\n${log.join('')}`));
    });
  });
  // WebAuthn, service workers and WebCrypto want a secure origin: http://localhost is one.
  const url = `http://localhost:${port}`;
  async function api(method, p, { token, body } = {}) {
    const headers = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(`http://127.0.0.1:${port}/api/v1${p}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: res.status, body: json };
  }
  async function must(status, method, p, opts) {
    const r = await api(method, p, opts);
    assert.equal(r.status, status, `${method} ${p} ${JSON.stringify(opts?.body ?? '')}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }
  return {
    url,
    api,
    must,
    setClock: (iso) => must(200, 'PUT', '/test/clock', { body: { now: iso } }),
    async stop() {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
