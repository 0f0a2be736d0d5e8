// A7 Branches (分館與行事曆): the list with each branch's phone checkout switch, a new branch,
// edits (name, switch, weekly closing days) and the branch's holidays. Sysadmins only.
import { useState } from 'preact/hooks';
import { Alert, LoadError, Loading } from '../components/Alert';
import { Field } from '../components/Field';
import { PageTitle } from '../components/PageTitle';
import { useAsync } from '../hooks';
import { formatDate } from '../i18n';
import { branchList, createBranch, setHoliday, updateBranch, type BranchDetail } from '../staffApi';
import { Done, FormActions, refusalText, useSubmit } from './common';
import { sm, type StaffMessageKey } from './messages';
import './admin.css';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 0];
const dayName = (d: number) => sm(`weekday.${d}` as StaffMessageKey);

function Weekdays({ value, onValue }: { value: number[]; onValue: (v: number[]) => void }) {
  return (
    <fieldset class="checks">
      <legend>{sm('branches.closedWeekdays')}</legend>
      {WEEKDAYS.map((d) => (
        <label class="check" key={d}>
          <input type="checkbox" checked={value.includes(d)} onChange={(e) => onValue(e.currentTarget.checked ? [...value, d] : value.filter((x) => x !== d))} />
          {sm('weekday.long', { d: dayName(d) })}
        </label>
      ))}
    </fieldset>
  );
}

function BranchForm({ editing, onSaved, onCancel }: { editing: BranchDetail | null; onSaved: (b: BranchDetail, created: boolean) => void; onCancel: () => void }) {
  const [code, setCode] = useState(editing?.code ?? '');
  const [name, setName] = useState(editing?.name ?? '');
  const [mobile, setMobile] = useState(editing?.mobile_checkout ?? false);
  const [closed, setClosed] = useState<number[]>(editing?.closed_weekdays ?? []);
  const { busy, error, submit } = useSubmit(
    async () => {
      if (editing) {
        onSaved(await updateBranch(editing.code, { name: name.trim(), mobile_checkout: mobile, closed_weekdays: closed }), false);
      } else {
        let b = await createBranch({ code: code.trim(), name: name.trim(), mobile_checkout: mobile });
        if (closed.length) b = await updateBranch(b.code, { closed_weekdays: closed });
        onSaved(b, true);
      }
    },
    () => (!code.trim() || !name.trim() ? sm('branches.required') : null),
  );
  return (
    <form class="form panel" onSubmit={submit} noValidate aria-labelledby="branch-form-h">
      <h2 id="branch-form-h">{editing ? sm('branches.editTitle', { code: editing.code, name: editing.name }) : sm('branches.new')}</h2>
      {error && <Alert>{error}</Alert>}
      <div class="form-grid">
        {!editing && <Field label={sm('branches.fCode')} hint={sm('branches.fCodeHint')} name="code" value={code} onValue={setCode} maxLength={16} autoComplete="off" />}
        <Field label={sm('branches.fName')} name="name" value={name} onValue={setName} maxLength={200} />
        <label class="check">
          <input type="checkbox" checked={mobile} onChange={(e) => setMobile(e.currentTarget.checked)} />
          {sm('branches.fMobile')}
        </label>
        <Weekdays value={closed} onValue={setClosed} />
      </div>
      <FormActions submit={busy ? sm('common.saving') : sm('common.save')} busy={busy} onCancel={onCancel} />
    </form>
  );
}

function Holidays({ branch, onChanged }: { branch: BranchDetail; onChanged: (text: string) => void }) {
  const [day, setDay] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const change = async (d: string, closed: boolean) => {
    if (!d) return setError(sm('branches.dayRequired'));
    setBusy(true);
    setError(null);
    try {
      await setHoliday(branch.code, d, closed, name.trim());
      setDay('');
      setName('');
      onChanged(sm(closed ? 'branches.holidayAdded' : 'branches.holidayRemoved', { day: formatDate(d) }));
    } catch (err) {
      setError(refusalText(err));
    } finally {
      setBusy(false);
    }
  };
  const days = [...branch.holidays].sort();
  return (
    <section class="panel" aria-labelledby="holidays-h">
      <h2 id="holidays-h">{sm('branches.holidaysTitle', { name: branch.name, n: days.length })}</h2>
      {error && <Alert>{error}</Alert>}
      <form
        class="admin-filters"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void change(day, true);
        }}
      >
        <Field label={sm('branches.holidayDay')} type="date" name="day" value={day} onValue={setDay} />
        <Field label={sm('branches.holidayName')} name="holiday-name" value={name} onValue={setName} maxLength={100} />
        <button type="submit" class="button" disabled={busy}>
          {sm('branches.addHoliday')}
        </button>
      </form>
      {days.length === 0 ? (
        <p class="muted">{sm('branches.noHolidays')}</p>
      ) : (
        <ul class="pick-list">
          {days.map((d) => (
            <li key={d}>
              <span>{formatDate(d)}</span>
              <button type="button" class="button button--small button--quiet" disabled={busy} aria-label={sm('branches.removeHoliday', { day: formatDate(d) })} onClick={() => void change(d, false)}>
                {sm('common.delete')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function BranchesPage() {
  const [state, reload] = useAsync((signal) => branchList(signal), []);
  const [mode, setMode] = useState<{ kind: 'none' } | { kind: 'new' } | { kind: 'edit'; code: string } | { kind: 'holidays'; code: string }>({ kind: 'none' });
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const list = state.status === 'ok' ? state.value : [];
  const find = (code: string) => list.find((b) => b.code === code) ?? null;
  const toggle = async (b: BranchDetail) => {
    setError(null);
    try {
      const next = await updateBranch(b.code, { mobile_checkout: !b.mobile_checkout });
      setDone(sm('branches.mobileSwitched', { name: next.name, state: sm(next.mobile_checkout ? 'branches.on' : 'branches.off') }));
      reload();
    } catch (err) {
      setError(refusalText(err));
    }
  };
  const editing = mode.kind === 'edit' ? find(mode.code) : null;
  const calendar = mode.kind === 'holidays' ? find(mode.code) : null;
  return (
    <div class="page">
      <div class="console-head">
        <PageTitle>{sm('branches.title')}</PageTitle>
        {mode.kind === 'none' && (
          <button type="button" class="button button--primary" onClick={() => setMode({ kind: 'new' })}>
            {sm('branches.new')}
          </button>
        )}
      </div>
      <p class="muted">{sm('branches.intro')}</p>
      {done && <Done>{done}</Done>}
      {error && <Alert>{error}</Alert>}
      {(mode.kind === 'new' || editing) && (
        <BranchForm
          key={editing?.code ?? 'new'}
          editing={editing}
          onCancel={() => setMode({ kind: 'none' })}
          onSaved={(b, created) => {
            setDone(sm(created ? 'branches.created' : 'branches.saved', { name: b.name }));
            setMode({ kind: 'none' });
            reload();
          }}
        />
      )}
      {calendar && (
        <Holidays
          key={calendar.code}
          branch={calendar}
          onChanged={(text) => {
            setDone(text);
            reload();
          }}
        />
      )}
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <LoadError text={refusalText(state.error)} onRetry={reload} />}
      {state.status === 'ok' && (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{sm('branches.colCode')}</th>
              <th scope="col">{sm('branches.colName')}</th>
              <th scope="col">{sm('branches.colMobile')}</th>
              <th scope="col">{sm('branches.colClosed')}</th>
              <th scope="col" class="num">{sm('branches.colHolidays')}</th>
              <th scope="col">
                <span class="visually-hidden">{sm('common.edit')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((b) => (
              <tr key={b.code}>
                <td class="mono">{b.code}</td>
                <td>{b.name}</td>
                <td>
                  <button
                    type="button"
                    role="switch"
                    aria-checked={b.mobile_checkout}
                    class={b.mobile_checkout ? 'button button--small' : 'button button--small button--quiet'}
                    aria-label={sm(b.mobile_checkout ? 'branches.turnOff' : 'branches.turnOn', { name: b.name })}
                    onClick={() => void toggle(b)}
                  >
                    {sm(b.mobile_checkout ? 'branches.on' : 'branches.off')}
                  </button>
                </td>
                <td>{[...b.closed_weekdays].sort((x, y) => ((x + 6) % 7) - ((y + 6) % 7)).map(dayName).join('、') || '—'}</td>
                <td class="num">{b.holidays.length}</td>
                <td class="table__actions">
                  <button type="button" class="button button--small button--quiet" aria-label={sm('branches.editFor', { name: b.name })} onClick={() => setMode({ kind: 'edit', code: b.code })}>
                    {sm('common.edit')}
                  </button>
                  <button type="button" class="button button--small button--quiet" aria-label={sm('branches.calendarFor', { name: b.name })} onClick={() => setMode({ kind: 'holidays', code: b.code })}>
                    {sm('branches.colHolidays')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
