// /passbook/claim: event points (點數補登, P8): scan the QR shown at a library talk, or type the code
// printed under it, to claim the event's attendance points.
import { useState } from 'preact/hooks';
import { ApiError, claimEventPoints, events as fetchEvents, passbook, type EventClaim } from '../api';
import { Alert } from '../components/Alert';
import { CardGate } from '../components/CardGate';
import { Field } from '../components/Field';
import { Icon } from '../components/Icon';
import { Link } from '../components/Link';
import { PageTitle } from '../components/PageTitle';
import { PassbookHeader } from '../components/PassbookHeader';
import { Scanner } from '../components/Scanner';
import { errorText } from '../errors';
import { useAsync } from '../hooks';
import { codeText, t } from '../i18n';

function Claim({ card }: { card: string }) {
  const [round, setRound] = useState(0);
  const [balance] = useAsync((signal) => passbook(card, signal), [card, round]);
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<(EventClaim & { title: string | null }) | null>(null);

  const claim = async (value: string) => {
    const tok = value.trim();
    if (!tok) {
      setError(t('claim.required'));
      return;
    }
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const r = await claimEventPoints(card, tok);
      let title: string | null = null;
      try {
        title = (await fetchEvents()).find((e) => e.id === r.event_id)?.title ?? null;
      } catch {
        title = null;
      }
      setDone({ ...r, title });
      setToken('');
      setRound((n) => n + 1);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 409 ? codeText(err.code, err.message) : errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PassbookHeader path="/passbook/claim" state={balance} />
      <section class="section" aria-labelledby="claim-heading">
        <h2 id="claim-heading">{t('passbook.tab.claim')}</h2>
        <p class="lead">{t('claim.intro')}</p>
        {done && (
          <div class="success" role="status">
            <Icon name="check" size={28} />
            <div>
              <p class="success__title">{t('claim.done', { points: done.points_credited })}</p>
              <p>
                {done.title && <>{done.title} · </>}
                {t('claim.balance', { points: done.balance })}
              </p>
            </div>
          </div>
        )}
        <Scanner formats={['QRCode']} label={t('claim.scanWhat')} onCode={(text) => void claim(text)} />
        <form
          class="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void claim(token);
          }}
        >
          {error && <Alert>{error}</Alert>}
          <Field
            label={t('claim.token')}
            hint={t('claim.tokenHint')}
            value={token}
            onValue={setToken}
            autocapitalize="characters"
            autocomplete="off"
            spellcheck={false}
            invalid={error !== null}
          />
          <button type="submit" class="button button--primary button--block" disabled={busy} aria-busy={busy}>
            {busy ? t('claim.submitting') : t('claim.submit')}
          </button>
        </form>
        <p class="aside-link">
          <Link href="/events">{t('claim.eventsLink')}</Link>
        </p>
      </section>
    </>
  );
}

export function ClaimPage() {
  return (
    <div class="page">
      <PageTitle>{t('passbook.title')}</PageTitle>
      <CardGate>{(card) => <Claim key={card.card} card={card.card} />}</CardGate>
    </div>
  );
}
