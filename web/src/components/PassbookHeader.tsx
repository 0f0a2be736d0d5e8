// The top of every passbook screen: the balance, and the passbook's four parts as tabs
// (點數明細 / 可兌換明細 / 兌換紀錄 / 點數補登), as the library's app names them.
import type { Passbook } from '../api';
import type { AsyncState } from '../hooks';
import { t, type MessageKey } from '../i18n';
import { Link } from './Link';

const PARTS: { href: string; key: MessageKey }[] = [
  { href: '/passbook', key: 'passbook.tab.entries' },
  { href: '/passbook/prizes', key: 'passbook.tab.prizes' },
  { href: '/passbook/redemptions', key: 'passbook.tab.redemptions' },
  { href: '/passbook/claim', key: 'passbook.tab.claim' },
];

export function PassbookHeader({ path, state }: { path: string; state: AsyncState<Passbook> }) {
  return (
    <>
      <div class="balance" aria-live="polite">
        <p class="balance__label">{t('passbook.balance')}</p>
        <p class="balance__value">
          {state.status === 'ok' ? (
            <>
              <strong>{state.value.balance}</strong> <span>{t('points.unit')}</span>
            </>
          ) : state.status === 'loading' ? (
            <span class="balance__muted">{t('common.loading')}</span>
          ) : (
            <span class="balance__muted">{t('passbook.balanceUnavailable')}</span>
          )}
        </p>
        {state.status === 'ok' && (
          <p class="balance__sub">
            {t('passbook.lifetime', { points: state.value.lifetime_earned })}
            {state.value.pending_redemptions > 0 && <> · {t('passbook.pending', { count: state.value.pending_redemptions })}</>}
          </p>
        )}
      </div>
      <nav class="subnav" aria-label={t('passbook.partsLabel')}>
        {PARTS.map((p) => (
          <Link key={p.href} href={p.href} class="subnav__item" aria-current={path === p.href ? 'page' : undefined}>
            {t(p.key)}
          </Link>
        ))}
      </nav>
    </>
  );
}
