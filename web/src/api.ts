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

export type RenewRefusal = 'CARD_NOT_ACTIVE' | 'BORROW_SUSPENDED' | 'LOAN_OVERDUE' | 'RENEWAL_LIMIT' | 'TITLE_RESERVED';
export type PointsReason = 'CARD_TYPE_NO_POINTS' | 'ITEM_TYPE_NO_POINTS' | 'SAME_TITLE_TODAY' | 'DAILY_CAP' | 'MONTHLY_CAP';
export type LedgerKind =
  | 'loan'
  | 'event'
  | 'redemption'
  | 'refund'
  | 'registration'
  | 'transfer_out'
  | 'transfer_in'
  | 'opening';
export type RedemptionStatus = 'pending' | 'completed' | 'cancelled' | 'expired';

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
  renew_refusal: RenewRefusal | string | null;
}

export interface Hold {
  id: string | number;
  bib_id: string | number;
  title: string;
  pickup_branch: string;
  status: HoldStatus;
  queue_position: number | null;
  pickup_by: string | null;
  placed_at?: string;
}

export interface CardStatus {
  status: CardStatusCode | string;
  suspension_days_left: number;
  borrow_resumes_on: string | null;
  reserve_resumes_on: string | null;
}

export interface Passbook {
  balance: number;
  lifetime_earned: number;
  pending_redemptions: number;
}

export interface PassbookEntry {
  id: number;
  /** RFC 3339 with the library's offset. */
  at: string;
  delta: number;
  balance_after: number;
  kind: LedgerKind | string;
  description: string;
  branch: string | null;
}

export interface PassbookEntries {
  earned: number;
  spent: number;
  /** Newest first. */
  entries: PassbookEntry[];
}

export interface Prize {
  id: number;
  branch: string;
  name: string;
  description: string;
  sponsor: string;
  cost: number;
  stock: number;
  stock_left: number;
  per_card_limit: number;
  image_url: string | null;
  on_sale_from: string | null;
  on_sale_until: string | null;
}

export interface Redemption {
  id: number;
  card: string;
  status: RedemptionStatus;
  prize_id: number;
  prize_name: string;
  branch: string;
  cost: number;
  channel: 'app' | 'counter';
  created_at: string;
  expires_at: string | null;
  completed_at: string | null;
  closed_at: string | null;
  cancel_reason: string | null;
}

/** A new app redemption: what the app needs to show its rotating code offline (docs/passbook.md). */
export interface RedemptionCreated extends Redemption {
  code: string;
  /** base64url (no padding) of the 32-byte key. */
  code_key: string;
  step_seconds: number;
  server_now: string;
  balance: number;
}

export interface LibraryEvent {
  id: number;
  branch: string;
  title: string;
  description: string;
  starts_at: string;
  ends_at: string;
  attendance_points: number;
  capacity: number;
  registration_cost: number;
  registration_deadline: string | null;
  registrations: number;
  credits: number;
}

export interface Registration {
  id: number;
  event_id: number;
  card: string;
  status: 'registered' | 'cancelled';
  cost: number;
  balance: number;
}

export interface EventClaim {
  event_id: number;
  points_credited: number;
  balance: number;
}

export interface CheckoutResult {
  loan: Loan;
  points_credited: number;
  points_reason: PointsReason | string | null;
  balance: number;
  hold_fulfilled: number | null;
}

export interface PrizeQuery {
  branches?: string[];
  min_points?: number | null;
  max_points?: number | null;
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

// ---- Tokens -----------------------------------------------------------------------------------
// Patrons use a web session: the server keeps the token in an HttpOnly cookie and the app keeps
// only the CSRF value (localStorage, so the installed app and new tabs stay signed in) that every
// write sends back. Staff still send a bearer token kept in sessionStorage.

export type Audience = 'patron' | 'staff';

const CSRF = 'bookstamp.patron.csrf';

export function getCsrf(): string | null {
  try {
    return localStorage.getItem(CSRF);
  } catch {
    return null;
  }
}

function setCsrf(value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(CSRF);
    else localStorage.setItem(CSRF, value);
  } catch {
    // Storage blocked: writes will be refused and the patron asked to sign in again.
  }
}

/** Whether this browser holds a session for who (a patron's cookie session or a bearer token). */
export function hasSession(who: Audience): boolean {
  return getToken(who) !== null || (who === 'patron' && getCsrf() !== null);
}

/** Keeps a patron web session from a login answer sent with `webSession` (cookie + CSRF value). */
export function adoptWebSession(answer: { csrf_token?: string }): void {
  if (!answer.csrf_token) throw new ApiError(0, 'BAD_RESPONSE', 'The server did not open a web session.');
  setToken('patron', null);
  setCsrf(answer.csrf_token);
}

function dropSession(who: Audience): void {
  setToken(who, null);
  if (who === 'patron') setCsrf(null);
}

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

const unauthenticated = new Set<(who: Audience) => void>();

/** Calls fn whenever the server says a sent token is no longer valid (401). */
export function onUnauthenticated(fn: (who: Audience) => void): () => void {
  unauthenticated.add(fn);
  return () => unauthenticated.delete(fn);
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface RequestOptions {
  /** Whose session to send; omit for public endpoints. */
  auth?: Audience;
  /** A login that should open a cookie web session (X-Session: cookie). */
  webSession?: boolean;
  body?: unknown;
  signal?: AbortSignal;
}

function isErrorBody(v: unknown): v is { error: { code: string; message?: string; field?: string } } {
  if (typeof v !== 'object' || v === null || !('error' in v)) return false;
  const e = (v as { error: unknown }).error;
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string';
}

export async function request<T>(method: Method, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': getLang(),
  };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.webSession) headers['X-Session'] = 'cookie';
  if (opts.auth) {
    const token = getToken(opts.auth);
    if (token) headers.Authorization = `Bearer ${token}`;
    else if (opts.auth === 'patron' && method !== 'GET') headers['X-CSRF-Token'] = getCsrf() ?? '';
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
    if (res.status === 401 && opts.auth && hasSession(opts.auth)) {
      dropSession(opts.auth);
      const who = opts.auth;
      unauthenticated.forEach((fn) => fn(who));
    }
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

/** POST /session: a patron signs in with a card number and PIN into a cookie web session; the
 *  token itself is never stored by the app. */
export async function login(cardNumber: string, pin: string): Promise<PatronSession> {
  const s = await request<PatronSession & { csrf_token?: string }>('POST', '/session', {
    body: { card: cardNumber, pin },
    webSession: true,
  });
  adoptWebSession(s);
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

/** DELETE /session: revokes the session and clears the cookie. The local state is dropped even if
 *  the server is unreachable. */
export async function logout(who: Audience = 'patron'): Promise<void> {
  try {
    if (hasSession(who)) await request<void>('DELETE', '/session', { auth: who });
  } finally {
    dropSession(who);
  }
}

export function me(signal?: AbortSignal): Promise<Account> {
  return request<Account>('GET', '/me', { auth: 'patron', signal });
}

/** The language of the account's notices (mail, push, inbox), kept in step with the app's. */
export function setNoticeLanguage(lang: 'zh-TW' | 'en'): Promise<{ id: number; lang: string }> {
  return request('PATCH', '/me', { auth: 'patron', body: { lang } });
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

export function passbook(cardNumber: string, signal?: AbortSignal): Promise<Passbook> {
  return request<Passbook>('GET', `${card(cardNumber)}/passbook`, { auth: 'patron', signal });
}

/** Point details (點數明細) of a year, or of one month of it. */
export function passbookEntries(
  cardNumber: string,
  year: number,
  month: number | null,
  signal?: AbortSignal,
): Promise<PassbookEntries> {
  const q = new URLSearchParams({ year: String(year) });
  if (month !== null) q.set('month', String(month));
  return request<PassbookEntries>('GET', `${card(cardNumber)}/passbook/entries?${q}`, { auth: 'patron', signal });
}

/** Prizes on sale now (可兌換明細), filtered by branches and a points range; public. */
export async function prizes(query: PrizeQuery = {}, signal?: AbortSignal): Promise<Prize[]> {
  const q = new URLSearchParams();
  if (query.branches && query.branches.length > 0) q.set('branches', query.branches.join(','));
  if (query.min_points !== undefined && query.min_points !== null) q.set('min_points', String(query.min_points));
  if (query.max_points !== undefined && query.max_points !== null) q.set('max_points', String(query.max_points));
  const qs = q.toString();
  return (await request<{ prizes: Prize[] }>('GET', `/prizes${qs ? `?${qs}` : ''}`, { signal })).prizes;
}

export async function renewLoan(cardNumber: string, loanId: number | string): Promise<Loan> {
  const path = `${card(cardNumber)}/loans/${encodeURIComponent(String(loanId))}/renew`;
  return (await request<{ loan: Loan }>('POST', path, { auth: 'patron' })).loan;
}

export function cancelHold(cardNumber: string, holdId: number | string): Promise<void> {
  return request<void>('DELETE', `${card(cardNumber)}/holds/${encodeURIComponent(String(holdId))}`, { auth: 'patron' });
}

export async function redeem(cardNumber: string, prizeId: number): Promise<RedemptionCreated> {
  const r = await request<{ redemption: RedemptionCreated }>('POST', `${card(cardNumber)}/redemptions`, {
    auth: 'patron',
    body: { prize_id: prizeId },
  });
  return r.redemption;
}

export async function redemptions(cardNumber: string, signal?: AbortSignal): Promise<Redemption[]> {
  return (await request<{ redemptions: Redemption[] }>('GET', `${card(cardNumber)}/redemptions`, { auth: 'patron', signal }))
    .redemptions;
}

export async function redemption(cardNumber: string, id: number, signal?: AbortSignal): Promise<Redemption> {
  const path = `${card(cardNumber)}/redemptions/${encodeURIComponent(String(id))}`;
  return (await request<{ redemption: Redemption }>('GET', path, { auth: 'patron', signal })).redemption;
}

export async function cancelRedemption(cardNumber: string, id: number): Promise<Redemption> {
  const path = `${card(cardNumber)}/redemptions/${encodeURIComponent(String(id))}`;
  return (await request<{ redemption: Redemption }>('DELETE', path, { auth: 'patron' })).redemption;
}

/** The code to scan now, as the server computes it (for clients without WebCrypto). */
export function redemptionCode(cardNumber: string, id: number, signal?: AbortSignal): Promise<{ code: string; changes_at: string }> {
  const path = `${card(cardNumber)}/redemptions/${encodeURIComponent(String(id))}/code`;
  return request<{ code: string; changes_at: string }>('GET', path, { auth: 'patron', signal });
}

export async function events(signal?: AbortSignal): Promise<LibraryEvent[]> {
  return (await request<{ events: LibraryEvent[] }>('GET', '/events', { signal })).events;
}

export function claimEventPoints(cardNumber: string, token: string): Promise<EventClaim> {
  return request<EventClaim>('POST', `${card(cardNumber)}/event-claims`, { auth: 'patron', body: { token } });
}

export async function registerForEvent(cardNumber: string, eventId: number): Promise<Registration> {
  const path = `${card(cardNumber)}/events/${encodeURIComponent(String(eventId))}/registration`;
  return (await request<{ registration: Registration }>('POST', path, { auth: 'patron' })).registration;
}

export async function cancelRegistration(cardNumber: string, eventId: number): Promise<Registration> {
  const path = `${card(cardNumber)}/events/${encodeURIComponent(String(eventId))}/registration`;
  return (await request<{ registration: Registration }>('DELETE', path, { auth: 'patron' })).registration;
}

export async function registrations(cardNumber: string, signal?: AbortSignal): Promise<Registration[]> {
  return (
    await request<{ registrations: Registration[] }>('GET', `${card(cardNumber)}/registrations`, { auth: 'patron', signal })
  ).registrations;
}

/** Phone self-checkout (手機智能借書) at a branch with the service switched on. */
export function mobileCheckout(cardNumber: string, itemBarcode: string, branch: string): Promise<CheckoutResult> {
  return request<CheckoutResult>('POST', `${card(cardNumber)}/mobile-checkout`, {
    auth: 'patron',
    body: { item_barcode: itemBarcode, branch },
  });
}

export async function linkCard(cardNumber: string, pin: string): Promise<AccountCard> {
  return (await request<{ card: AccountCard }>('POST', '/me/cards', { auth: 'patron', body: { card: cardNumber, pin } })).card;
}

export function unlinkCard(cardNumber: string): Promise<void> {
  return request<void>('DELETE', `/me/cards/${encodeURIComponent(cardNumber)}`, { auth: 'patron' });
}

// ---- Catalog (P5) ---------------------------------------------------------------------------

export interface SearchHit {
  bib_id: number;
  title: string;
  author: string;
  publisher: string;
  year: number | null;
  isbn: string;
  class_no: string;
  cover_url: string | null;
  holdings: {
    total: number;
    available: number;
    by_branch: { branch: string; total: number; available: number }[];
  };
}

export interface FacetValue {
  value: string;
  count: number;
}

export interface SearchResult {
  total: number;
  total_exact: boolean; // false: total is the search engine's estimate
  hits: SearchHit[];
  facets?: { branch?: FacetValue[]; year?: FacetValue[]; language?: FacetValue[] };
  facets_exact?: boolean; // false: the counts are of a sample of the matches
}

export interface SearchQuery {
  q?: string;
  title?: string;
  author?: string;
  isbn?: string;
  class?: string;
  branch?: string;
  lang?: string;
  sort?: 'relevance' | 'year' | 'year_asc';
  page?: number;
  per_page?: number;
}

export type ItemStatus = 'available' | 'on_loan' | 'on_hold_shelf' | 'in_transit' | 'not_loanable';

export interface BibItem {
  id: number;
  barcode: string;
  branch: string;
  loanable: boolean;
  item_type: string;
  call_number: string;
  status: ItemStatus | string;
  due_on: string | null;
}

export interface Bib {
  bib_id: number;
  title: string;
  author: string;
  publisher: string;
  year: number | null;
  isbn: string;
  class_no: string;
  items: BibItem[];
  waiting_holds: number;
}

/** GET /search (public): one box or fields; Chinese queries of 1–2 characters work. */
export function search(query: SearchQuery, signal?: AbortSignal): Promise<SearchResult> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && String(v).trim() !== '') q.set(k, String(v).trim());
  }
  return request<SearchResult>('GET', `/search?${q}`, { signal });
}

/** GET /bibs/{id} (public): the record with its items. */
export function bib(id: number, signal?: AbortSignal): Promise<Bib> {
  return request<Bib>('GET', `/bibs/${encodeURIComponent(String(id))}`, { signal });
}

export async function placeHold(cardNumber: string, bibId: number, pickupBranch: string): Promise<Hold> {
  const r = await request<{ hold: Hold }>('POST', `${card(cardNumber)}/holds`, {
    auth: 'patron',
    body: { bib_id: bibId, pickup_branch: pickupBranch },
  });
  return r.hold;
}

// ---- Home (P6) ------------------------------------------------------------------------------

export interface Announcement {
  id: number;
  title: string;
  body: string;
  image_url: string | null;
  link: string | null;
  starts_at: string;
  ends_at: string | null;
  position: number;
}

export interface FeaturedBib {
  id: number;
  title: string;
  author: string;
  cover_url: string | null;
  items: number;
  available: number;
}

export interface FeaturedList {
  id: number;
  title: string;
  active: boolean;
  position: number;
  bib_ids: number[];
  bibs: FeaturedBib[];
}

export interface QuickLink {
  id: number;
  label_zh: string;
  label_en: string;
  url: string;
  icon: string;
  position: number;
}

export type CardSymbology = 'code128' | 'code39';

export interface HomeContent {
  announcements: Announcement[];
  featured_lists: FeaturedList[];
  quick_links: QuickLink[];
  card_barcode?: CardSymbology;
}

const CARD_BARCODE_KEY = 'bookstamp.cardBarcode';

/** GET /home (public): what the library shows on the home screen now. */
export async function home(signal?: AbortSignal): Promise<HomeContent> {
  const h = await request<HomeContent>('GET', '/home', { signal });
  // Remembered so the mobile card draws the library's symbology offline too.
  if (h.card_barcode) localStorage.setItem(CARD_BARCODE_KEY, h.card_barcode);
  return h;
}

/** The mobile card's barcode symbology, as last heard from the server (Code 128 until then). */
export function cardSymbology(): CardSymbology {
  return localStorage.getItem(CARD_BARCODE_KEY) === 'code39' ? 'code39' : 'code128';
}

/** The cover to show: the record's own, else the server's generated placeholder. */
export function coverUrl(bibId: number, own: string | null): string {
  return own ?? `${BASE}/bibs/${encodeURIComponent(String(bibId))}/cover`;
}

// ---- Inbox and preferences (P10) ------------------------------------------------------------

export interface Notice {
  id: number;
  kind: string;
  title: string;
  body: string;
  created_at: string;
  read: boolean;
}

export interface NoticeList {
  notices: Notice[];
  unread: number;
}

export type NoticeChannel = 'inbox' | 'push' | 'email';

export interface NoticePreference {
  /** A notice kind, or "*" for every kind. */
  kind: string;
  channel: NoticeChannel | string;
  enabled: boolean;
}

export interface NoticePreferences {
  kinds: string[];
  channels: string[];
  preferences: NoticePreference[];
}

export function notices(cardNumber: string, opts: { limit?: number; before?: number } = {}, signal?: AbortSignal): Promise<NoticeList> {
  const q = new URLSearchParams();
  if (opts.limit) q.set('limit', String(opts.limit));
  if (opts.before) q.set('before', String(opts.before));
  const qs = q.toString();
  return request<NoticeList>('GET', `${card(cardNumber)}/notices${qs ? `?${qs}` : ''}`, { auth: 'patron', signal });
}

export function markNoticeRead(cardNumber: string, id: number): Promise<void> {
  return request<void>('POST', `${card(cardNumber)}/notices/${encodeURIComponent(String(id))}/read`, { auth: 'patron' });
}

export async function markAllNoticesRead(cardNumber: string): Promise<number> {
  return (await request<{ marked: number }>('POST', `${card(cardNumber)}/notices/read-all`, { auth: 'patron' })).marked;
}

export function noticePreferences(cardNumber: string, signal?: AbortSignal): Promise<NoticePreferences> {
  return request<NoticePreferences>('GET', `${card(cardNumber)}/notice-preferences`, { auth: 'patron', signal });
}

/** PUT replaces the card's whole list (no row means enabled). */
export function saveNoticePreferences(cardNumber: string, preferences: NoticePreference[]): Promise<NoticePreferences> {
  return request<NoticePreferences>('PUT', `${card(cardNumber)}/notice-preferences`, { auth: 'patron', body: { preferences } });
}

// ---- Loan history, PIN (P3, P2) -------------------------------------------------------------

export interface HistoryLoan {
  loan_id: number;
  bib_id: number | null;
  /** null once erased (the loan and its point stay). */
  title: string | null;
  author: string | null;
  branch: string;
  checked_out_at: string;
  returned_at: string | null;
}

export interface LoanHistory {
  keep_history: boolean;
  loans: HistoryLoan[];
}

export function loanHistory(cardNumber: string, before?: number, signal?: AbortSignal): Promise<LoanHistory> {
  const qs = before ? `?before=${before}` : '';
  return request<LoanHistory>('GET', `${card(cardNumber)}/history${qs}`, { auth: 'patron', signal });
}

export async function setKeepHistory(cardNumber: string, keep: boolean): Promise<boolean> {
  return (await request<{ keep_history: boolean }>('PUT', `${card(cardNumber)}/history-setting`, {
    auth: 'patron',
    body: { keep_history: keep },
  })).keep_history;
}

export async function eraseHistory(cardNumber: string): Promise<number> {
  return (await request<{ erased: number }>('DELETE', `${card(cardNumber)}/history`, { auth: 'patron' })).erased;
}

export function changePin(cardNumber: string, currentPin: string, newPin: string): Promise<void> {
  return request<void>('PUT', `${card(cardNumber)}/pin`, { auth: 'patron', body: { current_pin: currentPin, new_pin: newPin } });
}

// ---- Reading report (P12) -------------------------------------------------------------------

export interface ReadingReport {
  year: number;
  history_kept: boolean;
  loans_by_month: { month: number; loans: number }[];
  /** null while the card keeps no reading history. */
  loans_by_class: { class: string; name: string; loans: number }[] | null;
  erased: number;
  points_by_year: { year: number; earned: number; spent: number }[];
  totals: { loans_year: number; loans_lifetime: number; points_earned: number; points_spent: number };
}

export function readingReport(cardNumber: string, year: number, signal?: AbortSignal): Promise<ReadingReport> {
  return request<ReadingReport>('GET', `${card(cardNumber)}/reading-report?year=${year}`, { auth: 'patron', signal });
}
