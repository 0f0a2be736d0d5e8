// Passkeys (通行金鑰, WebAuthn) for patrons: register one after a card + PIN login, list and
// remove them, and sign in with one. The server checks everything (docs/openapi.yaml "Passkeys");
// this module only converts between the browser's ArrayBuffers and the API's base64url strings.
import { adoptWebSession, request, type PatronSession } from './api';

export interface Passkey {
  id: number;
  credential_id: string;
  name: string;
  transports: string[];
  created_at: string;
  last_used_at: string | null;
  /** Its signature counter went backwards (a possible copy): it no longer signs in. */
  flagged: boolean;
}

interface Descriptor {
  type: 'public-key';
  id: string;
  transports?: string[];
}

interface CreationOptionsJson {
  rp: { id: string; name: string };
  user: { id: string; name: string; displayName: string };
  challenge: string;
  pubKeyCredParams: { type: 'public-key'; alg: number }[];
  timeout: number;
  excludeCredentials: Descriptor[];
  authenticatorSelection: AuthenticatorSelectionCriteria;
  attestation: AttestationConveyancePreference;
}

interface RequestOptionsJson {
  challenge: string;
  timeout: number;
  rpId: string;
  allowCredentials: Descriptor[];
  userVerification: UserVerificationRequirement;
}

/** Why a passkey ceremony stopped in the browser (not a server refusal). */
export class PasskeyCancelled extends Error {
  /** 'cancelled': dismissed or timed out; 'exists': this device already holds one for the card. */
  readonly reason: 'cancelled' | 'exists' | 'unsupported';
  constructor(reason: 'cancelled' | 'exists' | 'unsupported') {
    super(reason);
    this.name = 'PasskeyCancelled';
    this.reason = reason;
  }
}

/** Whether this browser can use passkeys here (WebAuthn needs HTTPS, or http://localhost). */
export function passkeysSupported(): boolean {
  return typeof window !== 'undefined' && window.isSecureContext && typeof window.PublicKeyCredential === 'function';
}

export function toBase64Url(data: ArrayBuffer | ArrayBufferView): string {
  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): ArrayBuffer {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const s = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out.buffer;
}

const descriptors = (ds: Descriptor[]): PublicKeyCredentialDescriptor[] =>
  ds.map((d) => ({ type: 'public-key', id: fromBase64Url(d.id), transports: d.transports as AuthenticatorTransport[] | undefined }));

/** Runs a browser ceremony, turning its DOMExceptions into PasskeyCancelled. */
async function ceremony<T>(run: () => Promise<T | null>): Promise<T> {
  if (!passkeysSupported()) throw new PasskeyCancelled('unsupported');
  try {
    const out = await run();
    if (!out) throw new PasskeyCancelled('cancelled');
    return out;
  } catch (err) {
    if (err instanceof DOMException) {
      if (err.name === 'InvalidStateError') throw new PasskeyCancelled('exists');
      if (err.name === 'NotAllowedError' || err.name === 'AbortError') throw new PasskeyCancelled('cancelled');
    }
    throw err;
  }
}

const base = (card: string) => `/cards/${encodeURIComponent(card)}/passkeys`;

/** GET /cards/{card}/passkeys */
export async function listPasskeys(card: string, signal?: AbortSignal): Promise<Passkey[]> {
  const r = await request<{ passkeys: Passkey[] }>('GET', base(card), { auth: 'patron', signal });
  return r.passkeys;
}

/** Creates a passkey on this device for the card and registers it (options, create(), POST). */
export async function addPasskey(card: string, name: string): Promise<Passkey> {
  const o = await request<CreationOptionsJson>('POST', `${base(card)}/options`, { auth: 'patron', body: {} });
  const publicKey: PublicKeyCredentialCreationOptions = {
    rp: o.rp,
    user: { id: fromBase64Url(o.user.id), name: o.user.name, displayName: o.user.displayName },
    challenge: fromBase64Url(o.challenge),
    pubKeyCredParams: o.pubKeyCredParams,
    timeout: o.timeout,
    excludeCredentials: descriptors(o.excludeCredentials),
    authenticatorSelection: o.authenticatorSelection,
    attestation: o.attestation,
  };
  const cred = await ceremony(() => navigator.credentials.create({ publicKey }) as Promise<PublicKeyCredential | null>);
  const res = cred.response as AuthenticatorAttestationResponse;
  const body = {
    id: cred.id,
    rawId: toBase64Url(cred.rawId),
    type: cred.type,
    name: name.trim(),
    response: {
      clientDataJSON: toBase64Url(res.clientDataJSON),
      attestationObject: toBase64Url(res.attestationObject),
      transports: typeof res.getTransports === 'function' ? res.getTransports() : [],
    },
  };
  const r = await request<{ passkey: Passkey }>('POST', base(card), { auth: 'patron', body });
  return r.passkey;
}

/** DELETE /cards/{card}/passkeys/{id} */
export function removePasskey(card: string, id: number): Promise<void> {
  return request<void>('DELETE', `${base(card)}/${id}`, { auth: 'patron' });
}

/**
 * Signs in with a passkey: a challenge (bound to `card` when given, else any passkey this device
 * holds for the library), get(), and the same web session a card + PIN login opens.
 */
export async function signInWithPasskey(card?: string): Promise<PatronSession> {
  const o = await request<RequestOptionsJson>('POST', '/session/passkey/options', { body: card ? { card } : {} });
  const publicKey: PublicKeyCredentialRequestOptions = {
    challenge: fromBase64Url(o.challenge),
    timeout: o.timeout,
    rpId: o.rpId,
    allowCredentials: descriptors(o.allowCredentials),
    userVerification: o.userVerification,
  };
  const cred = await ceremony(() => navigator.credentials.get({ publicKey }) as Promise<PublicKeyCredential | null>);
  const res = cred.response as AuthenticatorAssertionResponse;
  const body = {
    id: cred.id,
    rawId: toBase64Url(cred.rawId),
    type: cred.type,
    response: {
      clientDataJSON: toBase64Url(res.clientDataJSON),
      authenticatorData: toBase64Url(res.authenticatorData),
      signature: toBase64Url(res.signature),
      userHandle: res.userHandle ? toBase64Url(res.userHandle) : null,
    },
  };
  const s = await request<PatronSession & { csrf_token?: string }>('POST', '/session/passkey', {
    body,
    webSession: true,
  });
  adoptWebSession(s);
  return s;
}
