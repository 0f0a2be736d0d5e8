// Who is signed in: the patron's account and the staff member, kept in sessionStorage so a reload
// keeps the page (the sessions themselves live in api.ts); the chosen card in localStorage.
import type { Account, Audience, Staff } from './api';
import { hasSession } from './api';

function read<T>(key: string): T | null {
  try {
    const raw = sessionStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

function write(key: string, value: unknown): void {
  try {
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage blocked: nothing to remember across reloads.
  }
}

const ACCOUNT = 'bookstamp.patron.account';
const STAFF = 'bookstamp.staff.profile';
const CARD = 'bookstamp.patron.card';

export function isSignedIn(who: Audience): boolean {
  return hasSession(who);
}

export const savedAccount = (): Account | null => read<Account>(ACCOUNT);
export const saveAccount = (a: Account | null): void => write(ACCOUNT, a);

export const savedStaff = (): Staff | null => read<Staff>(STAFF);
export const saveStaff = (s: Staff | null): void => write(STAFF, s);

/** The card the patron last looked at (an account may hold several); kept in localStorage so the
 *  mobile library card opens on it offline. */
export function savedCard(): string | null {
  try {
    const raw = localStorage.getItem(CARD);
    return raw ? (JSON.parse(raw) as string) : null;
  } catch {
    return null;
  }
}

export function saveCard(c: string | null): void {
  try {
    if (c === null) localStorage.removeItem(CARD);
    else localStorage.setItem(CARD, JSON.stringify(c));
  } catch {
    // Not remembered; the first card is used next time.
  }
}
