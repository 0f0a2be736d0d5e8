// S4 Event QR screen: the event's rotating attendance token as a full-screen QR, fetched again
// when it changes (changes_at).
import { useEffect, useState } from 'preact/hooks';
import { Barcode } from '../components/Barcode';
import { Link } from '../components/Link';
import { useDocumentTitle } from '../hooks';
import { t } from '../i18n';
import { attendanceToken } from '../staffApi';
import { refusalText } from './common';

export function EventQrPage({ eventId }: { eventId: number }) {
  const [token, setToken] = useState<{ token: string; changes_at: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [left, setLeft] = useState(0);
  useDocumentTitle(t('console.qr.title'));

  useEffect(() => {
    let timer = 0;
    let stopped = false;
    const load = async () => {
      try {
        const tok = await attendanceToken(eventId);
        if (stopped) return;
        setToken(tok);
        setError(null);
        const wait = Math.max(500, Date.parse(tok.changes_at) - Date.now() + 300);
        timer = window.setTimeout(load, Math.min(wait, 30_000));
      } catch (err) {
        if (stopped) return;
        setError(refusalText(err));
        timer = window.setTimeout(load, 5_000);
      }
    };
    void load();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [eventId]);

  useEffect(() => {
    const tick = window.setInterval(() => {
      if (token) setLeft(Math.max(0, Math.ceil((Date.parse(token.changes_at) - Date.now()) / 1000)));
    }, 250);
    return () => window.clearInterval(tick);
  }, [token]);

  const fullScreen = () => {
    void document.documentElement.requestFullscreen?.().catch(() => undefined);
  };

  return (
    <div class="qr-screen">
      <h1 class="qr-screen__title">{t('console.qr.heading')}</h1>
      {error && (
        <div role="alert" class="alert alert--error">
          {error}
        </div>
      )}
      {token && <Barcode kind="qrcode" text={token.token} label={t('console.qr.label')} class="qr-screen__code" />}
      {token && (
        <p class="qr-screen__meta" aria-live="off">
          <span class="mono">{token.token}</span>・{t('console.qr.changesIn', { seconds: left })}
        </p>
      )}
      <div class="qr-screen__actions">
        <button type="button" class="button button--quiet button--small" onClick={fullScreen}>
          {t('console.qr.fullScreen')}
        </button>
        <Link href="/staff/events" class="button button--quiet button--small">
          {t('console.qr.back')}
        </Link>
      </div>
    </div>
  );
}
