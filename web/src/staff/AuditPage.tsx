// A6 Audit (稽核): the hash-chained log, newest first, filtered by actor, action and subject
// (exact, or a prefix ending in *), paged backwards by sequence number; and a chain verification.
import { useState } from 'preact/hooks';
import { Alert, LoadError, Loading } from '../components/Alert';
import { Field } from '../components/Field';
import { PageTitle } from '../components/PageTitle';
import { useAsync } from '../hooks';
import { formatDateTime, t } from '../i18n';
import { audit, verifyAudit, type AuditQuery, type AuditVerification } from '../staffApi';
import { refusalText } from './common';

const PAGE = 50;

function Verify() {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<AuditVerification | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await verifyAudit());
    } catch (err) {
      setError(refusalText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="panel" aria-labelledby="verify-h">
      <div class="console-head">
        <h2 id="verify-h">{t('console.audit.verifyTitle')}</h2>
        <button type="button" class="button button--primary" onClick={run} disabled={busy} aria-busy={busy}>
          {t('console.audit.verify')}
        </button>
      </div>
      <div aria-live="polite">
        {error && <Alert>{error}</Alert>}
        {result && (
          <div class={result.ok ? 'flash flash--ok' : 'flash flash--error'} role="status">
            <p class="flash__title">{result.ok ? t('console.audit.ok', { entries: result.entries }) : t('console.audit.broken', { seq: result.first_broken ?? '?' })}</p>
            <p>
              {t('console.audit.head')}：<span class="mono hash">{result.head}</span>
            </p>
            {result.reason && <p>{result.reason}</p>}
          </div>
        )}
      </div>
    </section>
  );
}

export function AuditPage() {
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [subject, setSubject] = useState('');
  const [query, setQuery] = useState<AuditQuery>({ limit: PAGE });
  const [pages, setPages] = useState<number[]>([]);
  const [state, reload] = useAsync((signal) => audit(query, signal), [JSON.stringify(query)]);

  const search = (e: Event) => {
    e.preventDefault();
    setPages([]);
    setQuery({ actor, action, subject, limit: PAGE });
  };
  const entries = state.status === 'ok' ? state.value : [];
  const older = () => {
    const last = entries[entries.length - 1];
    if (!last) return;
    setPages((p) => [...p, query.before_seq ?? 0]);
    setQuery({ ...query, before_seq: last.seq });
  };
  const newer = () => {
    const prev = pages[pages.length - 1];
    setPages((p) => p.slice(0, -1));
    setQuery({ ...query, before_seq: prev || undefined });
  };

  return (
    <div class="page">
      <PageTitle>{t('console.audit.title')}</PageTitle>
      <Verify />
      <form class="form form--row" onSubmit={search} noValidate aria-label={t('console.audit.filters')}>
        <Field label={t('console.audit.actor')} name="actor" value={actor} onValue={setActor} spellcheck={false} />
        <Field label={t('console.audit.action')} hint={t('console.audit.prefixHint')} name="action" value={action} onValue={setAction} spellcheck={false} />
        <Field label={t('console.audit.subject')} hint={t('console.audit.prefixHint')} name="subject" value={subject} onValue={setSubject} spellcheck={false} />
        <button type="submit" class="button button--primary">
          {t('console.audit.search')}
        </button>
      </form>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <LoadError text={refusalText(state.error)} onRetry={reload} />}
      {state.status === 'ok' &&
        (entries.length === 0 ? (
          <p class="muted">{t('console.audit.none')}</p>
        ) : (
          <table class="table table--dense">
            <thead>
              <tr>
                <th scope="col">{t('console.audit.seq')}</th>
                <th scope="col">{t('console.audit.at')}</th>
                <th scope="col">{t('console.audit.actor')}</th>
                <th scope="col">{t('console.audit.action')}</th>
                <th scope="col">{t('console.audit.subject')}</th>
                <th scope="col">{t('console.audit.details')}</th>
                <th scope="col">{t('console.audit.hash')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.seq}>
                  <td>{e.seq}</td>
                  <td class="nowrap">{formatDateTime(e.at)}</td>
                  <td>{e.actor}</td>
                  <td class="mono">{e.action}</td>
                  <td class="mono">{e.subject}</td>
                  <td class="mono details">{JSON.stringify(e.details)}</td>
                  <td class="mono" title={e.hash}>
                    {e.hash.slice(0, 8)}…
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      <div class="pager">
        <button type="button" class="button button--quiet button--small" onClick={newer} disabled={pages.length === 0}>
          {t('console.audit.newer')}
        </button>
        <button type="button" class="button button--quiet button--small" onClick={older} disabled={entries.length < (query.limit ?? PAGE)}>
          {t('console.audit.older')}
        </button>
      </div>
    </div>
  );
}
