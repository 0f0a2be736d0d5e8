// /: the patron's home. The passbook balance up top (one tap to 閱讀存摺), what needs attention
// (停權, overdue loans, holds ready to pick up), and quick links to everything else.
import { cardStatus, holds, loans, passbook } from '../api';
import { CardGate } from '../components/CardGate';
import { Icon, type IconName } from '../components/Icon';
import { Link } from '../components/Link';
import { PageTitle } from '../components/PageTitle';
import { errorText } from '../errors';
import { useAsync } from '../hooks';
import { formatDate, t, type MessageKey } from '../i18n';

const QUICK: { href: string; key: MessageKey; icon: IconName }[] = [
  { href: '/passbook', key: 'home.quick.passbook', icon: 'passbook' },
  { href: '/passbook/prizes', key: 'home.quick.prizes', icon: 'gift' },
  { href: '/passbook/claim', key: 'home.quick.claim', icon: 'qr' },
  { href: '/events', key: 'home.quick.events', icon: 'calendar' },
  { href: '/passbook/redemptions', key: 'home.quick.redemptions', icon: 'list' },
  { href: '/account', key: 'home.quick.account', icon: 'user' },
];

function PassbookHero({ card }: { card: string }) {
  const [state] = useAsync((signal) => passbook(card, signal), [card]);
  return (
    <Link href="/passbook" class="hero" aria-describedby="hero-hint">
      <span class="hero__label">
        <Icon name="passbook" size={20} /> {t('passbook.title')}
      </span>
      <span class="hero__balance">
        {state.status === 'ok' ? (
          <>
            <strong class="hero__points">{state.value.balance}</strong> <span>{t('points.unit')}</span>
          </>
        ) : state.status === 'loading' ? (
          <span class="hero__muted">{t('common.loading')}</span>
        ) : (
          <span class="hero__muted">{t('passbook.balanceUnavailable')}</span>
        )}
      </span>
      <span class="hero__sub" id="hero-hint">
        {state.status === 'ok' ? t('passbook.lifetime', { points: state.value.lifetime_earned }) : t('passbook.open')}
        <Icon name="chevron" size={18} />
      </span>
    </Link>
  );
}

function Attention({ card }: { card: string }) {
  const [state, reload] = useAsync(
    (signal) => Promise.all([cardStatus(card, signal), loans(card, signal), holds(card, signal)]),
    [card],
  );
  if (state.status === 'loading') return null;
  if (state.status === 'error') {
    return (
      <p class="notice notice--muted">
        {errorText(state.error)}{' '}
        <button type="button" class="linklike" onClick={reload}>
          {t('common.retry')}
        </button>
      </p>
    );
  }
  const [status, loanList, holdList] = state.value;
  const overdue = loanList.filter((l) => l.overdue_days > 0).length;
  const ready = holdList.filter((h) => h.status === 'ready');
  const suspended = status.suspension_days_left > 0 || status.reserve_resumes_on !== null;
  return (
    <section aria-labelledby="attention-heading" class="section">
      <h2 id="attention-heading" class="visually-hidden">
        {t('home.attention')}
      </h2>
      <ul class="stats" role="list">
        <li>
          <Link href="/study" class="stat">
            <span class="stat__num">{loanList.length}</span>
            <span class="stat__label">{t('home.statLoans')}</span>
          </Link>
        </li>
        <li>
          <Link href="/study" class={overdue > 0 ? 'stat stat--danger' : 'stat'}>
            <span class="stat__num">{overdue}</span>
            <span class="stat__label">{t('home.statOverdue')}</span>
          </Link>
        </li>
        <li>
          <Link href="/study#holds" class={ready.length > 0 ? 'stat stat--ok' : 'stat'}>
            <span class="stat__num">{holdList.length}</span>
            <span class="stat__label">{t('home.statHolds')}</span>
          </Link>
        </li>
      </ul>
      {suspended && (
        <Link href="/study" class="notice notice--danger">
          <Icon name="alert" size={20} />
          <span>
            {status.suspension_days_left > 0
              ? t('status.suspendedShort', { days: status.suspension_days_left })
              : t('status.reserveSuspendedShort', { date: formatDate(status.reserve_resumes_on ?? '') })}
          </span>
        </Link>
      )}
      {ready.map((h) => (
        <Link key={h.id} href="/study#holds" class="notice notice--ok">
          <Icon name="check" size={20} />
          <span>{t('home.holdReady', { title: h.title, date: h.pickup_by ? formatDate(h.pickup_by) : '' })}</span>
        </Link>
      ))}
    </section>
  );
}

export function HomePage() {
  return (
    <div class="page">
      <PageTitle visuallyHidden>{t('home.title')}</PageTitle>
      <CardGate>
        {(card) => (
          <>
            <PassbookHero card={card.card} />
            <Attention card={card.card} />
            <nav aria-labelledby="quick-heading" class="section">
              <h2 id="quick-heading">{t('home.quickLinks')}</h2>
              <ul class="quick" role="list">
                {QUICK.map((q) => (
                  <li key={q.href}>
                    <Link href={q.href} class="quick__item">
                      <span class="quick__icon">
                        <Icon name={q.icon} size={26} />
                      </span>
                      <span class="quick__label">{t(q.key)}</span>
                    </Link>
                  </li>
                ))}
              </ul>
            </nav>
          </>
        )}
      </CardGate>
    </div>
  );
}
