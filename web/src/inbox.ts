// The unread-notice count for the bell in the app bar: fetched for the card in use when the page
// changes (at most every 20 seconds), and set directly by the inbox after marking notices read.
import { useEffect, useState } from 'preact/hooks';
import { notices } from './api';

const listeners = new Set<() => void>();
let unread: { card: string; count: number; at: number } | null = null;
let inflight: string | null = null;

export function setUnread(card: string, count: number): void {
  unread = { card, count, at: Date.now() };
  listeners.forEach((fn) => fn());
}

async function refresh(card: string): Promise<void> {
  if (inflight === card) return;
  inflight = card;
  try {
    const r = await notices(card, { limit: 1 });
    setUnread(card, r.unread);
  } catch {
    // No count (offline, signed out): the bell shows without a badge.
  } finally {
    inflight = null;
  }
}

/** The unread count of card (null while unknown); refreshed when `path` changes. */
export function useUnread(card: string | null, path: string): number | null {
  const [, setTick] = useState(0);
  useEffect(() => {
    const fn = () => setTick((n) => n + 1);
    listeners.add(fn);
    return () => {
      listeners.delete(fn);
    };
  }, []);
  useEffect(() => {
    if (!card) return;
    if (unread && unread.card === card && Date.now() - unread.at < 20_000) return;
    void refresh(card);
  }, [card, path]);
  return unread && unread.card === card ? unread.count : null;
}
