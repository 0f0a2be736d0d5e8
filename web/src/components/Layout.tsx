// The frame of every page: skip link, header with navigation and language switch, main, footer.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { getLang, setLang, t } from '../i18n';
import { Link } from './Link';

function LanguageSwitch() {
  const next = getLang() === 'zh-TW' ? 'en' : 'zh-TW';
  return (
    <button
      type="button"
      class="lang-switch"
      lang={next}
      aria-label={t('lang.switchLabel')}
      onClick={() => setLang(next)}
    >
      {t('lang.switch')}
    </button>
  );
}

const NAV: { href: string; key: 'nav.home' | 'nav.transparency' | 'nav.staff' }[] = [
  { href: '/', key: 'nav.home' },
  { href: '/transparency', key: 'nav.transparency' },
  { href: '/staff', key: 'nav.staff' },
];

export function Layout({ path, children }: { path: string; children: ComponentChildren }) {
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  // After an in-app navigation, move focus to the new page so screen readers read it.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const heading = main.current?.querySelector('h1');
    (heading ?? main.current)?.focus();
  }, [path]);

  const current = (href: string) => (href === '/' ? path === '/' || path === '/login' : path.startsWith(href));

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
        <nav aria-label={t('nav.main')} class="topnav">
          {NAV.map((n) => (
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
