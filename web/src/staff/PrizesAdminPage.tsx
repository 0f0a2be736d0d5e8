// A1 Prizes (獎品上架): the branch's prizes, a new prize, and edits (a stock change needs a reason).
import { useState } from 'preact/hooks';
import { branches, type Prize, type Staff } from '../api';
import { Alert, LoadError, Loading } from '../components/Alert';
import { Field } from '../components/Field';
import { PageTitle } from '../components/PageTitle';
import { useAsync } from '../hooks';
import { formatDateTime, t } from '../i18n';
import { allPrizes, createPrize, updatePrize, uploadPrizePicture, type PrizeInput } from '../staffApi';
import { Done, fromLocalInput, refusalText, SelectField, toLocalInput } from './common';
import { sm } from './messages';
import { PrizePictureField } from './PrizePictureField';

/** Why a listed prize cannot be redeemed now: not yet on sale, sale ended, or none left. */
function SaleBadge({ prize }: { prize: Prize }) {
  const now = Date.now();
  if (prize.on_sale_from && Date.parse(prize.on_sale_from) > now) return <span class="badge">{sm('prizes.future')}</span>;
  if (prize.on_sale_until && Date.parse(prize.on_sale_until) <= now) return <span class="badge">{sm('prizes.ended')}</span>;
  if (prize.stock_left <= 0) return <span class="badge badge--danger">{sm('prizes.soldOut')}</span>;
  return null;
}

interface Draft {
  branch: string;
  name: string;
  description: string;
  sponsor: string;
  image: string;
  cost: string;
  stock: string;
  limit: string;
  from: string;
  until: string;
  reason: string;
}

const emptyDraft = (branch: string): Draft => ({ branch, name: '', description: '', sponsor: '', image: '', cost: '', stock: '', limit: '0', from: '', until: '', reason: '' });

const draftOf = (p: Prize): Draft => ({
  branch: p.branch,
  name: p.name,
  description: p.description,
  sponsor: p.sponsor,
  image: p.image_url ?? '',
  cost: String(p.cost),
  stock: String(p.stock),
  limit: String(p.per_card_limit),
  from: toLocalInput(p.on_sale_from),
  until: toLocalInput(p.on_sale_until),
  reason: '',
});

function PrizeForm({ staff, editing, onSaved, onCancel }: { staff: Staff; editing: Prize | null; onSaved: (p: Prize, pictureError?: string) => void; onCancel: () => void }) {
  const [all] = useAsync((signal) => (staff.branch ? Promise.resolve([]) : branches(signal)), [staff.branch]);
  const [d, setD] = useState<Draft>(() => (editing ? draftOf(editing) : emptyDraft(staff.branch ?? '')));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [picture, setPicture] = useState<File | null>(null);
  const set = (k: keyof Draft) => (v: string) => setD((x) => ({ ...x, [k]: v }));
  const stockChanged = editing !== null && d.stock !== String(editing.stock);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!d.name.trim() || !d.cost || d.stock === '' || !d.branch) {
      setError(t('console.prizes.required'));
      return;
    }
    if (stockChanged && !d.reason.trim()) {
      setError(t('console.prizes.reasonRequired'));
      return;
    }
    const body: PrizeInput = {
      name: d.name.trim(),
      description: d.description,
      sponsor: d.sponsor,
      image_url: d.image.trim() || null,
      cost: Number(d.cost),
      per_card_limit: Number(d.limit || '0'),
      on_sale_from: fromLocalInput(d.from),
      on_sale_until: fromLocalInput(d.until),
    };
    setBusy(true);
    setError(null);
    try {
      let p: Prize;
      if (editing) {
        if (stockChanged) {
          body.stock = Number(d.stock);
          body.reason = d.reason.trim();
        }
        p = await updatePrize(editing.id, body);
      } else {
        p = await createPrize({ ...body, branch: d.branch, stock: Number(d.stock) });
      }
      // The picture goes up once the prize exists; a refused picture leaves the prize saved.
      let pictureError: string | undefined;
      if (picture) {
        try {
          p = { ...p, image_url: (await uploadPrizePicture(p.id, picture)).url };
        } catch (err) {
          pictureError = refusalText(err);
        }
      }
      onSaved(p, pictureError);
    } catch (err) {
      setError(refusalText(err));
    } finally {
      setBusy(false);
    }
  };
  const branchList = all.status === 'ok' ? all.value : [];
  return (
    <form class="form panel" onSubmit={submit} noValidate aria-labelledby="prize-form-h">
      <h2 id="prize-form-h">{editing ? t('console.prizes.editTitle', { name: editing.name }) : t('console.prizes.newTitle')}</h2>
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
        <Field label={t('console.prizes.fName')} name="name" value={d.name} onValue={set('name')} maxLength={200} />
        <Field label={t('console.prizes.fSponsor')} name="sponsor" value={d.sponsor} onValue={set('sponsor')} />
        <Field label={t('console.prizes.fCost')} type="number" min={1} name="cost" value={d.cost} onValue={set('cost')} />
        <Field label={t('console.prizes.fStock')} hint={editing ? t('console.prizes.fStockHint', { taken: editing.stock - editing.stock_left }) : undefined} type="number" min={0} name="stock" value={d.stock} onValue={set('stock')} />
        {stockChanged && <Field label={t('console.prizes.fReason')} name="reason" value={d.reason} onValue={set('reason')} required />}
        <Field label={t('console.prizes.fLimit')} hint={t('console.prizes.fLimitHint')} type="number" min={0} name="limit" value={d.limit} onValue={set('limit')} />
        <Field label={t('console.prizes.fFrom')} type="datetime-local" name="from" value={d.from} onValue={set('from')} />
        <Field label={t('console.prizes.fUntil')} type="datetime-local" name="until" value={d.until} onValue={set('until')} />
        <Field label={t('console.prizes.fImage')} type="url" name="image" value={d.image} onValue={set('image')} />
        <PrizePictureField currentUrl={editing?.image_url ?? null} file={picture} onFile={setPicture} />
        <Field label={t('console.prizes.fDescription')} name="description" value={d.description} onValue={set('description')} />
      </div>
      <div class="form__actions">
        <button type="submit" class="button button--primary" disabled={busy}>
          {editing ? t('console.save') : t('console.prizes.create')}
        </button>
        <button type="button" class="button button--quiet" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

export function PrizesAdminPage({ staff }: { staff: Staff }) {
  const [state, reload] = useAsync((signal) => allPrizes(staff.branch, signal), [staff.branch]);
  const [mode, setMode] = useState<{ kind: 'none' } | { kind: 'new' } | { kind: 'edit'; prize: Prize }>({ kind: 'none' });
  const [saved, setSaved] = useState<string | null>(null);
  const [pictureError, setPictureError] = useState<string | null>(null);
  // GET /prizes?scope=all: every prize of the branch, on sale or not.
  const rows = state.status === 'ok' ? state.value : [];
  return (
    <div class="page">
      <div class="console-head">
        <PageTitle>{t('console.prizes.title')}</PageTitle>
        {mode.kind === 'none' && (
          <button type="button" class="button button--primary" onClick={() => setMode({ kind: 'new' })}>
            {t('console.prizes.new')}
          </button>
        )}
      </div>
      {saved && <Done>{saved}</Done>}
      {pictureError && <Alert>{pictureError}</Alert>}
      {mode.kind !== 'none' && (
        <PrizeForm
          key={mode.kind === 'edit' ? mode.prize.id : 'new'}
          staff={staff}
          editing={mode.kind === 'edit' ? mode.prize : null}
          onCancel={() => setMode({ kind: 'none' })}
          onSaved={(p, pictureFailed) => {
            setPictureError(pictureFailed ?? null);
            setSaved(t('console.prizes.saved', { name: p.name }));
            setMode({ kind: 'none' });
            reload();
          }}
        />
      )}
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <LoadError text={refusalText(state.error)} onRetry={reload} />}
      <p class="muted small">{sm('prizes.listNote')}</p>
      {state.status === 'ok' &&
        (rows.length === 0 ? (
          <p class="muted">{t('console.prizes.none')}</p>
        ) : (
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t('console.prizes.fName')}</th>
                <th scope="col">{t('console.branch')}</th>
                <th scope="col">{t('console.prizes.fCost')}</th>
                <th scope="col">{t('console.prizes.colStock')}</th>
                <th scope="col">{t('console.prizes.fLimit')}</th>
                <th scope="col">{t('console.prizes.colUntil')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('console.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr key={p.id}>
                  <td>
                    {p.name}
                    {p.sponsor && <span class="small muted">（{p.sponsor}）</span>}
                    <SaleBadge prize={p} />
                  </td>
                  <td>{p.branch}</td>
                  <td>{t('points.n', { points: p.cost })}</td>
                  <td>{t('console.prizes.stock', { left: p.stock_left, total: p.stock })}</td>
                  <td>{p.per_card_limit === 0 ? t('console.prizes.noLimit') : p.per_card_limit}</td>
                  <td>{p.on_sale_until ? formatDateTime(p.on_sale_until) : '—'}</td>
                  <td class="table__actions">
                    <button type="button" class="button button--small button--quiet" onClick={() => setMode({ kind: 'edit', prize: p })} aria-label={t('console.prizes.editFor', { name: p.name })}>
                      {t('console.edit')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </div>
  );
}
