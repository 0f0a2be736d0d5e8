// /account/notices: which notices reach the patron on which channel (P10): a switch per channel
// (kind "*") and, per notice type, one per channel. No row on the server means "on".
import { useEffect, useState } from 'preact/hooks';
import { noticePreferences, saveNoticePreferences, type NoticePreference, type NoticePreferences } from '../api';
import { Alert, LoadError, Loading } from '../components/Alert';
import { CardGate } from '../components/CardGate';
import { PageTitle } from '../components/PageTitle';
import { errorText } from '../errors';
import { getLang, label, setLang, t } from '../i18n';

type Grid = { all: Record<string, boolean>; kinds: Record<string, Record<string, boolean>> };

function toGrid(p: NoticePreferences): Grid {
  const off = (kind: string, channel: string) =>
    p.preferences.some((x) => x.kind === kind && x.channel === channel && !x.enabled);
  const all: Grid['all'] = {};
  const kinds: Grid['kinds'] = {};
  for (const c of p.channels) all[c] = !off('*', c);
  for (const k of p.kinds) {
    kinds[k] = {};
    for (const c of p.channels) kinds[k]![c] = !off(k, c);
  }
  return { all, kinds };
}

function fromGrid(p: NoticePreferences, g: Grid): NoticePreference[] {
  const out: NoticePreference[] = p.channels.map((c) => ({ kind: '*', channel: c, enabled: g.all[c] ?? true }));
  for (const k of p.kinds)
    for (const c of p.channels) if (g.kinds[k]?.[c] === false) out.push({ kind: k, channel: c, enabled: false });
  return out;
}

function Prefs({ card }: { card: string }) {
  const [data, setData] = useState<NoticePreferences | null>(null);
  const [grid, setGrid] = useState<Grid | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [round, setRound] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    const ctl = new AbortController();
    setLoadError(null);
    noticePreferences(card, ctl.signal).then(
      (p) => {
        setData(p);
        setGrid(toGrid(p));
      },
      (err: unknown) => {
        if (!ctl.signal.aborted) setLoadError(err);
      },
    );
    return () => ctl.abort();
  }, [card, round]);

  if (loadError) return <LoadError text={errorText(loadError)} onRetry={() => setRound((r) => r + 1)} />;
  if (!data || !grid) return <Loading />;

  const channelName = (c: string) => label('prefs.channel', c);
  const setAll = (c: string, on: boolean) => {
    setSaved(false);
    setGrid({ ...grid, all: { ...grid.all, [c]: on } });
  };
  const setKind = (k: string, c: string, on: boolean) => {
    setSaved(false);
    setGrid({ ...grid, kinds: { ...grid.kinds, [k]: { ...grid.kinds[k], [c]: on } } });
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const p = await saveNoticePreferences(card, fromGrid(data, grid));
      setData(p);
      setGrid(toGrid(p));
      setSaved(true);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="form stack" onSubmit={submit} noValidate>
      <fieldset class="panel prefs">
        <legend class="prefs__legend">{t('prefs.channels')}</legend>
        {data.channels.map((c) => (
          <label key={c} class="switch-row">
            <span class="switch-row__text">
              <span class="switch-row__label">{channelName(c)}</span>
              <span class="switch-row__hint">{label('prefs.channelHint', c)}</span>
            </span>
            <input
              type="checkbox"
              role="switch"
              class="switch"
              checked={grid.all[c] ?? true}
              onChange={(e) => setAll(c, e.currentTarget.checked)}
            />
          </label>
        ))}
      </fieldset>
      <details class="panel prefs">
        <summary class="prefs__summary">{t('prefs.byKind')}</summary>
        <table class="table table--dense prefs__table">
          <caption class="visually-hidden">{t('prefs.byKind')}</caption>
          <thead>
            <tr>
              <th scope="col" />
              {data.channels.map((c) => (
                <th key={c} scope="col">
                  <span aria-hidden="true">{label('prefs.short', c)}</span>
                  <span class="visually-hidden">{channelName(c)}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.kinds.map((k) => (
              <tr key={k}>
                <th scope="row">{label('noticeKind', k)}</th>
                {data.channels.map((c) => (
                  <td key={c}>
                    <input
                      type="checkbox"
                      class="check-lg"
                      aria-label={t('prefs.kindOn', { kind: label('noticeKind', k), channel: channelName(c) })}
                      checked={grid.kinds[k]?.[c] ?? true}
                      disabled={!(grid.all[c] ?? true)}
                      onChange={(e) => setKind(k, c, e.currentTarget.checked)}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <section class="panel" aria-labelledby="notice-lang">
        <h2 id="notice-lang">{t('prefs.language')}</h2>
        <p class="muted small">{t('prefs.languageNote')}</p>
        <div class="segmented" role="group" aria-labelledby="notice-lang">
          <button type="button" lang="zh-TW" aria-pressed={getLang() === 'zh-TW'} onClick={() => setLang('zh-TW')}>
            繁體中文
          </button>
          <button type="button" lang="en" aria-pressed={getLang() === 'en'} onClick={() => setLang('en')}>
            English
          </button>
        </div>
      </section>
      {error && <Alert>{error}</Alert>}
      {saved && (
        <p class="flash flash--ok" role="status">
          {t('prefs.saved')}
        </p>
      )}
      <button type="submit" class="button button--primary button--block" disabled={busy} aria-busy={busy}>
        {busy ? t('prefs.saving') : t('prefs.save')}
      </button>
    </form>
  );
}

export function NoticePrefsPage() {
  return (
    <div class="page">
      <PageTitle>{t('prefs.title')}</PageTitle>
      <p class="lead">{t('prefs.intro')}</p>
      <CardGate>{(card) => <Prefs key={card.card} card={card.card} />}</CardGate>
    </div>
  );
}
