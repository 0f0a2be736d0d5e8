// /checkout: phone self-checkout (手機智能借書, P9): choose the branch you are in (only branches with
// the service on), scan or type the item's barcode, confirm; the loan is made and the point
// credited in the same instant.
import { useEffect, useId, useState } from 'preact/hooks';
import { ApiError, mobileCheckout, type CheckoutResult } from '../api';
import { Alert, LoadError, Loading } from '../components/Alert';
import { CardGate } from '../components/CardGate';
import { Field } from '../components/Field';
import { Icon } from '../components/Icon';
import { Link } from '../components/Link';
import { PageTitle } from '../components/PageTitle';
import { Scanner } from '../components/Scanner';
import { errorText } from '../errors';
import { codeText, formatDate, t } from '../i18n';
import { useBranches } from '../patron';

const LAST_BRANCH = 'bookstamp.checkout.branch';

function lastBranch(): string {
  try {
    return localStorage.getItem(LAST_BRANCH) ?? '';
  } catch {
    return '';
  }
}

function Checkout({ card }: { card: string }) {
  const branches = useBranches();
  const selectId = useId();
  const [branch, setBranch] = useState(lastBranch);
  const [barcode, setBarcode] = useState('');
  const [stage, setStage] = useState<'enter' | 'confirm' | 'busy' | 'done'>('enter');
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<CheckoutResult | null>(null);
  const [scanned, setScanned] = useState<string | null>(null);

  const list = branches.list ?? [];
  const open = list.filter((b) => b.mobile_checkout);
  const closed = list.filter((b) => !b.mobile_checkout);
  const chosen = list.find((b) => b.code === branch) ?? null;

  useEffect(() => {
    try {
      if (branch) localStorage.setItem(LAST_BRANCH, branch);
    } catch {
      // Only a convenience.
    }
  }, [branch]);

  if (branches.list === null) {
    if (branches.status === 'error') return <LoadError text={t('branches.unavailable')} onRetry={branches.reload} />;
    return <Loading />;
  }

  const review = (e: Event) => {
    e.preventDefault();
    if (!chosen) {
      setError(t('checkout.chooseBranch'));
      return;
    }
    if (!chosen.mobile_checkout) {
      setError(t('checkout.branchOff', { branch: chosen.name }));
      return;
    }
    if (!barcode.trim()) {
      setError(t('checkout.barcodeRequired'));
      return;
    }
    setError(null);
    setStage('confirm');
  };

  const borrow = async () => {
    setStage('busy');
    setError(null);
    try {
      const r = await mobileCheckout(card, barcode.trim(), branch);
      setResult(r);
      setStage('done');
    } catch (err) {
      setError(err instanceof ApiError && (err.status === 409 || err.status === 404) ? codeText(err.code, err.message) : errorText(err));
      setStage('enter');
    }
  };

  const again = () => {
    setBarcode('');
    setScanned(null);
    setResult(null);
    setStage('enter');
  };

  if (stage === 'done' && result) {
    return (
      <div class="result" role="status" aria-labelledby="result-title">
        <div class="done-mark done-mark--small" aria-hidden="true">
          <Icon name="check" size={40} />
        </div>
        <h2 id="result-title" class="result__title">
          {t('checkout.done')}
        </h2>
        <p class="result__book">{result.loan.title}</p>
        <dl class="facts">
          <dt>{t('checkout.dueOn')}</dt>
          <dd class="due">{formatDate(result.loan.due_on)}</dd>
          <dt>{t('checkout.points')}</dt>
          <dd>
            {result.points_credited > 0
              ? t('checkout.pointsCredited', { points: result.points_credited })
              : t('checkout.noPoints', { reason: codeText(result.points_reason ?? '') })}
          </dd>
          <dt>{t('checkout.balance')}</dt>
          <dd>{t('points.n', { points: result.balance })}</dd>
        </dl>
        <div class="result__actions">
          <button type="button" class="button button--primary button--block" onClick={again}>
            {t('checkout.again')}
          </button>
          <Link href="/study" class="button button--quiet button--block">
            {t('checkout.toStudy')}
          </Link>
        </div>
      </div>
    );
  }

  return (
    <form class="form" onSubmit={review} noValidate>
      <div class="field">
        <label for={selectId}>{t('checkout.branch')}</label>
        <select
          id={selectId}
          class="select"
          value={chosen?.mobile_checkout ? branch : ''}
          disabled={stage !== 'enter'}
          onChange={(e) => {
            setBranch(e.currentTarget.value);
            setError(null);
          }}
        >
          <option value="">{t('checkout.branchPlaceholder')}</option>
          {open.map((b) => (
            <option key={b.code} value={b.code}>
              {b.name}
            </option>
          ))}
        </select>
        {open.length === 0 ? (
          <p class="notice notice--danger">{t('checkout.noneOpen')}</p>
        ) : (
          closed.length > 0 && (
            <details class="closed-branches">
              <summary>{t('checkout.closedSummary', { count: closed.length })}</summary>
              <p class="muted small">{closed.map((b) => b.name).join('、')}</p>
            </details>
          )
        )}
      </div>
      {chosen && !chosen.mobile_checkout && <p class="notice notice--danger">{t('checkout.branchOff', { branch: chosen.name })}</p>}
      {stage === 'enter' && (
        <>
          <Scanner
            formats={['Code128', 'Code39', 'EAN13', 'Codabar', 'ITF']}
            label={t('checkout.scanWhat')}
            onCode={(text) => {
              setBarcode(text);
              setScanned(text);
              setError(null);
            }}
          />
          {scanned && scanned === barcode && (
            <p class="flash flash--ok" role="status">
              {t('checkout.scanned', { barcode: scanned })}
            </p>
          )}
          <Field
            label={t('checkout.barcode')}
            hint={t('checkout.barcodeHint')}
            value={barcode}
            onValue={setBarcode}
            inputMode="numeric"
            autocomplete="off"
            spellcheck={false}
          />
        </>
      )}
      {error && <Alert>{error}</Alert>}
      {stage === 'enter' && (
        <button type="submit" class="button button--primary button--block">
          {t('checkout.next')}
        </button>
      )}
      {(stage === 'confirm' || stage === 'busy') && chosen && (
        <div class="confirm" role="group" aria-label={t('checkout.confirmLabel')}>
          <p>{t('checkout.confirm', { barcode: barcode.trim(), branch: chosen.name })}</p>
          <div class="confirm__actions">
            <button type="button" class="button button--primary" disabled={stage === 'busy'} aria-busy={stage === 'busy'} onClick={borrow}>
              {stage === 'busy' ? t('checkout.borrowing') : t('checkout.borrow')}
            </button>
            <button type="button" class="button button--quiet" disabled={stage === 'busy'} onClick={() => setStage('enter')}>
              {t('common.back')}
            </button>
          </div>
        </div>
      )}
    </form>
  );
}

export function CheckoutPage() {
  return (
    <div class="page">
      <PageTitle>{t('checkout.title')}</PageTitle>
      <p class="lead">{t('checkout.intro')}</p>
      <CardGate>{(card) => <Checkout key={card.card} card={card.card} />}</CardGate>
    </div>
  );
}
