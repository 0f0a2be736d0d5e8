// A7 Policy (借閱與點數規則): loan, hold, suspension and points rules, grouped and explained, saved
// as one PATCH /policy; a refusal names the field the server rejected. Sysadmins only.
import { useEffect, useState } from 'preact/hooks';
import { Alert, LoadError, Loading } from '../components/Alert';
import { Field } from '../components/Field';
import { PageTitle } from '../components/PageTitle';
import { useAsync } from '../hooks';
import { policy, updatePolicy, type Policy } from '../staffApi';
import { Done, refusalField, refusalText } from './common';
import { sm, type StaffMessageKey } from './messages';
import './admin.css';

const TYPES = ['personal', 'family', 'group'] as const;
type CardTypeKey = (typeof TYPES)[number];
const LIMITS = [
  ['max_loans', 'policy.maxLoans'],
  ['loan_days', 'policy.loanDays'],
  ['max_renewals', 'policy.maxRenewals'],
  ['max_holds', 'policy.maxHolds'],
] as const;

type Draft = Record<string, string | boolean>;

function draftOf(p: Policy): Draft {
  const d: Draft = {
    pickup_days: String(p.pickup_days),
    no_show_limit: String(p.no_show_limit),
    no_show_window_days: String(p.no_show_window_days),
    no_show_suspension_days: String(p.no_show_suspension_days),
    'points.per_loan.counter': String(p.points.per_loan.counter),
    'points.per_loan.kiosk': String(p.points.per_loan.kiosk),
    'points.per_loan.mobile': String(p.points.per_loan.mobile),
    'points.daily_cap': String(p.points.daily_cap),
    'points.monthly_cap': String(p.points.monthly_cap),
    'points.no_points_item_types': p.points.no_points_item_types.join(', '),
    backfill_second_person: p.backfill_second_person,
  };
  for (const t of TYPES) {
    for (const [k] of LIMITS) d[`card_types.${t}.${k}`] = String(p.card_types[t][k]);
    d[`card_types.${t}.earns_points`] = p.card_types[t].earns_points;
  }
  return d;
}

/** The label of a draft (and API) field, for refusals that name it. */
function fieldLabel(field: string): string {
  const m = /^card_types\.(personal|family|group)(?:\.(\w+))?$/.exec(field);
  if (m) {
    const limit = LIMITS.find(([k]) => k === m[2]);
    const type = sm(`policy.type.${m[1]}` as StaffMessageKey);
    return limit ? `${type}・${sm(limit[1])}` : type;
  }
  const keys: Record<string, StaffMessageKey> = {
    pickup_days: 'policy.pickupDays',
    no_show_limit: 'policy.noShowLimit',
    no_show_window_days: 'policy.noShowWindow',
    no_show_suspension_days: 'policy.noShowSuspension',
    'points.per_loan.counter': 'policy.perLoanCounter',
    'points.per_loan.kiosk': 'policy.perLoanKiosk',
    'points.per_loan.mobile': 'policy.perLoanMobile',
    'points.daily_cap': 'policy.dailyCap',
    'points.monthly_cap': 'policy.monthlyCap',
    'points.no_points_item_types': 'policy.noPointsTypes',
    points: 'policy.points',
    max_loans: 'policy.maxLoans',
    loan_days: 'policy.loanDays',
    max_renewals: 'policy.maxRenewals',
    max_holds: 'policy.maxHolds',
  };
  // The server names fields of nested objects by their last part (e.g. "counter", "daily_cap").
  const key = keys[field] ?? keys[`points.${field}`] ?? keys[`points.per_loan.${field}`];
  return key ? sm(key) : field;
}

export function PolicyPage() {
  const [state, reload] = useAsync((signal) => policy(signal), []);
  const [d, setD] = useState<Draft | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; field: string | null } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  useEffect(() => {
    if (state.status === 'ok') setD(draftOf(state.value));
  }, [state]);

  if (state.status === 'loading' || (state.status === 'ok' && !d)) return <Loading />;
  if (state.status === 'error') return <LoadError text={refusalText(state.error)} onRetry={reload} />;
  const draft = d!;
  const set = (k: string) => (v: string | boolean) => setD((x) => ({ ...x!, [k]: v }));
  const num = (k: string, labelKey: StaffMessageKey, hint?: StaffMessageKey) => (
    <Field key={k} label={sm(labelKey)} hint={hint ? sm(hint) : undefined} type="number" min={0} inputMode="numeric" name={k} value={String(draft[k])} onValue={set(k)} invalid={error?.field === k} />
  );
  const check = (k: string, labelKey: StaffMessageKey) => (
    <label class="check" key={k}>
      <input type="checkbox" checked={draft[k] === true} onChange={(e) => set(k)(e.currentTarget.checked)} />
      {sm(labelKey)}
    </label>
  );

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setDone(null);
    // Whole numbers only; ranges are the server's to judge (its refusal names the field).
    const bad = Object.entries(draft).find(([k, v]) => typeof v === 'string' && k !== 'points.no_points_item_types' && !/^\d+$/.test(v.trim()));
    if (bad) {
      setError({ text: sm('policy.fieldError', { field: fieldLabel(bad[0]), text: sm('policy.integer') }), field: bad[0] });
      return;
    }
    const n = (k: string) => Number(String(draft[k]).trim());
    const cardTypes: Record<string, unknown> = {};
    for (const t of TYPES) {
      const o: Record<string, unknown> = { earns_points: draft[`card_types.${t}.earns_points`] === true };
      for (const [k] of LIMITS) o[k] = n(`card_types.${t}.${k}`);
      cardTypes[t] = o;
    }
    const body = {
      card_types: cardTypes,
      pickup_days: n('pickup_days'),
      no_show_limit: n('no_show_limit'),
      no_show_window_days: n('no_show_window_days'),
      no_show_suspension_days: n('no_show_suspension_days'),
      backfill_second_person: draft.backfill_second_person === true,
      points: {
        per_loan: { counter: n('points.per_loan.counter'), kiosk: n('points.per_loan.kiosk'), mobile: n('points.per_loan.mobile') },
        daily_cap: n('points.daily_cap'),
        monthly_cap: n('points.monthly_cap'),
        no_points_item_types: String(draft['points.no_points_item_types'])
          .split(/[,，、\s]+/)
          .map((x) => x.trim())
          .filter(Boolean),
      },
    };
    setBusy(true);
    setError(null);
    try {
      setD(draftOf(await updatePolicy(body)));
      setDone(sm('policy.saved'));
    } catch (err) {
      const field = refusalField(err);
      setError({ text: field ? sm('policy.fieldError', { field: fieldLabel(field), text: refusalText(err) }) : refusalText(err), field });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="page">
      <PageTitle>{sm('policy.title')}</PageTitle>
      <p class="muted">{sm('policy.intro')}</p>
      <form class="stack" onSubmit={submit} noValidate>
        {done && <Done>{done}</Done>}
        {error && <Alert>{error.text}</Alert>}
        <fieldset class="admin-fieldset">
          <legend>{sm('policy.cardTypes')}</legend>
          <div class="admin-two" style={{ gridTemplateColumns: 'repeat(3, minmax(12rem, 1fr))' }}>
            {TYPES.map((t: CardTypeKey) => (
              <fieldset class="admin-fieldset" key={t}>
                <legend>{sm(`policy.type.${t}` as StaffMessageKey)}</legend>
                {LIMITS.map(([k, l]) => (
                  <Field
                    key={k}
                    label={sm(l)}
                    aria-label={`${sm(`policy.type.${t}` as StaffMessageKey)}・${sm(l)}`}
                    type="number"
                    min={0}
                    inputMode="numeric"
                    name={`${t}.${k}`}
                    value={String(draft[`card_types.${t}.${k}`])}
                    onValue={set(`card_types.${t}.${k}`)}
                    invalid={error?.field === `card_types.${t}.${k}` || error?.field === t}
                  />
                ))}
                {check(`card_types.${t}.earns_points`, 'policy.earnsPoints')}
              </fieldset>
            ))}
          </div>
        </fieldset>
        <fieldset class="admin-fieldset">
          <legend>{sm('policy.holds')}</legend>
          <div class="form-grid">
            {num('pickup_days', 'policy.pickupDays', 'policy.pickupDaysHint')}
            {num('no_show_limit', 'policy.noShowLimit', 'policy.noShowLimitHint')}
            {num('no_show_window_days', 'policy.noShowWindow')}
            {num('no_show_suspension_days', 'policy.noShowSuspension')}
          </div>
        </fieldset>
        <fieldset class="admin-fieldset">
          <legend>{sm('policy.points')}</legend>
          <div class="form-grid">
            {num('points.per_loan.counter', 'policy.perLoanCounter')}
            {num('points.per_loan.kiosk', 'policy.perLoanKiosk')}
            {num('points.per_loan.mobile', 'policy.perLoanMobile')}
            {num('points.daily_cap', 'policy.dailyCap', 'policy.capHint')}
            {num('points.monthly_cap', 'policy.monthlyCap', 'policy.capHint')}
            <Field label={sm('policy.noPointsTypes')} hint={sm('policy.noPointsTypesHint')} name="no_points_item_types" value={String(draft['points.no_points_item_types'])} onValue={set('points.no_points_item_types')} />
          </div>
        </fieldset>
        <fieldset class="admin-fieldset">
          <legend>{sm('policy.backfill')}</legend>
          {check('backfill_second_person', 'policy.backfillSecond')}
        </fieldset>
        <div class="form__actions">
          <button type="submit" class="button button--primary" disabled={busy} aria-busy={busy}>
            {busy ? sm('common.saving') : sm('common.save')}
          </button>
        </div>
      </form>
    </div>
  );
}
