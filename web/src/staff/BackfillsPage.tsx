// S3 Backfill queue (補登審核): backfills awaiting approval; a different staff member approves or
// rejects (the filer cannot approve their own: APPROVER_IS_FILER).
import { useState } from 'preact/hooks';
import type { Staff } from '../api';
import { Alert, LoadError, Loading } from '../components/Alert';
import { PageTitle } from '../components/PageTitle';
import { useAsync } from '../hooks';
import { formatDateTime, t } from '../i18n';
import { approveBackfill, backfills, rejectBackfill, type Backfill } from '../staffApi';
import { Done, refusalText } from './common';

export function BackfillsPage({ staff }: { staff: Staff }) {
  const [state, reload] = useAsync((signal) => backfills('awaiting_approval', signal), []);
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const act = async (b: Backfill, approve: boolean) => {
    setBusy(b.id);
    setError(null);
    setDone(null);
    try {
      const r = approve ? await approveBackfill(b.id) : await rejectBackfill(b.id);
      setDone(t(r.status === 'approved' ? 'console.backfill.approved' : 'console.backfill.rejected', { card: r.card, title: r.event_title }));
      reload();
    } catch (err) {
      setError(refusalText(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div class="page">
      <div class="console-head">
        <PageTitle>{t('console.backfill.queueTitle')}</PageTitle>
        <button type="button" class="button button--quiet button--small" onClick={reload}>
          {t('console.refresh')}
        </button>
      </div>
      <p class="muted">{t('console.backfill.queueIntro')}</p>
      {error && <Alert>{error}</Alert>}
      {done && <Done>{done}</Done>}
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <LoadError text={refusalText(state.error)} onRetry={reload} />}
      {state.status === 'ok' &&
        (state.value.length === 0 ? (
          <p class="muted">{t('console.backfill.empty')}</p>
        ) : (
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t('console.backfill.colEvent')}</th>
                <th scope="col">{t('console.card')}</th>
                <th scope="col">{t('console.backfill.note')}</th>
                <th scope="col">{t('console.backfill.colFiled')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('console.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {state.value.map((b) => (
                <tr key={b.id}>
                  <td>{b.event_title}</td>
                  <td class="mono">{b.card}</td>
                  <td>{b.note}</td>
                  <td>
                    {b.filed_by}
                    {b.filed_by === staff.username && <span class="badge">{t('console.backfill.yours')}</span>}
                    <br />
                    <span class="small muted">{formatDateTime(b.filed_at)}</span>
                  </td>
                  <td class="table__actions">
                    <button type="button" class="button button--small button--primary" disabled={busy === b.id} onClick={() => act(b, true)} aria-label={t('console.backfill.approveFor', { card: b.card, title: b.event_title })}>
                      {t('console.backfill.approve')}
                    </button>
                    <button type="button" class="button button--small button--quiet" disabled={busy === b.id} onClick={() => act(b, false)} aria-label={t('console.backfill.rejectFor', { card: b.card, title: b.event_title })}>
                      {t('console.backfill.reject')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </div>
  );
}
