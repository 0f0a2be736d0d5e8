// Web Push for the patron app: subscribes this browser for a card with the server's VAPID key, or
// unsubscribes it. The service worker (public/push-sw.js) shows what arrives. docs/operations.md.
import { ApiError, request } from './api';

/** unsupported: no service worker or Push API (or a dev build); denied: the browser blocks notices. */
export type PushState = 'unsupported' | 'denied' | 'on' | 'off';

// Which card this browser's subscription was given to (a browser has one subscription).
const CARD_KEY = 'bookstamp.push.card';

function storedCard(): string | null {
  try {
    return localStorage.getItem(CARD_KEY);
  } catch {
    return null;
  }
}

function storeCard(card: string | null): void {
  try {
    if (card === null) localStorage.removeItem(CARD_KEY);
    else localStorage.setItem(CARD_KEY, card);
  } catch {
    // Storage blocked: the switch shows "off" next time, and turning it on again is harmless.
  }
}

export function pushSupported(): boolean {
  return (
    typeof window !== 'undefined' &&
    'serviceWorker' in navigator &&
    'PushManager' in window &&
    'Notification' in window
  );
}

async function registration(): Promise<ServiceWorkerRegistration | null> {
  if (!pushSupported()) return null;
  return (await navigator.serviceWorker.getRegistration()) ?? null;
}

function fromBase64Url(s: string): Uint8Array<ArrayBuffer> {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function sameBytes(a: ArrayBuffer | null | undefined, b: Uint8Array): boolean {
  if (!a) return false;
  const x = new Uint8Array(a);
  return x.length === b.length && x.every((v, i) => v === b[i]);
}

/** Whether pushes for `card` come to this browser. */
export async function pushState(card: string): Promise<PushState> {
  if (!pushSupported()) return 'unsupported';
  if (Notification.permission === 'denied') return 'denied';
  const reg = await registration();
  if (!reg) return 'unsupported';
  const sub = await reg.pushManager.getSubscription();
  return sub && storedCard() === card ? 'on' : 'off';
}

/** Asks for permission, subscribes with the server's key and tells the server. */
export async function enablePush(card: string): Promise<PushState> {
  const reg = await registration();
  if (!reg) return 'unsupported';
  const permission = await Notification.requestPermission();
  if (permission === 'denied') return 'denied';
  if (permission !== 'granted') return 'off';
  const { public_key } = await request<{ public_key: string }>('GET', '/push/vapid-public-key');
  const key = fromBase64Url(public_key);
  let sub = await reg.pushManager.getSubscription();
  // A subscription made for another server key cannot carry this server's pushes.
  if (sub && !sameBytes(sub.options.applicationServerKey, key)) {
    await sub.unsubscribe();
    sub = null;
  }
  sub ??= await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  await request('PUT', `/cards/${encodeURIComponent(card)}/push-subscriptions`, { auth: 'patron', body: sub.toJSON() });
  storeCard(card);
  return 'on';
}

/** Tells the server to stop and drops the browser's subscription. */
export async function disablePush(card: string): Promise<PushState> {
  const reg = await registration();
  const sub = await reg?.pushManager.getSubscription();
  if (sub) {
    try {
      await request('DELETE', `/cards/${encodeURIComponent(card)}/push-subscriptions`, {
        auth: 'patron',
        body: { endpoint: sub.endpoint },
      });
    } catch (e) {
      // Already gone on the server (removed after a 410, or given to another card): fine.
      if (!(e instanceof ApiError && e.status === 404)) throw e;
    }
    await sub.unsubscribe();
  }
  storeCard(null);
  return 'off';
}
