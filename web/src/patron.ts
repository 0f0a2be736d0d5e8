// The signed-in patron as every page sees it: the account's cards (GET /me), the card in use, and
// the branches (names, phone-checkout switch). The card list and branches are kept in localStorage,
// so the mobile library card (P1) still shows with the network off; the session is an HttpOnly
// cookie (api.ts).
import { useEffect, useState } from 'preact/hooks';
import { ApiError, branches as fetchBranches, me, onUnauthenticated, type AccountCard, type Branch } from './api';
import { navigate } from './router';
import { isSignedIn, saveAccount, savedCard, saveCard } from './session';

const CARDS = 'bookstamp.patron.cards';
const BRANCHES = 'bookstamp.branches';

function readLocal<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

function writeLocal(key: string, value: unknown): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or blocked: the app still works, only not offline.
  }
}

// A session that ended (expired, revoked) sends the patron to sign in again, back to this page
// afterwards. The card list stays on the phone: the mobile card and an open redemption code keep
// showing without a session, so those pages are left alone.
onUnauthenticated((who) => {
  if (who !== 'patron') return;
  state = { ...state, cardsStatus: 'idle' };
  const path = location.pathname;
  if (path === '/card' || path.startsWith('/passbook/redemptions/') || path === '/login') return;
  navigate(`/login?next=${encodeURIComponent(path)}`, { replace: true });
});

export type LoadStatus = 'idle' | 'loading' | 'ok' | 'error';

interface State {
  cards: AccountCard[] | null;
  selected: string | null;
  cardsStatus: LoadStatus;
  cardsError: unknown;
  branches: Branch[] | null;
  branchesStatus: LoadStatus;
}

let state: State = {
  cards: readLocal<AccountCard[]>(CARDS),
  selected: savedCard(),
  cardsStatus: 'idle',
  cardsError: null,
  branches: readLocal<Branch[]>(BRANCHES),
  branchesStatus: 'idle',
};

const listeners = new Set<() => void>();

function set(patch: Partial<State>): void {
  state = { ...state, ...patch };
  listeners.forEach((fn) => fn());
}

/** Re-renders the caller whenever the patron state changes. */
function useStore(): State {
  const [, setTick] = useState(0);
  useEffect(() => {
    const fn = () => setTick((n) => n + 1);
    listeners.add(fn);
    return () => {
      listeners.delete(fn);
    };
  }, []);
  return state;
}

/** Keeps the account's cards after a login (POST /session answers them). */
export function rememberCards(cards: AccountCard[], preferred?: string): void {
  writeLocal(CARDS, cards);
  const selected =
    (preferred && cards.some((c) => c.card === preferred) ? preferred : null) ??
    (state.selected && cards.some((c) => c.card === state.selected) ? state.selected : null) ??
    cards[0]?.card ??
    null;
  saveCard(selected);
  set({ cards, selected, cardsStatus: 'ok', cardsError: null });
}

/** Forgets everything about the patron (sign-out). */
export function forgetPatron(): void {
  writeLocal(CARDS, null);
  saveCard(null);
  saveAccount(null);
  set({ cards: null, selected: null, cardsStatus: 'idle', cardsError: null });
}

/** GET /me again (after linking or unlinking a card, or on first use in this tab). */
export async function refreshCards(): Promise<void> {
  if (!isSignedIn('patron')) return;
  set({ cardsStatus: 'loading', cardsError: null });
  try {
    const a = await me();
    saveAccount(a);
    rememberCards(a.cards);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      set({ cardsStatus: 'idle' });
      return;
    }
    set({ cardsStatus: 'error', cardsError: err });
  }
}

async function refreshBranches(): Promise<void> {
  set({ branchesStatus: 'loading' });
  try {
    const list = await fetchBranches();
    writeLocal(BRANCHES, list);
    set({ branches: list, branchesStatus: 'ok' });
  } catch {
    set({ branchesStatus: 'error' });
  }
}

export function selectCard(card: string): void {
  saveCard(card);
  set({ selected: card });
}

export interface Patron {
  signedIn: boolean;
  cards: AccountCard[] | null;
  /** The card in use: the chosen one, else the first. */
  card: AccountCard | null;
  cardsStatus: LoadStatus;
  cardsError: unknown;
  reloadCards: () => void;
}

/**
 * The patron's cards. With requireSignIn (the default) a visitor without a session is sent to
 * /login; the card list is fetched once per tab and then kept fresh by the pages that change it.
 */
export function usePatron({ requireSignIn = true }: { requireSignIn?: boolean } = {}): Patron {
  const s = useStore();
  const signedIn = isSignedIn('patron');
  useEffect(() => {
    if (!signedIn) {
      if (requireSignIn) navigate(`/login?next=${encodeURIComponent(location.pathname)}`, { replace: true });
      return;
    }
    if (state.cardsStatus === 'idle') void refreshCards();
  }, [signedIn, requireSignIn]);
  const cards = s.cards;
  const card = cards?.find((c) => c.card === s.selected) ?? cards?.[0] ?? null;
  return {
    signedIn,
    cards,
    card,
    cardsStatus: s.cardsStatus,
    cardsError: s.cardsError,
    reloadCards: () => void refreshCards(),
  };
}

export interface Branches {
  list: Branch[] | null;
  status: LoadStatus;
  name: (code: string) => string;
  reload: () => void;
}

/** All branches (public GET /branches), fetched once per tab, cached for offline use. */
export function useBranches(): Branches {
  const s = useStore();
  useEffect(() => {
    if (state.branchesStatus === 'idle') void refreshBranches();
  }, []);
  const names = new Map((s.branches ?? []).map((b) => [b.code, b.name]));
  return {
    list: s.branches,
    status: s.branchesStatus === 'idle' ? 'loading' : s.branchesStatus,
    name: (code: string) => names.get(code) ?? code,
    reload: () => void refreshBranches(),
  };
}

const PICKUP = 'bookstamp.patron.pickup';

/** The pickup branch the patron chose last time (preselected for the next hold). */
export function lastPickup(): string | null {
  return readLocal<string>(PICKUP);
}

export function rememberPickup(branch: string): void {
  writeLocal(PICKUP, branch);
}
