// /passbook/redemptions/:id: the redemption code, full screen (兌換條碼). The app computes the value
// itself from code_key (otp.ts, docs/passbook.md), corrected for this phone's clock skew, so it
// keeps changing every 30 s for the whole five minutes with the network off. While online it asks
// the server every few seconds and turns into "兌換完成" when the counter completes it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, cancelRedemption, passbook, redemption as fetchRedemption, redemptionCode, type Redemption } from '../api';
import { Alert, Loading } from '../components/Alert';
import { Barcode } from '../components/Barcode';
import { Icon } from '../components/Icon';
import { Link } from '../components/Link';
import { PageTitle } from '../components/PageTitle';
import { errorText } from '../errors';
import { useScreenWakeLock } from '../hooks';
import { formatDateTime, label, t } from '../i18n';
import { canComputeCodes, importCodeKey, otpAt, redemptionCodeText, stepAt } from '../otp';
import { usePatron, useBranches } from '../patron';
import { forgetRedemption, storedRedemption, type StoredRedemption } from '../redemptions';
import { navigate } from '../router';

const POLL_MS = 3000;

/** Ticks every quarter second; returns Date.now(). */
function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);
  return now;
}

function useOnline(): boolean {
  const [online, setOnline] = useState(typeof navigator === 'undefined' ? true : navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

function mmss(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The code of the current step, computed locally (or, without WebCrypto, asked of the server). */
function useRotatingCode(r: StoredRedemption, serverNow: number, online: boolean): string | null {
  const step = stepAt(serverNow, Date.parse(r.created_at), r.step_seconds);
  const [code, setCode] = useState<{ step: number; text: string } | null>(null);
  const key = useRef<Promise<CryptoKey> | null>(null);
  useEffect(() => {
    let live = true;
    if (canComputeCodes()) {
      key.current ??= importCodeKey(r.code_key);
      key.current
        .then((k) => otpAt(k, step))
        .then((otp) => {
          if (live) setCode({ step, text: redemptionCodeText(r.id, otp) });
        })
        .catch(() => undefined);
    } else if (online) {
      redemptionCode(r.card, r.id).then(
        (c) => live && setCode({ step, text: c.code }),
        () => undefined,
      );
    }
    return () => {
      live = false;
    };
  }, [r.id, step]);
  return code?.text ?? null;
}

type Outcome = { status: 'completed'; balance: number | null } | { status: 'cancelled' | 'expired' } | null;

function CodeView({ r }: { r: StoredRedemption }) {
  const branches = useBranches();
  const online = useOnline();
  const now = useNow();
  const serverNow = now + r.skew_ms;
  const created = Date.parse(r.created_at);
  const expires = Date.parse(r.expires_at);
  const left = expires - serverNow;
  const step = stepAt(serverNow, created, r.step_seconds);
  const nextChange = created + (step + 1) * r.step_seconds * 1000 - serverNow;
  const code = useRotatingCode(r, serverNow, online);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [cancelBusy, setCancelBusy] = useState(false);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // Ask the server how it stands every few seconds (a failed ask just means offline for now);
  // a completed one shows the new balance.
  const [reachable, setReachable] = useState(true);
  useEffect(() => {
    if (outcome) return;
    let live = true;
    const check = async () => {
      try {
        const red: Redemption = await fetchRedemption(r.card, r.id);
        if (!live) return;
        setReachable(true);
        if (red.status === 'completed') {
          let balance: number | null = null;
          try {
            balance = (await passbook(r.card)).balance;
          } catch {
            balance = null;
          }
          forgetRedemption(r.id);
          if (live) setOutcome({ status: 'completed', balance });
        } else if (red.status === 'cancelled' || red.status === 'expired') {
          forgetRedemption(r.id);
          setOutcome({ status: red.status });
        }
      } catch (err) {
        if (live && err instanceof ApiError && err.status === 0) setReachable(false);
      }
    };
    void check();
    const timer = setInterval(check, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [outcome, r.id]);
  const offline = !online || !reachable;

  const cancel = async () => {
    setCancelBusy(true);
    setError(null);
    try {
      await cancelRedemption(r.card, r.id);
      forgetRedemption(r.id);
      setOutcome({ status: 'cancelled' });
    } catch (err) {
      setError(errorText(err));
      setCancelBusy(false);
    }
  };

  if (outcome?.status === 'completed') {
    return (
      <div class="codeview codeview--done">
        <div class="done-mark" aria-hidden="true">
          <Icon name="check" size={56} />
        </div>
        <PageTitle>{t('code.done')}</PageTitle>
        <p class="codeview__prize">{r.prize_name}</p>
        <dl class="facts facts--center">
          <dt>{t('code.pointsUsed')}</dt>
          <dd>{t('points.n', { points: r.cost })}</dd>
          <dt>{t('code.balanceNow')}</dt>
          <dd>{t('points.n', { points: outcome.balance ?? r.balance })}</dd>
        </dl>
        <Link href="/passbook" class="button button--primary button--block">
          {t('code.backToPassbook')}
        </Link>
      </div>
    );
  }
  if (outcome?.status === 'cancelled' || (outcome === null && left <= 0)) {
    const cancelled = outcome?.status === 'cancelled';
    return (
      <div class="codeview codeview--over">
        <PageTitle>{cancelled ? t('code.cancelled') : t('code.expired')}</PageTitle>
        <p>{cancelled ? t('code.cancelledNote', { points: r.cost }) : t('code.expiredNote', { points: r.cost })}</p>
        <Link href="/passbook/prizes" class="button button--primary button--block">
          {t('code.backToPrizes')}
        </Link>
      </div>
    );
  }
  if (outcome?.status === 'expired') {
    return (
      <div class="codeview codeview--over">
        <PageTitle>{t('code.expired')}</PageTitle>
        <p>{t('code.expiredNote', { points: r.cost })}</p>
        <Link href="/passbook/prizes" class="button button--primary button--block">
          {t('code.backToPrizes')}
        </Link>
      </div>
    );
  }

  const stepFraction = Math.min(1, Math.max(0, nextChange / (r.step_seconds * 1000)));
  return (
    <div class="codeview">
      <div class="codeview__top">
        <Link href="/passbook/redemptions" class="codeview__close" aria-label={t('code.close')}>
          <Icon name="back" size={22} />
        </Link>
        <PageTitle>{t('code.title')}</PageTitle>
        {offline && (
          <span class="offline-badge" role="status">
            <Icon name="wifiOff" size={16} /> {t('code.offline')}
          </span>
        )}
      </div>
      <p class="codeview__prize">{r.prize_name}</p>
      <p class="codeview__where">
        {t('code.where', { branch: branches.name(r.branch), points: r.cost })}
      </p>
      <div class="codeview__codes">
        {code ? (
          <>
            <Barcode kind="code128" text={code} label={t('code.barcodeLabel', { code })} />
            <p class="codeview__text" aria-live="polite">
              <span class="visually-hidden">{t('code.valueLabel')}</span>
              <output class="codeview__value">{code}</output>
            </p>
            <Barcode kind="qrcode" text={code} label={t('code.qrLabel', { code })} />
          </>
        ) : (
          <Loading />
        )}
      </div>
      <div class="timer" role="timer" aria-label={t('code.timeLeftLabel')}>
        <Icon name="clock" size={20} />
        <span class="timer__value">{mmss(left)}</span>
        <span class="timer__note">{t('code.validUntil', { time: formatDateTime(r.expires_at, true) })}</span>
      </div>
      <div class="step">
        <div class="step__bar" aria-hidden="true">
          <span style={{ width: `${stepFraction * 100}%` }} />
        </div>
        <p class="step__text">{t('code.changesIn', { seconds: Math.max(1, Math.ceil(nextChange / 1000)) })}</p>
      </div>
      <p class="hint">{t('code.hint')}</p>
      {error && <Alert>{error}</Alert>}
      {confirmCancel ? (
        <div class="confirm" role="group" aria-label={t('code.cancel')}>
          <p>{t('code.cancelConfirm', { points: r.cost })}</p>
          <div class="confirm__actions">
            <button type="button" class="button button--danger button--small" disabled={cancelBusy || offline} onClick={cancel}>
              {t('code.cancelYes')}
            </button>
            <button type="button" class="button button--quiet button--small" disabled={cancelBusy} onClick={() => setConfirmCancel(false)}>
              {t('common.no')}
            </button>
          </div>
        </div>
      ) : (
        <button type="button" class="button button--quiet button--block" disabled={offline} onClick={() => setConfirmCancel(true)}>
          {t('code.cancel')}
        </button>
      )}
    </div>
  );
}

/** A redemption this phone did not make (or forgot): its state from the server, no code. */
function ForeignRedemption({ id }: { id: number }) {
  const p = usePatron();
  const [state, setState] = useState<{ r: Redemption } | { error: unknown } | null>(null);
  const card = p.card?.card ?? null;
  useEffect(() => {
    if (!card) return;
    fetchRedemption(card, id).then(
      (r) => setState({ r }),
      (error: unknown) => setState({ error }),
    );
  }, [card, id]);
  if (!state) return <Loading />;
  if ('error' in state) {
    return (
      <div class="codeview codeview--over">
        <PageTitle>{t('code.title')}</PageTitle>
        <Alert>{errorText(state.error)}</Alert>
        <Link href="/passbook/redemptions" class="button button--quiet button--block">
          {t('code.backToList')}
        </Link>
      </div>
    );
  }
  return (
    <div class="codeview codeview--over">
      <PageTitle>{state.r.prize_name}</PageTitle>
      <p>{label('redemption.status', state.r.status)}</p>
      {state.r.status === 'pending' && <p class="muted">{t('code.notOnThisPhone')}</p>}
      <Link href="/passbook/redemptions" class="button button--quiet button--block">
        {t('code.backToList')}
      </Link>
    </div>
  );
}

export function RedemptionCodePage({ id }: { id: number }) {
  const stored = storedRedemption(id);
  useScreenWakeLock();
  useEffect(() => {
    if (!Number.isSafeInteger(id) || id <= 0) navigate('/passbook/redemptions', { replace: true });
  }, [id]);
  return <div class="page page--code">{stored ? <CodeView r={stored} /> : <ForeignRedemption id={id} />}</div>;
}
