// The app's own record of the redemptions it made: the code_key the server gives only once, and how
// far this phone's clock is from the server's, so the code view can be reopened (and keeps working)
// without the network for the redemption's five minutes. Kept in localStorage, dropped when expired.
import type { RedemptionCreated } from './api';

const KEY = 'bookstamp.redemptions';

export interface StoredRedemption {
  id: number;
  card: string;
  prize_id: number;
  prize_name: string;
  branch: string;
  cost: number;
  created_at: string;
  expires_at: string;
  code_key: string;
  step_seconds: number;
  /** server time − this phone's time, in ms, when the redemption was made. */
  skew_ms: number;
  /** The balance right after the debit. */
  balance: number;
}

function readAll(): StoredRedemption[] {
  try {
    const raw = localStorage.getItem(KEY);
    const list = raw ? (JSON.parse(raw) as StoredRedemption[]) : [];
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}

function writeAll(list: StoredRedemption[]): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(list));
  } catch {
    // Not kept: the code view still works while this page stays open.
  }
}

/** Remembers a new redemption; receivedAt is Date.now() when its answer arrived. */
export function storeRedemption(r: RedemptionCreated, receivedAt: number): StoredRedemption {
  const serverNow = Date.parse(r.server_now);
  const stored: StoredRedemption = {
    id: r.id,
    card: r.card,
    prize_id: r.prize_id,
    prize_name: r.prize_name,
    branch: r.branch,
    cost: r.cost,
    created_at: r.created_at,
    expires_at: r.expires_at ?? new Date(Date.parse(r.created_at) + 5 * 60_000).toISOString(),
    code_key: r.code_key,
    step_seconds: r.step_seconds || 30,
    skew_ms: Number.isFinite(serverNow) ? serverNow - receivedAt : 0,
    balance: r.balance,
  };
  // Keep only the ones still alive (plus a minute), and this one.
  const alive = readAll().filter((s) => s.id !== r.id && Date.parse(s.expires_at) + 60_000 > receivedAt + stored.skew_ms);
  writeAll([stored, ...alive].slice(0, 20));
  return stored;
}

export function storedRedemption(id: number): StoredRedemption | null {
  return readAll().find((s) => s.id === id) ?? null;
}

export function forgetRedemption(id: number): void {
  writeAll(readAll().filter((s) => s.id !== id));
}

export function forgetAllRedemptions(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // Nothing to forget.
  }
}
