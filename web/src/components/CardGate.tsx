// What every card page starts with: the patron's cards loaded (or why not), and a switcher for
// accounts with several cards (個人卡 / 家庭卡 / 團體卡). The page gets the card in use.
import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import type { AccountCard } from '../api';
import { errorText } from '../errors';
import { label, t } from '../i18n';
import { selectCard, usePatron } from '../patron';
import { LoadError, Loading } from './Alert';
import { Link } from './Link';

/** The card in use, and a select to change it when the account has more than one. */
export function CardSwitcher({ cards, card }: { cards: AccountCard[]; card: AccountCard }) {
  const id = useId();
  if (cards.length < 2) {
    return (
      <p class="card-chip">
        <span class="card-chip__who">{card.holder_name}</span>
        <span class="card-chip__what">
          {label('cardType', card.type)} · {card.card}
        </span>
      </p>
    );
  }
  return (
    <div class="card-switch">
      <label for={id} class="card-switch__label">
        {t('cards.switchLabel')}
      </label>
      <select id={id} class="select card-switch__select" value={card.card} onChange={(e) => selectCard(e.currentTarget.value)}>
        {cards.map((c) => (
          <option key={c.card} value={c.card}>
            {t('cards.option', { name: c.holder_name, type: label('cardType', c.type), card: c.card })}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * Renders children(card, cards) once the account's cards are known; otherwise loading, the error
 * with a retry, or "no cards yet" with a link to add one.
 */
export function CardGate({
  children,
  switcher = true,
}: {
  children: (card: AccountCard, cards: AccountCard[]) => ComponentChildren;
  switcher?: boolean;
}) {
  const p = usePatron();
  if (!p.signedIn) return <Loading />;
  if (!p.cards) {
    if (p.cardsStatus === 'error') return <LoadError text={errorText(p.cardsError)} onRetry={p.reloadCards} />;
    return <Loading />;
  }
  if (!p.card) {
    return (
      <div class="empty">
        <p>{t('cards.none')}</p>
        <Link href="/account" class="button button--primary">
          {t('account.linkTitle')}
        </Link>
      </div>
    );
  }
  return (
    <>
      {switcher && <CardSwitcher cards={p.cards} card={p.card} />}
      {children(p.card, p.cards)}
    </>
  );
}
