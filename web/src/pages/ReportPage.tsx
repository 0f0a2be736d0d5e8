// /report: the reading report (閱讀報告, P12) of a year: loans per month, per subject class
// (中國圖書分類法) and points per year, as charts with their numbers in tables. With the reading
// history off the subjects are not counted (RULES.md Privacy), and the page says so.
import { useState } from 'preact/hooks';
import { readingReport, type ReadingReport } from '../api';
import { LoadError, Loading } from '../components/Alert';
import { CardGate } from '../components/CardGate';
import { BarTable, ColumnChart } from '../components/Charts';
import { Icon } from '../components/Icon';
import { Link } from '../components/Link';
import { PageTitle } from '../components/PageTitle';
import { errorText } from '../errors';
import { useAsync } from '../hooks';
import { monthName, t } from '../i18n';

/** This year in the library's time zone. */
function thisYear(): number {
  return Number(new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: 'Asia/Taipei' }).format(new Date()));
}

function Totals({ r }: { r: ReadingReport }) {
  const items = [
    { label: t('report.loansIn', { year: r.year }), value: r.totals.loans_year },
    { label: t('report.loansLifetime'), value: r.totals.loans_lifetime },
    { label: t('report.pointsEarned'), value: r.totals.points_earned },
    { label: t('report.pointsSpent'), value: r.totals.points_spent },
  ];
  return (
    <dl class="totals">
      {items.map((i) => (
        <div key={i.label} class="totals__cell">
          <dt>{i.label}</dt>
          <dd>{i.value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Report({ card, year }: { card: string; year: number }) {
  const [state, reload] = useAsync((signal) => readingReport(card, year, signal), [card, year]);
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <LoadError text={errorText(state.error)} onRetry={reload} />;
  const r = state.value;
  return (
    <>
      <Totals r={r} />
      <section class="panel" aria-labelledby="by-month">
        <h2 id="by-month">{t('report.byMonth')}</h2>
        {r.totals.loans_year === 0 ? (
          <p class="empty-line">{t('report.noLoans', { year: r.year })}</p>
        ) : (
          <ColumnChart
            caption={t('report.byMonthCaption', { year: r.year })}
            headLabel={t('report.month')}
            series={[{ label: t('report.loans'), tone: 'a' }]}
            columns={r.loans_by_month.map((m) => ({ label: String(m.month), name: monthName(m.month), values: [m.loans] }))}
          />
        )}
      </section>
      <section class="panel" aria-labelledby="by-class">
        <h2 id="by-class">{t('report.byClass')}</h2>
        {r.loans_by_class === null ? (
          <div class="notice notice--muted notice--icon">
            <Icon name="eye" size={20} />
            <span>
              {t('report.historyOff')} <Link href="/account/history">{t('report.historyLink')}</Link>
            </span>
          </div>
        ) : r.totals.loans_year === 0 ? (
          <p class="empty-line">{t('report.noLoans', { year: r.year })}</p>
        ) : (
          <BarTable
            caption={t('report.byClassCaption', { year: r.year })}
            nameHead={t('report.class')}
            valueHead={t('report.loans')}
            rows={r.loans_by_class.map((c) => ({
              key: c.class,
              label: (
                <>
                  <span class="bartable__code" aria-hidden={c.class === 'unclassified' ? 'true' : undefined}>
                    {c.class === 'unclassified' ? '—' : `${c.class}00`}
                  </span>{' '}
                  {c.name}
                </>
              ),
              value: c.loans,
            }))}
          />
        )}
        {r.loans_by_class !== null && r.erased > 0 && <p class="muted small">{t('report.erasedNote', { count: r.erased })}</p>}
      </section>
      <section class="panel" aria-labelledby="by-year">
        <h2 id="by-year">{t('report.byYear')}</h2>
        {r.points_by_year.length === 0 ? (
          <p class="empty-line">{t('report.noPoints')}</p>
        ) : (
          <ColumnChart
            caption={t('report.byYearCaption')}
            headLabel={t('report.yearCol')}
            series={[
              { label: t('entries.earned'), tone: 'a' },
              { label: t('entries.spent'), tone: 'b' },
            ]}
            columns={r.points_by_year.slice(-6).map((y) => ({ label: String(y.year), name: String(y.year), values: [y.earned, y.spent] }))}
          />
        )}
      </section>
    </>
  );
}

export function ReportPage() {
  const now = thisYear();
  const [year, setYear] = useState(now);
  return (
    <div class="page">
      <PageTitle>{t('report.title')}</PageTitle>
      <CardGate>
        {(card) => (
          <>
            <div class="yearpick" role="group" aria-label={t('report.yearCol')}>
              <button
                type="button"
                class="yearpick__btn"
                aria-label={t('report.prevYear', { year: year - 1 })}
                disabled={year <= 1900}
                onClick={() => setYear(year - 1)}
              >
                <Icon name="back" size={20} />
              </button>
              <p class="yearpick__value" aria-live="polite">
                {t('report.year', { year })}
              </p>
              <button
                type="button"
                class="yearpick__btn"
                aria-label={t('report.nextYear', { year: year + 1 })}
                disabled={year >= now}
                onClick={() => setYear(year + 1)}
              >
                <Icon name="chevron" size={20} />
              </button>
            </div>
            <Report key={card.card} card={card.card} year={year} />
          </>
        )}
      </CardGate>
    </div>
  );
}
