// S1 Redemption desk (兌換櫃台): scan the patron's code (a USB scanner types it and presses Enter
// into a field that keeps the focus), see card, prize, cost and balance, hand the prize over; or
// redeem by card number for a patron without a phone; cancel a completed redemption with a reason.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Prize, Redemption, Staff } from '../api';
import { Alert } from '../components/Alert';
import { Field } from '../components/Field';
import { PageTitle } from '../components/PageTitle';
import { useAsync } from '../hooks';
import { formatDateTime, label, t } from '../i18n';
import { cancelCompleted, completeRedemption, counterRedeem, scanRedemption, staffPrizes, type ScanResult } from '../staffApi';
import { Done, refusalText, SelectField, Tabs } from './common';

type Tab = 'scan' | 'card';

function CancelCompleted({ redemption, onCancelled }: { redemption: Redemption; onCancelled: (r: Redemption) => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!open) {
    return (
      <button type="button" class="button button--quiet button--small" onClick={() => setOpen(true)}>
        {t('console.redeem.cancelOpen')}
      </button>
    );
  }
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!reason.trim()) {
      setError(t('console.redeem.reasonRequired'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onCancelled(await cancelCompleted(redemption.id, reason.trim()));
    } catch (err) {
      setError(refusalText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="form form--inline" onSubmit={submit} noValidate>
      {error && <Alert>{error}</Alert>}
      <Field label={t('console.redeem.cancelReason')} name="reason" value={reason} onValue={setReason} maxLength={500} required />
      <button type="submit" class="button button--danger" disabled={busy}>
        {t('console.redeem.cancelSubmit')}
      </button>
    </form>
  );
}

function Outcome({ redemption, onChange }: { redemption: Redemption; onChange: (r: Redemption) => void }) {
  if (redemption.status === 'cancelled') {
    return (
      <Done>
        <p class="flash__title">{t('console.redeem.cancelled', { id: redemption.id, prize: redemption.prize_name, cost: redemption.cost })}</p>
      </Done>
    );
  }
  return (
    <div class="console-result">
      <Done>
        <p class="flash__title">{t('console.redeem.done', { prize: redemption.prize_name })}</p>
        <p>
          {t('console.redeem.doneDetail', {
            id: redemption.id,
            card: redemption.card,
            cost: redemption.cost,
            at: redemption.completed_at ? formatDateTime(redemption.completed_at) : '',
          })}
        </p>
      </Done>
      <CancelCompleted redemption={redemption} onCancelled={onChange} />
    </div>
  );
}

function ScanTab() {
  const input = useRef<HTMLInputElement>(null);
  const [code, setCode] = useState('');
  const [scanned, setScanned] = useState<{ code: string; result: ScanResult } | null>(null);
  const [done, setDone] = useState<Redemption | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const refocus = () => window.setTimeout(() => input.current?.focus(), 0);
  useEffect(() => {
    // The scan field keeps the focus (a USB scanner types wherever the focus is): whenever the
    // focus leaves it for something that is not a control (the page, its heading), it comes back.
    const grab = () => {
      const a = document.activeElement;
      if (!a || !a.matches('input, select, textarea, button, a[href], [role="tab"]')) input.current?.focus();
    };
    const first = window.setTimeout(grab, 0);
    const onFocusOut = () => window.setTimeout(grab, 0);
    document.addEventListener('focusout', onFocusOut);
    return () => {
      window.clearTimeout(first);
      document.removeEventListener('focusout', onFocusOut);
    };
  }, []);

  const scan = async (e: Event) => {
    e.preventDefault();
    const c = code.trim();
    if (!c || busy) return;
    setBusy(true);
    setError(null);
    setDone(null);
    setScanned(null);
    try {
      const result = await scanRedemption(c);
      setScanned({ code: c, result });
    } catch (err) {
      setError(refusalText(err));
    } finally {
      setCode('');
      setBusy(false);
      refocus();
    }
  };

  const handOver = async () => {
    if (!scanned || busy) return;
    setBusy(true);
    setError(null);
    try {
      const r = await completeRedemption(scanned.result.redemption.id, scanned.code);
      setDone(r);
      setScanned(null);
    } catch (err) {
      setError(refusalText(err));
    } finally {
      setBusy(false);
      refocus();
    }
  };

  const r = scanned?.result;
  return (
    <div class="console-grid">
      <form class="form scanbox" onSubmit={scan} noValidate>
        <div class="field">
          <label for="scan-code">{t('console.redeem.code')}</label>
          <p id="scan-code-hint" class="field__hint">
            {t('console.redeem.codeHint')}
          </p>
          <input
            ref={input}
            id="scan-code"
            name="code"
            class="scanbox__input"
            value={code}
            onInput={(e) => setCode(e.currentTarget.value)}
            aria-describedby="scan-code-hint"
            autocomplete="off"
            autocapitalize="characters"
            spellcheck={false}
          />
        </div>
        <button type="submit" class="button button--primary" disabled={busy}>
          {t('console.redeem.lookUp')}
        </button>
      </form>
      <div class="console-output" aria-live="polite">
        {error && <Alert>{error}</Alert>}
        {r && (
          <section class="ticket" aria-labelledby="ticket-title">
            <h2 id="ticket-title">{r.prize.name}</h2>
            <dl class="facts facts--wide">
              <dt>{t('console.redeem.card')}</dt>
              <dd class="mono">{r.card_masked}</dd>
              <dt>{t('console.redeem.cost')}</dt>
              <dd>{t('points.n', { points: r.redemption.cost })}</dd>
              <dt>{t('console.redeem.balance')}</dt>
              <dd>{t('points.n', { points: r.balance })}</dd>
              <dt>{t('console.redeem.status')}</dt>
              <dd>{label('redemption.status', r.redemption.status)}</dd>
              {r.redemption.expires_at && (
                <>
                  <dt>{t('console.redeem.expires')}</dt>
                  <dd>{formatDateTime(r.redemption.expires_at, true)}</dd>
                </>
              )}
            </dl>
            <button type="button" class="button button--primary button--big" onClick={handOver} disabled={busy}>
              {t('console.redeem.handOver')}
            </button>
          </section>
        )}
        {done && <Outcome redemption={done} onChange={setDone} />}
        {!r && !done && !error && <p class="muted">{t('console.redeem.waiting')}</p>}
      </div>
    </div>
  );
}

function CardTab({ staff }: { staff: Staff }) {
  const [prizes] = useAsync((signal) => staffPrizes(staff.branch, signal), [staff.branch]);
  const [card, setCard] = useState('');
  const [prizeId, setPrizeId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<Redemption | null>(null);
  const list: Prize[] = prizes.status === 'ok' ? prizes.value : [];

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!card.trim() || !prizeId) {
      setError(t('console.redeem.cardRequired'));
      return;
    }
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setDone(await counterRedeem(card.trim(), Number(prizeId)));
      setCard('');
    } catch (err) {
      setError(refusalText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="console-grid">
      <form class="form" onSubmit={submit} noValidate>
        <Field label={t('console.card')} name="card" value={card} onValue={setCard} autocomplete="off" spellcheck={false} required />
        <SelectField label={t('console.redeem.prize')} value={prizeId} onValue={setPrizeId} required>
          <option value="">{prizes.status === 'loading' ? t('common.loading') : t('console.redeem.pickPrize')}</option>
          {list.map((p) => (
            <option key={p.id} value={String(p.id)} disabled={p.stock_left === 0}>
              {t('console.redeem.prizeOption', { name: p.name, cost: p.cost, left: p.stock_left, branch: p.branch })}
            </option>
          ))}
        </SelectField>
        <button type="submit" class="button button--primary" disabled={busy}>
          {t('console.redeem.byCardSubmit')}
        </button>
      </form>
      <div class="console-output" aria-live="polite">
        {error && <Alert>{error}</Alert>}
        {done && <Outcome redemption={done} onChange={setDone} />}
      </div>
    </div>
  );
}

export function RedemptionDeskPage({ staff }: { staff: Staff }) {
  const [tab, setTab] = useState<Tab>('scan');
  return (
    <div class="page">
      <PageTitle>{t('console.redeem.title')}</PageTitle>
      <Tabs
        label={t('console.redeem.title')}
        value={tab}
        onValue={setTab}
        tabs={[
          { key: 'scan', text: t('console.redeem.tabScan') },
          { key: 'card', text: t('console.redeem.tabCard') },
        ]}
      />
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'scan' ? <ScanTab /> : <CardTab staff={staff} />}
      </div>
    </div>
  );
}
