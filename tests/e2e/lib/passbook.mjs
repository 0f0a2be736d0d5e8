// Helpers for the passbook e2e suites (prizes, redemptions, events): the rotating-code derivation
// of RULES.md recomputed with node:crypto, a clock that remembers where it stands, and thin
// wrappers over the passbook routes. Built on ./server.mjs; nothing here changes that harness.
import { createHmac } from 'node:crypto';
import { execFile } from 'node:child_process';
import assert from 'node:assert/strict';
import { assertStatus, uniq } from './server.mjs';

export const STEP_MS = 30_000;
export const CODE_LIFE_MS = 5 * 60_000;

// Decodes base64url (padding optional) to bytes.
export function fromBase64Url(s) {
  assert.match(s, /^[A-Za-z0-9_-]+={0,2}$/, `not base64url: ${s}`);
  return Buffer.from(s.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

// RULES.md "Prizes and redemption": first 4 bytes of HMAC-SHA-256(key, step as 8-byte big-endian),
// big-endian unsigned, modulo 10^8, zero-padded to 8 digits.
export function otp(key, step) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt.asUintN(64, BigInt(step)));
  const mac = createHmac('sha256', key).update(msg).digest();
  return String(mac.readUInt32BE(0) % 100_000_000).padStart(8, '0');
}

// step n = floor((now − created_at) / 30 s)
export function stepAt(createdAtIso, nowMs) {
  return Math.floor((nowMs - Date.parse(createdAtIso)) / STEP_MS);
}

export function redemptionCode(id, codeKeyB64, step) {
  return `R${id}-${otp(fromBase64Url(codeKeyB64), step)}`;
}

// The server's test clock, remembered on this side so tests can move it by seconds.
// move()/set() keep cached tokens (sessions outlive a few minutes); jump() drops them (days).
export class Clock {
  constructor(fx) { this.fx = fx; this.ms = NaN; }
  get iso() { return new Date(this.ms).toISOString(); }
  async set(iso) { this.ms = Date.parse(iso); await this.fx.s.setClock(this.iso); }
  async move(seconds) { this.ms += seconds * 1000; await this.fx.s.setClock(this.iso); }
  async jump(iso) { this.ms = Date.parse(iso); await this.fx.setClock(this.iso); }
}

export function sqlite(db, sql) {
  return new Promise((resolve) => {
    execFile('sqlite3', ['-json', db, sql], (err, stdout, stderr) =>
      resolve({ code: err ? err.code : 0, rows: stdout.trim() ? JSON.parse(stdout) : [], stderr }));
  });
}

// Thin wrappers; the *Raw forms answer the response, the others assert the success status.
export class Passbook {
  constructor(fx) { this.fx = fx; this.s = fx.s; }

  async passbook(p) {
    return assertStatus(await this.s.api('GET', `/cards/${p.card}/passbook`, { token: await this.fx.patronToken(p) }), 200, `passbook ${p.card}`);
  }
  async entries(p, year, month) {
    const q = month === undefined ? `year=${year}` : `year=${year}&month=${month}`;
    return assertStatus(await this.s.api('GET', `/cards/${p.card}/passbook/entries?${q}`, { token: await this.fx.patronToken(p) }), 200, `entries ${p.card} ${q}`);
  }
  async prizes(query = '') {
    return assertStatus(await this.s.api('GET', `/prizes${query ? `?${query}` : ''}`), 200, `GET /prizes?${query}`).prizes;
  }
  async prizeListed(id, query = '') {
    return (await this.prizes(query)).find((x) => x.id === id);
  }
  async createPrizeRaw(token, body) {
    return this.s.api('POST', '/prizes', { token, body });
  }
  async createPrize(token, { branch, name = `獎品 ${uniq('P')}`, cost, stock, per_card_limit = 0, ...rest }) {
    const r = await this.createPrizeRaw(token, { branch, name, cost, stock, per_card_limit, ...rest });
    return assertStatus(r, 201, `POST /prizes ${name}`).prize;
  }
  async patchPrizeRaw(token, id, body) {
    return this.s.api('PATCH', `/prizes/${id}`, { token, body });
  }
  async redeemRaw(p, prize_id, headers) {
    return this.s.api('POST', `/cards/${p.card}/redemptions`, { token: await this.fx.patronToken(p), body: { prize_id }, headers });
  }
  async redeem(p, prize_id) {
    return assertStatus(await this.redeemRaw(p, prize_id), 201, `redeem ${prize_id} by ${p.card}`).redemption;
  }
  async redemptions(p) {
    return assertStatus(await this.s.api('GET', `/cards/${p.card}/redemptions`, { token: await this.fx.patronToken(p) }), 200, 'GET redemptions').redemptions;
  }
  async redemption(p, id) {
    return (await this.redemptions(p)).find((x) => x.id === id);
  }
  async codeRaw(p, id) {
    return this.s.api('GET', `/cards/${p.card}/redemptions/${id}/code`, { token: await this.fx.patronToken(p) });
  }
  async cancelRaw(p, id) {
    return this.s.api('DELETE', `/cards/${p.card}/redemptions/${id}`, { token: await this.fx.patronToken(p) });
  }
  async scanRaw(staffToken, code) {
    return this.s.api('POST', '/counter/redemptions/scan', { token: staffToken, body: { code } });
  }
  async completeRaw(staffToken, id, code) {
    return this.s.api('POST', `/counter/redemptions/${id}/complete`, { token: staffToken, body: { code } });
  }
  async counterRedeemRaw(staffToken, card, prize_id) {
    return this.s.api('POST', '/counter/redemptions', { token: staffToken, body: { card, prize_id } });
  }
  async staffCancelRaw(staffToken, id, body) {
    return this.s.api('POST', `/counter/redemptions/${id}/cancel`, { token: staffToken, body });
  }

  // Events.
  async createEvent(token, body) {
    const r = await this.s.api('POST', '/events', { token, body: { title: `活動 ${uniq('E')}`, attendance_points: 1, capacity: 0, ...body } });
    return assertStatus(r, 201, `POST /events ${JSON.stringify(body)}`).event;
  }
  async tokenRaw(staffToken, eventId) {
    return this.s.api('GET', `/events/${eventId}/attendance-token`, { token: staffToken });
  }
  async attendanceToken(staffToken, eventId) {
    return assertStatus(await this.tokenRaw(staffToken, eventId), 200, `attendance token ${eventId}`).token;
  }
  async claimRaw(p, token) {
    return this.s.api('POST', `/cards/${p.card}/event-claims`, { token: await this.fx.patronToken(p), body: { token } });
  }
  async registerRaw(p, eventId) {
    return this.s.api('POST', `/cards/${p.card}/events/${eventId}/registration`, { token: await this.fx.patronToken(p) });
  }
  async unregisterRaw(p, eventId) {
    return this.s.api('DELETE', `/cards/${p.card}/events/${eventId}/registration`, { token: await this.fx.patronToken(p) });
  }
  async fileBackfillRaw(staffToken, eventId, card, note = '現場簽到表有簽名，手機沒電') {
    return this.s.api('POST', `/events/${eventId}/backfills`, { token: staffToken, body: { card, note } });
  }
  async approveRaw(staffToken, id) {
    return this.s.api('POST', `/backfills/${id}/approve`, { token: staffToken });
  }
  async rejectRaw(staffToken, id) {
    return this.s.api('POST', `/backfills/${id}/reject`, { token: staffToken });
  }

  // Gives each patron n points the only way there is: n checkouts of n different titles at
  // `branch` (each checked in again so the loan limit never bites). Returns the last balances.
  async earn(patrons, n, branch) {
    const list = Array.isArray(patrons) ? patrons : [patrons];
    const bibs = await Promise.all(Array.from({ length: n }, () => this.fx.bib({ items: list.map(() => ({ branch })) })));
    const balances = [];
    for (const [i, p] of list.entries()) {
      let out;
      for (const b of bibs) {
        out = await this.fx.checkout(p.card, b.barcodes[i], branch);
        assert.equal(out.points_credited, 1, `earning for ${p.card}: ${JSON.stringify(out)}`);
        await this.fx.checkin(b.barcodes[i], branch);
      }
      balances.push(out?.balance);
    }
    return Array.isArray(patrons) ? balances : balances[0];
  }
}

// Sum of a year's entries against the passbook: every entry's delta adds up to the balance, and
// each balance_after is the running sum (entries come newest first).
export function assertEntriesAddUp(entries, balance, what = '') {
  const oldestFirst = [...entries].reverse();
  let running = 0;
  for (const e of oldestFirst) {
    running += e.delta;
    assert.equal(e.balance_after, running, `${what}: entry ${e.id} (${e.kind} ${e.delta}) balance_after`);
    assert.ok(e.balance_after >= 0, `${what}: negative balance_after at ${e.id}`);
  }
  assert.equal(running, balance, `${what}: entries add up to ${running}, balance ${balance}`);
}
