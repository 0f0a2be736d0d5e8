// The switch for push notices on this device, for the card in use: an accessible switch
// (role="switch") with the states unsupported / blocked by the browser / on / off.
import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../errors';
import { t } from '../i18n';
import { usePatron } from '../patron';
import { disablePush, enablePush, pushState, type PushState } from '../push';
import { Alert } from './Alert';

export function PushToggle() {
  const { card } = usePatron();
  const number = card?.card ?? null;
  const [state, setState] = useState<PushState | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!number) return;
    let live = true;
    pushState(number)
      .then((s) => live && setState(s))
      .catch(() => live && setState('unsupported'));
    return () => {
      live = false;
    };
  }, [number]);

  if (!number || state === null) return null;

  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      setState(state === 'on' ? await disablePush(number) : await enablePush(number));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const on = state === 'on';
  return (
    <section class="panel" aria-labelledby="push-heading">
      <h2 id="push-heading">{t('push.title')}</h2>
      {state === 'unsupported' && <p class="muted">{t('push.unsupported')}</p>}
      {state === 'denied' && (
        <p class="muted" role="status">
          {t('push.denied')}
        </p>
      )}
      {(state === 'on' || state === 'off') && (
        <>
          <p class="muted" id="push-help">
            {t('push.help')}
          </p>
          {error && <Alert>{error}</Alert>}
          <button
            type="button"
            role="switch"
            aria-checked={on}
            aria-describedby="push-help"
            aria-busy={busy}
            disabled={busy}
            class={on ? 'button button--primary button--block' : 'button button--quiet button--block'}
            onClick={toggle}
          >
            {t('push.switch')}
            <span aria-hidden="true">（{busy ? t('common.loading') : on ? t('push.on') : t('push.off')}）</span>
          </button>
        </>
      )}
    </section>
  );
}
