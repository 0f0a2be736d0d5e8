// S2 Circulation desk (流通櫃台): checkout, check-in, renew by barcode, a card look-up, and the
// branch's pull list, hold shelf and in-transit lists. Branch staff act for their branch;
// all-branch staff pick one.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { branches, type Hold, type Loan, type Staff } from '../api';
import { Alert, LoadError, Loading } from '../components/Alert';
import { Field } from '../components/Field';
import { PageTitle } from '../components/PageTitle';
import { useAsync } from '../hooks';
import { codeText, formatDate, label, t } from '../i18n';
import type { CheckoutResult } from '../api';
import { checkin, checkout, deskCard, holdShelf, inTransit, pullList, renew, type CheckinResult, type DeskCard } from '../staffApi';
import { Done, refusalText, SelectField, Tabs } from './common';

type Tab = 'checkout' | 'checkin' | 'renew' | 'card' | 'lists';
const TABS: Tab[] = ['checkout', 'checkin', 'renew', 'card', 'lists'];

function useBranch(staff: Staff): [string, (b: string) => void, JSX.Element | null] {
  const [chosen, setChosen] = useState('');
  const [all] = useAsync((signal) => (staff.branch ? Promise.resolve([]) : branches(signal)), [staff.branch]);
  if (staff.branch) return [staff.branch, () => undefined, null];
  const list = all.status === 'ok' ? all.value : [];
  const value = chosen || list[0]?.code || '';
  const picker = (
    <SelectField label={t('console.circ.branch')} value={value} onValue={setChosen}>
      {list.map((b) => (
        <option key={b.code} value={b.code}>
          {b.code}・{b.name}
        </option>
      ))}
    </SelectField>
  );
  return [value, setChosen, picker];
}

function CheckoutForm({ branch }: { branch: string }) {
  const [card, setCard] = useState('');
  const [item, setItem] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<CheckoutResult | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!card.trim() || !item.trim()) {
      setError(t('console.circ.required'));
      return;
    }
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setDone(await checkout(card.trim(), item.trim(), branch));
      setItem('');
    } catch (err) {
      setError(refusalText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="console-grid">
      <form class="form" onSubmit={submit} noValidate>
        <Field label={t('console.card')} name="card" value={card} onValue={setCard} autocomplete="off" spellcheck={false} />
        <Field label={t('console.circ.item')} name="item" value={item} onValue={setItem} autocomplete="off" spellcheck={false} />
        <button type="submit" class="button button--primary" disabled={busy || !branch}>
          {t('console.circ.checkoutSubmit')}
        </button>
      </form>
      <div class="console-output" aria-live="polite">
        {error && <Alert>{error}</Alert>}
        {done && (
          <Done>
            <p class="flash__title">{t('console.circ.checkedOut', { title: done.loan.title })}</p>
            <p>{t('console.circ.dueOn', { date: formatDate(done.loan.due_on) })}</p>
            <p>
              {done.points_credited > 0
                ? t('console.circ.pointCredited', { points: done.points_credited, balance: done.balance })
                : t('console.circ.noPoint', { reason: codeText(done.points_reason ?? ''), code: done.points_reason ?? '' })}
            </p>
            {done.hold_fulfilled !== null && <p>{t('console.circ.holdFulfilled')}</p>}
          </Done>
        )}
      </div>
    </div>
  );
}

function CheckinForm({ branch }: { branch: string }) {
  const [item, setItem] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<CheckinResult | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy || !item.trim()) return;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setDone(await checkin(item.trim(), branch));
      setItem('');
    } catch (err) {
      setError(refusalText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="console-grid">
      <form class="form" onSubmit={submit} noValidate>
        <Field label={t('console.circ.item')} name="item" value={item} onValue={setItem} autocomplete="off" spellcheck={false} />
        <button type="submit" class="button button--primary" disabled={busy || !branch}>
          {t('console.circ.checkinSubmit')}
        </button>
      </form>
      <div class="console-output" aria-live="polite">
        {error && <Alert>{error}</Alert>}
        {done && (
          <div class={done.hold ? 'flash flash--hold' : 'flash flash--ok'} role="status">
            <p class="flash__title">
              {done.loan ? t('console.circ.checkedIn', { title: done.loan.title }) : t('console.circ.notOnLoan')}
            </p>
            {done.overdue_days > 0 ? (
              <p class="danger-text">
                {t('console.circ.overdue', { days: done.overdue_days, added: done.suspension_days_added })}
              </p>
            ) : (
              done.loan && <p>{t('console.circ.onTime')}</p>
            )}
            {done.hold && done.item_status === 'on_hold_shelf' && (
              <p class="flash__big">{t('console.circ.toHoldShelf', { branch: done.hold.pickup_branch, title: done.hold.title })}</p>
            )}
            {done.hold && done.item_status === 'in_transit' && (
              <p class="flash__big">{t('console.circ.toTransit', { branch: done.hold.pickup_branch, title: done.hold.title })}</p>
            )}
            {!done.hold && <p>{t('console.circ.toShelf')}</p>}
          </div>
        )}
      </div>
    </div>
  );
}

function RenewForm() {
  const [item, setItem] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<Loan | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy || !item.trim()) return;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setDone(await renew(item.trim()));
      setItem('');
    } catch (err) {
      setError(refusalText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="console-grid">
      <form class="form" onSubmit={submit} noValidate>
        <Field label={t('console.circ.item')} name="item" value={item} onValue={setItem} autocomplete="off" spellcheck={false} />
        <button type="submit" class="button button--primary" disabled={busy}>
          {t('console.circ.renewSubmit')}
        </button>
      </form>
      <div class="console-output" aria-live="polite">
        {error && <Alert>{error}</Alert>}
        {done && (
          <Done>
            <p class="flash__title">{t('console.circ.renewed', { title: done.title })}</p>
            <p>{t('console.circ.dueOn', { date: formatDate(done.due_on) })}</p>
          </Done>
        )}
      </div>
    </div>
  );
}

function HoldRows({ holds }: { holds: (Hold & { card?: string; item_barcode?: string | null; call_number?: string })[] }) {
  if (holds.length === 0) return <p class="muted">{t('console.none')}</p>;
  return (
    <table class="table">
      <thead>
        <tr>
          <th scope="col">{t('console.circ.colTitle')}</th>
          <th scope="col">{t('console.card')}</th>
          <th scope="col">{t('console.circ.colPickup')}</th>
          <th scope="col">{t('console.circ.colStatus')}</th>
          <th scope="col">{t('console.circ.colExtra')}</th>
        </tr>
      </thead>
      <tbody>
        {holds.map((h) => (
          <tr key={h.id}>
            <td>{h.title}</td>
            <td class="mono">{h.card ?? '—'}</td>
            <td>{h.pickup_branch}</td>
            <td>{label('holdStatus', h.status)}</td>
            <td class="mono">
              {h.item_barcode ? `${h.item_barcode}${h.call_number ? `（${h.call_number}）` : ''}` : h.pickup_by ? formatDate(h.pickup_by) : ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Lists({ branch }: { branch: string }) {
  const [state, reload] = useAsync(
    async (signal) => {
      const [pull, shelf, transit] = await Promise.all([pullList(branch, signal), holdShelf(branch, signal), inTransit(branch, signal)]);
      return { pull, shelf, transit };
    },
    [branch],
  );
  if (!branch) return null;
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <LoadError text={refusalText(state.error)} onRetry={reload} />;
  const { pull, shelf, transit } = state.value;
  return (
    <div class="stack">
      <button type="button" class="button button--quiet button--small button--start" onClick={reload}>
        {t('console.refresh')}
      </button>
      <section aria-labelledby="pull-h">
        <h2 id="pull-h">{t('console.circ.pullList', { count: pull.length })}</h2>
        <HoldRows holds={pull.map((p) => ({ ...p.hold, item_barcode: p.item_barcode, call_number: p.call_number }))} />
      </section>
      <section aria-labelledby="shelf-h">
        <h2 id="shelf-h">{t('console.circ.holdShelf', { count: shelf.length })}</h2>
        <HoldRows holds={shelf} />
      </section>
      <section aria-labelledby="transit-h">
        <h2 id="transit-h">{t('console.circ.inTransit', { count: transit.length })}</h2>
        <HoldRows holds={transit} />
      </section>
    </div>
  );
}

function CardLookup() {
  const [card, setCard] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [found, setFound] = useState<DeskCard | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy || !card.trim()) return;
    setBusy(true);
    setError(null);
    setFound(null);
    try {
      setFound(await deskCard(card.trim()));
    } catch (err) {
      setError(refusalText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="stack">
      <form class="form form--row" onSubmit={submit} noValidate>
        <Field label={t('console.card')} name="card" value={card} onValue={setCard} autocomplete="off" spellcheck={false} />
        <button type="submit" class="button button--primary" disabled={busy}>
          {t('console.circ.lookUp')}
        </button>
      </form>
      {error && <Alert>{error}</Alert>}
      {found && (
        <section class="ticket" aria-labelledby="card-h">
          <h2 id="card-h">
            {found.holder_name}・{label('cardType', found.type)}・<span class="mono">{found.card}</span>
          </h2>
          <dl class="facts facts--wide">
            <dt>{t('console.circ.cardStatus')}</dt>
            <dd>{label('cardStatus', found.status)}</dd>
            <dt>{t('console.circ.suspension')}</dt>
            <dd>
              {found.suspension_days_left > 0
                ? t('console.circ.suspendedUntil', { days: found.suspension_days_left, date: found.borrow_resumes_on ? formatDate(found.borrow_resumes_on) : '' })
                : t('console.none')}
            </dd>
            <dt>{t('console.redeem.balance')}</dt>
            <dd>{t('points.n', { points: found.balance })}</dd>
          </dl>
          <h3>{t('console.circ.loans', { count: found.loans.length })}</h3>
          {found.loans.length === 0 ? (
            <p class="muted">{t('console.none')}</p>
          ) : (
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{t('console.circ.colTitle')}</th>
                  <th scope="col">{t('console.circ.item')}</th>
                  <th scope="col">{t('console.circ.colDue')}</th>
                  <th scope="col">{t('console.circ.colRenewals')}</th>
                </tr>
              </thead>
              <tbody>
                {found.loans.map((l) => (
                  <tr key={l.id} class={l.overdue_days > 0 ? 'row--danger' : undefined}>
                    <td>{l.title}</td>
                    <td class="mono">{l.item_barcode}</td>
                    <td>
                      {formatDate(l.due_on)}
                      {l.overdue_days > 0 && `（${t('console.circ.overdueShort', { days: l.overdue_days })}）`}
                    </td>
                    <td>{l.renewals}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h3>{t('console.circ.holds', { count: found.holds.length })}</h3>
          <HoldRows holds={found.holds} />
        </section>
      )}
    </div>
  );
}

export function CirculationDeskPage({ staff }: { staff: Staff }) {
  const [tab, setTab] = useState<Tab>('checkout');
  const [branch, , picker] = useBranch(staff);
  return (
    <div class="page">
      <div class="console-head">
        <PageTitle>{t('console.circ.title')}</PageTitle>
        {picker ?? <p class="muted">{t('console.circ.actingFor', { branch })}</p>}
      </div>
      <Tabs label={t('console.circ.title')} value={tab} onValue={setTab} tabs={TABS.map((k) => ({ key: k, text: t(`console.circ.tab.${k}`) }))} />
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'checkout' && <CheckoutForm branch={branch} />}
        {tab === 'checkin' && <CheckinForm branch={branch} />}
        {tab === 'renew' && <RenewForm />}
        {tab === 'card' && <CardLookup />}
        {tab === 'lists' && <Lists branch={branch} />}
      </div>
    </div>
  );
}
