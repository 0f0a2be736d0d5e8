// The rotating redemption code, computed in the browser exactly as docs/passbook.md describes:
//   n = floor((now − created_at) / step), mac = HMAC-SHA-256(code_key, n as 8-byte big-endian),
//   otp = first 4 bytes of mac (big-endian) mod 10^8, code = "R<id>-" + otp as 8 digits.
// No DOM here (only globalThis.crypto.subtle), so tests/web can run it under Node too.

/** The bytes of a base64url string (padding optional). */
export function base64UrlBytes(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const padded = b64 + '='.repeat((4 - (b64.length % 4)) % 4);
  const bin = atob(padded);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Whether this browser can compute codes itself (WebCrypto needs a secure page). */
export function canComputeCodes(): boolean {
  return typeof globalThis.crypto !== 'undefined' && typeof globalThis.crypto.subtle !== 'undefined';
}

/** Imports a base64url code_key as an HMAC-SHA-256 key (done once per redemption). */
export function importCodeKey(codeKey: string): Promise<CryptoKey> {
  const raw = base64UrlBytes(codeKey);
  return crypto.subtle.importKey('raw', raw as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

/** The 8-digit one-time value of step n. */
export async function otpAt(key: CryptoKey, step: number): Promise<string> {
  const msg = new Uint8Array(8);
  const view = new DataView(msg.buffer);
  // n fits easily in 53 bits; write it as two 32-bit halves of an unsigned 64-bit integer.
  view.setUint32(0, Math.floor(step / 2 ** 32));
  view.setUint32(4, step >>> 0);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, msg));
  const word = ((mac[0]! << 24) | (mac[1]! << 16) | (mac[2]! << 8) | mac[3]!) >>> 0;
  return String(word % 100_000_000).padStart(8, '0');
}

/** The step a moment falls in: floor((now − created) / stepSeconds), never below 0. */
export function stepAt(nowMs: number, createdAtMs: number, stepSeconds: number): number {
  return Math.max(0, Math.floor((nowMs - createdAtMs) / (stepSeconds * 1000)));
}

/** The code the counter scans: "R<redemption id>-<otp>". */
export function redemptionCodeText(redemptionId: number | string, otp: string): string {
  return `R${redemptionId}-${otp}`;
}
