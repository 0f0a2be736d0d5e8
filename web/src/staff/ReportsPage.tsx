// A3 Reports (報表): redemptions and points per branch and period, a branch's redemption list, a
// card's point changes — tables, bar charts, and CSV / XLSX downloads in the console's language.
// Branch staff see their own branch (the server scopes it too); auditors read everything.
import { useState } from 'preact/hooks';
import { branches, type Staff } from '../api';
import { Alert, Loading } from '../components/Alert';
import { Field } from '../components/Field';
import { PageTitle } from '../components/PageTitle';
import { useAsync } from '../hooks';
import { formatDateTime, getLang, label } from '../i18n';
import {
  cardPointsReport,
  downloadReport,
  pointsReport,
  redemptionsReport,
  type CardPointsReport,
  type PointsReport,
  type RedemptionsReport,
  type ReportKind,
  type ReportQuery,
} from '../staffApi';
import { Bars } from './Bars';
import { Done, refusalText, SelectField, Tabs } from './common';
import { kindText, sm } from './messages';

type Tab = 'redemptions' | 'points' | 'card';

/** Today in library time (+08:00) as YYYY-MM-DD, and n days before it. */
function libraryDay(offsetDays = 0): string {
  return new Date(Date.now() + 8 * 3600_000 - offsetDays * 86_400_000).toISOString().slice(0, 10);
}

function Downloads({ kind, query, what }: { kind: ReportKind; query: ReportQuery & { card?: string }; what: string }) {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const get = async (format: 'csv' | 'xlsx') => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await downloadReport(kind, query, format, getLang());
      setDone(sm('reports.downloaded', { file: format.toUpperCase() }));
    } catch (err) {
      setError(refusalText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="admin-actions" role="group" aria-label={sm('reports.downloadLabel', { what })}>
      <button type="button" class="button button--small" disabled={busy} onClick={() => void get('csv')}>
        {sm('reports.csv')}
      </button>
      <button type="button" class="button button--small" disabled={busy} onClick={() => void get('xlsx')}>
        {sm('reports.xlsx')}
      </button>
      {done && <Done>{done}</Done>}
      {error && <Alert>{error}</Alert>}
    </div>
  );
}

const branchText = (code: string | null, name: string | null) => (code ? `${code}・${name ?? ''}` : sm('reports.noBranch'));

function RedemptionsView({ rep, query }: { rep: RedemptionsReport; query: ReportQuery }) {
  const title = sm('reports.tab.redemptions');
  const sum = (f: (x: RedemptionsReport['totals'][number]) => number) => rep.totals.reduce((n, x) => n + f(x), 0);
  return (
    <div class="stack">
      <div class="console-head">
        <p class="muted">{sm('reports.period', { branch: rep.period.branch ?? sm('common.allBranches'), from: rep.period.from, to: rep.period.to })}</p>
        <Downloads kind="redemptions" query={query} what={title} />
      </div>
      {rep.totals.length === 0 ? (
        <p class="muted">{sm('reports.none')}</p>
      ) : (
        <div class="admin-two">
          <Bars title={sm('reports.chartRedemptions')} series={[sm('reports.colCompletedPoints')]} rows={rep.totals.map((x) => ({ label: branchText(x.branch, x.branch_name), values: [x.completed_points] }))} />
          <div class="admin-scroll">
            <table class="table">
              <caption>{sm('reports.totalsTitle')}</caption>
              <thead>
                <tr>
                  <th scope="col">{sm('reports.colBranch')}</th>
                  <th scope="col" class="num">{sm('reports.colCompleted')}</th>
                  <th scope="col" class="num">{sm('reports.colCompletedPoints')}</th>
                  <th scope="col" class="num">{sm('reports.colPending')}</th>
                  <th scope="col" class="num">{sm('reports.colCancelled')}</th>
                  <th scope="col" class="num">{sm('reports.colExpired')}</th>
                </tr>
              </thead>
              <tbody>
                {rep.totals.map((x) => (
                  <tr key={x.branch}>
                    <th scope="row">{branchText(x.branch, x.branch_name)}</th>
                    <td class="num">{x.completed}</td>
                    <td class="num">{x.completed_points}</td>
                    <td class="num">{x.pending}</td>
                    <td class="num">{x.cancelled}</td>
                    <td class="num">{x.expired}</td>
                  </tr>
                ))}
                <tr>
                  <th scope="row">{sm('reports.total')}</th>
                  <td class="num">{rep.total.completed}</td>
                  <td class="num">{rep.total.completed_points}</td>
                  <td class="num">{sum((x) => x.pending)}</td>
                  <td class="num">{sum((x) => x.cancelled)}</td>
                  <td class="num">{sum((x) => x.expired)}</td>
                </tr>
              </tbody>
            </table>
          </div>
        </div>
      )}
      {rep.redemptions.length > 0 && (
        <table class="table table--dense">
          <caption>{sm('reports.listTitle', { n: rep.redemptions.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{sm('reports.colId')}</th>
              <th scope="col">{sm('reports.colRequested')}</th>
              <th scope="col">{sm('reports.colBranch')}</th>
              <th scope="col">{sm('reports.colPrize')}</th>
              <th scope="col" class="num">{sm('reports.colCost')}</th>
              <th scope="col">{sm('reports.colStatus')}</th>
              <th scope="col">{sm('reports.colCard')}</th>
              <th scope="col">{sm('reports.colStaff')}</th>
            </tr>
          </thead>
          <tbody>
            {rep.redemptions.map((x) => (
              <tr key={x.id}>
                <td>{x.id}</td>
                <td>{formatDateTime(x.created_at)}</td>
                <td>{x.branch}</td>
                <td>{x.prize_name}</td>
                <td class="num">{x.cost}</td>
                <td>{label('redemption.status', x.status)}</td>
                <td class="mono">{x.card_masked}</td>
                <td>{x.staff ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function PointsView({ rep, query }: { rep: PointsReport; query: ReportQuery }) {
  const series = [sm('reports.issued'), sm('reports.spent')];
  // `redeemed` is everything spent (redemptions + registrations − refunds); `redemptions` the prizes.
  const spent = (x: { redeemed: number }) => x.redeemed;
  // Per day over every branch, for the chart.
  const perDay = new Map<string, [number, number]>();
  for (const d of rep.days) {
    const v = perDay.get(d.day) ?? [0, 0];
    perDay.set(d.day, [v[0] + d.issued, v[1] + spent(d)]);
  }
  return (
    <div class="stack">
      <div class="console-head">
        <p class="muted">{sm('reports.period', { branch: rep.period.branch ?? sm('common.allBranches'), from: rep.period.from, to: rep.period.to })}</p>
        <Downloads kind="points" query={query} what={sm('reports.tab.points')} />
      </div>
      {rep.branches.length === 0 ? (
        <p class="muted">{sm('reports.none')}</p>
      ) : (
        <>
          <div class="admin-two">
            <Bars title={sm('reports.chartPoints')} series={series} rows={rep.branches.map((b) => ({ label: branchText(b.branch, b.branch_name), values: [b.issued, spent(b)] }))} />
            <Bars title={sm('reports.chartDays')} series={series} rows={[...perDay.entries()].map(([day, v]) => ({ label: day, values: v }))} />
          </div>
          <table class="table">
            <caption>{sm('reports.perBranchTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{sm('reports.colBranch')}</th>
                <th scope="col" class="num">{sm('reports.colIssuedLoans')}</th>
                <th scope="col" class="num">{sm('reports.colIssuedEvents')}</th>
                <th scope="col" class="num">{sm('reports.colIssued')}</th>
                <th scope="col" class="num">{sm('reports.colRedeemed')}</th>
                <th scope="col" class="num">{sm('reports.colRegistrations')}</th>
                <th scope="col" class="num">{sm('reports.colRefunds')}</th>
                <th scope="col" class="num">{sm('reports.colSpent')}</th>
              </tr>
            </thead>
            <tbody>
              {[...rep.branches.map((b) => ({ ...b, head: branchText(b.branch, b.branch_name) })), { ...rep.total, head: sm('reports.total') }].map((b) => (
                <tr key={b.head}>
                  <th scope="row">{b.head}</th>
                  <td class="num">{b.issued_for_loans}</td>
                  <td class="num">{b.issued_for_events}</td>
                  <td class="num">{b.issued}</td>
                  <td class="num">{b.redemptions}</td>
                  <td class="num">{b.registrations}</td>
                  <td class="num">{b.refunds}</td>
                  <td class="num">{b.redeemed}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table class="table table--dense">
            <caption>{sm('reports.perDayTitle', { n: rep.days.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{sm('reports.colDay')}</th>
                <th scope="col">{sm('reports.colBranch')}</th>
                <th scope="col" class="num">{sm('reports.colIssued')}</th>
                <th scope="col" class="num">{sm('reports.colSpent')}</th>
              </tr>
            </thead>
            <tbody>
              {rep.days.map((d) => (
                <tr key={`${d.branch}-${d.day}`}>
                  <td>{d.day}</td>
                  <td>{branchText(d.branch, d.branch_name)}</td>
                  <td class="num">{d.issued}</td>
                  <td class="num">{d.redeemed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}

function CardView({ rep, query }: { rep: CardPointsReport; query: ReportQuery & { card: string } }) {
  return (
    <div class="stack">
      <div class="console-head">
        <p>{sm('reports.cardSummary', { card: rep.card_masked, from: rep.from, to: rep.to, earned: rep.earned, spent: rep.spent, balance: rep.balance })}</p>
        <Downloads kind="card-points" query={query} what={sm('reports.tab.card')} />
      </div>
      {rep.entries.length === 0 ? (
        <p class="muted">{sm('reports.none')}</p>
      ) : (
        <table class="table table--dense">
          <thead>
            <tr>
              <th scope="col">{sm('reports.colTime')}</th>
              <th scope="col">{sm('reports.colKind')}</th>
              <th scope="col" class="num">{sm('reports.colDelta')}</th>
              <th scope="col" class="num">{sm('reports.colBalance')}</th>
              <th scope="col">{sm('reports.colBranch')}</th>
            </tr>
          </thead>
          <tbody>
            {rep.entries.map((x) => (
              <tr key={x.id}>
                <td>{formatDateTime(x.at)}</td>
                <td>{kindText(x.kind)}</td>
                <td class="num">{x.delta > 0 ? `+${x.delta}` : x.delta}</td>
                <td class="num">{x.balance_after}</td>
                <td>{x.branch ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

type Shown =
  | { kind: 'redemptions'; rep: RedemptionsReport; query: ReportQuery }
  | { kind: 'points'; rep: PointsReport; query: ReportQuery }
  | { kind: 'card'; rep: CardPointsReport; query: ReportQuery & { card: string } };

export function ReportsPage({ staff }: { staff: Staff }) {
  const [tab, setTab] = useState<Tab>('redemptions');
  const [all] = useAsync((signal) => (staff.branch ? Promise.resolve([]) : branches(signal)), [staff.branch]);
  const [branch, setBranch] = useState(staff.branch ?? '');
  const [from, setFrom] = useState(libraryDay(29));
  const [to, setTo] = useState(libraryDay());
  const [card, setCard] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState<Shown | null>(null);

  const run = async (e?: Event) => {
    e?.preventDefault();
    const query: ReportQuery = { branch: branch || undefined, from: from || undefined, to: to || undefined };
    if (tab === 'card' && !card.trim()) {
      setError(sm('reports.cardRequired'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      if (tab === 'redemptions') setShown({ kind: 'redemptions', rep: await redemptionsReport(query), query });
      else if (tab === 'points') setShown({ kind: 'points', rep: await pointsReport(query), query });
      else {
        const q = { from: query.from, to: query.to, card: card.trim() };
        setShown({ kind: 'card', rep: await cardPointsReport(q.card, q), query: q });
      }
    } catch (err) {
      setShown(null);
      setError(refusalText(err));
    } finally {
      setBusy(false);
    }
  };
  const tabs: { key: Tab; text: string }[] = [
    { key: 'redemptions', text: sm('reports.tab.redemptions') },
    { key: 'points', text: sm('reports.tab.points') },
    { key: 'card', text: sm('reports.tab.card') },
  ];
  const branchList = all.status === 'ok' ? all.value : [];
  return (
    <div class="page">
      <PageTitle>{sm('reports.title')}</PageTitle>
      <p class="muted">{sm('reports.intro')}</p>
      <Tabs
        label={sm('reports.tabs')}
        tabs={tabs}
        value={tab}
        onValue={(k) => {
          setTab(k);
          setShown(null);
          setError(null);
        }}
      />
      <div id={`panel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`}>
        <form class="admin-filters" onSubmit={run} noValidate>
          {tab === 'card' ? (
            <Field label={sm('reports.card')} name="card" value={card} onValue={setCard} autoComplete="off" />
          ) : staff.branch ? null : (
            <SelectField label={sm('reports.branch')} value={branch} onValue={setBranch}>
              <option value="">{sm('common.allBranches')}</option>
              {branchList.map((b) => (
                <option key={b.code} value={b.code}>
                  {b.code}・{b.name}
                </option>
              ))}
            </SelectField>
          )}
          <Field label={sm('reports.from')} type="date" name="from" value={from} onValue={setFrom} />
          <Field label={sm('reports.to')} type="date" name="to" value={to} onValue={setTo} />
          <button type="submit" class="button button--primary" disabled={busy} aria-busy={busy}>
            {sm('reports.run')}
          </button>
        </form>
        {error && <Alert>{error}</Alert>}
        {busy && <Loading />}
        {shown?.kind === 'redemptions' && <RedemptionsView rep={shown.rep} query={shown.query} />}
        {shown?.kind === 'points' && <PointsView rep={shown.rep} query={shown.query} />}
        {shown?.kind === 'card' && <CardView rep={shown.rep} query={shown.query} />}
      </div>
    </div>
  );
}
