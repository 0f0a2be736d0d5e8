// /transparency (X4, public): what anyone may check: points issued and redeemed, prizes and
// stock per branch, the audit log's head hash and its signed checkpoints, and lottery proofs
// with links to the frozen lists.
import { LoadError, Loading } from '../components/Alert';
import { PageTitle } from '../components/PageTitle';
import { errorText } from '../errors';
import { useAsync } from '../hooks';
import { formatDate, formatDateTime, label, t } from '../i18n';
import { transparency } from '../staffApi';

export function TransparencyPage() {
  const [state, reload] = useAsync((signal) => transparency(signal), []);
  return (
    <div class="page page--wide">
      <PageTitle>{t('transparency.title')}</PageTitle>
      <p class="lead">{t('transparency.intro')}</p>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <LoadError text={errorText(state.error)} onRetry={reload} />}
      {state.status === 'ok' && (
        <>
          <section aria-labelledby="tp-points" class="section">
            <h2 id="tp-points">{t('console.tp.points')}</h2>
            <ul class="stats stats--wide" role="list">
              {(
                [
                  ['issued', 'console.tp.issued'],
                  ['issued_for_loans', 'console.tp.forLoans'],
                  ['issued_for_events', 'console.tp.forEvents'],
                  ['redeemed', 'console.tp.redeemed'],
                  ['opening_balances', 'console.tp.opening'],
                  ['outstanding', 'console.tp.outstanding'],
                ] as const
              ).map(([k, key]) => (
                <li key={k} class="stat">
                  <span class="stat__num">{state.value.points[k] ?? 0}</span>
                  <span class="stat__label">{t(key)}</span>
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="tp-prizes" class="section">
            <h2 id="tp-prizes">{t('console.tp.prizes')}</h2>
            {state.value.prizes_by_branch.length === 0 ? (
              <p class="muted">{t('console.none')}</p>
            ) : (
              <table class="table">
                <thead>
                  <tr>
                    <th scope="col">{t('console.branch')}</th>
                    <th scope="col">{t('console.prizes.fName')}</th>
                    <th scope="col">{t('console.prizes.fCost')}</th>
                    <th scope="col">{t('console.prizes.colStock')}</th>
                  </tr>
                </thead>
                <tbody>
                  {state.value.prizes_by_branch.flatMap((b) =>
                    b.prizes.map((p) => (
                      <tr key={p.id}>
                        <td>{b.name || b.branch}</td>
                        <td>{p.name}</td>
                        <td>{t('points.n', { points: p.cost })}</td>
                        <td>{t('console.prizes.stock', { left: p.stock_left, total: p.stock })}</td>
                      </tr>
                    )),
                  )}
                </tbody>
              </table>
            )}
          </section>
          <section aria-labelledby="tp-audit" class="section">
            <h2 id="tp-audit">{t('console.tp.audit')}</h2>
            <dl class="facts facts--wide">
              <dt>{t('console.tp.entries')}</dt>
              <dd>{state.value.audit.entries ?? 0}</dd>
              <dt>{t('console.audit.head')}</dt>
              <dd class="mono hash">{state.value.audit.head ?? '—'}</dd>
            </dl>
            <h3>{t('console.tp.checkpoints')}</h3>
            <p class="muted small">{t('console.tp.checkpointsHint')}</p>
            {(state.value.audit.checkpoints ?? []).length === 0 ? (
              <p class="muted">{t('console.none')}</p>
            ) : (
              <table class="table table--dense">
                <thead>
                  <tr>
                    <th scope="col">{t('console.audit.seq')}</th>
                    <th scope="col">{t('console.audit.at')}</th>
                    <th scope="col">{t('console.audit.hash')}</th>
                    <th scope="col">{t('console.tp.signature')}</th>
                  </tr>
                </thead>
                <tbody>
                  {(state.value.audit.checkpoints ?? []).map((c) => (
                    <tr key={c.seq}>
                      <td>{c.seq}</td>
                      <td class="nowrap">{formatDateTime(c.at)}</td>
                      <td class="mono hash">{c.hash}</td>
                      <td class="mono hash" title={t('console.tp.publicKey', { key: c.public_key })}>
                        {c.signature}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section aria-labelledby="tp-lot" class="section">
            <h2 id="tp-lot">{t('console.tp.lotteries')}</h2>
            {state.value.lotteries.length === 0 ? (
              <p class="muted">{t('console.none')}</p>
            ) : (
              state.value.lotteries.map((l) => (
                <article key={l.id} class="panel">
                  <h3>
                    {l.title} <span class="badge">{label('console.lottery.status', String(l.status ?? ''))}</span>
                  </h3>
                  <dl class="facts facts--wide">
                    {l.period_from && l.period_to && (
                      <>
                        <dt>{t('console.lottery.period')}</dt>
                        <dd>
                          {formatDate(l.period_from)} – {formatDate(l.period_to)}
                        </dd>
                      </>
                    )}
                    <dt>{t('console.lottery.listHash')}</dt>
                    <dd class="mono hash">{l.list_sha256 ?? '—'}</dd>
                    <dt>{t('console.lottery.secretHash')}</dt>
                    <dd class="mono hash">{l.secret_sha256 ?? '—'}</dd>
                    {l.public_value && (
                      <>
                        <dt>{t('console.lottery.publicValue', { name: l.public_value_name ?? '' })}</dt>
                        <dd class="mono">{l.public_value}</dd>
                      </>
                    )}
                    {l.secret && (
                      <>
                        <dt>{t('console.lottery.secret')}</dt>
                        <dd class="mono hash">{l.secret}</dd>
                      </>
                    )}
                    {l.list_sha256 && (
                      <>
                        <dt>{t('console.lottery.list')}</dt>
                        <dd>
                          <a href={`/api/v1/lotteries/${l.id}/list`}>{t('console.lottery.listLink')}</a>
                        </dd>
                      </>
                    )}
                  </dl>
                  {(l.results ?? []).length > 0 && (
                    <p>
                      {t('console.tp.winners')}：
                      {(l.results ?? [])
                        .filter((r) => r.status === 'winner')
                        .map((r) => r.token)
                        .join('、')}
                    </p>
                  )}
                </article>
              ))
            )}
          </section>
          <p class="muted small">{t('console.tp.generated', { at: formatDateTime(state.value.generated_at) })}</p>
        </>
      )}
    </div>
  );
}
