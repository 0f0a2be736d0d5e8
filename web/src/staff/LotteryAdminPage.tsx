// A4 Lottery (抽獎): define a draw, freeze its list (list hash and secret hash published), draw
// with the named public value, disqualify a winner at the check, publish (secret revealed).
import { useState } from 'preact/hooks';
import { Alert, LoadError, Loading } from '../components/Alert';
import { Field } from '../components/Field';
import { PageTitle } from '../components/PageTitle';
import { useAsync } from '../hooks';
import { formatDate, label, t } from '../i18n';
import {
  createLottery,
  disqualifyWinner,
  drawLottery,
  freezeLottery,
  lotteries,
  publishLottery,
  type Lottery,
} from '../staffApi';
import { Done, refusalText } from './common';

const CARD_TYPES = ['personal', 'family', 'group'] as const;

function NewLottery({ onSaved, onCancel }: { onSaved: (l: Lottery) => void; onCancel: () => void }) {
  const [title, setTitle] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [minLoans, setMinLoans] = useState('1');
  const [types, setTypes] = useState<string[]>(['personal']);
  const [prizes, setPrizes] = useState('');
  const [publicName, setPublicName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    // One prize a line: "name × quantity" (or "name, quantity").
    const list = prizes
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => {
        const m = /^(.*?)[\s×x*,，]+(\d+)$/.exec(l);
        return m ? { name: m[1]!.trim(), quantity: Number(m[2]) } : { name: l, quantity: 1 };
      });
    if (!title.trim() || !from || !to || list.length === 0 || types.length === 0) {
      setError(t('console.lottery.required'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onSaved(
        await createLottery({
          title: title.trim(),
          period_from: from,
          period_to: to,
          min_loans: Number(minLoans || '0'),
          card_types: types,
          prizes: list,
          public_value_name: publicName.trim(),
        }),
      );
    } catch (err) {
      setError(refusalText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="form panel" onSubmit={submit} noValidate aria-labelledby="lot-new-h">
      <h2 id="lot-new-h">{t('console.lottery.newTitle')}</h2>
      {error && <Alert>{error}</Alert>}
      <div class="form-grid">
        <Field label={t('console.lottery.fTitle')} name="title" value={title} onValue={setTitle} />
        <Field label={t('console.lottery.fFrom')} type="date" name="from" value={from} onValue={setFrom} />
        <Field label={t('console.lottery.fTo')} type="date" name="to" value={to} onValue={setTo} />
        <Field label={t('console.lottery.fMinLoans')} type="number" min={0} name="min_loans" value={minLoans} onValue={setMinLoans} />
        <fieldset class="field checks">
          <legend>{t('console.lottery.fCardTypes')}</legend>
          {CARD_TYPES.map((c) => (
            <label key={c} class="check">
              <input
                type="checkbox"
                checked={types.includes(c)}
                onChange={(e) => setTypes((ts) => (e.currentTarget.checked ? [...ts, c] : ts.filter((x) => x !== c)))}
              />
              {label('cardType', c)}
            </label>
          ))}
        </fieldset>
        <Field label={t('console.lottery.fPublicName')} hint={t('console.lottery.fPublicNameHint')} name="public_value_name" value={publicName} onValue={setPublicName} />
        <div class="field field--wide">
          <label for="lot-prizes">{t('console.lottery.fPrizes')}</label>
          <p id="lot-prizes-hint" class="field__hint">
            {t('console.lottery.fPrizesHint')}
          </p>
          <textarea id="lot-prizes" name="prizes" rows={3} value={prizes} onInput={(e) => setPrizes(e.currentTarget.value)} aria-describedby="lot-prizes-hint" />
        </div>
      </div>
      <div class="form__actions">
        <button type="submit" class="button button--primary" disabled={busy}>
          {t('console.lottery.create')}
        </button>
        <button type="button" class="button button--quiet" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function LotteryCard({ lottery, onChange }: { lottery: Lottery; onChange: (l: Lottery) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [publicValue, setPublicValue] = useState('');
  const [dqToken, setDqToken] = useState('');
  const [dqReason, setDqReason] = useState('');
  const l = lottery;
  const step = async (fn: () => Promise<Lottery>) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      onChange(await fn());
    } catch (err) {
      setError(refusalText(err));
    } finally {
      setBusy(false);
    }
  };
  const winners = l.prizes.reduce((n, p) => n + p.quantity, 0);
  return (
    <section class="panel lottery" aria-labelledby={`lot-${l.id}`}>
      <div class="console-head">
        <h2 id={`lot-${l.id}`}>{l.title}</h2>
        <span class={`badge badge--${l.status}`}>{label('console.lottery.status', l.status)}</span>
      </div>
      {error && <Alert>{error}</Alert>}
      <dl class="facts facts--wide">
        <dt>{t('console.lottery.period')}</dt>
        <dd>
          {formatDate(l.period_from)} – {formatDate(l.period_to)}
        </dd>
        <dt>{t('console.lottery.rule')}</dt>
        <dd>{t('console.lottery.ruleText', { n: l.min_loans, types: l.card_types.map((c) => label('cardType', c)).join('、') })}</dd>
        <dt>{t('console.lottery.prizes')}</dt>
        <dd>{l.prizes.map((p) => `${p.name} × ${p.quantity}`).join('、')}</dd>
        <dt>{t('console.lottery.entries')}</dt>
        <dd>{l.status === 'defined' ? '—' : l.entries}</dd>
        <dt>{t('console.lottery.listHash')}</dt>
        <dd class="mono hash" data-testid="list-hash">{l.list_sha256 ?? '—'}</dd>
        <dt>{t('console.lottery.secretHash')}</dt>
        <dd class="mono hash" data-testid="secret-hash">{l.secret_sha256 ?? '—'}</dd>
        {l.public_value_name && (
          <>
            <dt>{t('console.lottery.publicValue', { name: l.public_value_name })}</dt>
            <dd class="mono">{l.public_value ?? '—'}</dd>
          </>
        )}
        {l.secret && (
          <>
            <dt>{t('console.lottery.secret')}</dt>
            <dd class="mono hash">{l.secret}</dd>
          </>
        )}
        {l.status !== 'defined' && (
          <>
            <dt>{t('console.lottery.list')}</dt>
            <dd>
              <a href={`/api/v1/lotteries/${l.id}/list`} target="_blank" rel="noopener">
                {t('console.lottery.listLink')}
              </a>
            </dd>
          </>
        )}
      </dl>
      {l.status === 'defined' && (
        <button type="button" class="button button--primary button--start" disabled={busy} onClick={() => step(() => freezeLottery(l.id))}>
          {t('console.lottery.freeze')}
        </button>
      )}
      {l.status === 'frozen' && (
        <form
          class="form form--row"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void step(() => drawLottery(l.id, publicValue.trim()));
          }}
        >
          {l.public_value_name && (
            <Field label={t('console.lottery.publicValue', { name: l.public_value_name })} name="public_value" value={publicValue} onValue={setPublicValue} spellcheck={false} />
          )}
          <button type="submit" class="button button--primary" disabled={busy}>
            {t('console.lottery.draw', { n: winners })}
          </button>
        </form>
      )}
      {l.results.length > 0 && (
        <table class="table">
          <caption>{t('console.lottery.results')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('console.lottery.rank')}</th>
              <th scope="col">{t('console.lottery.token')}</th>
              <th scope="col">{t('console.lottery.prize')}</th>
              <th scope="col">{t('console.lottery.resultStatus')}</th>
            </tr>
          </thead>
          <tbody>
            {l.results.map((r) => (
              <tr key={`${r.rank}-${r.token}`} class={r.status === 'disqualified' ? 'row--muted' : undefined}>
                <td>{r.rank + 1}</td>
                <td class="mono winner-token">{r.token}</td>
                <td>{r.prize ?? '—'}</td>
                <td>
                  {label('console.lottery.result', r.status)}
                  {r.reason && `（${r.reason}）`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {l.status === 'drawn' && (
        <>
          <form
            class="form form--row"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              if (!dqToken.trim() || !dqReason.trim()) {
                setError(t('console.lottery.dqRequired'));
                return;
              }
              void step(() => disqualifyWinner(l.id, dqToken.trim(), dqReason.trim())).then(() => {
                setDqToken('');
                setDqReason('');
              });
            }}
          >
            <Field label={t('console.lottery.dqToken')} name="dq_token" value={dqToken} onValue={setDqToken} spellcheck={false} />
            <Field label={t('console.lottery.dqReason')} name="dq_reason" value={dqReason} onValue={setDqReason} maxLength={500} />
            <button type="submit" class="button button--danger" disabled={busy}>
              {t('console.lottery.disqualify')}
            </button>
          </form>
          <button type="button" class="button button--primary button--start" disabled={busy} onClick={() => step(() => publishLottery(l.id))}>
            {t('console.lottery.publish')}
          </button>
        </>
      )}
    </section>
  );
}

export function LotteryAdminPage() {
  const [state, reload] = useAsync((signal) => lotteries(signal), []);
  const [creating, setCreating] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [local, setLocal] = useState<Record<number, Lottery>>({});
  return (
    <div class="page">
      <div class="console-head">
        <PageTitle>{t('console.lottery.title')}</PageTitle>
        {!creating && (
          <button type="button" class="button button--primary" onClick={() => setCreating(true)}>
            {t('console.lottery.new')}
          </button>
        )}
      </div>
      {saved && <Done>{saved}</Done>}
      {creating && (
        <NewLottery
          onCancel={() => setCreating(false)}
          onSaved={(l) => {
            setSaved(t('console.lottery.saved', { title: l.title }));
            setCreating(false);
            reload();
          }}
        />
      )}
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <LoadError text={refusalText(state.error)} onRetry={reload} />}
      {state.status === 'ok' &&
        (state.value.length === 0 ? (
          <p class="muted">{t('console.lottery.none')}</p>
        ) : (
          state.value.map((l) => <LotteryCard key={l.id} lottery={local[l.id] ?? l} onChange={(n) => setLocal((m) => ({ ...m, [n.id]: n }))} />)
        ))}
    </div>
  );
}
