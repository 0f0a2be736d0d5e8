// /transparency (X4, public): what anyone may check. For now the branches; the point totals,
// prize stock, audit head hash and lottery proofs arrive with GET /api/v1/transparency.
import { branches } from '../api';
import { LoadError, Loading } from '../components/Alert';
import { PageTitle } from '../components/PageTitle';
import { errorText } from '../errors';
import { useAsync } from '../hooks';
import { t } from '../i18n';

export function TransparencyPage() {
  const [state, reload] = useAsync((signal) => branches(signal), []);
  return (
    <div class="page">
      <PageTitle>{t('transparency.title')}</PageTitle>
      <p class="lead">{t('transparency.intro')}</p>
      <p class="note">{t('transparency.more')}</p>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <LoadError text={errorText(state.error)} onRetry={reload} />}
      {state.status === 'ok' && (
        <section aria-labelledby="branches-heading" class="section">
          <h2 id="branches-heading">{t('transparency.branches', { count: state.value.length })}</h2>
          <ul class="branch-grid" role="list">
            {state.value.map((b) => (
              <li key={b.code} class="branch">
                <span class="branch__name">{b.name}</span>
                {b.mobile_checkout && <span class="badge badge--ok">{t('transparency.mobileCheckout')}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
