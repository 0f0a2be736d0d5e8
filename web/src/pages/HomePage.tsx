// /: the patron's home (P6). The library's announcements (公告輪播), the passbook balance (one tap
// to 閱讀存摺), what needs attention (停權, overdue loans, holds ready), featured books (精選圖書)
// with a one-tap reserve, the app's shortcuts and the library's own links (GET /home).
import { useState } from 'preact/hooks';
import { cardStatus, coverUrl, holds, home, loans, passbook, type FeaturedBib, type FeaturedList, type QuickLink } from '../api';
import { CardGate } from '../components/CardGate';
import { Carousel } from '../components/Carousel';
import { ReserveDialog } from '../components/ReserveDialog';
import { Icon, type IconName } from '../components/Icon';
import { Link } from '../components/Link';
import { PageTitle } from '../components/PageTitle';
import { errorText } from '../errors';
import { useAsync } from '../hooks';
import { formatDate, getLang, t, type MessageKey } from '../i18n';

const QUICK: { href: string; key: MessageKey; icon: IconName }[] = [
  { href: '/passbook', key: 'home.quick.passbook', icon: 'passbook' },
  { href: '/passbook/prizes', key: 'home.quick.prizes', icon: 'gift' },
  { href: '/passbook/claim', key: 'home.quick.claim', icon: 'qr' },
  { href: '/events', key: 'home.quick.events', icon: 'calendar' },
  { href: '/report', key: 'home.quick.report', icon: 'chart' },
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

function Book({ b, onReserve }: { b: FeaturedBib; onReserve: (b: FeaturedBib) => void }) {
  return (
    <li class="book">
      <Link href={`/search/${b.id}`} class="book__link">
        <img class="book__cover" src={coverUrl(b.id, b.cover_url)} alt="" width="96" height="136" loading="lazy" />
        <span class="book__title">{b.title}</span>
        {b.author && <span class="book__author">{b.author}</span>}
      </Link>
      <p class={b.available > 0 ? 'book__avail book__avail--in' : 'book__avail'}>
        {b.available > 0 ? t('home.available', { n: b.available }) : t('home.allOut')}
      </p>
      <button
        type="button"
        class="button button--small button--primary book__reserve"
        aria-label={t('home.reserveBook', { title: b.title })}
        onClick={() => onReserve(b)}
      >
        {t('home.reserve')}
      </button>
    </li>
  );
}

function Featured({ list, onReserve }: { list: FeaturedList; onReserve: (b: FeaturedBib) => void }) {
  if (list.bibs.length === 0) return null;
  const hid = `featured-${list.id}`;
  return (
    <section class="section" aria-labelledby={hid}>
      <h2 id={hid} class="section__title">
        <span class="section__kicker">{t('home.featured')}</span> {list.title}
      </h2>
      <ul class="shelf" role="list">
        {list.bibs.map((b) => (
          <Book key={b.id} b={b} onReserve={onReserve} />
        ))}
      </ul>
    </section>
  );
}

function linkIcon(icon: string): IconName {
  const k = icon.toLowerCase();
  if (/book|ebook|read/.test(k)) return 'book';
  if (/event|calendar|activity/.test(k)) return 'calendar';
  if (/faq|help|question/.test(k)) return 'help';
  return 'external';
}

function LibraryLinks({ links }: { links: QuickLink[] }) {
  if (links.length === 0) return null;
  const en = getLang() === 'en';
  return (
    <nav aria-labelledby="library-links" class="section">
      <h2 id="library-links">{t('home.libraryLinks')}</h2>
      <ul class="linklist" role="list">
        {links.map((l) => {
          const internal = l.url.startsWith('/') && !l.url.startsWith('//');
          const text = en && l.label_en ? l.label_en : l.label_zh;
          return (
            <li key={l.id}>
              {internal ? (
                <Link href={l.url} class="linklist__item">
                  <Icon name={linkIcon(l.icon)} size={22} />
                  <span>{text}</span>
                  <Icon name="chevron" size={18} />
                </Link>
              ) : (
                <a href={l.url} class="linklist__item" target="_blank" rel="noopener">
                  <Icon name={linkIcon(l.icon)} size={22} />
                  <span>
                    {text}
                    <span class="visually-hidden">{t('common.opensNew')}</span>
                  </span>
                  <Icon name="external" size={18} />
                </a>
              )}
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** The library's content for the home screen; its failure never hides the patron's own things. */
function useHome() {
  return useAsync((signal) => home(signal), []);
}

export function HomePage() {
  const [content, reload] = useHome();
  const [reserving, setReserving] = useState<FeaturedBib | null>(null);
  const c = content.status === 'ok' ? content.value : null;
  return (
    <div class="page">
      <PageTitle visuallyHidden>{t('home.title')}</PageTitle>
      {c && <Carousel items={c.announcements} />}
      {content.status === 'loading' && <div class="carousel carousel--skeleton" aria-hidden="true" />}
      <CardGate>
        {(card) => (
          <>
            <PassbookHero card={card.card} />
            <Attention card={card.card} />
          </>
        )}
      </CardGate>
      {content.status === 'error' && (
        <p class="notice notice--muted">
          {t('home.contentError')}{' '}
          <button type="button" class="linklike" onClick={reload}>
            {t('common.retry')}
          </button>
        </p>
      )}
      {c?.featured_lists.map((l) => <Featured key={l.id} list={l} onReserve={setReserving} />)}
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
      {c && <LibraryLinks links={c.quick_links} />}
      {reserving && <ReserveDialog bibId={reserving.id} title={reserving.title} onClose={() => setReserving(null)} />}
    </div>
  );
}
