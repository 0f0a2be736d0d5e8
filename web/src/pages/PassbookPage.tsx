// /passbook: the reading passbook (閱讀存摺, P7): the balance, and point details (點數明細) by year and
// by month — earned, spent, a bar chart of the year, and every entry.
import { useState } from 'preact/hooks';
import { passbook, passbookEntries, type PassbookEntry } from '../api';
import { LoadError, Loading } from '../components/Alert';
import { BarChart, type MonthBar } from '../components/BarChart';
import { CardGate } from '../components/CardGate';
import { PageTitle } from '../components/PageTitle';
import { PassbookHeader } from '../components/PassbookHeader';
import { errorText } from '../errors';
import { useAsync } from '../hooks';
import { formatDateTime, monthName, t } from '../i18n';
import { useBranches } from '../patron';

/** Year and month of an entry, read from its RFC 3339 time (already in the library's offset). */
function monthOf(at: string): number {
  return Number(at.slice(5, 7));
}

/** Sums per month, as the server sums a period: earned = loan + event; spent = debits − refunds. */
function byMonth(entries: PassbookEntry[]): MonthBar[] {
  const bars: MonthBar[] = Array.from({ length: 12 }, (_, i) => ({ month: i + 1, earned: 0, spent: 0 }));
  for (const e of entries) {
    const b = bars[monthOf(e.at) - 1];
    if (!b) continue;
    if (e.kind === 'loan' || e.kind === 'event') b.earned += e.delta;
    else if (e.kind === 'redemption' || e.kind === 'registration' || e.kind === 'refund') b.spent -= e.delta;
  }
  return bars;
}

function EntryRow({ e, branchName }: { e: PassbookEntry; branchName: (c: string) => string }) {
  const plus = e.delta > 0;
  return (
    <li class="entry">
      <div class="entry__main">
        <p class="entry__desc">{e.description}</p>
        <p class="entry__sub">
          {formatDateTime(e.at)}
          {e.branch && <> · {branchName(e.branch)}</>}
        </p>
      </div>
      <div class="entry__nums">
        <p class={plus ? 'entry__delta entry__delta--plus' : 'entry__delta entry__delta--minus'}>
          {plus ? `+${e.delta}` : `−${Math.abs(e.delta)}`}
        </p>
        <p class="entry__after">{t('entries.balanceAfter', { points: e.balance_after })}</p>
      </div>
    </li>
  );
}

function Entries({ card }: { card: string }) {
  const branches = useBranches();
  const now = new Date();
  const thisYear = now.getFullYear();
  const [year, setYear] = useState(thisYear);
  const [month, setMonth] = useState<number | null>(now.getMonth() + 1);
  const [yearState, reloadYear] = useAsync((signal) => passbookEntries(card, year, null, signal), [card, year]);
  const [periodState, reloadPeriod] = useAsync(
    (signal) => (month === null ? passbookEntries(card, year, null, signal) : passbookEntries(card, year, month, signal)),
    [card, year, month],
  );
  const bars = yearState.status === 'ok' ? byMonth(yearState.value.entries) : null;
  const periodLabel = month === null ? t('entries.wholeYear', { year }) : t('entries.yearMonth', { year, month, monthName: monthName(month) });
  return (
    <section aria-labelledby="entries-heading" class="section">
      <h2 id="entries-heading">{t('passbook.tab.entries')}</h2>
      <div class="period">
        <div class="stepper" role="group" aria-label={t('entries.yearLabel')}>
          <button type="button" class="stepper__btn" aria-label={t('entries.prevYear')} onClick={() => setYear(year - 1)}>
            ‹
          </button>
          <span class="stepper__value" aria-live="polite">
            {t('entries.year', { year })}
          </span>
          <button
            type="button"
            class="stepper__btn"
            aria-label={t('entries.nextYear')}
            disabled={year >= thisYear}
            onClick={() => setYear(year + 1)}
          >
            ›
          </button>
        </div>
        <div class="chips" role="group" aria-label={t('entries.monthLabel')}>
          <button type="button" class="chip" aria-pressed={month === null} onClick={() => setMonth(null)}>
            {t('entries.all')}
          </button>
          {Array.from({ length: 12 }, (_, i) => i + 1).map((m) => (
            <button key={m} type="button" class="chip" aria-pressed={month === m} onClick={() => setMonth(m)}>
              {monthName(m)}
            </button>
          ))}
        </div>
      </div>
      {bars && <BarChart year={year} data={bars} selected={month} />}
      {yearState.status === 'error' && <LoadError text={errorText(yearState.error)} onRetry={reloadYear} />}
      {periodState.status === 'loading' && <Loading />}
      {periodState.status === 'error' && <LoadError text={errorText(periodState.error)} onRetry={reloadPeriod} />}
      {periodState.status === 'ok' && (
        <>
          <dl class="sums" aria-label={t('entries.sumsLabel', { period: periodLabel })}>
            <div class="sums__cell sums__cell--earned">
              <dt>{t('entries.earnedIn', { period: periodLabel })}</dt>
              <dd>+{periodState.value.earned}</dd>
            </div>
            <div class="sums__cell sums__cell--spent">
              <dt>{t('entries.spentIn', { period: periodLabel })}</dt>
              <dd>−{periodState.value.spent}</dd>
            </div>
          </dl>
          {periodState.value.entries.length === 0 ? (
            <p class="empty-line">{t('entries.none', { period: periodLabel })}</p>
          ) : (
            <ul class="entries" role="list" aria-label={t('entries.listLabel', { period: periodLabel })}>
              {periodState.value.entries.map((e) => (
                <EntryRow key={e.id} e={e} branchName={branches.name} />
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

export function PassbookPage() {
  return (
    <div class="page">
      <PageTitle>{t('passbook.title')}</PageTitle>
      <CardGate>{(card) => <PassbookBody key={card.card} card={card.card} />}</CardGate>
    </div>
  );
}

function PassbookBody({ card }: { card: string }) {
  const [balance] = useAsync((signal) => passbook(card, signal), [card]);
  return (
    <>
      <PassbookHeader path="/passbook" state={balance} />
      <Entries card={card} />
    </>
  );
}
