// /account: account management (帳號管理, P2): a menu of the patron's other services (notices,
// history, reading report, PIN, notice settings), the cards of this login (個人卡 / 家庭卡 /
// 團體卡), link another card with its number + PIN, unlink one, language, sign out.
import { useState } from 'preact/hooks';
import { linkCard, logout, unlinkCard, type AccountCard } from '../api';
import { Alert } from '../components/Alert';
import { CardGate } from '../components/CardGate';
import { Field } from '../components/Field';
import { PageTitle } from '../components/PageTitle';
import { PushToggle } from '../components/PushToggle';
import { PasskeyPanel } from '../components/PasskeyPanel';
import { errorText } from '../errors';
import { getLang, label, setLang, t, type MessageKey } from '../i18n';
import { Icon, type IconName } from '../components/Icon';
import { Link } from '../components/Link';
import { forgetPatron, refreshCards, selectCard } from '../patron';
import { forgetAllRedemptions } from '../redemptions';
import { navigate } from '../router';

function CardRow({ c, current, only }: { c: AccountCard; current: boolean; only: boolean }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const unlink = async () => {
    setBusy(true);
    setError(null);
    try {
      await unlinkCard(c.card);
      await refreshCards();
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return (
    <li class={current ? 'acard acard--current' : 'acard'}>
      <div class="acard__main">
        <p class="acard__who">{c.holder_name}</p>
        <p class="acard__what">
          {label('cardType', c.type)} · {c.card}
          {c.status !== 'active' && <span class="badge badge--danger">{label('cardStatus', c.status)}</span>}
        </p>
      </div>
      {error && <Alert>{error}</Alert>}
      <div class="item__actions">
        {current ? (
          <span class="badge badge--ok">{t('account.inUse')}</span>
        ) : (
          <button type="button" class="button button--small button--quiet" onClick={() => selectCard(c.card)}>
            {t('account.use')}
          </button>
        )}
        {confirming ? (
          <>
            <span class="confirm-q">{t('account.unlinkConfirm')}</span>
            <button type="button" class="button button--small button--danger" disabled={busy} onClick={unlink}>
              {t('account.unlinkYes')}
            </button>
            <button type="button" class="button button--small button--quiet" disabled={busy} onClick={() => setConfirming(false)}>
              {t('common.no')}
            </button>
          </>
        ) : (
          <button
            type="button"
            class="button button--small button--quiet"
            disabled={only}
            title={only ? t('account.onlyCard') : undefined}
            aria-label={t('account.unlinkCard', { card: c.card })}
            onClick={() => setConfirming(true)}
          >
            {t('account.unlink')}
          </button>
        )}
      </div>
    </li>
  );
}

function LinkForm() {
  const [card, setCard] = useState('');
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!card.trim() || !pin) {
      setError(t('login.required'));
      return;
    }
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const linked = await linkCard(card.trim(), pin);
      await refreshCards();
      setDone(t('account.linked', { name: linked.holder_name, card: linked.card }));
      setCard('');
      setPin('');
    } catch (err) {
      setPin('');
      setError(errorText(err, { UNAUTHENTICATED: 'login.wrong', CARD_ALREADY_LINKED: 'account.alreadyLinked' }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="form panel" onSubmit={submit} noValidate aria-labelledby="link-heading">
      <h2 id="link-heading">{t('account.linkTitle')}</h2>
      <p class="muted">{t('account.linkIntro')}</p>
      {done && (
        <p class="flash flash--ok" role="status">
          {done}
        </p>
      )}
      {error && <Alert>{error}</Alert>}
      <Field label={t('login.card')} value={card} onValue={setCard} autocomplete="off" spellcheck={false} />
      <Field label={t('login.pin')} type="password" value={pin} onValue={setPin} autocomplete="off" inputMode="numeric" />
      <button type="submit" class="button button--primary button--block" disabled={busy} aria-busy={busy}>
        {busy ? t('account.linking') : t('account.link')}
      </button>
    </form>
  );
}

const SERVICES: { href: string; key: MessageKey; icon: IconName }[] = [
  { href: '/inbox', key: 'account.menu.inbox', icon: 'bell' },
  { href: '/account/history', key: 'account.menu.history', icon: 'history' },
  { href: '/report', key: 'account.menu.report', icon: 'chart' },
  { href: '/account/pin', key: 'account.menu.pin', icon: 'lock' },
  { href: '/account/notices', key: 'account.menu.prefs', icon: 'settings' },
  { href: '/passbook', key: 'account.menu.passbook', icon: 'passbook' },
  { href: '/events', key: 'account.menu.events', icon: 'calendar' },
];

/** Everything that has no tab of its own, one tap from the account page. */
function ServicesMenu() {
  return (
    <nav class="section" aria-labelledby="services-heading">
      <h2 id="services-heading">{t('account.services')}</h2>
      <ul class="linklist" role="list">
        {SERVICES.map((s) => (
          <li key={s.href}>
            <Link href={s.href} class="linklist__item">
              <Icon name={s.icon} size={22} />
              <span>{t(s.key)}</span>
              <Icon name="chevron" size={18} />
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function AccountPage() {
  const signOut = async () => {
    try {
      await logout('patron');
    } catch {
      // The token is dropped locally either way.
    }
    forgetPatron();
    forgetAllRedemptions();
    navigate('/login', { replace: true });
  };
  return (
    <div class="page">
      <PageTitle>{t('account.title')}</PageTitle>
      <ServicesMenu />
      <CardGate switcher={false}>
        {(card, cards) => (
          <section class="section" aria-labelledby="cards-heading">
            <h2 id="cards-heading">{t('account.cards', { count: cards.length })}</h2>
            <ul class="list" role="list">
              {cards.map((c) => (
                <CardRow key={c.card} c={c} current={c.card === card.card} only={cards.length < 2} />
              ))}
            </ul>
          </section>
        )}
      </CardGate>
      <LinkForm />
      <PushToggle />
      <PasskeyPanel />
      <section class="panel" aria-labelledby="lang-heading">
        <h2 id="lang-heading">{t('account.language')}</h2>
        <div class="segmented" role="group" aria-labelledby="lang-heading">
          <button type="button" lang="zh-TW" aria-pressed={getLang() === 'zh-TW'} onClick={() => setLang('zh-TW')}>
            繁體中文
          </button>
          <button type="button" lang="en" aria-pressed={getLang() === 'en'} onClick={() => setLang('en')}>
            English
          </button>
        </div>
      </section>
      <button type="button" class="button button--quiet button--block" onClick={signOut}>
        {t('common.logout')}
      </button>
    </div>
  );
}
