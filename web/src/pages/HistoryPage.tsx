// /account/history: the loan history (借閱歷史, P3) with its on/off setting and erasure (RULES.md
// Privacy): switching it off or erasing asks first, and the titles are then gone for good.
import { useEffect, useState } from 'preact/hooks';
import { eraseHistory, loanHistory, setKeepHistory, type HistoryLoan } from '../api';
import { Alert, LoadError, Loading } from '../components/Alert';
import { CardGate } from '../components/CardGate';
import { Dialog } from '../components/Dialog';
import { Icon } from '../components/Icon';
import { Link } from '../components/Link';
import { PageTitle } from '../components/PageTitle';
import { errorText } from '../errors';
import { formatShortDate, t } from '../i18n';
import { useBranches } from '../patron';

// RFC 3339 with the library's offset: its first ten characters are the library's day.
const day = (iso: string) => formatShortDate(iso.slice(0, 10));

function Confirm({
  title,
  text,
  yes,
  busy,
  onYes,
  onClose,
}: {
  title: string;
  text: string;
  yes: string;
  busy: boolean;
  onYes: () => void;
  onClose: () => void;
}) {
  return (
    <Dialog title={title} onClose={onClose} role="alertdialog">
      {() => (
        <div class="stack">
          <p>{text}</p>
          <div class="confirm__actions">
            <button type="button" class="button button--quiet" disabled={busy} onClick={onClose}>
              {t('common.cancel')}
            </button>
            <button type="button" class="button button--danger" disabled={busy} aria-busy={busy} onClick={onYes}>
              {yes}
            </button>
          </div>
        </div>
      )}
    </Dialog>
  );
}

function Row({ l }: { l: HistoryLoan }) {
  const branches = useBranches();
  return (
    <li class="item">
      {l.title ? (
        <p class="item__title">
          {l.bib_id ? <Link href={`/search/${l.bib_id}`}>{l.title}</Link> : l.title}
        </p>
      ) : (
        <p class="item__title muted">{t('history.erasedTitle')}</p>
      )}
      {l.author && <p class="item__sub">{l.author}</p>}
      <p class="item__meta">
        {t('history.dates', { from: day(l.checked_out_at), to: l.returned_at ? day(l.returned_at) : '—' })}
      </p>
      <p class="item__meta">{t('history.branch', { branch: branches.name(l.branch) })}</p>
    </li>
  );
}

function History({ card }: { card: string }) {
  const [keep, setKeep] = useState<boolean | null>(null);
  const [list, setList] = useState<HistoryLoan[] | null>(null);
  const [more, setMore] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [round, setRound] = useState(0);
  const [asking, setAsking] = useState<'off' | 'erase' | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [flash, setFlash] = useState<string | null>(null);

  useEffect(() => {
    const ctl = new AbortController();
    setLoadError(null);
    loanHistory(card, undefined, ctl.signal).then(
      (h) => {
        setKeep(h.keep_history);
        setList(h.loans);
        setMore(h.loans.length === 100);
      },
      (err: unknown) => {
        if (!ctl.signal.aborted) setLoadError(err);
      },
    );
    return () => ctl.abort();
  }, [card, round]);

  if (loadError) return <LoadError text={errorText(loadError)} onRetry={() => setRound((r) => r + 1)} />;
  if (keep === null || !list) return <Loading />;

  const act = async (what: 'on' | 'off' | 'erase') => {
    setBusy(true);
    setError(null);
    setFlash(null);
    try {
      if (what === 'erase') {
        const n = await eraseHistory(card);
        setFlash(t('history.erased', { count: n }));
      } else {
        const k = await setKeepHistory(card, what === 'on');
        setKeep(k);
        setFlash(k ? t('history.nowOn') : t('history.nowOff'));
      }
      setAsking(null);
      const h = await loanHistory(card);
      setList(h.loans);
      setKeep(h.keep_history);
    } catch (err) {
      setError(errorText(err));
      setAsking(null);
    } finally {
      setBusy(false);
    }
  };

  const loadMore = async () => {
    const last = list[list.length - 1];
    if (!last) return;
    setBusy(true);
    try {
      const h = await loanHistory(card, last.loan_id);
      setList([...list, ...h.loans]);
      setMore(h.loans.length === 100);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const kept = list.filter((l) => l.title !== null).length;
  return (
    <>
      <section class="panel" aria-labelledby="keep-h">
        <h2 id="keep-h" class="visually-hidden">
          {t('history.keep')}
        </h2>
        <label class="switch-row">
          <span class="switch-row__text">
            <span class="switch-row__label">{t('history.keep')}</span>
            <span class="switch-row__hint" id="keep-hint">
              {t('history.keepHint')}
            </span>
          </span>
          <input
            type="checkbox"
            role="switch"
            class="switch"
            checked={keep}
            disabled={busy}
            aria-describedby="keep-hint"
            onChange={(e) => {
              const on = e.currentTarget.checked;
              e.currentTarget.checked = keep;
              if (on) void act('on');
              else setAsking('off');
            }}
          />
        </label>
      </section>
      {flash && (
        <p class="flash flash--ok" role="status">
          {flash}
        </p>
      )}
      {error && <Alert>{error}</Alert>}
      {!keep && (
        <p class="notice notice--muted notice--icon">
          <Icon name="eye" size={20} />
          <span>{t('history.offNote')}</span>
        </p>
      )}
      <section class="section" aria-labelledby="hist-h">
        <div class="section__head">
          <h2 id="hist-h">{t('history.count', { count: list.length })}</h2>
          <button
            type="button"
            class="button button--small button--danger"
            disabled={busy || kept === 0}
            onClick={() => setAsking('erase')}
          >
            {t('history.erase')}
          </button>
        </div>
        {list.length === 0 ? (
          <p class="empty-line">{t('history.empty')}</p>
        ) : (
          <ul class="list" role="list">
            {list.map((l) => (
              <Row key={l.loan_id} l={l} />
            ))}
          </ul>
        )}
        {more && (
          <button type="button" class="button button--quiet button--block" disabled={busy} onClick={loadMore}>
            {t('common.loadMore')}
          </button>
        )}
      </section>
      {asking === 'erase' && (
        <Confirm
          title={t('history.eraseTitle')}
          text={t('history.eraseText')}
          yes={t('history.eraseYes')}
          busy={busy}
          onYes={() => void act('erase')}
          onClose={() => setAsking(null)}
        />
      )}
      {asking === 'off' && (
        <Confirm
          title={t('history.offTitle')}
          text={t('history.offText')}
          yes={t('history.offYes')}
          busy={busy}
          onYes={() => void act('off')}
          onClose={() => setAsking(null)}
        />
      )}
    </>
  );
}

export function HistoryPage() {
  return (
    <div class="page">
      <PageTitle>{t('history.title')}</PageTitle>
      <CardGate>{(card) => <History key={card.card} card={card.card} />}</CardGate>
    </div>
  );
}
