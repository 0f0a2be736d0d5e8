// S3/A2 Events (活動): the events list with the attendance QR and backfill filing (補登) for every
// desk role; create and edit for branch admins and sysadmins.
import { useState } from 'preact/hooks';
import { branches, type LibraryEvent, type Staff } from '../api';
import { Alert, LoadError, Loading } from '../components/Alert';
import { Field } from '../components/Field';
import { Link } from '../components/Link';
import { PageTitle } from '../components/PageTitle';
import { useAsync } from '../hooks';
import { formatTimeRange, t } from '../i18n';
import { createEvent, fileBackfill, staffEvents, updateEvent, type Backfill, type EventInput } from '../staffApi';
import { Done, FormActions, fromLocalInput, mayManageEvents, refusalText, SelectField, toLocalInput, useSubmit } from './common';

interface Draft {
  branch: string;
  title: string;
  description: string;
  starts: string;
  ends: string;
  points: string;
  capacity: string;
  cost: string;
  deadline: string;
}

const emptyDraft = (branch: string): Draft => ({
  branch,
  title: '',
  description: '',
  starts: '',
  ends: '',
  points: '1',
  capacity: '0',
  cost: '0',
  deadline: '',
});

const draftOf = (e: LibraryEvent): Draft => ({
  branch: e.branch,
  title: e.title,
  description: e.description,
  starts: toLocalInput(e.starts_at),
  ends: toLocalInput(e.ends_at),
  points: String(e.attendance_points),
  capacity: String(e.capacity),
  cost: String(e.registration_cost),
  deadline: toLocalInput(e.registration_deadline),
});

function EventForm({ staff, editing, onSaved, onCancel }: { staff: Staff; editing: LibraryEvent | null; onSaved: (e: LibraryEvent) => void; onCancel: () => void }) {
  const [all] = useAsync((signal) => (staff.branch ? Promise.resolve([]) : branches(signal)), [staff.branch]);
  const [d, setD] = useState<Draft>(() => (editing ? draftOf(editing) : emptyDraft(staff.branch ?? '')));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const set = (k: keyof Draft) => (v: string) => setD((x) => ({ ...x, [k]: v }));

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!d.title.trim() || !d.starts || !d.ends || !d.branch) {
      setError(t('console.events.required'));
      return;
    }
    const body: EventInput = {
      title: d.title.trim(),
      description: d.description,
      starts_at: fromLocalInput(d.starts) ?? undefined,
      ends_at: fromLocalInput(d.ends) ?? undefined,
      attendance_points: Number(d.points),
      capacity: Number(d.capacity),
      registration_cost: Number(d.cost),
      registration_deadline: fromLocalInput(d.deadline),
    };
    setBusy(true);
    setError(null);
    try {
      onSaved(editing ? await updateEvent(editing.id, body) : await createEvent({ ...body, branch: d.branch }));
    } catch (err) {
      setError(refusalText(err));
    } finally {
      setBusy(false);
    }
  };
  const branchList = all.status === 'ok' ? all.value : [];
  return (
    <form class="form panel" onSubmit={submit} noValidate aria-labelledby="event-form-h">
      <h2 id="event-form-h">{editing ? t('console.events.editTitle', { title: editing.title }) : t('console.events.newTitle')}</h2>
      {error && <Alert>{error}</Alert>}
      <div class="form-grid">
        {!editing && !staff.branch && (
          <SelectField label={t('console.branch')} value={d.branch} onValue={set('branch')}>
            <option value="">{t('console.pickBranch')}</option>
            {branchList.map((b) => (
              <option key={b.code} value={b.code}>
                {b.code}・{b.name}
              </option>
            ))}
          </SelectField>
        )}
        <Field label={t('console.events.fTitle')} name="title" value={d.title} onValue={set('title')} maxLength={300} />
        <Field label={t('console.events.fStarts')} type="datetime-local" name="starts" value={d.starts} onValue={set('starts')} />
        <Field label={t('console.events.fEnds')} type="datetime-local" name="ends" value={d.ends} onValue={set('ends')} />
        <Field label={t('console.events.fPoints')} type="number" min={0} name="points" value={d.points} onValue={set('points')} />
        <Field label={t('console.events.fCapacity')} hint={t('console.events.fCapacityHint')} type="number" min={0} name="capacity" value={d.capacity} onValue={set('capacity')} />
        <Field label={t('console.events.fCost')} type="number" min={0} name="cost" value={d.cost} onValue={set('cost')} />
        <Field label={t('console.events.fDeadline')} hint={t('console.events.fDeadlineHint')} type="datetime-local" name="deadline" value={d.deadline} onValue={set('deadline')} />
        <Field label={t('console.events.fDescription')} name="description" value={d.description} onValue={set('description')} />
      </div>
      <div class="form__actions">
        <button type="submit" class="button button--primary" disabled={busy}>
          {editing ? t('console.save') : t('console.events.create')}
        </button>
        <button type="button" class="button button--quiet" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function BackfillForm({ event, onClose }: { event: LibraryEvent; onClose: () => void }) {
  const [card, setCard] = useState('');
  const [note, setNote] = useState('');
  const [done, setDone] = useState<Backfill | null>(null);
  const { busy, error, submit } = useSubmit(
    async () => {
      setDone(null);
      setDone(await fileBackfill(event.id, card.trim(), note.trim()));
      setCard('');
      setNote('');
    },
    () => (!card.trim() || !note.trim() ? t('console.backfill.required') : null),
  );
  return (
    <form class="form panel" onSubmit={submit} noValidate aria-labelledby="bf-h">
      <h2 id="bf-h">{t('console.backfill.fileTitle', { title: event.title })}</h2>
      {error && <Alert>{error}</Alert>}
      {done && (
        <Done>
          {done.status === 'approved'
            ? t('console.backfill.filedApproved', { card: done.card })
            : t('console.backfill.filed', { card: done.card })}
        </Done>
      )}
      <div class="form-grid">
        <Field label={t('console.card')} name="card" value={card} onValue={setCard} autocomplete="off" spellcheck={false} />
        <Field label={t('console.backfill.note')} hint={t('console.backfill.noteHint')} name="note" value={note} onValue={setNote} maxLength={1000} />
      </div>
      <FormActions submit={t('console.backfill.file')} busy={busy} onCancel={onClose} cancel={t('console.close')} />
    </form>
  );
}

export function EventsAdminPage({ staff }: { staff: Staff }) {
  const [state, reload] = useAsync((signal) => staffEvents(signal), []);
  const [mode, setMode] = useState<{ kind: 'none' } | { kind: 'new' } | { kind: 'edit'; event: LibraryEvent } | { kind: 'backfill'; event: LibraryEvent }>({ kind: 'none' });
  const [saved, setSaved] = useState<string | null>(null);
  const manage = mayManageEvents(staff);
  const mine = (e: LibraryEvent) => staff.branch === null || e.branch === staff.branch;

  return (
    <div class="page">
      <div class="console-head">
        <PageTitle>{t('console.events.title')}</PageTitle>
        {manage && mode.kind === 'none' && (
          <button type="button" class="button button--primary" onClick={() => setMode({ kind: 'new' })}>
            {t('console.events.new')}
          </button>
        )}
      </div>
      {saved && <Done>{saved}</Done>}
      {(mode.kind === 'new' || mode.kind === 'edit') && (
        <EventForm
          key={mode.kind === 'edit' ? mode.event.id : 'new'}
          staff={staff}
          editing={mode.kind === 'edit' ? mode.event : null}
          onCancel={() => setMode({ kind: 'none' })}
          onSaved={(e) => {
            setSaved(t('console.events.saved', { title: e.title }));
            setMode({ kind: 'none' });
            reload();
          }}
        />
      )}
      {mode.kind === 'backfill' && <BackfillForm key={mode.event.id} event={mode.event} onClose={() => setMode({ kind: 'none' })} />}
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <LoadError text={refusalText(state.error)} onRetry={reload} />}
      {state.status === 'ok' &&
        (state.value.length === 0 ? (
          <p class="muted">{t('console.events.none')}</p>
        ) : (
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t('console.events.fTitle')}</th>
                <th scope="col">{t('console.branch')}</th>
                <th scope="col">{t('console.events.colTime')}</th>
                <th scope="col">{t('console.events.fPoints')}</th>
                <th scope="col">{t('console.events.colTaken')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('console.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {state.value.map((e) => (
                <tr key={e.id}>
                  <td>{e.title}</td>
                  <td>{e.branch}</td>
                  <td>{formatTimeRange(e.starts_at, e.ends_at)}</td>
                  <td>{e.attendance_points}</td>
                  <td>
                    {t('console.events.taken', { reg: e.registrations, cap: e.capacity === 0 ? '∞' : e.capacity, credits: e.credits })}
                  </td>
                  <td class="table__actions">
                    {mine(e) && (
                      <Link class="button button--small button--quiet" href={`/staff/events/${e.id}/qr`} aria-label={t('console.events.qrFor', { title: e.title })}>
                        {t('console.events.qr')}
                      </Link>
                    )}
                    {mine(e) && (
                      <button type="button" class="button button--small button--quiet" onClick={() => setMode({ kind: 'backfill', event: e })} aria-label={t('console.backfill.fileFor', { title: e.title })}>
                        {t('console.backfill.file')}
                      </button>
                    )}
                    {manage && mine(e) && (
                      <button type="button" class="button button--small button--quiet" onClick={() => setMode({ kind: 'edit', event: e })} aria-label={t('console.events.editFor', { title: e.title })}>
                        {t('console.edit')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </div>
  );
}
