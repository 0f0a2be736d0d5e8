// The account page's passkeys (通行金鑰, P11): the card's passkeys with their names and last use,
// remove one, and add one for this device ("新增通行金鑰 / Add a passkey").
import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../errors';
import { formatDateTime, t } from '../i18n';
import { addPasskey, listPasskeys, passkeysSupported, removePasskey, type Passkey } from '../passkeys';
import { usePatron } from '../patron';
import { Alert, LoadError, Loading } from './Alert';
import { Field } from './Field';
import { passkeyErrorText } from './PasskeySignIn';

function PasskeyRow({ p, onRemove }: { p: Passkey; onRemove: (p: Passkey) => Promise<void> }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const remove = async () => {
    setBusy(true);
    await onRemove(p);
    setBusy(false);
  };
  return (
    <li class="acard passkey">
      <div class="acard__main">
        <p class="acard__who">{p.name}</p>
        <p class="acard__what">
          {p.last_used_at ? t('passkey.lastUsed', { at: formatDateTime(p.last_used_at) }) : t('passkey.neverUsed')}
          {' · '}
          {t('passkey.created', { at: formatDateTime(p.created_at) })}
        </p>
        {p.flagged && <p class="badge badge--danger">{t('passkey.flagged')}</p>}
      </div>
      <div class="item__actions">
        {confirming ? (
          <>
            <span class="confirm-q">{t('passkey.removeConfirm')}</span>
            <button type="button" class="button button--small button--danger" disabled={busy} onClick={remove}>
              {t('passkey.removeYes')}
            </button>
            <button type="button" class="button button--small button--quiet" disabled={busy} onClick={() => setConfirming(false)}>
              {t('common.no')}
            </button>
          </>
        ) : (
          <button
            type="button"
            class="button button--small button--quiet"
            aria-label={t('passkey.removeLabel', { name: p.name })}
            onClick={() => setConfirming(true)}
          >
            {t('passkey.remove')}
          </button>
        )}
      </div>
    </li>
  );
}

export function PasskeyPanel() {
  const { card } = usePatron();
  const number = card?.card ?? null;
  const [list, setList] = useState<Passkey[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [reload, setReload] = useState(0);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    if (!number) return;
    const ctl = new AbortController();
    setLoadError(null);
    listPasskeys(number, ctl.signal)
      .then(setList)
      .catch((err) => {
        if (!ctl.signal.aborted) setLoadError(err);
      });
    return () => ctl.abort();
  }, [number, reload]);

  if (!number) return null;

  const add = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const p = await addPasskey(number, name);
      setDone(t('passkey.added', { name: p.name }));
      setName('');
      setReload((n) => n + 1);
    } catch (err) {
      setError(passkeyErrorText(err));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (p: Passkey) => {
    setError(null);
    setDone(null);
    try {
      await removePasskey(number, p.id);
      setDone(t('passkey.removed'));
      setReload((n) => n + 1);
    } catch (err) {
      setError(errorText(err));
    }
  };

  return (
    <section class="panel" aria-labelledby="passkey-heading">
      <h2 id="passkey-heading">{t('passkey.title')}</h2>
      <p class="muted">{t('passkey.intro', { card: number })}</p>
      {done && (
        <p class="flash flash--ok" role="status">
          {done}
        </p>
      )}
      {error && <Alert>{error}</Alert>}
      {loadError ? (
        <LoadError text={errorText(loadError)} onRetry={() => setReload((n) => n + 1)} />
      ) : list === null ? (
        <Loading />
      ) : list.length === 0 ? (
        <p class="empty-line">{t('passkey.none')}</p>
      ) : (
        <ul class="list" role="list" aria-label={t('passkey.listLabel', { card: number })}>
          {list.map((p) => (
            <PasskeyRow key={p.id} p={p} onRemove={remove} />
          ))}
        </ul>
      )}
      {passkeysSupported() ? (
        <form class="form" onSubmit={add} noValidate>
          <Field
            label={t('passkey.name')}
            hint={t('passkey.nameHint')}
            value={name}
            onValue={setName}
            maxLength={64}
            autocomplete="off"
          />
          <button type="submit" class="button button--primary button--block" disabled={busy} aria-busy={busy}>
            {busy ? t('passkey.adding') : t('passkey.add')}
          </button>
        </form>
      ) : (
        <p class="muted">{t('passkey.unsupported')}</p>
      )}
    </section>
  );
}
