// The frame of every page. The patron app: an app bar (home, the passbook one tap away, the inbox
// with its unread count, account and more, language),
// the page, and a bottom bar with the four things used most (行動借閱證 / 我的書房 / 館藏查詢 /
// 手機借書), as the library's own app has them. Staff and public pages keep a plain header.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { getLang, setLang, t, type MessageKey } from '../i18n';
import { useUnread } from '../inbox';
import { usePatron } from '../patron';
import { Icon, type IconName } from './Icon';
import { Link } from './Link';

function LanguageSwitch({ class: cls = 'lang-switch' }: { class?: string }) {
  const next = getLang() === 'zh-TW' ? 'en' : 'zh-TW';
  return (
    <button type="button" class={cls} lang={next} aria-label={t('lang.switchLabel')} onClick={() => setLang(next)}>
      {t('lang.switch')}
    </button>
  );
}

const STAFF_NAV: { href: string; key: MessageKey }[] = [
  { href: '/', key: 'nav.patronApp' },
  { href: '/transparency', key: 'nav.transparency' },
  { href: '/staff', key: 'nav.staff' },
];

const TABS: { href: string; key: MessageKey; icon: IconName }[] = [
  { href: '/card', key: 'nav.card', icon: 'card' },
  { href: '/study', key: 'nav.study', icon: 'study' },
  { href: '/search', key: 'nav.search', icon: 'search' },
  { href: '/checkout', key: 'nav.checkout', icon: 'scan' },
];

/** Which frame a path gets. */
export type Frame = 'patron' | 'patron-bare' | 'plain' | 'bare';

export function frameFor(path: string): Frame {
  if (/^\/staff\/events\/\d+\/qr$/.test(path)) return 'bare';
  if (path === '/staff' || path.startsWith('/staff/') || path === '/transparency') return 'plain';
  if (path === '/login' || /^\/passbook\/redemptions\/\d+$/.test(path)) return 'patron-bare';
  return 'patron';
}

function useFocusOnNavigate(path: string) {
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  // After an in-app navigation, move focus to the new page's heading so screen readers read it.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const heading = main.current?.querySelector('h1');
    (heading ?? main.current)?.focus();
  }, [path]);
  return main;
}

/** The bell in the app bar: the inbox, with the unread count as a badge. */
function InboxBell({ path }: { path: string }) {
  const p = usePatron({ requireSignIn: false });
  const unread = useUnread(p.signedIn ? (p.card?.card ?? null) : null, path);
  if (!p.signedIn) return null;
  const n = unread ?? 0;
  return (
    <Link
      href="/inbox"
      class="appbar__icon appbar__bell"
      aria-label={n > 0 ? t('nav.inboxUnread', { count: n }) : t('nav.inbox')}
      aria-current={path === '/inbox' ? 'page' : undefined}
    >
      <Icon name="bell" size={22} />
      {n > 0 && (
        <span class="appbar__badge" aria-hidden="true">
          {n > 99 ? '99+' : n}
        </span>
      )}
    </Link>
  );
}

function PatronFrame({ path, bare, children }: { path: string; bare: boolean; children: ComponentChildren }) {
  const main = useFocusOnNavigate(path);
  const inPassbook = path.startsWith('/passbook') || path === '/events';
  return (
    <div class={bare ? 'app app--bare' : 'app'}>
      <a class="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header class="appbar">
        <div class="appbar__row">
          <Link href="/" class="brand" aria-label={t('nav.homeLabel')} aria-current={path === '/' ? 'page' : undefined}>
            <img src="/icons/icon.svg" alt="" width="30" height="30" />
            <span class="brand__name">{t('app.name')}</span>
          </Link>
          <div class="appbar__actions">
            {!bare && (
              <Link href="/passbook" class="appbar__passbook" aria-current={inPassbook ? 'page' : undefined}>
                <Icon name="passbook" size={20} />
                <span>{t('nav.passbook')}</span>
              </Link>
            )}
            {!bare && <InboxBell path={path} />}
            {!bare && (
              <Link href="/account" class="appbar__icon" aria-label={t('nav.account')} aria-current={path === '/account' || path.startsWith('/account/') ? 'page' : undefined}>
                <Icon name="user" size={22} />
              </Link>
            )}
            <LanguageSwitch class="lang-switch lang-switch--compact" />
          </div>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1} class="app__main">
        {children}
      </main>
      {!bare && (
        <nav class="tabbar" aria-label={t('nav.main')}>
          {TABS.map((tab) => {
            const current = path === tab.href || path.startsWith(`${tab.href}/`);
            return (
              <Link key={tab.href} href={tab.href} class="tabbar__item" aria-current={current ? 'page' : undefined}>
                <Icon name={tab.icon} size={24} />
                <span class="tabbar__label">{t(tab.key)}</span>
              </Link>
            );
          })}
        </nav>
      )}
    </div>
  );
}

function PlainFrame({ path, children }: { path: string; children: ComponentChildren }) {
  const main = useFocusOnNavigate(path);
  const current = (href: string) => (href === '/' ? false : path.startsWith(href));
  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header class="topbar">
        <div class="topbar__row">
          <Link href="/" class="brand">
            <img src="/icons/icon.svg" alt="" width="32" height="32" />
            <span class="brand__name">{t('app.fullName')}</span>
          </Link>
          <LanguageSwitch />
        </div>
        <nav aria-label={t('nav.site')} class="topnav">
          {STAFF_NAV.map((n) => (
            <Link key={n.href} href={n.href} aria-current={current(n.href) ? 'page' : undefined}>
              {t(n.key)}
            </Link>
          ))}
        </nav>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {children}
      </main>
      <footer class="footer">
        <p>{t('app.tagline')}</p>
      </footer>
    </div>
  );
}

export function Layout({ path, children }: { path: string; children: ComponentChildren }) {
  const frame = frameFor(path);
  if (frame === 'bare') return <main id="main">{children}</main>;
  if (frame === 'plain') return <PlainFrame path={path}>{children}</PlainFrame>;
  return (
    <PatronFrame path={path} bare={frame === 'patron-bare'}>
      {children}
    </PatronFrame>
  );
}
