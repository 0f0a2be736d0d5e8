// /events: library events not over yet (P8), with attendance points, capacity and the registration
// cost in points; register (paying in points where asked) or cancel a registration.
import { useEffect, useState } from 'preact/hooks';
import {
  ApiError,
  cancelRegistration,
  events as fetchEvents,
  registerForEvent,
  registrations as fetchRegistrations,
  type LibraryEvent,
  type Registration,
} from '../api';
import { Alert, LoadError, Loading } from '../components/Alert';
import { CardGate } from '../components/CardGate';
import { Icon } from '../components/Icon';
import { Link } from '../components/Link';
import { PageTitle } from '../components/PageTitle';
import { errorText } from '../errors';
import { useAsync } from '../hooks';
import { codeText, formatDateTime, formatTimeRange, t } from '../i18n';
import { useBranches } from '../patron';

function EventCard({ ev, card, registered, onChanged }: { ev: LibraryEvent; card: string; registered: boolean; onChanged: () => void }) {
  const branches = useBranches();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const closes = ev.registration_deadline ?? ev.starts_at;
  const open = Date.parse(closes) > Date.now();
  const full = ev.capacity > 0 && ev.registrations >= ev.capacity;
  const act = async () => {
    setBusy(true);
    setError(null);
    setNote(null);
    try {
      if (registered) {
        const r = await cancelRegistration(card, ev.id);
        setNote(r.cost > 0 ? t('events.cancelledRefund', { points: r.cost }) : t('events.cancelled'));
      } else {
        const r = await registerForEvent(card, ev.id);
        setNote(r.cost > 0 ? t('events.registeredPaid', { points: r.cost, balance: r.balance }) : t('events.registered'));
      }
      onChanged();
    } catch (err) {
      setError(err instanceof ApiError && err.status === 409 ? codeText(err.code, err.message) : errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const headingId = `event-${ev.id}`;
  return (
    <li class="event" aria-labelledby={headingId}>
      <p class="event__when">
        <Icon name="calendar" size={18} /> {formatTimeRange(ev.starts_at, ev.ends_at)}
      </p>
      <h3 class="event__title" id={headingId}>
        {ev.title}
      </h3>
      <p class="event__where">{branches.name(ev.branch)}</p>
      {ev.description && <p class="event__desc">{ev.description}</p>}
      <p class="event__tags">
        {ev.attendance_points > 0 && <span class="badge badge--ok">{t('events.points', { points: ev.attendance_points })}</span>}
        <span class="badge">{ev.registration_cost > 0 ? t('events.cost', { points: ev.registration_cost }) : t('events.free')}</span>
        {ev.capacity > 0 && <span class="badge">{t('events.capacity', { taken: ev.registrations, capacity: ev.capacity })}</span>}
      </p>
      <p class="event__sub">{t('events.deadline', { time: formatDateTime(closes) })}</p>
      {error && <Alert>{error}</Alert>}
      {note && (
        <p class="flash flash--ok" role="status">
          {note}
        </p>
      )}
      <div class="item__actions">
        {registered && <span class="badge badge--ok">{t('events.youAreIn')}</span>}
        {registered ? (
          <button type="button" class="button button--small button--quiet" disabled={busy || !open} onClick={act}>
            {t('events.cancel')}
          </button>
        ) : (
          <button
            type="button"
            class="button button--small button--primary"
            disabled={busy || !open || full}
            aria-label={t('events.registerTitle', { title: ev.title })}
            onClick={act}
          >
            {!open ? t('events.closed') : full ? t('events.full') : ev.registration_cost > 0 ? t('events.registerPaid', { points: ev.registration_cost }) : t('events.register')}
          </button>
        )}
      </div>
    </li>
  );
}

function Events({ card }: { card: string }) {
  const [state, reload] = useAsync(
    (signal) => Promise.all([fetchEvents(signal), fetchRegistrations(card, signal)]),
    [card],
  );
  // Keep the last answer on screen while a reload runs, so a card's message stays put.
  const [last, setLast] = useState<[LibraryEvent[], Registration[]] | null>(null);
  useEffect(() => {
    if (state.status === 'ok') setLast(state.value);
  }, [state]);
  const value = state.status === 'ok' ? state.value : last;
  if (!value) {
    if (state.status === 'error') return <LoadError text={errorText(state.error)} onRetry={reload} />;
    return <Loading />;
  }
  const [list, regs] = value;
  const mine = new Set(regs.filter((r) => r.status === 'registered').map((r) => r.event_id));
  return list.length === 0 ? (
    <p class="empty-line">{t('events.none')}</p>
  ) : (
    <ul class="events" role="list">
      {list.map((ev) => (
        <EventCard key={ev.id} ev={ev} card={card} registered={mine.has(ev.id)} onChanged={reload} />
      ))}
    </ul>
  );
}

export function EventsPage() {
  return (
    <div class="page">
      <PageTitle>{t('events.title')}</PageTitle>
      <p class="lead">
        {t('events.intro')} <Link href="/passbook/claim">{t('events.claimLink')}</Link>
      </p>
      <CardGate>{(card) => <Events key={card.card} card={card.card} />}</CardGate>
    </div>
  );
}
