// /passbook/prizes: redeemable prizes (可兌換明細) of one or several branches and a points range, with
// cost and stock left; redeem (兌換獎品) after a confirmation, then the code view.
import { useId, useState } from 'preact/hooks';
import { ApiError, passbook, prizes as fetchPrizes, redeem, type Prize, type PrizeQuery } from '../api';
import { Alert, LoadError, Loading } from '../components/Alert';
import { CardGate } from '../components/CardGate';
import { Icon } from '../components/Icon';
import { PageTitle } from '../components/PageTitle';
import { PassbookHeader } from '../components/PassbookHeader';
import { errorText } from '../errors';
import { useAsync } from '../hooks';
import { formatDateTime, t } from '../i18n';
import { useBranches } from '../patron';
import { storeRedemption } from '../redemptions';
import { navigate } from '../router';

function parsePoints(v: string): number | null {
  const n = Number(v.trim());
  return v.trim() === '' || !Number.isInteger(n) || n < 0 ? null : n;
}

function Filters({ onApply }: { onApply: (q: PrizeQuery) => void }) {
  const branches = useBranches();
  const minId = useId();
  const maxId = useId();
  const [chosen, setChosen] = useState<string[]>([]);
  const [min, setMin] = useState('');
  const [max, setMax] = useState('');
  const [error, setError] = useState<string | null>(null);
  const toggle = (code: string) => setChosen((c) => (c.includes(code) ? c.filter((x) => x !== code) : [...c, code]));
  const submit = (e: Event) => {
    e.preventDefault();
    const lo = parsePoints(min);
    const hi = parsePoints(max);
    if ((min.trim() !== '' && lo === null) || (max.trim() !== '' && hi === null)) {
      setError(t('prizes.rangeInvalid'));
      return;
    }
    if (lo !== null && hi !== null && lo > hi) {
      setError(t('prizes.rangeOrder'));
      return;
    }
    setError(null);
    onApply({ branches: chosen, min_points: lo, max_points: hi });
  };
  const clear = () => {
    setChosen([]);
    setMin('');
    setMax('');
    setError(null);
    onApply({});
  };
  const summary =
    chosen.length === 0 ? t('prizes.allBranches') : chosen.map((c) => branches.name(c)).join('、');
  return (
    <form class="filters" onSubmit={submit} aria-labelledby="filters-heading" noValidate>
      <h2 id="filters-heading" class="visually-hidden">
        {t('prizes.filters')}
      </h2>
      <details class="picker">
        <summary>
          <span class="picker__label">{t('prizes.branches')}</span>
          <span class="picker__value">{summary}</span>
        </summary>
        <fieldset class="picker__list">
          <legend class="visually-hidden">{t('prizes.branches')}</legend>
          {branches.list === null && branches.status === 'error' && <p class="muted">{t('branches.unavailable')}</p>}
          {branches.list === null && branches.status !== 'error' && <Loading />}
          {(branches.list ?? []).map((b) => (
            <label key={b.code} class="check">
              <input type="checkbox" checked={chosen.includes(b.code)} onChange={() => toggle(b.code)} />
              <span>{b.name}</span>
            </label>
          ))}
        </fieldset>
      </details>
      <div class="range">
        <div class="field field--inline">
          <label for={minId}>{t('prizes.minPoints')}</label>
          <input id={minId} inputMode="numeric" pattern="[0-9]*" value={min} onInput={(e) => setMin(e.currentTarget.value)} />
        </div>
        <span class="range__dash" aria-hidden="true">
          –
        </span>
        <div class="field field--inline">
          <label for={maxId}>{t('prizes.maxPoints')}</label>
          <input id={maxId} inputMode="numeric" pattern="[0-9]*" value={max} onInput={(e) => setMax(e.currentTarget.value)} />
        </div>
      </div>
      {error && <Alert>{error}</Alert>}
      <div class="filters__actions">
        <button type="submit" class="button button--primary button--small">
          {t('prizes.apply')}
        </button>
        <button type="button" class="button button--quiet button--small" onClick={clear}>
          {t('prizes.clear')}
        </button>
      </div>
    </form>
  );
}

function PrizeCard({ prize, card, balance }: { prize: Prize; card: string; balance: number | null }) {
  const branches = useBranches();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const out = prize.stock_left <= 0;
  const short = balance !== null && balance < prize.cost;
  const go = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await redeem(card, prize.id);
      storeRedemption(r, Date.now());
      navigate(`/passbook/redemptions/${r.id}`);
    } catch (err) {
      setBusy(false);
      setError(err instanceof ApiError && err.status === 409 ? err.message || errorText(err) : errorText(err));
    }
  };
  const headingId = `prize-${prize.id}`;
  return (
    <li class={out ? 'prize prize--out' : 'prize'} aria-labelledby={headingId}>
      <div class="prize__art" aria-hidden="true">
        {prize.image_url ? <img src={prize.image_url} alt="" loading="lazy" /> : <Icon name="gift" size={30} />}
      </div>
      <div class="prize__body">
        <h3 class="prize__name" id={headingId}>
          {prize.name}
        </h3>
        <p class="prize__where">
          {branches.name(prize.branch)}
          {prize.sponsor && <> · {t('prizes.sponsor', { sponsor: prize.sponsor })}</>}
        </p>
        <p class="prize__meta">
          <strong class="cost">{t('prizes.cost', { points: prize.cost })}</strong>
          <span class={out ? 'stock stock--out' : 'stock'}>
            {out ? t('prizes.outOfStock') : t('prizes.stockLeft', { count: prize.stock_left })}
          </span>
        </p>
        {(prize.per_card_limit > 0 || prize.on_sale_until) && (
          <p class="prize__sub">
            {prize.per_card_limit > 0 && t('prizes.limit', { count: prize.per_card_limit })}
            {prize.per_card_limit > 0 && prize.on_sale_until && ' · '}
            {prize.on_sale_until && t('prizes.until', { date: formatDateTime(prize.on_sale_until) })}
          </p>
        )}
        {error && <Alert>{error}</Alert>}
        {confirming ? (
          <div class="confirm" role="group" aria-label={t('prizes.confirmLabel', { name: prize.name })}>
            <p>
              {t('prizes.confirm', { name: prize.name, points: prize.cost })}
              {balance !== null && <> {t('prizes.after', { points: balance - prize.cost })}</>}
            </p>
            <p class="muted small">{t('prizes.confirmNote')}</p>
            <div class="confirm__actions">
              <button type="button" class="button button--primary button--small" disabled={busy} aria-busy={busy} onClick={go}>
                {busy ? t('prizes.redeeming') : t('prizes.confirmYes')}
              </button>
              <button type="button" class="button button--quiet button--small" disabled={busy} onClick={() => setConfirming(false)}>
                {t('common.cancel')}
              </button>
            </div>
          </div>
        ) : (
          <div class="prize__actions">
            {short && !out && <span class="refusal">{t('prizes.short', { points: prize.cost - (balance ?? 0) })}</span>}
            <button
              type="button"
              class="button button--primary button--small"
              disabled={out || short}
              aria-label={t('prizes.redeemName', { name: prize.name })}
              onClick={() => setConfirming(true)}
            >
              {t('prizes.redeem')}
            </button>
          </div>
        )}
      </div>
    </li>
  );
}

function Prizes({ card }: { card: string }) {
  const [query, setQuery] = useState<PrizeQuery>({});
  const [balanceState] = useAsync((signal) => passbook(card, signal), [card]);
  const [state, reload] = useAsync((signal) => fetchPrizes(query, signal), [JSON.stringify(query)]);
  const balance = balanceState.status === 'ok' ? balanceState.value.balance : null;
  return (
    <>
      <PassbookHeader path="/passbook/prizes" state={balanceState} />
      <section class="section" aria-labelledby="prizes-heading">
        <h2 id="prizes-heading">{t('passbook.tab.prizes')}</h2>
        <Filters onApply={setQuery} />
        {state.status === 'loading' && <Loading />}
        {state.status === 'error' && <LoadError text={errorText(state.error)} onRetry={reload} />}
        {state.status === 'ok' && (
          <>
            <p class="result-count" role="status">
              {t('prizes.count', { count: state.value.length })}
            </p>
            {state.value.length === 0 ? (
              <p class="empty-line">{t('prizes.none')}</p>
            ) : (
              <ul class="prizes" role="list" aria-label={t('prizes.listLabel')}>
                {state.value.map((p) => (
                  <PrizeCard key={p.id} prize={p} card={card} balance={balance} />
                ))}
              </ul>
            )}
          </>
        )}
      </section>
    </>
  );
}

export function PrizesPage() {
  return (
    <div class="page">
      <PageTitle>{t('passbook.title')}</PageTitle>
      <CardGate>{(card) => <Prizes key={card.card} card={card.card} />}</CardGate>
    </div>
  );
}
