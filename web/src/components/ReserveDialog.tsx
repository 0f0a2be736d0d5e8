// One-tap reserve from a list (精選圖書): a sheet with the pickup branch (the last one used, else
// the branch of the patron's latest hold, preselected) and one button.
import { useEffect, useId, useState } from 'preact/hooks';
import { ApiError, holds as fetchHolds, placeHold } from '../api';
import { errorText } from '../errors';
import { codeText, t } from '../i18n';
import { lastPickup, rememberPickup, useBranches, usePatron } from '../patron';
import { Alert } from './Alert';
import { Dialog } from './Dialog';
import { Icon } from './Icon';
import { Link } from './Link';

export function ReserveDialog({ bibId, title, onClose }: { bibId: number; title: string; onClose: () => void }) {
  const p = usePatron({ requireSignIn: false });
  const branches = useBranches();
  const id = useId();
  const last = lastPickup();
  const [pickup, setPickup] = useState(last ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const card = p.card;

  // No remembered branch: the latest hold's, else the first branch.
  const [holdBranch, setHoldBranch] = useState<string | null>(null);
  useEffect(() => {
    if (last || !card) return;
    const ctl = new AbortController();
    fetchHolds(card.card, ctl.signal).then(
      (list) => setHoldBranch([...list].sort((a, b) => Number(b.id) - Number(a.id))[0]?.pickup_branch ?? null),
      () => undefined,
    );
    return () => ctl.abort();
  }, [card?.card]);
  const value = pickup || holdBranch || branches.list?.[0]?.code || '';

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!card || busy) return;
    if (!value) {
      setError(t('bib.choosePickup'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const hold = await placeHold(card.card, bibId, value);
      rememberPickup(value);
      setDone(
        hold.queue_position !== null
          ? t('bib.reservedQueue', { position: hold.queue_position, branch: branches.name(value) })
          : t('bib.reserved', { branch: branches.name(value) }),
      );
    } catch (err) {
      setError(err instanceof ApiError && err.status === 409 ? codeText(err.code, err.message) : errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('home.reserveBook', { title })} onClose={onClose}>
      {() =>
        !p.signedIn ? (
          <p>
            <Link href={`/login?next=${encodeURIComponent(location.pathname)}`} class="button button--primary button--block">
              {t('reserve.signIn')}
            </Link>
          </p>
        ) : done ? (
          <div class="stack">
            <div class="success" role="status">
              <Icon name="check" size={28} />
              <p class="success__title">{done}</p>
            </div>
            <Link href="/study#holds" class="button button--quiet button--block">
              {t('bib.seeHolds')}
            </Link>
            <button type="button" class="button button--primary button--block" onClick={onClose}>
              {t('common.close')}
            </button>
          </div>
        ) : (
          <form class="form" onSubmit={submit} noValidate>
            {card && <p class="muted small">{t('reserve.forCard', { name: card.holder_name, card: card.card })}</p>}
            {error && <Alert>{error}</Alert>}
            <div class="field">
              <label for={id}>{t('reserve.pickup')}</label>
              <select id={id} class="select" value={value} onChange={(e) => setPickup(e.currentTarget.value)}>
                <option value="">{t('bib.pickupPlaceholder')}</option>
                {(branches.list ?? []).map((b) => (
                  <option key={b.code} value={b.code}>
                    {b.code === last ? t('reserve.lastUsed', { branch: b.name }) : b.name}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" class="button button--primary button--block" disabled={busy || !card} aria-busy={busy}>
              {busy ? t('bib.reserving') : t('reserve.confirm')}
            </button>
          </form>
        )
      }
    </Dialog>
  );
}
