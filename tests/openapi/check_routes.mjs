#!/usr/bin/env node
// Keeps docs/openapi.yaml true to the server: the (method, path) pairs it documents must be exactly
// the routes the code registers.
//   - API routes: every `r.Add("METHOD", "/api/v1/...", ...)` (or `r.AddLogin`) in src/http/api/*.cpp; in the YAML,
//     paths are relative to the /api/v1 server.
//   - Built-in routes of src/http/server.cpp (`req.path == "/healthz"`, answered to GET): in the
//     YAML, a path with its own `servers:` override (the server root) is one of these.
// Also checked: each operation has a unique operationId; each {param} of a path is declared
// (directly or through #/components/parameters); every code in an operation's x-error-codes is a
// code of src/domain/error.cpp (or INTERNAL); an Idempotency-Key header parameter is documented
// exactly when some source under src/ names that header.
//
// Usage: node tests/openapi/check_routes.mjs [PROJECT_ROOT]   (Node 20, no dependencies)
// The YAML is read line by line, which is enough for the block style docs/openapi.yaml uses:
// path keys at two spaces under `paths:`, method keys at four, operation members at six.
// Last line: "N passed, N failed"; exit status 1 when anything failed.
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..'));
const API_BASE = '/api/v1';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

let passed = 0;
let failed = 0;
function check(ok, what) {
  if (ok) {
    passed++;
  } else {
    failed++;
    console.log(`FAIL: ${what}`);
  }
}

function read(rel) {
  return readFileSync(join(root, rel), 'utf8').replace(/\r\n?/g, '\n');
}

function unquote(s) {
  s = s.trim();
  if ((s.startsWith("'") && s.endsWith("'")) || (s.startsWith('"') && s.endsWith('"'))) return s.slice(1, -1);
  return s;
}

// Strips a trailing comment (outside quotes) and trailing blanks.
function stripComment(line) {
  let quote = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '#' && (i === 0 || line[i - 1] === ' ')) {
      return line.slice(0, i).trimEnd();
    }
  }
  return line.trimEnd();
}

// The lines of a top-level section (`name:` at column 0) up to the next top-level key.
function section(lines, name) {
  const start = lines.findIndex((l) => stripComment(l) === `${name}:`);
  if (start < 0) return [];
  const out = [];
  for (let i = start + 1; i < lines.length; i++) {
    const l = stripComment(lines[i]);
    if (l !== '' && !l.startsWith(' ')) break;
    out.push(l);
  }
  return out;
}

// ---------------------------------------------------------------- the YAML
function parseSpec(text) {
  const lines = text.split('\n');
  const paths = []; // {path, servers, methods: [{method, operationId, errorCodes}], names, refs}
  let cur = null;
  let op = null;
  for (const l of section(lines, 'paths')) {
    if (l === '') continue;
    let m;
    if ((m = /^ {2}(\S.*):$/.exec(l)) && !l.startsWith('   ')) {
      cur = { path: unquote(m[1]), servers: false, methods: [], names: new Set(), refs: new Set() };
      paths.push(cur);
      op = null;
      continue;
    }
    if (!cur) continue;
    if ((m = /^ {4}([a-z]+):$/.exec(l))) {
      op = null;
      if (METHODS.includes(m[1])) {
        op = { method: m[1].toUpperCase(), operationId: null, errorCodes: null };
        cur.methods.push(op);
      } else if (m[1] === 'servers') {
        cur.servers = true;
      }
      continue;
    }
    if ((m = /^\s+(?:- )?name:\s*(.+)$/.exec(l))) cur.names.add(unquote(m[1]));
    if ((m = /\$ref:\s*['"]?#\/components\/parameters\/([^'"\s]+)/.exec(l))) cur.refs.add(m[1]);
    if (op && (m = /^ {6}operationId:\s*(.+)$/.exec(l))) op.operationId = unquote(m[1]);
    if (op && (m = /^ {6}x-error-codes:\s*\[(.*)\]$/.exec(l)))
      op.errorCodes = m[1].split(',').map((s) => unquote(s)).filter((s) => s !== '');
  }

  // components.parameters.<Key>.name
  const paramNames = new Map();
  let key = null;
  let inParams = false;
  for (const l of section(lines, 'components')) {
    let m;
    if ((m = /^ {2}(\S[^:]*):$/.exec(l))) {
      inParams = m[1] === 'parameters';
      key = null;
      continue;
    }
    if (!inParams) continue;
    if ((m = /^ {4}(\S[^:]*):$/.exec(l))) key = m[1];
    else if (key && (m = /^ {6}name:\s*(.+)$/.exec(l))) paramNames.set(key, unquote(m[1]));
  }
  return { paths, paramNames };
}

// ---------------------------------------------------------------- the code
function codeRoutes() {
  const dir = 'src/http/api';
  const routes = [];
  for (const file of readdirSync(join(root, dir)).sort()) {
    if (!file.endsWith('.cpp') || file.endsWith('_test.cpp')) continue;
    const text = read(join(dir, file));
    for (const m of text.matchAll(/\br\.Add(?:Login)?\(\s*"([A-Z]+)"\s*,\s*"([^"]+)"/g))
      routes.push({ method: m[1], path: m[2], where: `${dir}/${file}` });
  }
  return routes;
}

function builtinRoutes() {
  const text = read('src/http/server.cpp');
  const out = [];
  for (const m of text.matchAll(/\breq\.path\s*==\s*"(\/[^"]*)"/g))
    if (m[1] !== '/api' && !m[1].startsWith('/api/')) out.push({ method: 'GET', path: m[1] });
  return out;
}

// True when some non-test source under src/ names the header as a string literal ("Idempotency-Key").
function serverReadsIdempotencyKey(dir = 'src') {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const rel = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (serverReadsIdempotencyKey(rel)) return true;
    } else if (/\.(cpp|hpp|h|cc)$/.test(entry.name) && !/_test\.(cpp|cc)$/.test(entry.name)) {
      if (/"Idempotency-Key"/i.test(read(rel))) return true;
    }
  }
  return false;
}

function errorCodeNames() {
  const text = read('src/domain/error.cpp');
  const names = new Set(['INTERNAL']);  // the 500 body of http/errors.cpp
  for (const m of text.matchAll(/ErrorCode::k\w+\s*,\s*"([A-Z_]+)"/g)) names.add(m[1]);
  return names;
}

// ---------------------------------------------------------------- compare
const spec = parseSpec(read('docs/openapi.yaml'));
const code = codeRoutes();
const builtins = builtinRoutes();
const knownCodes = errorCodeNames();

check(code.length > 0, 'no r.Add("METHOD", "/api/v1/...") routes found in src/http/api/*.cpp');
check(spec.paths.length > 0, 'no paths found under `paths:` in docs/openapi.yaml');
check(knownCodes.size > 1, 'no error codes found in src/domain/error.cpp');

const pair = (method, path) => `${method} ${path}`;
const expectedApi = new Map();
for (const r of code) {
  check(r.path.startsWith(`${API_BASE}/`), `${r.where}: ${pair(r.method, r.path)} is not under ${API_BASE}`);
  const rel = r.path.startsWith(API_BASE) ? r.path.slice(API_BASE.length) : r.path;
  check(!expectedApi.has(pair(r.method, rel)), `${r.where}: ${pair(r.method, r.path)} registered twice`);
  expectedApi.set(pair(r.method, rel), r.where);
}
const expectedRoot = new Map(builtins.map((r) => [pair(r.method, r.path), 'src/http/server.cpp']));

const documentedApi = new Map();
const documentedRoot = new Map();
const seenPaths = new Set();
for (const p of spec.paths) {
  check(!seenPaths.has(p.path), `docs/openapi.yaml: path ${p.path} appears twice`);
  seenPaths.add(p.path);
  check(p.methods.length > 0, `docs/openapi.yaml: path ${p.path} has no operation`);
  for (const op of p.methods) (p.servers ? documentedRoot : documentedApi).set(pair(op.method, p.path), op);
}

function compare(expected, documented, label) {
  const all = [...new Set([...expected.keys(), ...documented.keys()])].sort();
  for (const k of all) {
    if (expected.has(k) && documented.has(k)) check(true, k);
    else if (expected.has(k)) check(false, `${label}${k} is registered in ${expected.get(k)} but not documented in docs/openapi.yaml`);
    else check(false, `${label}${k} is documented in docs/openapi.yaml but not registered in the code`);
  }
}
compare(expectedApi, documentedApi, `${API_BASE} `);
compare(expectedRoot, documentedRoot, 'server root ');

// operationIds: present and unique.
const ids = new Map();
for (const p of spec.paths) {
  for (const op of p.methods) {
    const where = pair(op.method, p.path);
    if (!op.operationId) {
      check(false, `${where} has no operationId`);
    } else {
      check(!ids.has(op.operationId), `${where}: operationId ${op.operationId} is also used by ${ids.get(op.operationId)}`);
      ids.set(op.operationId, where);
    }
  }
}

// Path templates: each {param} declared on the path or an operation of it.
for (const p of spec.paths) {
  const declared = new Set(p.names);
  for (const ref of p.refs) if (spec.paramNames.has(ref)) declared.add(spec.paramNames.get(ref));
  for (const ref of p.refs)
    check(spec.paramNames.has(ref), `${p.path}: #/components/parameters/${ref} does not exist`);
  const params = [...p.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  const missing = params.filter((n) => !declared.has(n));
  check(missing.length === 0, `${p.path}: path parameter(s) ${missing.join(', ')} not declared`);
}

// x-error-codes: every code exists.
for (const p of spec.paths) {
  for (const op of p.methods) {
    if (!op.errorCodes) continue;
    const unknown = op.errorCodes.filter((c) => !knownCodes.has(c));
    check(unknown.length === 0, `${pair(op.method, p.path)}: x-error-codes has unknown code(s) ${unknown.join(', ')}`);
  }
}

// Idempotency-Key: documented as a parameter exactly when the server reads the header.
{
  const documented = /^\s+(?:- )?name:\s*['"]?Idempotency-Key['"]?\s*$/im.test(read('docs/openapi.yaml'));
  const reads = serverReadsIdempotencyKey();
  check(documented === reads,
        reads ? 'the server reads "Idempotency-Key" but docs/openapi.yaml declares no such header parameter'
              : 'docs/openapi.yaml declares an Idempotency-Key parameter but no source under src/ reads that header');
}

console.log(
  `openapi: ${expectedApi.size} API routes and ${expectedRoot.size} built-in route(s) in the code, ` +
    `${documentedApi.size + documentedRoot.size} operations documented`,
);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
