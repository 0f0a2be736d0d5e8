// /: the patron's home (我的書房): the account's cards, the chosen card's status (停權 in red),
// its loans (overdue in red) and holds. Renewals, passbook and the rest grow from here.
import { useEffect, useState } from 'preact/hooks';
import {
  ApiError,
  branches,
  cardStatus,
  holds,
  loans,
  logout,
  me,
  type Account,
  type AccountCard,
  type CardStatus,
  type Hold,
  type Loan,
} from '../api';
import { LoadError, Loading } from '../components/Alert';
import { PageTitle } from '../components/PageTitle';
import { errorText } from '../errors';
import { formatDate, hasMessage, t, type MessageKey } from '../i18n';
import { useAsync } from '../hooks';
import { navigate } from '../router';
import { isSignedIn, saveAccount, savedAccount, savedCard, saveCard } from '../session';

/** t() for keys built from a server value, falling back to the value itself. */
function label(prefix: string, value: string): string {
  const key = `${prefix}.${value}`;
  return hasMessage(key) ? t(key as MessageKey) : value;
}

function CardPicker({
  cards,
  selected,
  onSelect,
}: {
  cards: AccountCard[];
  selected: string;
  onSelect: (card: string) => void;
}) {
  return (
    <section aria-labelledby="cards-heading" class="section">
      <h2 id="cards-heading" class="visually-hidden">
        {t('home.cards')}
      </h2>
      <ul class="card-picker" role="list">
        {cards.map((c) => (
          <li key={c.card}>
            <button
              type="button"
              class="library-card"
              aria-pressed={c.card === selected}
              onClick={() => onSelect(c.card)}
            >
              <span class="library-card__type">{label('cardType', c.type)}</span>
              <span class="library-card__holder">{c.holder_name}</span>
              <span class="library-card__number">{t('home.cardNumber', { card: c.card })}</span>
              {c.status !== 'active' && (
                <span class="library-card__flag">{label('cardStatus', c.status)}</span>
              )}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function StatusPanel({ status }: { status: CardStatus }) {
  const suspended =
    status.suspension_days_left > 0 || status.borrow_resumes_on !== null || status.reserve_resumes_on !== null;
  const inactive = status.status !== 'active';
  if (!suspended && !inactive) {
    return (
      <div class="status status--ok">
        <h2 class="status__title">{t('home.status')}</h2>
        <p>{t('home.statusOk')}</p>
      </div>
    );
  }
  return (
    <div class="status status--alert">
      <h2 class="status__title">
        {t('home.statusIs', { state: suspended ? t('home.suspended') : label('cardStatus', status.status) })}
      </h2>
      <ul>
        {inactive && suspended && <li>{label('cardStatus', status.status)}</li>}
        {status.suspension_days_left > 0 && (
          <li class="status__big">{t('home.suspensionDays', { days: status.suspension_days_left })}</li>
        )}
        {status.borrow_resumes_on && <li>{t('home.borrowResumes', { date: formatDate(status.borrow_resumes_on) })}</li>}
        {status.reserve_resumes_on && (
          <li>{t('home.reserveResumes', { date: formatDate(status.reserve_resumes_on) })}</li>
        )}
      </ul>
    </div>
  );
}

function LoanList({ items, branchName }: { items: Loan[]; branchName: (code: string) => string }) {
  const sorted = [...items].sort((a, b) => b.overdue_days - a.overdue_days || a.due_on.localeCompare(b.due_on));
  return (
    <section aria-labelledby="loans-heading" class="section">
      <h2 id="loans-heading">{t('home.loansCount', { count: items.length })}</h2>
      {sorted.length === 0 ? (
        <p class="muted">{t('home.noLoans')}</p>
      ) : (
        <ul class="list" role="list">
          {sorted.map((l) => {
            const overdue = l.overdue_days > 0;
            return (
              <li key={l.id} class={overdue ? 'item item--overdue' : 'item'}>
                <p class="item__title">{l.title}</p>
                <p class="item__meta">
                  <span class={overdue ? 'due due--overdue' : 'due'}>{t('home.dueOn', { date: formatDate(l.due_on) })}</span>
                  {overdue && <strong class="badge badge--danger">{t('home.overdue', { days: l.overdue_days })}</strong>}
                </p>
                <p class="item__sub">
                  {branchName(l.branch)}
                  {l.renewals > 0 && <> · {t('home.renewals', { count: l.renewals })}</>}
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function HoldList({ items, branchName }: { items: Hold[]; branchName: (code: string) => string }) {
  return (
    <section aria-labelledby="holds-heading" class="section">
      <h2 id="holds-heading">{t('home.holdsCount', { count: items.length })}</h2>
      {items.length === 0 ? (
        <p class="muted">{t('home.noHolds')}</p>
      ) : (
        <ul class="list" role="list">
          {items.map((h) => (
            <li key={h.id} class={h.status === 'ready' ? 'item item--ready' : 'item'}>
              <p class="item__title">{h.title}</p>
              <p class="item__meta">
                <span class="badge">{label('holdStatus', h.status)}</span>
                {h.status === 'waiting' && h.queue_position !== null && (
                  <span>{t('home.queue', { position: h.queue_position })}</span>
                )}
              </p>
              <p class="item__sub">
                {h.status === 'ready' && h.pickup_by
                  ? t('home.readyAt', { branch: branchName(h.pickup_branch), date: formatDate(h.pickup_by) })
                  : t('home.pickupAt', { branch: branchName(h.pickup_branch) })}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function CardDetails({ card, branchName }: { card: string; branchName: (code: string) => string }) {
  const [state, reload] = useAsync(
    (signal) => Promise.all([cardStatus(card, signal), loans(card, signal), holds(card, signal)]),
    [card],
  );
  const expired = state.status === 'error' && state.error instanceof ApiError && state.error.status === 401;
  useEffect(() => {
    if (expired) navigate('/login', { replace: true });
  }, [expired]);
  if (state.status === 'loading' || expired) return <Loading />;
  if (state.status === 'error') return <LoadError text={errorText(state.error)} onRetry={reload} />;
  const [status, loanItems, holdItems] = state.value;
  return (
    <>
      <StatusPanel status={status} />
      <LoanList items={loanItems} branchName={branchName} />
      <HoldList items={holdItems} branchName={branchName} />
    </>
  );
}

export function HomePage() {
  const signedIn = isSignedIn('patron');
  const [account, setAccount] = useState<Account | null>(() => savedAccount());
  const [selected, setSelected] = useState<string | null>(() => savedCard());
  const [accountError, setAccountError] = useState<unknown>(null);
  const [round, setRound] = useState(0);
  const [branchState] = useAsync((signal) => branches(signal), []);

  useEffect(() => {
    if (!signedIn) {
      navigate('/login', { replace: true });
      return;
    }
    const ctl = new AbortController();
    me(ctl.signal).then(
      (a) => {
        saveAccount(a);
        setAccount(a);
        setAccountError(null);
      },
      (err: unknown) => {
        if (ctl.signal.aborted) return;
        if (err instanceof ApiError && err.status === 401) navigate('/login', { replace: true });
        else setAccountError(err);
      },
    );
    return () => ctl.abort();
  }, [signedIn, round]);

  if (!signedIn) return null;

  const names = new Map(branchState.status === 'ok' ? branchState.value.map((b) => [b.code, b.name]) : []);
  const branchName = (code: string) => names.get(code) ?? code;

  const cards = account?.cards ?? [];
  const card = cards.find((c) => c.card === selected)?.card ?? cards[0]?.card ?? null;
  const select = (c: string) => {
    saveCard(c);
    setSelected(c);
  };
  const retryAccount = () => {
    setAccountError(null);
    setRound((r) => r + 1);
  };
  const signOut = async () => {
    try {
      await logout('patron');
    } catch {
      // The token is dropped locally either way.
    }
    saveAccount(null);
    saveCard(null);
    navigate('/login', { replace: true });
  };

  return (
    <div class="page">
      <div class="page-head">
        <PageTitle>{t('home.title')}</PageTitle>
        <button type="button" class="button button--quiet button--small" onClick={signOut}>
          {t('common.logout')}
        </button>
      </div>
      {accountError !== null && !account && (
        <LoadError text={errorText(accountError)} onRetry={retryAccount} />
      )}
      {!account && accountError === null && <Loading />}
      {account && cards.length === 0 && <p class="muted">{t('home.noCards')}</p>}
      {account && card && (
        <>
          <CardPicker cards={cards} selected={card} onSelect={select} />
          <CardDetails key={card} card={card} branchName={branchName} />
        </>
      )}
    </div>
  );
}
