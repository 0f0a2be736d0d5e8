// /card: the mobile library card (行動借閱證, P1): the card number as a large barcode (Code 128,
// or Code 39 where the library says so) and a QR code for the counter's scanner. It reads the card
// list kept in localStorage, so it opens with the network off (the service worker has the app itself).
import { useEffect, useState } from 'preact/hooks';
import { cardSymbology, home } from '../api';
import { Barcode } from '../components/Barcode';
import { CardSwitcher } from '../components/CardGate';
import { Link } from '../components/Link';
import { PageTitle } from '../components/PageTitle';
import { label, t } from '../i18n';
import { usePatron } from '../patron';
import { Loading } from '../components/Alert';
import { useScreenWakeLock } from '../hooks';

export function CardPage() {
  // Offline and signed out of this tab: still show the cards remembered on this phone.
  const p = usePatron({ requireSignIn: false });
  useScreenWakeLock();
  // The library's symbology (GET /home), remembered for offline use.
  const [symbology, setSymbology] = useState(cardSymbology);
  useEffect(() => {
    const ask = new AbortController();
    home(ask.signal)
      .then(() => setSymbology(cardSymbology()))
      .catch(() => undefined); // offline: the remembered one
    return () => ask.abort();
  }, []);
  if (!p.cards) {
    if (!p.signedIn) {
      return (
        <div class="page">
          <PageTitle>{t('card.title')}</PageTitle>
          <div class="empty">
            <p>{t('card.signInFirst')}</p>
            <Link href="/login" class="button button--primary">
              {t('login.submit')}
            </Link>
          </div>
        </div>
      );
    }
    return <Loading />;
  }
  const card = p.card;
  return (
    <div class="page page--card">
      <PageTitle>{t('card.title')}</PageTitle>
      {!card ? (
        <p class="muted">{t('cards.none')}</p>
      ) : (
        <>
          {p.cards.length > 1 && <CardSwitcher cards={p.cards} card={card} />}
          <section class="libcard" aria-labelledby="libcard-holder">
            <div class="libcard__head">
              <span class="libcard__org">{t('card.library')}</span>
              <span class="libcard__type">{label('cardType', card.type)}</span>
            </div>
            <p class="libcard__holder" id="libcard-holder">
              {card.holder_name}
            </p>
            {card.status !== 'active' && <p class="libcard__flag">{label('cardStatus', card.status)}</p>}
            <div class="libcard__code">
              <Barcode kind={symbology} text={card.card} label={t('card.barcodeLabel', { card: card.card })} />
              <p class="libcard__number" aria-label={t('card.numberLabel', { card: card.card })}>
                {card.card.replace(/(.{4})(?=.)/g, '$1 ')}
              </p>
              <Barcode kind="qrcode" text={card.card} label={t('card.qrLabel', { card: card.card })} />
            </div>
          </section>
          <p class="hint">{t('card.hint')}</p>
        </>
      )}
    </div>
  );
}
