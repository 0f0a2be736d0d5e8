// Typed client for the Bookstamp HTTP API (/api/v1); shapes follow the API contract
// (docs/openapi.yaml). Errors arrive as {"error":{"code","message","field"?}} and are thrown as ApiError.
import { getLang } from './i18n';

const BASE = '/api/v1';

// ---- Shapes ---------------------------------------------------------------------------------

export type CardType = 'personal' | 'family' | 'group';
export type CardStatusCode = 'active' | 'lost' | 'expired' | 'blocked';
export type HoldStatus = 'waiting' | 'in_transit' | 'ready' | 'fulfilled' | 'cancelled' | 'expired';
export type StaffRole = 'counter' | 'branch_admin' | 'sysadmin' | 'auditor';

export interface AccountCard {
  card: string;
  type: CardType;
  holder_name: string;
  status: CardStatusCode;
}

export interface Account {
  id: string | number;
  cards: AccountCard[];
}

export interface Staff {
  id: string | number;
  username: string;
  role: StaffRole;
  /** null: the staff member acts for every branch. */
  branch: string | null;
}

export interface Branch {
  code: string;
  name: string;
  mobile_checkout: boolean;
}

export interface Loan {
  id: string | number;
  item_barcode: string;
  bib_id: string | number;
  title: string;
  branch: string;
  checked_out_at: string;
  /** YYYY-MM-DD in the library's time zone. */
  due_on: string;
  overdue_days: number;
  renewals: number;
  renewable: boolean;
  /** The error code a renewal would get now; null when renewable. */
  renew_refusal: string | null;
}

export interface Hold {
  id: string | number;
  bib_id: string | number;
  title: string;
  pickup_branch: string;
  status: HoldStatus;
  queue_position: number | null;
  pickup_by: string | null;
}

export interface CardStatus {
  status: CardStatusCode | string;
  suspension_days_left: number;
  borrow_resumes_on: string | null;
  reserve_resumes_on: string | null;
}

export interface PatronSession {
  token: string;
  account: Account;
}

export interface StaffSession {
  token: string;
  staff: Staff;
}

// ---- Errors ---------------------------------------------------------------------------------

/** A refusal or failure from the API. `status` 0 means the request never got an answer. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;

  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

// ---- Tokens (sessionStorage for now: gone when the tab closes) ------------------------------

export type Audience = 'patron' | 'staff';

const tokenKey = (who: Audience) => `bookstamp.${who}.token`;

export function getToken(who: Audience): string | null {
  try {
    return sessionStorage.getItem(tokenKey(who));
  } catch {
    return null;
  }
}

export function setToken(who: Audience, token: string | null): void {
  try {
    if (token === null) sessionStorage.removeItem(tokenKey(who));
    else sessionStorage.setItem(tokenKey(who), token);
  } catch {
    // Storage blocked: the session lasts only while this page is open.
  }
}

// ---- Transport ------------------------------------------------------------------------------

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface RequestOptions {
  /** Whose token to send; omit for public endpoints. */
  auth?: Audience;
  body?: unknown;
  signal?: AbortSignal;
}

function isErrorBody(v: unknown): v is { error: { code: string; message?: string; field?: string } } {
  if (typeof v !== 'object' || v === null || !('error' in v)) return false;
  const e = (v as { error: unknown }).error;
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string';
}

async function request<T>(method: Method, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': getLang(),
  };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.auth) {
    const token = getToken(opts.auth);
    if (token) headers.Authorization = `Bearer ${token}`;
  }

  let res: Response;
  try {
    res = await fetch(BASE + path, {
      method,
      headers,
      body: opts.body === undefined ? null : JSON.stringify(opts.body),
      signal: opts.signal ?? null,
      credentials: 'same-origin',
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK_ERROR', err instanceof Error ? err.message : String(err));
  }

  if (res.status === 204) return undefined as T;

  const text = await res.text();
  let data: unknown = undefined;
  if (text !== '') {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }

  if (!res.ok) {
    if (res.status === 401 && opts.auth) setToken(opts.auth, null);
    if (isErrorBody(data)) {
      const e = data.error;
      throw new ApiError(res.status, e.code, e.message ?? e.code, e.field);
    }
    const code = res.status === 401 ? 'UNAUTHENTICATED' : res.status >= 500 ? 'UNAVAILABLE' : `HTTP_${res.status}`;
    throw new ApiError(res.status, code, res.statusText || code);
  }
  if (data === undefined) {
    throw new ApiError(res.status, 'BAD_RESPONSE', 'The server sent no JSON body.');
  }
  return data as T;
}

const card = (n: string) => `/cards/${encodeURIComponent(n)}`;

// ---- Calls ----------------------------------------------------------------------------------

/** POST /session: a patron signs in with a card number and PIN; the token is kept. */
export async function login(cardNumber: string, pin: string): Promise<PatronSession> {
  const s = await request<PatronSession>('POST', '/session', { body: { card: cardNumber, pin } });
  setToken('patron', s.token);
  return s;
}

/** POST /staff/session: a staff member signs in; the token is kept. */
export async function staffLogin(username: string, password: string, otp?: string): Promise<StaffSession> {
  const body: Record<string, string> = { username, password };
  if (otp) body.otp = otp;
  const s = await request<StaffSession>('POST', '/staff/session', { body });
  setToken('staff', s.token);
  return s;
}

/** DELETE /session: revokes the token. The local token is dropped even if the server is unreachable. */
export async function logout(who: Audience = 'patron'): Promise<void> {
  try {
    if (getToken(who)) await request<void>('DELETE', '/session', { auth: who });
  } finally {
    setToken(who, null);
  }
}

export function me(signal?: AbortSignal): Promise<Account> {
  return request<Account>('GET', '/me', { auth: 'patron', signal });
}

export async function branches(signal?: AbortSignal): Promise<Branch[]> {
  return (await request<{ branches: Branch[] }>('GET', '/branches', { signal })).branches;
}

export async function loans(cardNumber: string, signal?: AbortSignal): Promise<Loan[]> {
  return (await request<{ loans: Loan[] }>('GET', `${card(cardNumber)}/loans`, { auth: 'patron', signal })).loans;
}

export async function holds(cardNumber: string, signal?: AbortSignal): Promise<Hold[]> {
  return (await request<{ holds: Hold[] }>('GET', `${card(cardNumber)}/holds`, { auth: 'patron', signal })).holds;
}

export function cardStatus(cardNumber: string, signal?: AbortSignal): Promise<CardStatus> {
  return request<CardStatus>('GET', `${card(cardNumber)}/status`, { auth: 'patron', signal });
}
