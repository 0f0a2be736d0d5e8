// A5 Content (首頁內容): announcements (image, link, dates, order), featured lists (books picked by
// a catalogue search), quick links, and a preview of what the patron home shows now (GET /home).
import type { ComponentChildren } from 'preact';
import { useId, useState } from 'preact/hooks';
import { search, type SearchHit } from '../api';
import { Alert, LoadError, Loading } from '../components/Alert';
import { Field } from '../components/Field';
import { PageTitle } from '../components/PageTitle';
import { useAsync } from '../hooks';
import { formatDateTime, getLang } from '../i18n';
import {
  allContent,
  deleteContent,
  homeContent,
  saveContent,
  type Announcement,
  type FeaturedBib,
  type FeaturedList,
  type HomeContent,
  type QuickLink,
} from '../staffApi';
import { Done, fromLocalInput, refusalText, Tabs, toLocalInput } from './common';
import { sm } from './messages';
import './admin.css';

type Tab = 'announcements' | 'lists' | 'links' | 'preview';

function TextArea({ label, value, onValue }: { label: string; value: string; onValue: (v: string) => void }) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <textarea id={id} class="admin-textarea" value={value} onInput={(e) => onValue(e.currentTarget.value)} />
    </div>
  );
}

function Check({ label, checked, onChange }: { label: string; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <label class="check">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.currentTarget.checked)} />
      {label}
    </label>
  );
}

/** A form panel with its heading, error and Save / Cancel. */
function FormPanel({ title, error, busy, onSubmit, onCancel, children }: { title: string; error: string | null; busy: boolean; onSubmit: () => void; onCancel: () => void; children: ComponentChildren }) {
  const id = useId();
  return (
    <form
      class="form panel"
      aria-labelledby={id}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) onSubmit();
      }}
    >
      <h2 id={id}>{title}</h2>
      {error && <Alert>{error}</Alert>}
      <div class="form-grid">{children}</div>
      <div class="form__actions">
        <button type="submit" class="button button--primary" disabled={busy} aria-busy={busy}>
          {busy ? sm('common.saving') : sm('common.save')}
        </button>
        <button type="button" class="button button--quiet" onClick={onCancel}>
          {sm('common.cancel')}
        </button>
      </div>
    </form>
  );
}

/** Runs a save, reporting a refusal in plain words with its code. */
function useSave(): [boolean, string | null, (f: () => Promise<void>) => Promise<void>, (e: string | null) => void] {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (f: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await f();
    } catch (err) {
      setError(refusalText(err));
    } finally {
      setBusy(false);
    }
  };
  return [busy, error, run, setError];
}

// ---- announcements ---------------------------------------------------------------------------

function AnnouncementForm({ editing, onSaved, onCancel }: { editing: Announcement | null; onSaved: (title: string) => void; onCancel: () => void }) {
  const [d, setD] = useState({
    title: editing?.title ?? '',
    body: editing?.body ?? '',
    image: editing?.image_url ?? '',
    link: editing?.link ?? '',
    starts: toLocalInput(editing?.starts_at ?? null),
    ends: toLocalInput(editing?.ends_at ?? null),
    position: String(editing?.position ?? 0),
  });
  const set = (k: keyof typeof d) => (v: string) => setD((x) => ({ ...x, [k]: v }));
  const [busy, error, run, setError] = useSave();
  const submit = () => {
    if (!d.title.trim()) return setError(sm('content.titleRequired'));
    const body: Record<string, unknown> = {
      title: d.title.trim(),
      body: d.body,
      image_url: d.image.trim() || null,
      link: d.link.trim() || null,
      ends_at: fromLocalInput(d.ends),
      position: Number(d.position || '0'),
    };
    const starts = fromLocalInput(d.starts);
    if (starts) body.starts_at = starts;
    void run(async () => {
      const a = await saveContent<Announcement>('announcements', editing?.id ?? null, body);
      onSaved(a.title);
    });
  };
  return (
    <FormPanel title={editing ? sm('content.editAnnouncement', { title: editing.title }) : sm('content.newAnnouncement')} error={error} busy={busy} onSubmit={submit} onCancel={onCancel}>
      <Field label={sm('content.fTitle')} name="title" value={d.title} onValue={set('title')} maxLength={200} />
      <TextArea label={sm('content.fBody')} value={d.body} onValue={set('body')} />
      <Field label={sm('content.fImage')} type="url" name="image" value={d.image} onValue={set('image')} />
      <Field label={sm('content.fLink')} type="url" name="link" value={d.link} onValue={set('link')} />
      <Field label={sm('content.fStarts')} type="datetime-local" name="starts" value={d.starts} onValue={set('starts')} />
      <Field label={sm('content.fEnds')} hint={sm('content.fEndsHint')} type="datetime-local" name="ends" value={d.ends} onValue={set('ends')} />
      <Field label={sm('content.fPosition')} hint={sm('content.fPositionHint')} type="number" name="position" value={d.position} onValue={set('position')} />
    </FormPanel>
  );
}

// ---- featured lists --------------------------------------------------------------------------

function BookPicker({ chosen, onChosen }: { chosen: FeaturedBib[]; onChosen: (b: FeaturedBib[]) => void }) {
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const find = async () => {
    if (!q.trim()) return;
    setError(null);
    try {
      setHits((await search({ q: q.trim(), per_page: 10 })).hits);
    } catch (err) {
      setError(refusalText(err));
    }
  };
  const move = (i: number) => {
    const next = [...chosen];
    [next[i - 1], next[i]] = [next[i]!, next[i - 1]!];
    onChosen(next);
  };
  return (
    <div class="admin-two" style={{ gridColumn: '1 / -1', gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)' }}>
      <section aria-labelledby="list-books-h">
        <h3 id="list-books-h">{sm('content.listBooks', { n: chosen.length })}</h3>
        <ol class="pick-list">
          {chosen.map((b, i) => (
            <li key={b.id}>
              <span>
                《{b.title}》<span class="small muted">{b.author}</span>
              </span>
              <span class="admin-actions">
                {i > 0 && (
                  <button type="button" class="button button--small button--quiet" aria-label={sm('content.moveUp', { title: b.title })} onClick={() => move(i)}>
                    ↑
                  </button>
                )}
                <button type="button" class="button button--small button--quiet" aria-label={sm('content.removeBook', { title: b.title })} onClick={() => onChosen(chosen.filter((x) => x.id !== b.id))}>
                  {sm('common.delete')}
                </button>
              </span>
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="list-search-h">
        <h3 id="list-search-h">{sm('content.searchBooks')}</h3>
        <div class="admin-filters">
          <Field
            label={sm('content.searchLabel')}
            type="search"
            name="q"
            value={q}
            onValue={setQ}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                void find();
              }
            }}
          />
          <button type="button" class="button" onClick={() => void find()}>
            {sm('content.searchButton')}
          </button>
        </div>
        {error && <Alert>{error}</Alert>}
        {hits && hits.length === 0 && <p class="muted">{sm('content.noHits')}</p>}
        {hits && hits.length > 0 && (
          <ul class="pick-list">
            {hits.map((h) => {
              const inList = chosen.some((b) => b.id === h.bib_id);
              return (
                <li key={h.bib_id}>
                  <span>
                    《{h.title}》<span class="small muted">{h.author}</span>
                  </span>
                  {inList ? (
                    <span class="badge">{sm('content.inList')}</span>
                  ) : (
                    <button
                      type="button"
                      class="button button--small"
                      aria-label={sm('content.addBook', { title: h.title })}
                      onClick={() => onChosen([...chosen, { id: h.bib_id, title: h.title, author: h.author, cover_url: h.cover_url, items: h.holdings.total, available: h.holdings.available }])}
                    >
                      {sm('common.add')}
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </div>
  );
}

function ListForm({ editing, onSaved, onCancel }: { editing: FeaturedList | null; onSaved: (title: string) => void; onCancel: () => void }) {
  const [title, setTitle] = useState(editing?.title ?? '');
  const [active, setActive] = useState(editing?.active ?? true);
  const [position, setPosition] = useState(String(editing?.position ?? 0));
  const [books, setBooks] = useState<FeaturedBib[]>(editing?.bibs ?? []);
  const [busy, error, run, setError] = useSave();
  const submit = () => {
    if (!title.trim()) return setError(sm('content.titleRequired'));
    void run(async () => {
      const l = await saveContent<FeaturedList>('featured-lists', editing?.id ?? null, { title: title.trim(), active, position: Number(position || '0'), bib_ids: books.map((b) => b.id) });
      onSaved(l.title);
    });
  };
  return (
    <FormPanel title={editing ? sm('content.editList', { title: editing.title }) : sm('content.newList')} error={error} busy={busy} onSubmit={submit} onCancel={onCancel}>
      <Field label={sm('content.fTitle')} name="title" value={title} onValue={setTitle} maxLength={200} />
      <Field label={sm('content.fPosition')} hint={sm('content.fPositionHint')} type="number" name="position" value={position} onValue={setPosition} />
      <Check label={sm('content.fActive')} checked={active} onChange={setActive} />
      <BookPicker chosen={books} onChosen={setBooks} />
    </FormPanel>
  );
}

// ---- quick links -----------------------------------------------------------------------------

function LinkForm({ editing, onSaved, onCancel }: { editing: QuickLink | null; onSaved: (title: string) => void; onCancel: () => void }) {
  const [d, setD] = useState({ zh: editing?.label_zh ?? '', en: editing?.label_en ?? '', url: editing?.url ?? '', icon: editing?.icon ?? '', position: String(editing?.position ?? 0) });
  const set = (k: keyof typeof d) => (v: string) => setD((x) => ({ ...x, [k]: v }));
  const [busy, error, run, setError] = useSave();
  const submit = () => {
    if (!d.zh.trim() || !d.url.trim()) return setError(sm('content.linkRequired'));
    void run(async () => {
      const l = await saveContent<QuickLink>('quick-links', editing?.id ?? null, { label_zh: d.zh.trim(), label_en: d.en.trim(), url: d.url.trim(), icon: d.icon.trim(), position: Number(d.position || '0') });
      onSaved(l.label_zh);
    });
  };
  return (
    <FormPanel title={editing ? sm('content.editLink', { title: editing.label_zh }) : sm('content.newLink')} error={error} busy={busy} onSubmit={submit} onCancel={onCancel}>
      <Field label={sm('content.fLabelZh')} name="label_zh" value={d.zh} onValue={set('zh')} />
      <Field label={sm('content.fLabelEn')} name="label_en" value={d.en} onValue={set('en')} />
      <Field label={sm('content.fUrl')} name="url" value={d.url} onValue={set('url')} />
      <Field label={sm('content.fIcon')} name="icon" value={d.icon} onValue={set('icon')} />
      <Field label={sm('content.fPosition')} hint={sm('content.fPositionHint')} type="number" name="position" value={d.position} onValue={set('position')} />
    </FormPanel>
  );
}

// ---- preview ---------------------------------------------------------------------------------

function Preview() {
  const [state, reload] = useAsync((signal) => homeContent(signal), []);
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <LoadError text={refusalText(state.error)} onRetry={reload} />;
  const h: HomeContent = state.value;
  const en = getLang() === 'en';
  const empty = h.announcements.length + h.featured_lists.length + h.quick_links.length === 0;
  return (
    <div class="stack">
      <p class="muted">{sm('content.previewIntro')}</p>
      {empty ? (
        <p class="muted">{sm('content.previewEmpty')}</p>
      ) : (
        <div class="home-preview" aria-label={sm('content.tab.preview')} role="region">
          {h.announcements.length > 0 && (
            <section>
              <h3>{sm('content.previewAnnouncements')}</h3>
              {h.announcements.map((a) => (
                <article class="home-preview__card" key={a.id}>
                  {a.image_url && <img src={a.image_url} alt="" loading="lazy" />}
                  <strong>{a.link ? <a href={a.link}>{a.title}</a> : a.title}</strong>
                  {a.body && <p class="small">{a.body}</p>}
                </article>
              ))}
            </section>
          )}
          {h.quick_links.length > 0 && (
            <section>
              <h3>{sm('content.previewLinks')}</h3>
              <ul class="home-preview__links">
                {h.quick_links.map((l) => (
                  <li key={l.id}>{en && l.label_en ? l.label_en : l.label_zh}</li>
                ))}
              </ul>
            </section>
          )}
          {h.featured_lists.map((l) => (
            <section key={l.id}>
              <h3>
                {sm('content.previewLists')}：{l.title}
              </h3>
              <ol class="pick-list">
                {l.bibs.map((b) => (
                  <li key={b.id}>
                    <span>《{b.title}》</span>
                    <span class="small muted">{sm('content.available', { n: b.available })}</span>
                  </li>
                ))}
              </ol>
            </section>
          ))}
        </div>
      )}
    </div>
  );
}

// ---- the page --------------------------------------------------------------------------------

type Editing =
  | { tab: 'announcements'; item: Announcement | null }
  | { tab: 'lists'; item: FeaturedList | null }
  | { tab: 'links'; item: QuickLink | null }
  | null;

function RowActions({ title, onEdit, onDelete }: { title: string; onEdit: () => void; onDelete: () => void }) {
  return (
    <td class="table__actions">
      <button type="button" class="button button--small button--quiet" aria-label={sm('content.editFor', { title })} onClick={onEdit}>
        {sm('common.edit')}
      </button>
      <button type="button" class="button button--small button--quiet" aria-label={sm('content.deleteFor', { title })} onClick={onDelete}>
        {sm('common.delete')}
      </button>
    </td>
  );
}

export function ContentPage() {
  const [tab, setTab] = useState<Tab>('announcements');
  const [state, reload] = useAsync((signal) => allContent(signal), []);
  const [editing, setEditing] = useState<Editing>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const saved = (title: string) => {
    setDone(sm('content.saved', { title }));
    setEditing(null);
    reload();
  };
  const remove = async (kind: 'announcements' | 'featured-lists' | 'quick-links', id: number, title: string) => {
    if (!window.confirm(sm('content.confirmDelete', { title }))) return;
    setError(null);
    try {
      await deleteContent(kind, id);
      setDone(sm('content.deleted', { title }));
      reload();
    } catch (err) {
      setError(refusalText(err));
    }
  };
  const tabs: { key: Tab; text: string }[] = [
    { key: 'announcements', text: sm('content.tab.announcements') },
    { key: 'lists', text: sm('content.tab.lists') },
    { key: 'links', text: sm('content.tab.links') },
    { key: 'preview', text: sm('content.tab.preview') },
  ];
  const c = state.status === 'ok' ? state.value : null;
  const newButton = (text: string, e: Editing) =>
    editing === null && (
      <button type="button" class="button button--primary" onClick={() => setEditing(e)}>
        {text}
      </button>
    );
  return (
    <div class="page">
      <PageTitle>{sm('content.title')}</PageTitle>
      <p class="muted">{sm('content.intro')}</p>
      {done && <Done>{done}</Done>}
      {error && <Alert>{error}</Alert>}
      <Tabs
        label={sm('content.tabs')}
        tabs={tabs}
        value={tab}
        onValue={(k) => {
          setTab(k);
          setEditing(null);
        }}
      />
      <div id={`panel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`} class="stack">
        {tab !== 'preview' && state.status === 'loading' && <Loading />}
        {tab !== 'preview' && state.status === 'error' && <LoadError text={refusalText(state.error)} onRetry={reload} />}
        {tab === 'announcements' && c && (
          <>
            {newButton(sm('content.newAnnouncement'), { tab: 'announcements', item: null })}
            {editing?.tab === 'announcements' && <AnnouncementForm key={editing.item?.id ?? 'new'} editing={editing.item} onSaved={saved} onCancel={() => setEditing(null)} />}
            {c.announcements.length === 0 ? (
              <p class="muted">{sm('content.noAnnouncements')}</p>
            ) : (
              <table class="table">
                <thead>
                  <tr>
                    <th scope="col">{sm('content.fTitle')}</th>
                    <th scope="col">{sm('content.colShown')}</th>
                    <th scope="col" class="num">{sm('content.colOrder')}</th>
                    <th scope="col">
                      <span class="visually-hidden">{sm('common.edit')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {c.announcements.map((a) => (
                    <tr key={a.id}>
                      <td>{a.title}</td>
                      <td>
                        {formatDateTime(a.starts_at)} – {a.ends_at ? formatDateTime(a.ends_at) : sm('content.always')}
                      </td>
                      <td class="num">{a.position}</td>
                      <RowActions title={a.title} onEdit={() => setEditing({ tab: 'announcements', item: a })} onDelete={() => void remove('announcements', a.id, a.title)} />
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
        {tab === 'lists' && c && (
          <>
            {newButton(sm('content.newList'), { tab: 'lists', item: null })}
            {editing?.tab === 'lists' && <ListForm key={editing.item?.id ?? 'new'} editing={editing.item} onSaved={saved} onCancel={() => setEditing(null)} />}
            {c.featured_lists.length === 0 ? (
              <p class="muted">{sm('content.noLists')}</p>
            ) : (
              <table class="table">
                <thead>
                  <tr>
                    <th scope="col">{sm('content.fTitle')}</th>
                    <th scope="col">{sm('content.colBooks')}</th>
                    <th scope="col" class="num">{sm('content.colOrder')}</th>
                    <th scope="col">
                      <span class="visually-hidden">{sm('common.edit')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {c.featured_lists.map((l) => (
                    <tr key={l.id}>
                      <td>
                        {l.title}
                        {!l.active && <span class="badge">{sm('content.inactive')}</span>}
                      </td>
                      <td>{l.bibs.map((b) => `《${b.title}》`).join('') || sm('content.books', { n: 0 })}</td>
                      <td class="num">{l.position}</td>
                      <RowActions title={l.title} onEdit={() => setEditing({ tab: 'lists', item: l })} onDelete={() => void remove('featured-lists', l.id, l.title)} />
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
        {tab === 'links' && c && (
          <>
            {newButton(sm('content.newLink'), { tab: 'links', item: null })}
            {editing?.tab === 'links' && <LinkForm key={editing.item?.id ?? 'new'} editing={editing.item} onSaved={saved} onCancel={() => setEditing(null)} />}
            {c.quick_links.length === 0 ? (
              <p class="muted">{sm('content.noLinks')}</p>
            ) : (
              <table class="table">
                <thead>
                  <tr>
                    <th scope="col">{sm('content.fLabelZh')}</th>
                    <th scope="col">{sm('content.fLabelEn')}</th>
                    <th scope="col">{sm('content.fUrl')}</th>
                    <th scope="col" class="num">{sm('content.colOrder')}</th>
                    <th scope="col">
                      <span class="visually-hidden">{sm('common.edit')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {c.quick_links.map((l) => (
                    <tr key={l.id}>
                      <td>{l.label_zh}</td>
                      <td>{l.label_en}</td>
                      <td class="mono small">{l.url}</td>
                      <td class="num">{l.position}</td>
                      <RowActions title={l.label_zh} onEdit={() => setEditing({ tab: 'links', item: l })} onDelete={() => void remove('quick-links', l.id, l.label_zh)} />
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
        {tab === 'preview' && <Preview />}
      </div>
    </div>
  );
}
