// /account/pin: change the card's PIN (PUT /cards/{card}/pin) with the rules checked before sending:
// current PIN given, new one 4–128 characters, typed twice alike, not the same as the current one.
import { useState } from 'preact/hooks';
import { ApiError, changePin } from '../api';
import { Alert } from '../components/Alert';
import { CardGate } from '../components/CardGate';
import { Field } from '../components/Field';
import { PageTitle } from '../components/PageTitle';
import { errorText } from '../errors';
import { t, type MessageKey } from '../i18n';

type FieldName = 'current' | 'next' | 'repeat';

function validate(current: string, next: string, repeat: string): [FieldName, MessageKey] | null {
  if (!current) return ['current', 'pin.errCurrent'];
  if (next.length < 4) return ['next', 'pin.errShort'];
  if (next.length > 128) return ['next', 'pin.errLong'];
  if (next === current) return ['next', 'pin.errSame'];
  if (repeat !== next) return ['repeat', 'pin.errRepeat'];
  return null;
}

function PinForm({ card }: { card: string }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ field: FieldName | null; text: string } | null>(null);
  const [done, setDone] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setDone(false);
    const bad = validate(current, next, repeat);
    if (bad) {
      setError({ field: bad[0], text: t(bad[1]) });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await changePin(card, current, next);
      setDone(true);
      setCurrent('');
      setNext('');
      setRepeat('');
    } catch (err) {
      if (err instanceof ApiError && err.field === 'current_pin') {
        setCurrent('');
        setError({ field: 'current', text: t('pin.wrong') });
      } else if (err instanceof ApiError && err.field === 'new_pin') {
        setError({ field: 'next', text: t(next.length < 4 ? 'pin.errShort' : 'pin.errLong') });
      } else {
        setError({ field: null, text: errorText(err) });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="form panel" onSubmit={submit} noValidate aria-labelledby="pin-h">
      <h2 id="pin-h" class="visually-hidden">
        {t('pin.title')}
      </h2>
      {done && (
        <p class="flash flash--ok" role="status">
          {t('pin.done')}
        </p>
      )}
      {error && <Alert>{error.text}</Alert>}
      <Field
        label={t('pin.current')}
        type="password"
        value={current}
        onValue={setCurrent}
        invalid={error?.field === 'current'}
        autocomplete="current-password"
        inputMode="numeric"
        required
      />
      <Field
        label={t('pin.new')}
        hint={t('pin.newHint')}
        type="password"
        value={next}
        onValue={setNext}
        invalid={error?.field === 'next'}
        autocomplete="new-password"
        inputMode="numeric"
        required
      />
      <Field
        label={t('pin.repeat')}
        type="password"
        value={repeat}
        onValue={setRepeat}
        invalid={error?.field === 'repeat'}
        autocomplete="new-password"
        inputMode="numeric"
        required
      />
      <button type="submit" class="button button--primary button--block" disabled={busy} aria-busy={busy}>
        {busy ? t('pin.saving') : t('pin.submit')}
      </button>
    </form>
  );
}

export function PinPage() {
  return (
    <div class="page">
      <PageTitle>{t('pin.title')}</PageTitle>
      <p class="lead">{t('pin.intro')}</p>
      <CardGate>{(card) => <PinForm key={card.card} card={card.card} />}</CardGate>
    </div>
  );
}
