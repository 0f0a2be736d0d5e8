// /passbook/redemptions: the card's redemptions (兌換紀錄), newest first; a pending one opens its code.
import { passbook, redemptions as fetchRedemptions, type Redemption } from '../api';
import { LoadError, Loading } from '../components/Alert';
import { CardGate } from '../components/CardGate';
import { Icon } from '../components/Icon';
import { Link } from '../components/Link';
import { PageTitle } from '../components/PageTitle';
import { PassbookHeader } from '../components/PassbookHeader';
import { errorText } from '../errors';
import { useAsync } from '../hooks';
import { formatDateTime, label, t } from '../i18n';
import { useBranches } from '../patron';
import { storedRedemption } from '../redemptions';

function Row({ r }: { r: Redemption }) {
  const branches = useBranches();
  const pending = r.status === 'pending';
  const mine = pending && storedRedemption(r.id) !== null;
  return (
    <li class={`item item--redemption item--${r.status}`}>
      <p class="item__title">{r.prize_name}</p>
      <p class="item__meta">
        <span class={`badge badge--${r.status}`}>{label('redemption.status', r.status)}</span>
        <span>{t('points.minus', { points: r.cost })}</span>
      </p>
      <p class="item__sub">
        {branches.name(r.branch)} · {formatDateTime(r.completed_at ?? r.created_at)}
        {r.cancel_reason && <> · {r.cancel_reason}</>}
      </p>
      {mine && (
        <div class="item__actions">
          <Link href={`/passbook/redemptions/${r.id}`} class="button button--small button--primary">
            <Icon name="qr" size={18} /> {t('redemptions.showCode')}
          </Link>
        </div>
      )}
    </li>
  );
}

function Body({ card }: { card: string }) {
  const [balance] = useAsync((signal) => passbook(card, signal), [card]);
  const [state, reload] = useAsync((signal) => fetchRedemptions(card, signal), [card]);
  return (
    <>
      <PassbookHeader path="/passbook/redemptions" state={balance} />
      <section class="section" aria-labelledby="red-heading">
        <h2 id="red-heading">{t('passbook.tab.redemptions')}</h2>
        {state.status === 'loading' && <Loading />}
        {state.status === 'error' && <LoadError text={errorText(state.error)} onRetry={reload} />}
        {state.status === 'ok' &&
          (state.value.length === 0 ? (
            <div class="empty">
              <p>{t('redemptions.none')}</p>
              <Link href="/passbook/prizes" class="button button--primary">
                {t('redemptions.browse')}
              </Link>
            </div>
          ) : (
            <ul class="list" role="list">
              {state.value.map((r) => (
                <Row key={r.id} r={r} />
              ))}
            </ul>
          ))}
      </section>
    </>
  );
}

export function RedemptionsPage() {
  return (
    <div class="page">
      <PageTitle>{t('passbook.title')}</PageTitle>
      <CardGate>{(card) => <Body key={card.card} card={card.card} />}</CardGate>
    </div>
  );
}
