// Shared bits of the staff console: who is signed in, what each role may open, refusals in plain
// words with their code, a small labelled select, and a form's submit with its actions.
import type { ComponentChildren, JSX } from 'preact';
import { useId, useState } from 'preact/hooks';
import { ApiError, type Staff, type StaffRole } from '../api';
import { errorText } from '../errors';
import { codeText, t } from '../i18n';
import { savedStaff } from '../session';
import { sm } from './messages';

export type ConsoleArea =
  | 'redemptions'
  | 'circulation'
  | 'events'
  | 'backfills'
  | 'prizes'
  | 'lotteries'
  | 'reports'
  | 'content'
  | 'branches'
  | 'policy'
  | 'accounts'
  | 'audit';

const DESK: StaffRole[] = ['counter', 'branch_admin', 'sysadmin'];
const ADMIN: StaffRole[] = ['branch_admin', 'sysadmin'];

/** Whether staff may open area (the server checks again; this only keeps the menu honest). */
export function mayOpen(staff: Staff, area: ConsoleArea): boolean {
  switch (area) {
    case 'redemptions':
    case 'circulation':
    case 'events':
    case 'backfills':
      return DESK.includes(staff.role);
    case 'prizes':
    case 'content':
      return ADMIN.includes(staff.role);
    case 'lotteries':
      return ADMIN.includes(staff.role) && staff.branch === null;
    case 'reports':
      return ADMIN.includes(staff.role) || staff.role === 'auditor';
    case 'branches':
    case 'policy':
    case 'accounts':
      return staff.role === 'sysadmin';
    case 'audit':
      return staff.role === 'auditor' || staff.role === 'sysadmin';
  }
}

/** May create and edit events (A2): branch admins and sysadmins. */
export const mayManageEvents = (staff: Staff) => ADMIN.includes(staff.role);

export const AREAS: { area: ConsoleArea; href: string; text: () => string }[] = [
  { area: 'redemptions', href: '/staff/redemptions', text: () => t('console.nav.redemptions') },
  { area: 'circulation', href: '/staff/circulation', text: () => t('console.nav.circulation') },
  { area: 'events', href: '/staff/events', text: () => t('console.nav.events') },
  { area: 'backfills', href: '/staff/backfills', text: () => t('console.nav.backfills') },
  { area: 'prizes', href: '/staff/prizes', text: () => t('console.nav.prizes') },
  { area: 'lotteries', href: '/staff/lotteries', text: () => t('console.nav.lotteries') },
  { area: 'reports', href: '/staff/reports', text: () => sm('nav.reports') },
  { area: 'content', href: '/staff/content', text: () => sm('nav.content') },
  { area: 'branches', href: '/staff/branches', text: () => sm('nav.branches') },
  { area: 'policy', href: '/staff/policy', text: () => sm('nav.policy') },
  { area: 'accounts', href: '/staff/accounts', text: () => sm('nav.accounts') },
  { area: 'audit', href: '/staff/audit', text: () => t('console.nav.audit') },
];

/** The first area the staff member may open: where the console lands after sign-in. */
export function homeFor(staff: Staff): string {
  return AREAS.find((a) => mayOpen(staff, a.area))?.href ?? '/staff';
}

export function currentStaff(): Staff | null {
  return savedStaff();
}

/** A refusal as words plus its code: "兌換碼已過期（CODE_EXPIRED）". */
export function refusalText(err: unknown): string {
  if (err instanceof ApiError && /^[A-Z_]+$/.test(err.code) && !['NETWORK_ERROR', 'UNAVAILABLE', 'RATE_LIMITED'].includes(err.code)) {
    const words = codeText(err.code, err.message);
    return words === err.code ? err.code : t('console.refusal', { text: words, code: err.code });
  }
  return errorText(err);
}

/**
 * A console form's submit: one at a time; `check` first (its words are shown instead of sending);
 * then `run` (the request and what follows it), whose refusal is shown in words with its code.
 */
export function useSubmit(run: () => Promise<void>, check?: () => string | null) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const problem = check?.() ?? null;
    if (problem) return setError(problem);
    setBusy(true);
    setError(null);
    try {
      await run();
    } catch (err) {
      setError(refusalText(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, submit };
}

/** A form's submit button (busy while it runs) and the button that closes it. */
export function FormActions({ submit, busy, onCancel, cancel }: { submit: string; busy: boolean; onCancel: () => void; cancel?: string }) {
  return (
    <div class="form__actions">
      <button type="submit" class="button button--primary" disabled={busy} aria-busy={busy}>
        {submit}
      </button>
      <button type="button" class="button button--quiet" onClick={onCancel}>
        {cancel ?? sm('common.cancel')}
      </button>
    </div>
  );
}

/** The API field a refusal names, if any. */
export const refusalField = (err: unknown): string | null => (err instanceof ApiError ? err.field ?? null : null);

type SelectProps = Omit<JSX.SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'value' | 'onChange'> & {
  label: string;
  value: string;
  onValue: (v: string) => void;
  children: ComponentChildren;
};

export function SelectField({ label, value, onValue, children, ...rest }: SelectProps) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} class="select" value={value} onChange={(e) => onValue(e.currentTarget.value)} {...rest}>
        {children}
      </select>
    </div>
  );
}

/** A flash that screen readers announce politely: the outcome of the last action. */
export function Done({ children }: { children: ComponentChildren }) {
  return (
    <div role="status" class="flash flash--ok">
      {children}
    </div>
  );
}

/** An RFC 3339 value for a datetime-local input's value (library time, +08:00). */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const tw = new Date(d.getTime() + 8 * 3600_000);
  return tw.toISOString().slice(0, 16);
}

/** A datetime-local input's value (library time) as RFC 3339 with +08:00; null when empty. */
export function fromLocalInput(v: string): string | null {
  if (!v) return null;
  return `${v.length === 16 ? `${v}:00` : v}+08:00`;
}

/**
 * A row of tabs (WAI-ARIA tabs pattern): the selected tab is in the tab order, ←/→/Home/End move
 * between tabs and select them. Panels are rendered by the caller with id `panel-<key>`.
 */
export function Tabs<K extends string>({ label, tabs, value, onValue }: { label: string; tabs: { key: K; text: string }[]; value: K; onValue: (k: K) => void }) {
  const move = (e: KeyboardEvent) => {
    const i = tabs.findIndex((x) => x.key === value);
    let next = -1;
    if (e.key === 'ArrowRight') next = (i + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = tabs.length - 1;
    if (next < 0) return;
    e.preventDefault();
    const k = tabs[next]!.key;
    onValue(k);
    window.setTimeout(() => document.getElementById(`tab-${k}`)?.focus(), 0);
  };
  return (
    <div class="tabs" role="tablist" aria-label={label} onKeyDown={move}>
      {tabs.map((x) => (
        <button
          key={x.key}
          type="button"
          role="tab"
          id={`tab-${x.key}`}
          aria-selected={value === x.key}
          aria-controls={`panel-${x.key}`}
          tabIndex={value === x.key ? 0 : -1}
          class="tabs__tab"
          onClick={() => onValue(x.key)}
        >
          {x.text}
        </button>
      ))}
    </div>
  );
}
