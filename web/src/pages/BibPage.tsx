// /search/:id: a catalog record (GET /bibs/{id}) with its copies per branch, and a hold (預約) with
// the pickup branch the patron chooses.
import { useId, useState } from 'preact/hooks';
import { ApiError, bib as fetchBib, placeHold, type Bib, type BibItem } from '../api';
import { Alert, LoadError, Loading } from '../components/Alert';
import { Icon } from '../components/Icon';
import { Link } from '../components/Link';
import { PageTitle } from '../components/PageTitle';
import { errorText } from '../errors';
import { useAsync } from '../hooks';
import { codeText, formatDate, label, t } from '../i18n';
import { lastPickup, rememberPickup, useBranches, usePatron } from '../patron';

function itemLine(item: BibItem): string {
  if (item.status === 'on_loan' && item.due_on) return t('bib.dueBack', { date: formatDate(item.due_on) });
  return label('itemStatus', item.status);
}

function Reserve({ record }: { record: Bib }) {
  const p = usePatron({ requireSignIn: false });
  const branches = useBranches();
  const id = useId();
  const [pickup, setPickup] = useState(() => lastPickup() ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  if (!p.signedIn) {
    return (
      <p class="notice notice--muted">
        <Link href={`/login?next=${encodeURIComponent(location.pathname)}`}>{t('bib.signInToReserve')}</Link>
      </p>
    );
  }
  const card = p.card;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!card) return;
    if (!pickup) {
      setError(t('bib.choosePickup'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const hold = await placeHold(card.card, record.bib_id, pickup);
      rememberPickup(pickup);
      setDone(
        hold.queue_position !== null
          ? t('bib.reservedQueue', { position: hold.queue_position, branch: branches.name(pickup) })
          : t('bib.reserved', { branch: branches.name(pickup) }),
      );
    } catch (err) {
      setError(err instanceof ApiError && err.status === 409 ? codeText(err.code, err.message) : errorText(err));
    } finally {
      setBusy(false);
    }
  };
  if (done) {
    return (
      <div class="success" role="status">
        <Icon name="check" size={28} />
        <div>
          <p class="success__title">{done}</p>
          <Link href="/study#holds">{t('bib.seeHolds')}</Link>
        </div>
      </div>
    );
  }
  return (
    <form class="form panel" onSubmit={submit} noValidate aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('bib.reserveTitle')}</h2>
      {card && <p class="muted small">{t('bib.forCard', { name: card.holder_name, card: card.card })}</p>}
      {error && <Alert>{error}</Alert>}
      <div class="field">
        <label for={id}>{t('bib.pickup')}</label>
        <select id={id} class="select" value={pickup} onChange={(e) => setPickup(e.currentTarget.value)}>
          <option value="">{t('bib.pickupPlaceholder')}</option>
          {(branches.list ?? []).map((b) => (
            <option key={b.code} value={b.code}>
              {b.name}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" class="button button--primary button--block" disabled={busy || !card} aria-busy={busy}>
        {busy ? t('bib.reserving') : t('bib.reserve')}
      </button>
    </form>
  );
}

export function BibPage({ id }: { id: number }) {
  const branches = useBranches();
  const [state, reload] = useAsync((signal) => fetchBib(id, signal), [id]);
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') {
    return (
      <div class="page">
        <PageTitle>{t('search.title')}</PageTitle>
        <LoadError text={errorText(state.error)} onRetry={reload} />
      </div>
    );
  }
  const r = state.value;
  const byBranch = new Map<string, BibItem[]>();
  for (const it of r.items) byBranch.set(it.branch, [...(byBranch.get(it.branch) ?? []), it]);
  const available = r.items.filter((i) => i.status === 'available').length;
  return (
    <div class="page">
      <p>
        <a
          href="/search"
          class="backlink"
          onClick={(e) => {
            if (history.length > 1) {
              e.preventDefault();
              history.back();
            }
          }}
        >
          <Icon name="back" size={18} /> {t('bib.back')}
        </a>
      </p>
      <div class="bibhead">
        <img
          class="bibhead__cover"
          src={`/api/v1/bibs/${r.bib_id}/cover`}
          alt=""
          width="96"
          height="144"
          onError={(e) => e.currentTarget.remove()}
        />
        <div>
          <PageTitle>{r.title}</PageTitle>
          <dl class="facts facts--small">
            {r.author && (
              <>
                <dt>{t('search.field.author')}</dt>
                <dd>{r.author}</dd>
              </>
            )}
            {r.publisher && (
              <>
                <dt>{t('bib.publisher')}</dt>
                <dd>{r.publisher}</dd>
              </>
            )}
            {r.year !== null && (
              <>
                <dt>{t('bib.year')}</dt>
                <dd>{r.year}</dd>
              </>
            )}
            {r.isbn && (
              <>
                <dt>ISBN</dt>
                <dd>{r.isbn}</dd>
              </>
            )}
            {r.class_no && (
              <>
                <dt>{t('search.field.class')}</dt>
                <dd>{r.class_no}</dd>
              </>
            )}
          </dl>
        </div>
      </div>
      <p class={available > 0 ? 'flash flash--ok' : 'flash'}>
        {t('search.holdings', { total: r.items.length, available })}
        {r.waiting_holds > 0 && <> · {t('bib.waiting', { count: r.waiting_holds })}</>}
      </p>
      <section class="section" aria-labelledby="copies-heading">
        <h2 id="copies-heading">{t('bib.copies')}</h2>
        <ul class="copies" role="list">
          {[...byBranch.entries()].map(([code, items]) => (
            <li key={code} class="copies__branch">
              <p class="copies__name">{branches.name(code)}</p>
              <ul role="list">
                {items.map((it) => (
                  <li key={it.id} class="copy">
                    <span class="copy__call">{it.call_number || it.barcode}</span>
                    <span class={it.status === 'available' ? 'badge badge--ok' : 'badge'}>{itemLine(it)}</span>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </section>
      <Reserve record={r} />
    </div>
  );
}
