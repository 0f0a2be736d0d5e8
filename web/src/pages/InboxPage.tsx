// /inbox: the patron's notices (P10): newest first, unread ones marked; opening one marks it read;
// "mark all read"; a link to the notice settings.
import { useEffect, useState } from 'preact/hooks';
import { markAllNoticesRead, markNoticeRead, notices, type Notice } from '../api';
import { Alert, LoadError, Loading } from '../components/Alert';
import { CardGate } from '../components/CardGate';
import { Icon } from '../components/Icon';
import { Link } from '../components/Link';
import { PageTitle } from '../components/PageTitle';
import { errorText } from '../errors';
import { formatDateTime, label, t } from '../i18n';
import { setUnread } from '../inbox';

const PAGE = 30;

function NoticeRow({ n, onOpen }: { n: Notice; onOpen: (n: Notice) => void }) {
  const [open, setOpen] = useState(false);
  const id = `notice-${n.id}`;
  return (
    <li class={n.read ? 'notice-row' : 'notice-row notice-row--unread'}>
      <button
        type="button"
        class="notice-row__head"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => {
          setOpen(!open);
          if (!n.read) onOpen(n);
        }}
      >
        <span class="notice-row__dot" aria-hidden="true" />
        <span class="notice-row__main">
          <span class="notice-row__title">
            {!n.read && <span class="visually-hidden">{t('inbox.new')}：</span>}
            {n.title}
          </span>
          <span class="notice-row__sub">
            {label('noticeKind', n.kind)} · <time dateTime={n.created_at}>{formatDateTime(n.created_at)}</time>
          </span>
        </span>
        <Icon name="chevron" size={18} class={open ? 'notice-row__chev notice-row__chev--open' : 'notice-row__chev'} />
      </button>
      <div id={id} class="notice-row__body" hidden={!open}>
        {n.body}
      </div>
    </li>
  );
}

function Inbox({ card }: { card: string }) {
  const [list, setList] = useState<Notice[] | null>(null);
  const [unread, setUnreadState] = useState(0);
  const [more, setMore] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [error, setError] = useState<string | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [round, setRound] = useState(0);

  useEffect(() => {
    const ctl = new AbortController();
    setList(null);
    setLoadError(null);
    notices(card, { limit: PAGE }, ctl.signal).then(
      (r) => {
        setList(r.notices);
        setUnreadState(r.unread);
        setUnread(card, r.unread);
        setMore(r.notices.length === PAGE);
      },
      (err: unknown) => {
        if (!ctl.signal.aborted) setLoadError(err);
      },
    );
    return () => ctl.abort();
  }, [card, round]);

  const count = (n: number) => {
    setUnreadState(n);
    setUnread(card, n);
  };

  const open = async (n: Notice) => {
    setError(null);
    setList((l) => l?.map((x) => (x.id === n.id ? { ...x, read: true } : x)) ?? l);
    count(Math.max(0, unread - 1));
    try {
      await markNoticeRead(card, n.id);
    } catch (err) {
      setError(errorText(err));
      setList((l) => l?.map((x) => (x.id === n.id ? { ...x, read: false } : x)) ?? l);
      count(unread);
    }
  };

  const readAll = async () => {
    setBusy(true);
    setError(null);
    setFlash(null);
    try {
      await markAllNoticesRead(card);
      setList((l) => l?.map((x) => ({ ...x, read: true })) ?? l);
      count(0);
      setFlash(t('inbox.marked'));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const loadMore = async () => {
    if (!list || list.length === 0) return;
    setBusy(true);
    try {
      const r = await notices(card, { limit: PAGE, before: list[list.length - 1]!.id });
      setList([...list, ...r.notices]);
      setMore(r.notices.length === PAGE);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  if (loadError) return <LoadError text={errorText(loadError)} onRetry={() => setRound((r) => r + 1)} />;
  if (!list) return <Loading />;
  return (
    <>
      <div class="section__head inbox-head">
        <p class="inbox-head__count" role="status">
          {unread > 0 ? t('inbox.unread', { count: unread }) : t('inbox.allRead')}
        </p>
        <button type="button" class="button button--small button--quiet" disabled={busy || unread === 0} onClick={readAll}>
          {t('inbox.markAll')}
        </button>
      </div>
      {flash && (
        <p class="flash flash--ok" role="status">
          {flash}
        </p>
      )}
      {error && <Alert>{error}</Alert>}
      {list.length === 0 ? (
        <div class="empty">
          <Icon name="bell" size={40} class="empty__icon" />
          <p>{t('inbox.empty')}</p>
        </div>
      ) : (
        <ul class="notices" role="list" aria-label={t('inbox.title')}>
          {list.map((n) => (
            <NoticeRow key={n.id} n={n} onOpen={open} />
          ))}
        </ul>
      )}
      {more && (
        <button type="button" class="button button--quiet button--block" disabled={busy} onClick={loadMore}>
          {t('common.loadMore')}
        </button>
      )}
    </>
  );
}

export function InboxPage() {
  return (
    <div class="page">
      <div class="page-head">
        <PageTitle>{t('inbox.title')}</PageTitle>
        <Link href="/account/notices" class="button button--small button--quiet">
          <Icon name="settings" size={18} /> {t('inbox.prefs')}
        </Link>
      </div>
      <CardGate>{(card) => <Inbox key={card.card} card={card.card} />}</CardGate>
    </div>
  );
}
