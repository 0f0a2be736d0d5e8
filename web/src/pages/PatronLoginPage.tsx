// /login: a patron signs in with card number + PIN (P2; passkeys come with P11).
import { useState } from 'preact/hooks';
import { login } from '../api';
import { Alert } from '../components/Alert';
import { Field } from '../components/Field';
import { Link } from '../components/Link';
import { PageTitle } from '../components/PageTitle';
import { PasskeySignIn } from '../components/PasskeySignIn';
import { errorText } from '../errors';
import { t } from '../i18n';
import { navigate } from '../router';
import { rememberCards } from '../patron';
import { saveAccount } from '../session';

/** Where to go once signed in: back to the page that sent the visitor here, else home. */
function afterLogin(): string {
  const next = new URLSearchParams(location.search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function PatronLoginPage() {
  const [card, setCard] = useState('');
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [field, setField] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!card.trim() || !pin) {
      setField(!card.trim() ? 'card' : 'pin');
      setError(t('login.required'));
      return;
    }
    setBusy(true);
    setError(null);
    setField(null);
    try {
      const s = await login(card.trim(), pin);
      saveAccount(s.account);
      rememberCards(s.account.cards, card.trim());
      navigate(afterLogin(), { replace: true });
    } catch (err) {
      setPin('');
      setError(errorText(err, { UNAUTHENTICATED: 'login.wrong' }));
      setField((err as { field?: string }).field ?? null);
      setBusy(false);
    }
  };

  return (
    <section class="panel panel--narrow login">
      <img class="login__mark" src="/icons/icon.svg" alt="" width="64" height="64" />
      <PageTitle>{t('login.title')}</PageTitle>
      <p class="lead">{t('login.intro')}</p>
      <form class="form" onSubmit={submit} noValidate>
        {error && <Alert>{error}</Alert>}
        <Field
          label={t('login.card')}
          hint={t('login.cardHint')}
          name="card"
          value={card}
          onValue={setCard}
          invalid={field === 'card'}
          autocomplete="username"
          autocapitalize="characters"
          spellcheck={false}
          inputMode="text"
          required
        />
        <Field
          label={t('login.pin')}
          type="password"
          name="pin"
          value={pin}
          onValue={setPin}
          invalid={field === 'pin'}
          autocomplete="current-password"
          inputMode="numeric"
          required
        />
        <button type="submit" class="button button--primary button--block" disabled={busy} aria-busy={busy}>
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
      <PasskeySignIn card={card.trim()} />
      <p class="aside-link">
        <Link href="/staff">{t('login.staffLink')}</Link>
      </p>
    </section>
  );
}
