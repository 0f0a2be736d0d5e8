// /study: my study (我的書房, P3/P4): the card's suspension status in red, its loans (overdue in red,
// renew with the reason beside a disabled button when refused, renew all) and its holds (queue
// position, ready at BRANCH until DATE, cancel).
import { useEffect, useState } from 'preact/hooks';
import {
  ApiError,
  cancelHold,
  cardStatus,
  holds as fetchHolds,
  loans as fetchLoans,
  renewLoan,
  type CardStatus,
  type Hold,
  type Loan,
} from '../api';
import { LoadError, Loading } from '../components/Alert';
import { CardGate } from '../components/CardGate';
import { Icon } from '../components/Icon';
import { PageTitle } from '../components/PageTitle';
import { errorText } from '../errors';
import { useAsync } from '../hooks';
import { codeText, formatDate, label, t } from '../i18n';
import { useBranches } from '../patron';

export function StatusPanel({ status }: { status: CardStatus }) {
  const borrowSuspended = status.suspension_days_left > 0 || status.borrow_resumes_on !== null;
  const reserveSuspended = status.reserve_resumes_on !== null;
  const inactive = status.status !== 'active';
  if (!borrowSuspended && !reserveSuspended && !inactive) {
    return (
      <section class="status status--ok" aria-labelledby="status-heading">
        <h2 id="status-heading" class="status__title">
          <Icon name="check" size={20} /> {t('status.title')}
        </h2>
        <p>{t('status.ok')}</p>
      </section>
    );
  }
  return (
    <section class="status status--alert" aria-labelledby="status-heading">
      <h2 id="status-heading" class="status__title">
        <Icon name="alert" size={20} />{' '}
        {t('status.is', {
          state: borrowSuspended || reserveSuspended ? t('status.suspended') : label('cardStatus', status.status),
        })}
      </h2>
      <ul>
        {inactive && (borrowSuspended || reserveSuspended) && <li>{label('cardStatus', status.status)}</li>}
        {status.suspension_days_left > 0 && (
          <li class="status__big">{t('status.daysLeft', { days: status.suspension_days_left })}</li>
        )}
        {status.borrow_resumes_on && <li>{t('status.borrowResumes', { date: formatDate(status.borrow_resumes_on) })}</li>}
        {status.reserve_resumes_on && <li>{t('status.reserveResumes', { date: formatDate(status.reserve_resumes_on) })}</li>}
      </ul>
    </section>
  );
}

type Flash = { kind: 'ok' | 'error'; text: string } | null;

function LoanItem({
  loan,
  branchName,
  busy,
  onRenew,
}: {
  loan: Loan;
  branchName: (c: string) => string;
  busy: boolean;
  onRenew: (l: Loan) => void;
}) {
  const overdue = loan.overdue_days > 0;
  const reasonId = `renew-why-${loan.id}`;
  return (
    <li class={overdue ? 'item item--overdue' : 'item'}>
      <p class="item__title">{loan.title}</p>
      <p class="item__meta">
        <span class={overdue ? 'due due--overdue' : 'due'}>{t('loan.dueOn', { date: formatDate(loan.due_on) })}</span>
        {overdue && <strong class="badge badge--danger">{t('loan.overdue', { days: loan.overdue_days })}</strong>}
      </p>
      <p class="item__sub">
        {branchName(loan.branch)}
        {loan.renewals > 0 && <> · {t('loan.renewals', { count: loan.renewals })}</>}
      </p>
      <div class="item__actions">
        {!loan.renewable && loan.renew_refusal && (
          <p class="refusal" id={reasonId}>
            {t('loan.cannotRenew', { reason: codeText(loan.renew_refusal) })}
          </p>
        )}
        <button
          type="button"
          class="button button--small button--quiet"
          disabled={!loan.renewable || busy}
          aria-describedby={!loan.renewable && loan.renew_refusal ? reasonId : undefined}
          aria-label={t('loan.renewTitle', { title: loan.title })}
          onClick={() => onRenew(loan)}
        >
          {busy ? t('loan.renewing') : t('loan.renew')}
        </button>
      </div>
    </li>
  );
}

function Loans({ card, items, onChanged }: { card: string; items: Loan[]; onChanged: () => void }) {
  const branches = useBranches();
  const [busy, setBusy] = useState<Set<string>>(new Set());
  const [flash, setFlash] = useState<Flash>(null);
  const sorted = [...items].sort((a, b) => b.overdue_days - a.overdue_days || a.due_on.localeCompare(b.due_on));
  const renewable = items.filter((l) => l.renewable);

  const mark = (ids: string[], on: boolean) =>
    setBusy((prev) => {
      const next = new Set(prev);
      ids.forEach((id) => (on ? next.add(id) : next.delete(id)));
      return next;
    });

  const renewOne = async (l: Loan) => {
    const id = String(l.id);
    mark([id], true);
    setFlash(null);
    try {
      const renewed = await renewLoan(card, l.id);
      setFlash({ kind: 'ok', text: t('loan.renewed', { title: l.title, date: formatDate(renewed.due_on) }) });
      onChanged();
    } catch (err) {
      setFlash({ kind: 'error', text: renewError(err) });
      onChanged();
    } finally {
      mark([id], false);
    }
  };

  const renewAll = async () => {
    const ids = renewable.map((l) => String(l.id));
    mark(ids, true);
    setFlash(null);
    let ok = 0;
    let failed = 0;
    for (const l of renewable) {
      try {
        await renewLoan(card, l.id);
        ok += 1;
      } catch {
        failed += 1;
      }
    }
    mark(ids, false);
    setFlash({ kind: failed ? 'error' : 'ok', text: t('loan.renewedAll', { ok, failed }) });
    onChanged();
  };

  return (
    <section aria-labelledby="loans-heading" class="section">
      <div class="section__head">
        <h2 id="loans-heading">{t('loan.heading', { count: items.length })}</h2>
        {items.length > 0 && (
          <button type="button" class="button button--small button--primary" disabled={renewable.length === 0 || busy.size > 0} onClick={renewAll}>
            {t('loan.renewAll')}
          </button>
        )}
      </div>
      {flash && (
        <p role={flash.kind === 'error' ? 'alert' : 'status'} class={flash.kind === 'error' ? 'flash flash--error' : 'flash flash--ok'}>
          {flash.text}
        </p>
      )}
      {sorted.length === 0 ? (
        <p class="empty-line">{t('loan.none')}</p>
      ) : (
        <ul class="list" role="list">
          {sorted.map((l) => (
            <LoanItem key={l.id} loan={l} branchName={branches.name} busy={busy.has(String(l.id))} onRenew={renewOne} />
          ))}
        </ul>
      )}
    </section>
  );
}

function renewError(err: unknown): string {
  if (err instanceof ApiError && err.status === 409) return t('loan.cannotRenew', { reason: codeText(err.code) });
  return errorText(err);
}

function HoldItem({ hold, card, branchName, onChanged }: { hold: Hold; card: string; branchName: (c: string) => string; onChanged: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancel = async () => {
    setBusy(true);
    setError(null);
    try {
      await cancelHold(card, hold.id);
      onChanged();
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  let line: string;
  if (hold.status === 'ready') line = t('hold.readyAt', { branch: branchName(hold.pickup_branch), date: hold.pickup_by ? formatDate(hold.pickup_by) : '' });
  else if (hold.status === 'waiting' && hold.queue_position !== null) line = t('hold.queue', { position: hold.queue_position });
  else if (hold.status === 'in_transit') line = t('hold.inTransit', { branch: branchName(hold.pickup_branch) });
  else line = label('holdStatus', hold.status);
  return (
    <li class={hold.status === 'ready' ? 'item item--ready' : 'item'}>
      <p class="item__title">{hold.title}</p>
      <p class="item__meta">
        <span class={hold.status === 'ready' ? 'badge badge--ok' : 'badge'}>{label('holdStatus', hold.status)}</span>
        <span class={hold.status === 'ready' ? 'ready-line' : ''}>{line}</span>
      </p>
      {hold.status !== 'ready' && <p class="item__sub">{t('hold.pickupAt', { branch: branchName(hold.pickup_branch) })}</p>}
      {error && (
        <p role="alert" class="flash flash--error">
          {error}
        </p>
      )}
      <div class="item__actions">
        {confirming ? (
          <>
            <span class="confirm-q">{t('hold.cancelConfirm')}</span>
            <button type="button" class="button button--small button--danger" disabled={busy} onClick={cancel}>
              {t('hold.cancelYes')}
            </button>
            <button type="button" class="button button--small button--quiet" disabled={busy} onClick={() => setConfirming(false)}>
              {t('common.no')}
            </button>
          </>
        ) : (
          <button
            type="button"
            class="button button--small button--quiet"
            aria-label={t('hold.cancelTitle', { title: hold.title })}
            onClick={() => setConfirming(true)}
          >
            {t('hold.cancel')}
          </button>
        )}
      </div>
    </li>
  );
}

function Holds({ card, items, onChanged }: { card: string; items: Hold[]; onChanged: () => void }) {
  const branches = useBranches();
  return (
    <section aria-labelledby="holds-heading" class="section" id="holds">
      <h2 id="holds-heading">{t('hold.heading', { count: items.length })}</h2>
      {items.length === 0 ? (
        <p class="empty-line">{t('hold.none')}</p>
      ) : (
        <ul class="list" role="list">
          {items.map((h) => (
            <HoldItem key={h.id} hold={h} card={card} branchName={branches.name} onChanged={onChanged} />
          ))}
        </ul>
      )}
    </section>
  );
}

function Study({ card }: { card: string }) {
  const [state, reload] = useAsync(
    (signal) => Promise.all([cardStatus(card, signal), fetchLoans(card, signal), fetchHolds(card, signal)]),
    [card],
  );
  // Keep the last answer on screen while a reload runs, so buttons do not jump.
  const [last, setLast] = useState<[CardStatus, Loan[], Hold[]] | null>(null);
  useEffect(() => {
    if (state.status === 'ok') setLast(state.value);
  }, [state]);
  useEffect(() => setLast(null), [card]);
  const value = state.status === 'ok' ? state.value : last;
  if (!value) {
    if (state.status === 'error') return <LoadError text={errorText(state.error)} onRetry={reload} />;
    return <Loading />;
  }
  const [status, loanItems, holdItems] = value;
  return (
    <>
      <StatusPanel status={status} />
      <Loans card={card} items={loanItems} onChanged={reload} />
      <Holds card={card} items={holdItems} onChanged={reload} />
    </>
  );
}

export function StudyPage() {
  return (
    <div class="page">
      <PageTitle>{t('study.title')}</PageTitle>
      <CardGate>{(card) => <Study key={card.card} card={card.card} />}</CardGate>
    </div>
  );
}
