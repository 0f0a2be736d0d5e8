// Typed client for the staff console's calls (docs/openapi.yaml: Counter, Circulation, Events,
// Prizes, Audit, Lottery, transparency). Every call sends the staff token.
import {
  ApiError,
  getToken,
  request,
  type Announcement,
  type Bib,
  type Branch,
  type FeaturedBib,
  type FeaturedList,
  type HomeContent,
  type QuickLink,
  type StaffRole,
  type CardStatusCode,
  type CardType,
  type CheckoutResult,
  type Hold,
  type LibraryEvent,
  type Loan,
  type Prize,
  type Redemption,
} from './api';

const id = (n: number | string) => encodeURIComponent(String(n));
const staff = { auth: 'staff' as const };

// ---- Counter redemptions (S1) ----------------------------------------------------------------

export interface ScanResult {
  redemption: Redemption;
  card_masked: string;
  prize: Prize;
  balance: number;
}

export function scanRedemption(code: string): Promise<ScanResult> {
  return request<ScanResult>('POST', '/counter/redemptions/scan', { ...staff, body: { code } });
}

export async function completeRedemption(redemptionId: number, code: string): Promise<Redemption> {
  return (await request<{ redemption: Redemption }>('POST', `/counter/redemptions/${id(redemptionId)}/complete`, { ...staff, body: { code } }))
    .redemption;
}

export async function counterRedeem(card: string, prizeId: number): Promise<Redemption> {
  return (await request<{ redemption: Redemption }>('POST', '/counter/redemptions', { ...staff, body: { card, prize_id: prizeId } }))
    .redemption;
}

export async function cancelCompleted(redemptionId: number, reason: string): Promise<Redemption> {
  return (await request<{ redemption: Redemption }>('POST', `/counter/redemptions/${id(redemptionId)}/cancel`, { ...staff, body: { reason } }))
    .redemption;
}

// ---- Circulation (S2) ------------------------------------------------------------------------

export interface CheckinResult {
  loan: Loan | null;
  overdue_days: number;
  suspension_days_added: number;
  item_status: 'available' | 'on_hold_shelf' | 'in_transit' | string;
  hold: Hold | null;
}

export interface DeskCard {
  card: string;
  type: CardType;
  status: CardStatusCode | string;
  holder_name: string;
  suspension_days_left: number;
  borrow_resumes_on: string | null;
  reserve_resumes_on: string | null;
  loans: Loan[];
  holds: Hold[];
  balance: number;
  lifetime_earned: number;
}

export interface PullListEntry {
  hold: Hold & { card?: string };
  item_barcode: string;
  call_number: string;
}

export function checkout(card: string, itemBarcode: string, branch: string): Promise<CheckoutResult> {
  return request<CheckoutResult>('POST', '/circulation/checkout', { ...staff, body: { card, item_barcode: itemBarcode, branch } });
}

export function checkin(itemBarcode: string, branch: string): Promise<CheckinResult> {
  return request<CheckinResult>('POST', '/circulation/checkin', { ...staff, body: { item_barcode: itemBarcode, branch } });
}

export async function renew(itemBarcode: string): Promise<Loan> {
  return (await request<{ loan: Loan }>('POST', '/circulation/renew', { ...staff, body: { item_barcode: itemBarcode } })).loan;
}

export function deskCard(card: string, signal?: AbortSignal): Promise<DeskCard> {
  return request<DeskCard>('GET', `/desk/cards/${encodeURIComponent(card)}`, { ...staff, signal });
}

export function deskItem(barcode: string, signal?: AbortSignal): Promise<{ bib: Bib; item: { barcode: string; branch: string; status: string; due_on: string | null } }> {
  return request('GET', `/desk/items/${encodeURIComponent(barcode)}`, { ...staff, signal });
}

export async function pullList(branch: string, signal?: AbortSignal): Promise<PullListEntry[]> {
  return (await request<{ entries: PullListEntry[] }>('GET', `/branches/${encodeURIComponent(branch)}/pull-list`, { ...staff, signal })).entries;
}

export async function holdShelf(branch: string, signal?: AbortSignal): Promise<Hold[]> {
  return (await request<{ holds: Hold[] }>('GET', `/branches/${encodeURIComponent(branch)}/hold-shelf`, { ...staff, signal })).holds;
}

export async function inTransit(branch: string, signal?: AbortSignal): Promise<Hold[]> {
  return (await request<{ holds: Hold[] }>('GET', `/branches/${encodeURIComponent(branch)}/in-transit`, { ...staff, signal })).holds;
}

// ---- Events and backfills (S3, S4, A2) -------------------------------------------------------

export interface EventInput {
  branch?: string;
  title?: string;
  description?: string;
  starts_at?: string;
  ends_at?: string;
  attendance_points?: number;
  capacity?: number;
  registration_cost?: number;
  registration_deadline?: string | null;
}

export async function staffEvents(signal?: AbortSignal): Promise<LibraryEvent[]> {
  return (await request<{ events: LibraryEvent[] }>('GET', '/events', { ...staff, signal })).events;
}

export async function createEvent(body: EventInput): Promise<LibraryEvent> {
  return (await request<{ event: LibraryEvent }>('POST', '/events', { ...staff, body })).event;
}

export async function updateEvent(eventId: number, body: EventInput): Promise<LibraryEvent> {
  return (await request<{ event: LibraryEvent }>('PATCH', `/events/${id(eventId)}`, { ...staff, body })).event;
}

export function attendanceToken(eventId: number, signal?: AbortSignal): Promise<{ token: string; changes_at: string }> {
  return request('GET', `/events/${id(eventId)}/attendance-token`, { ...staff, signal });
}

export type BackfillStatus = 'awaiting_approval' | 'approved' | 'rejected';

export interface Backfill {
  id: number;
  event_id: number;
  event_title: string;
  card: string;
  note: string;
  status: BackfillStatus;
  filed_by: string;
  filed_at: string;
  decided_by: string | null;
  decided_at: string | null;
}

export async function fileBackfill(eventId: number, card: string, note: string): Promise<Backfill> {
  return (await request<{ backfill: Backfill }>('POST', `/events/${id(eventId)}/backfills`, { ...staff, body: { card, note } })).backfill;
}

export async function backfills(status: BackfillStatus | null, signal?: AbortSignal): Promise<Backfill[]> {
  const q = status ? `?status=${status}` : '';
  return (await request<{ backfills: Backfill[] }>('GET', `/backfills${q}`, { ...staff, signal })).backfills;
}

export async function approveBackfill(backfillId: number): Promise<Backfill> {
  return (await request<{ backfill: Backfill }>('POST', `/backfills/${id(backfillId)}/approve`, staff)).backfill;
}

export async function rejectBackfill(backfillId: number): Promise<Backfill> {
  return (await request<{ backfill: Backfill }>('POST', `/backfills/${id(backfillId)}/reject`, staff)).backfill;
}

// ---- Prizes (A1) -----------------------------------------------------------------------------

export interface PrizeInput {
  branch?: string;
  name?: string;
  description?: string;
  sponsor?: string;
  image_url?: string | null;
  cost?: number;
  stock?: number;
  per_card_limit?: number;
  on_sale_from?: string | null;
  on_sale_until?: string | null;
  reason?: string;
}

export async function staffPrizes(branch: string | null, signal?: AbortSignal): Promise<Prize[]> {
  const q = branch ? `?branches=${encodeURIComponent(branch)}` : '';
  return (await request<{ prizes: Prize[] }>('GET', `/prizes${q}`, { ...staff, signal })).prizes;
}

/** Every prize of the branch (or all), on sale or not: GET /prizes?scope=all (prize managers). */
export async function allPrizes(branch: string | null, signal?: AbortSignal): Promise<Prize[]> {
  const q = `?scope=all${branch ? `&branches=${encodeURIComponent(branch)}` : ''}`;
  return (await request<{ prizes: Prize[] }>('GET', `/prizes${q}`, { ...staff, signal })).prizes;
}

export async function createPrize(body: PrizeInput): Promise<Prize> {
  return (await request<{ prize: Prize }>('POST', '/prizes', { ...staff, body })).prize;
}

export async function updatePrize(prizeId: number, body: PrizeInput): Promise<Prize> {
  return (await request<{ prize: Prize }>('PATCH', `/prizes/${id(prizeId)}`, { ...staff, body })).prize;
}

export interface PrizePicture {
  prize_id: number;
  url: string;
  content_type: string;
  width: number;
  height: number;
  bytes: number;
  sha256: string;
}

/** PUT /prizes/{id}/picture with the image's own bytes and type (JPEG, PNG or WebP, at most 2 MiB). */
export async function uploadPrizePicture(prizeId: number, file: Blob): Promise<PrizePicture> {
  const token = getToken('staff');
  let res: Response;
  try {
    res = await fetch(`/api/v1/prizes/${id(prizeId)}/picture`, {
      method: 'PUT',
      headers: { 'Content-Type': file.type, Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: file,
    });
  } catch (err) {
    throw new ApiError(0, 'NETWORK_ERROR', err instanceof Error ? err.message : String(err));
  }
  const data = (await res.json().catch(() => ({}))) as { picture?: PrizePicture; error?: { code?: string; message?: string; field?: string } };
  if (!res.ok || !data.picture) throw new ApiError(res.status, data.error?.code ?? 'UNAVAILABLE', data.error?.message ?? res.statusText, data.error?.field);
  return data.picture;
}

// ---- Audit (A6) ------------------------------------------------------------------------------

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  subject?: string;
  before_seq?: number;
  limit?: number;
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  head: string;
  first_broken: number | null;
  reason?: string;
}

export async function audit(query: AuditQuery, signal?: AbortSignal): Promise<AuditEntry[]> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && String(v).trim() !== '') q.set(k, String(v).trim());
  }
  const qs = q.toString();
  return (await request<{ entries: AuditEntry[] }>('GET', `/audit${qs ? `?${qs}` : ''}`, { ...staff, signal })).entries;
}

export function verifyAudit(): Promise<AuditVerification> {
  return request<AuditVerification>('GET', '/audit/verify', staff);
}

// ---- Lottery (A4) ----------------------------------------------------------------------------

export type LotteryStatus = 'defined' | 'frozen' | 'drawn' | 'published';

export interface LotteryResult {
  rank: number;
  token: string;
  status: 'winner' | 'disqualified' | string;
  prize: string | null;
  reason: string | null;
}

export interface Lottery {
  id: number;
  title: string;
  period_from: string;
  period_to: string;
  min_loans: number;
  card_types: string[];
  prizes: { name: string; quantity: number }[];
  public_value_name: string;
  status: LotteryStatus;
  entries: number;
  list_sha256: string | null;
  secret_sha256: string | null;
  public_value: string | null;
  secret: string | null;
  seed: string | null;
  results: LotteryResult[];
}

export interface LotteryInput {
  title: string;
  period_from: string;
  period_to: string;
  min_loans: number;
  card_types: string[];
  prizes: { name: string; quantity: number }[];
  public_value_name: string;
}

export async function lotteries(signal?: AbortSignal): Promise<Lottery[]> {
  return (await request<{ lotteries: Lottery[] }>('GET', '/lotteries', { ...staff, signal })).lotteries;
}

export async function publicLotteries(signal?: AbortSignal): Promise<Lottery[]> {
  return (await request<{ lotteries: Lottery[] }>('GET', '/lotteries', { signal })).lotteries;
}

export async function createLottery(body: LotteryInput): Promise<Lottery> {
  return (await request<{ lottery: Lottery }>('POST', '/lotteries', { ...staff, body })).lottery;
}

async function lotteryStep(lotteryId: number, step: string, body?: unknown): Promise<Lottery> {
  return (await request<{ lottery: Lottery }>('POST', `/lotteries/${id(lotteryId)}/${step}`, { ...staff, body })).lottery;
}

export const freezeLottery = (lotteryId: number) => lotteryStep(lotteryId, 'freeze');
export const drawLottery = (lotteryId: number, publicValue: string) => lotteryStep(lotteryId, 'draw', { public_value: publicValue });
export const disqualifyWinner = (lotteryId: number, token: string, reason: string) =>
  lotteryStep(lotteryId, 'disqualify', { token, reason });
export const publishLottery = (lotteryId: number) => lotteryStep(lotteryId, 'publish');

// ---- Transparency (X4, public) ---------------------------------------------------------------

export interface Transparency {
  points: {
    issued?: number;
    issued_for_loans?: number;
    issued_for_events?: number;
    redeemed?: number;
    opening_balances?: number;
    outstanding?: number;
  };
  prizes_by_branch: {
    branch: string;
    name: string;
    prizes: { id: number; name: string; cost: number; stock: number; stock_left: number }[];
  }[];
  audit: {
    entries?: number;
    head?: string;
    checkpoints?: { seq: number; hash: string; at: string; public_key: string; signature: string }[];
  };
  lotteries: Partial<Lottery>[];
  generated_at: string;
}

export function transparency(signal?: AbortSignal): Promise<Transparency> {
  return request<Transparency>('GET', '/transparency', { signal });
}

// ---- Reports (A3) ----------------------------------------------------------------------------

export interface ReportQuery {
  branch?: string;
  from?: string;
  to?: string;
}

export interface RedemptionRow {
  id: number;
  created_at: string;
  completed_at: string | null;
  branch: string;
  branch_name: string;
  prize_id: number;
  prize_name: string;
  cost: number;
  status: string;
  card_masked: string;
  channel: string;
  staff: string | null;
}

export interface RedemptionTotal {
  branch: string;
  branch_name: string;
  completed: number;
  completed_points: number;
  pending: number;
  cancelled: number;
  expired: number;
}

export interface ReportPeriodJson {
  branch: string | null;
  from: string;
  to: string;
}

export interface RedemptionsReport {
  period: ReportPeriodJson;
  redemptions: RedemptionRow[];
  totals: RedemptionTotal[];
  total: { completed: number; completed_points: number; count: number };
}

export interface PointsSums {
  issued: number;
  issued_for_loans: number;
  issued_for_events: number;
  redeemed: number;
  redemptions: number;
  registrations: number;
  refunds: number;
}

export interface PointsReport {
  period: ReportPeriodJson;
  days: (PointsSums & { branch: string | null; branch_name: string | null; day: string })[];
  branches: (PointsSums & { branch: string | null; branch_name: string | null })[];
  total: PointsSums;
}

export interface CardPointsReport {
  card_masked: string;
  from: string;
  to: string;
  earned: number;
  spent: number;
  balance: number;
  entries: { id: number; at: string; day: string; kind: string; delta: number; balance_after: number; branch: string | null }[];
}

export type ReportKind = 'redemptions' | 'points' | 'card-points';

function reportQuery(q: Record<string, string | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v && v.trim()) p.set(k, v.trim());
  const s = p.toString();
  return s ? `?${s}` : '';
}

export function redemptionsReport(q: ReportQuery, signal?: AbortSignal): Promise<RedemptionsReport> {
  return request('GET', `/reports/redemptions${reportQuery({ ...q })}`, { ...staff, signal });
}

export function pointsReport(q: ReportQuery, signal?: AbortSignal): Promise<PointsReport> {
  return request('GET', `/reports/points${reportQuery({ ...q })}`, { ...staff, signal });
}

export function cardPointsReport(card: string, q: ReportQuery, signal?: AbortSignal): Promise<CardPointsReport> {
  return request('GET', `/reports/card-points${reportQuery({ card, from: q.from, to: q.to })}`, { ...staff, signal });
}

/** A report as a CSV or XLSX file: fetched with the staff token, then saved by the browser. */
export async function downloadReport(kind: ReportKind, q: ReportQuery & { card?: string }, format: 'csv' | 'xlsx', lang: string): Promise<void> {
  const qs = reportQuery({ ...q, format, lang: lang === 'en' ? 'en' : 'zh-TW' });
  const token = getToken('staff');
  let res: Response;
  try {
    res = await fetch(`/api/v1/reports/${kind}${qs}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  } catch (err) {
    throw new ApiError(0, 'NETWORK_ERROR', err instanceof Error ? err.message : String(err));
  }
  if (!res.ok) {
    let code = 'UNAVAILABLE';
    let message = res.statusText;
    try {
      const body = (await res.json()) as { error?: { code?: string; message?: string } };
      code = body.error?.code ?? code;
      message = body.error?.message ?? message;
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, code, message);
  }
  const blob = await res.blob();
  const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? `${kind}.${format}`;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// ---- Content (A5) ----------------------------------------------------------------------------

// The shapes of GET /home are the patron app's (api.ts).
export type { Announcement, FeaturedBib, FeaturedList, QuickLink, HomeContent };

export type AnnouncementInput = Partial<Omit<Announcement, 'id'>>;
export type FeaturedListInput = Partial<Pick<FeaturedList, 'title' | 'active' | 'position' | 'bib_ids'>>;
export type QuickLinkInput = Partial<Omit<QuickLink, 'id'>>;

/** Everything, including announcements outside their dates and inactive lists (staff). */
export function allContent(signal?: AbortSignal): Promise<HomeContent> {
  return request('GET', '/content', { ...staff, signal });
}

/** What the patron home shows now (public). */
export function homeContent(signal?: AbortSignal): Promise<HomeContent> {
  return request('GET', '/home', { signal });
}

type ContentKind = 'announcements' | 'featured-lists' | 'quick-links';

export async function saveContent<T>(kind: ContentKind, itemId: number | null, body: unknown): Promise<T> {
  const res = await request<Record<string, T>>(itemId === null ? 'POST' : 'PATCH', itemId === null ? `/${kind}` : `/${kind}/${id(itemId)}`, { ...staff, body });
  return Object.values(res)[0] as T;
}

export function deleteContent(kind: ContentKind, itemId: number): Promise<void> {
  return request('DELETE', `/${kind}/${id(itemId)}`, staff);
}

// ---- Branches, calendars, policy, staff accounts (A7, A8) ----------------------------------

export interface BranchDetail extends Branch {
  closed_weekdays: number[];
  holidays: string[];
}

export async function branchList(signal?: AbortSignal): Promise<BranchDetail[]> {
  return (await request<{ branches: BranchDetail[] }>('GET', '/branches', { signal })).branches;
}

export async function createBranch(body: { code: string; name: string; mobile_checkout: boolean }): Promise<BranchDetail> {
  return (await request<{ branch: BranchDetail }>('POST', '/branches', { ...staff, body })).branch;
}

export async function updateBranch(code: string, body: { name?: string; mobile_checkout?: boolean; closed_weekdays?: number[] }): Promise<BranchDetail> {
  return (await request<{ branch: BranchDetail }>('PATCH', `/branches/${encodeURIComponent(code)}`, { ...staff, body })).branch;
}

export function setHoliday(code: string, day: string, closed: boolean, name = ''): Promise<void> {
  const path = `/branches/${encodeURIComponent(code)}/holidays/${encodeURIComponent(day)}`;
  return closed ? request('PUT', path, { ...staff, body: { name } }) : request('DELETE', path, staff);
}

export interface CardTypePolicy {
  max_loans: number;
  loan_days: number;
  max_renewals: number;
  max_holds: number;
  earns_points: boolean;
}

export interface Policy {
  card_types: Record<'personal' | 'family' | 'group', CardTypePolicy>;
  pickup_days: number;
  no_show_limit: number;
  no_show_window_days: number;
  no_show_suspension_days: number;
  backfill_second_person: boolean;
  points: {
    per_loan: { counter: number; kiosk: number; mobile: number };
    daily_cap: number;
    monthly_cap: number;
    no_points_item_types: string[];
  };
}

export async function policy(signal?: AbortSignal): Promise<Policy> {
  return (await request<{ policy: Policy }>('GET', '/policy', { ...staff, signal })).policy;
}

export async function updatePolicy(body: unknown): Promise<Policy> {
  return (await request<{ policy: Policy }>('PATCH', '/policy', { ...staff, body })).policy;
}

export interface StaffAccount {
  id: number;
  username: string;
  role: StaffRole;
  branch: string | null;
  active: boolean;
  created_at: string;
}

export async function staffAccounts(signal?: AbortSignal): Promise<StaffAccount[]> {
  return (await request<{ staff: StaffAccount[] }>('GET', '/staff', { ...staff, signal })).staff;
}

export async function createStaffAccount(body: { username: string; password: string; role: StaffRole; branch: string | null }): Promise<StaffAccount> {
  return (await request<{ staff: StaffAccount }>('POST', '/staff', { ...staff, body })).staff;
}

export async function updateStaffAccount(username: string, body: { role?: StaffRole; branch?: string | null; active?: boolean; password?: string }): Promise<StaffAccount> {
  return (await request<{ staff: StaffAccount }>('PATCH', `/staff/${encodeURIComponent(username)}`, { ...staff, body })).staff;
}
