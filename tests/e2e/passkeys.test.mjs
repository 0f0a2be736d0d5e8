// Passkeys over HTTP against the real binary with a software authenticator (node:crypto P-256):
// the [webauthn] config (rp_id, origins) decides what verifies, registration and login succeed,
// the login answer opens a cookie session like POST /session, and a bad config stops the start.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ADMIN, assertError, assertStatus, runCli, startServer } from './lib/server.mjs';

const RP = 'library.example';
const ORIGIN = 'https://library.example';
const b64u = (b) => Buffer.from(b).toString('base64url');
const sha256 = (b) => createHash('sha256').update(b).digest();

// Just enough CBOR for an attestation object and a COSE key.
function head(major, n) {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 256) return Buffer.from([(major << 5) | 24, n]);
  return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
}
const cInt = (v) => (v >= 0 ? head(0, v) : head(1, -1 - v));
const cBytes = (b) => Buffer.concat([head(2, b.length), b]);
const cText = (s) => Buffer.concat([head(3, Buffer.byteLength(s)), Buffer.from(s)]);
const cMap = (pairs) => Buffer.concat([head(5, pairs.length), ...pairs.flat()]);

class SoftAuthenticator {
  constructor() {
    ({ privateKey: this.key, publicKey: this.pub } = generateKeyPairSync('ec', { namedCurve: 'P-256' }));
    this.id = randomBytes(16);
    this.count = 0;
  }
  authData(rpId, flags, count, attested) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(count);
    const parts = [sha256(rpId), Buffer.from([flags | (attested ? 0x40 : 0)]), c];
    if (attested) {
      const jwk = this.pub.export({ format: 'jwk' });
      const cose = cMap([[cInt(1), cInt(2)], [cInt(3), cInt(-7)], [cInt(-1), cInt(1)],
        [cInt(-2), cBytes(Buffer.from(jwk.x, 'base64url'))], [cInt(-3), cBytes(Buffer.from(jwk.y, 'base64url'))]]);
      parts.push(Buffer.alloc(16), Buffer.from([0, this.id.length]), this.id, cose);
    }
    return Buffer.concat(parts);
  }
  register(challenge, { origin = ORIGIN, rpId = RP } = {}) {
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.create', challenge, origin, crossOrigin: false }));
    const attestationObject = cMap([[cText('fmt'), cText('none')], [cText('attStmt'), cMap([])],
      [cText('authData'), cBytes(this.authData(rpId, 0x05, 0, true))]]);
    return { id: b64u(this.id), rawId: b64u(this.id), type: 'public-key', name: '測試金鑰',
      response: { clientDataJSON: b64u(clientDataJSON), attestationObject: b64u(attestationObject), transports: ['internal'] } };
  }
  assert(challenge, { origin = ORIGIN, rpId = RP, userHandle = null } = {}) {
    this.count += 1;
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge, origin }));
    const authenticatorData = this.authData(rpId, 0x05, this.count, false);
    const signature = sign('sha256', Buffer.concat([authenticatorData, sha256(clientDataJSON)]), this.key);
    return { id: b64u(this.id), rawId: b64u(this.id), type: 'public-key',
      response: { clientDataJSON: b64u(clientDataJSON), authenticatorData: b64u(authenticatorData), signature: b64u(signature), userHandle } };
  }
}

describe('passkeys over HTTP with [webauthn] configured', () => {
  let work, srv, staff, token, userHandle;
  const auth = new SoftAuthenticator();

  before(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'bookstamp-passkeys-'));
    const config = path.join(work, 'bookstamp.toml');
    await writeFile(config, `[webauthn]\nrp_id = "${RP}"\norigins = ["${ORIGIN}"]\n`);
    srv = await startServer({ config });
    await srv.setClock('2026-10-06T10:00:00+08:00');
    staff = assertStatus(await srv.api('POST', '/staff/session', { body: ADMIN }), 201).token;
    for (const [card, pin] of [['P0001', '1111'], ['P0002', '2222']])
      assertStatus(await srv.api('POST', '/patrons', { token: staff, body: { name: `讀者 ${card}`, card: { card, type: 'personal', pin } } }), 201);
    token = assertStatus(await srv.api('POST', '/session', { body: { card: 'P0001', pin: '1111' } }), 201).token;
  });
  after(async () => {
    await srv?.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('offers creation options for the configured RP ID', async () => {
    const o = assertStatus(await srv.api('POST', '/cards/P0001/passkeys/options', { token, body: {} }), 200);
    assert.equal(o.rp.id, RP);
    assert.equal(o.attestation, 'none');
    assert.deepEqual(o.pubKeyCredParams.map((p) => p.alg), [-7, -257]);
    assert.equal(o.authenticatorSelection.residentKey, 'preferred');
    assert.equal(o.authenticatorSelection.userVerification, 'preferred');
    assert.equal(Buffer.from(o.challenge, 'base64url').length, 32);
    assert.equal(o.user.name, 'P0001');
    assert.deepEqual(o.excludeCredentials, []);
    userHandle = o.user.id;
  });

  it('refuses a registration from an origin that is not configured, and stores nothing', async () => {
    const o = assertStatus(await srv.api('POST', '/cards/P0001/passkeys/options', { token, body: {} }), 200);
    const r = await srv.api('POST', '/cards/P0001/passkeys', { token, body: auth.register(o.challenge, { origin: 'http://127.0.0.1' }) });
    assertError(r, 400, 'PASSKEY_INVALID');
    assert.deepEqual(assertStatus(await srv.api('GET', '/cards/P0001/passkeys', { token }), 200).passkeys, []);
  });

  it('registers a passkey and logs in with it into a cookie session', async () => {
    const o = assertStatus(await srv.api('POST', '/cards/P0001/passkeys/options', { token, body: {} }), 200);
    const reg = assertStatus(await srv.api('POST', '/cards/P0001/passkeys', { token, body: auth.register(o.challenge) }), 201);
    assert.equal(reg.passkey.name, '測試金鑰');
    assert.equal(reg.passkey.credential_id, b64u(auth.id));
    assert.equal(reg.passkey.last_used_at, null);

    const lo = assertStatus(await srv.api('POST', '/session/passkey/options', { body: { card: 'P0001' } }), 200);
    assert.equal(lo.rpId, RP);
    assert.deepEqual(lo.allowCredentials.map((c) => c.id), [b64u(auth.id)]);
    const r = await srv.api('POST', '/session/passkey', { body: auth.assert(lo.challenge, { userHandle }), headers: { 'X-Session': 'cookie' } });
    const s = assertStatus(r, 201);
    assert.deepEqual(s.account.cards.map((c) => c.card), ['P0001']);
    assert.match(r.headers.get('set-cookie') ?? '', /bookstamp_session=.*HttpOnly/);
    assert.equal(typeof s.csrf_token, 'string');
    const me = assertStatus(await srv.api('GET', '/me', { token: s.token }), 200);
    assert.equal(me.cards[0].card, 'P0001');
    const list = assertStatus(await srv.api('GET', '/cards/P0001/passkeys', { token }), 200).passkeys;
    assert.equal(list.length, 1);
    assert.notEqual(list[0].last_used_at, null);
  });

  it('refuses an assertion signed for another RP ID, and a challenge bound to another card', async () => {
    let lo = assertStatus(await srv.api('POST', '/session/passkey/options', { body: {} }), 200);
    assertError(await srv.api('POST', '/session/passkey', { body: auth.assert(lo.challenge, { rpId: '127.0.0.1' }) }), 400, 'PASSKEY_INVALID');
    lo = assertStatus(await srv.api('POST', '/session/passkey/options', { body: { card: 'P0002' } }), 200);
    assert.deepEqual(lo.allowCredentials, []);
    assertError(await srv.api('POST', '/session/passkey', { body: auth.assert(lo.challenge) }), 400, 'PASSKEY_INVALID');
  });

  it('removes a passkey, after which it no longer logs in', async () => {
    const [p] = assertStatus(await srv.api('GET', '/cards/P0001/passkeys', { token }), 200).passkeys;
    const other = assertStatus(await srv.api('POST', '/session', { body: { card: 'P0002', pin: '2222' } }), 201).token;
    assertError(await srv.api('DELETE', `/cards/P0001/passkeys/${p.id}`, { token: other }), 404, 'CARD_NOT_FOUND');
    assertStatus(await srv.api('DELETE', `/cards/P0001/passkeys/${p.id}`, { token }), 204);
    const lo = assertStatus(await srv.api('POST', '/session/passkey/options', { body: {} }), 200);
    assertError(await srv.api('POST', '/session/passkey', { body: auth.assert(lo.challenge) }), 400, 'PASSKEY_INVALID');
  });
});

describe('[webauthn] config errors', () => {
  it('stops the start with the key at fault', async () => {
    const work = await mkdtemp(path.join(tmpdir(), 'bookstamp-passkeys-'));
    try {
      const config = path.join(work, 'bad.toml');
      await writeFile(config, '[webauthn]\nrp_id = "https://library.example"\n');
      const r = await runCli(['serve', '--data', path.join(work, 'data'), '--listen', '127.0.0.1:0', '--config', config]);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr + r.stdout, /webauthn\.rp_id/);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});
