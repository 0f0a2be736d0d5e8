// "使用通行金鑰登入 / Sign in with a passkey" on the login page (P11): the same session as a
// card + PIN login, then on to the page that sent the patron here.
import { useState } from 'preact/hooks';
import { errorText } from '../errors';
import { t } from '../i18n';
import { PasskeyCancelled, passkeysSupported, signInWithPasskey } from '../passkeys';
import { rememberCards } from '../patron';
import { navigate } from '../router';
import { saveAccount } from '../session';
import { Alert } from './Alert';
import { Icon } from './Icon';

/** The `next` page when it is a path of this site, else home. */
function nextPage(): string {
  const next = new URLSearchParams(location.search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function passkeyErrorText(err: unknown): string {
  if (err instanceof PasskeyCancelled) return t(`passkey.${err.reason}`);
  return errorText(err);
}

/** `card`: the number typed so far; when given, only that card's passkeys are offered. */
export function PasskeySignIn({ card }: { card?: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!passkeysSupported()) return null;
  const signIn = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const s = await signInWithPasskey(card || undefined);
      saveAccount(s.account);
      rememberCards(s.account.cards, s.account.cards[0]?.card);
      navigate(nextPage(), { replace: true });
    } catch (err) {
      setError(passkeyErrorText(err));
      setBusy(false);
    }
  };
  return (
    <div class="form passkey-signin">
      <p class="passkey-signin__or muted" aria-hidden="true" style={{ textAlign: 'center' }}>
        {t('passkey.or')}
      </p>
      {error && <Alert>{error}</Alert>}
      <button type="button" class="button button--quiet button--block" onClick={signIn} disabled={busy} aria-busy={busy}>
        <Icon name="lock" size={20} />
        {busy ? t('passkey.signingIn') : t('passkey.signIn')}
      </button>
    </div>
  );
}
