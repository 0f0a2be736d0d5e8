// Typed client for the staff console's calls (docs/openapi.yaml: Counter, Circulation, Events,
// Prizes, Audit, Lottery, transparency). Every call sends the staff token.
import {
  request,
  type Bib,
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

export async function createPrize(body: PrizeInput): Promise<Prize> {
  return (await request<{ prize: Prize }>('POST', '/prizes', { ...staff, body })).prize;
}

export async function updatePrize(prizeId: number, body: PrizeInput): Promise<Prize> {
  return (await request<{ prize: Prize }>('PATCH', `/prizes/${id(prizeId)}`, { ...staff, body })).prize;
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
