// /search: catalog search (館藏查詢, P5): one box, or fields (title, author, ISBN, class number);
// each hit with its cover, publisher, year and holdings per branch; "more" pages on. Results can be
// narrowed to a branch or a language (the server's facets) and sorted by year. The query is kept in
// the address (?q=…) so back and reload return to the same results.
import { useEffect, useId, useState } from 'preact/hooks';
import { ApiError, search, type FacetValue, type SearchHit, type SearchQuery, type SearchResult } from '../api';
import { Alert, Loading } from '../components/Alert';
import { Icon } from '../components/Icon';
import { Link } from '../components/Link';
import { PageTitle } from '../components/PageTitle';
import { errorText } from '../errors';
import { label, t } from '../i18n';
import { useBranches } from '../patron';

const PER_PAGE = 20;
const FIELDS = ['title', 'author', 'isbn', 'class'] as const;
type FieldName = (typeof FIELDS)[number];

function queryFromUrl(): SearchQuery {
  const p = new URLSearchParams(location.search);
  const q: SearchQuery = {};
  for (const k of ['q', ...FIELDS, 'branch', 'lang'] as const) {
    const v = p.get(k);
    if (v) q[k] = v;
  }
  const sort = p.get('sort');
  if (sort === 'year' || sort === 'year_asc') q.sort = sort;
  return q;
}

function isEmpty(q: SearchQuery): boolean {
  return !['q', ...FIELDS].some((k) => (q[k as keyof SearchQuery] ?? '').toString().trim() !== '');
}

function Hit({ hit }: { hit: SearchHit }) {
  const branches = useBranches();
  const open = hit.holdings.by_branch.filter((b) => b.total > 0);
  return (
    <li class="hit">
      <Link href={`/search/${hit.bib_id}`} class="hit__link">
        <span class="hit__cover" aria-hidden="true">
          {hit.cover_url ? <img src={hit.cover_url} alt="" loading="lazy" width="60" height="90" /> : <Icon name="study" size={28} />}
        </span>
        <span class="hit__body">
          <span class="hit__title">{hit.title}</span>
          {hit.author && <span class="hit__author">{hit.author}</span>}
          <span class="hit__pub">
            {[hit.publisher, hit.year ?? ''].filter((x) => x !== '').join(' · ')}
          </span>
          <span class={hit.holdings.available > 0 ? 'hit__holdings hit__holdings--in' : 'hit__holdings'}>
            {t(hit.holdings.total === 1 ? 'search.holdingsOne' : 'search.holdings', {
              total: hit.holdings.total,
              available: hit.holdings.available,
            })}
          </span>
          {open.length > 0 && (
            <span class="hit__branches">
              {open
                .slice(0, 4)
                .map((b) => t('search.branchCount', { branch: branches.name(b.branch), available: b.available, total: b.total }))
                .join('、')}
              {open.length > 4 && ` ${t('search.moreBranches', { count: open.length - 4 })}`}
            </span>
          )}
        </span>
        <Icon name="chevron" size={20} class="hit__chev" />
      </Link>
    </li>
  );
}

export function SearchPage() {
  const boxId = useId();
  const initial = queryFromUrl();
  const [form, setForm] = useState<SearchQuery>(initial);
  const [query, setQuery] = useState<SearchQuery | null>(isEmpty(initial) ? null : initial);
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [total, setTotal] = useState(0);
  const [exact, setExact] = useState(true);
  const [facets, setFacets] = useState<SearchResult['facets']>(undefined);
  const [facetsExact, setFacetsExact] = useState(true);
  const [page, setPage] = useState(1);
  const [status, setStatus] = useState<'idle' | 'loading' | 'ok' | 'error' | 'missing'>('idle');
  const [error, setError] = useState<unknown>(null);
  const advancedOpen = FIELDS.some((f) => (initial[f] ?? '') !== '');

  useEffect(() => {
    if (!query) return;
    const ctl = new AbortController();
    setStatus('loading');
    search({ ...query, page, per_page: PER_PAGE }, ctl.signal).then(
      (r) => {
        setHits((prev) => (page === 1 ? r.hits : [...prev, ...r.hits]));
        setTotal(r.total);
        setExact(r.total_exact !== false);
        if (page === 1) {
          setFacets(r.facets);
          setFacetsExact(r.facets_exact !== false);
        }
        setStatus('ok');
      },
      (err: unknown) => {
        if (ctl.signal.aborted) return;
        // A server without catalog search yet answers 404 for the path itself.
        if (err instanceof ApiError && err.status === 404 && err.code === 'NOT_FOUND') setStatus('missing');
        else {
          setError(err);
          setStatus('error');
        }
      },
    );
    return () => ctl.abort();
  }, [JSON.stringify(query), page]);

  const run = (next: SearchQuery) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(next)) if (v && String(v).trim()) params.set(k, String(v).trim());
    history.replaceState(null, '', `/search?${params}`);
    setHits([]);
    setPage(1);
    setQuery({ ...next });
  };
  const submit = (e: Event) => {
    e.preventDefault();
    if (isEmpty(form)) return;
    run(form);
  };
  // A filter or the order changes the results of the words already searched.
  const refine = (patch: Partial<SearchQuery>) => {
    const next = { ...(query ?? form), ...patch };
    for (const k of Object.keys(patch) as (keyof SearchQuery)[]) if (!next[k]) delete next[k];
    setForm(next);
    run(next);
  };
  const setField = (name: keyof SearchQuery, value: string) => setForm((f) => ({ ...f, [name]: value }));
  const fieldLabel: Record<FieldName, string> = {
    title: t('search.field.title'),
    author: t('search.field.author'),
    isbn: t('search.field.isbn'),
    class: t('search.field.class'),
  };

  return (
    <div class="page">
      <PageTitle>{t('search.title')}</PageTitle>
      <form class="searchform" role="search" onSubmit={submit} aria-label={t('search.title')}>
        <div class="searchbox">
          <label for={boxId} class="visually-hidden">
            {t('search.box')}
          </label>
          <input
            id={boxId}
            type="search"
            enterKeyHint="search"
            placeholder={t('search.placeholder')}
            value={form.q ?? ''}
            onInput={(e) => setField('q', e.currentTarget.value)}
          />
          <button type="submit" class="searchbox__go" aria-label={t('search.submit')}>
            <Icon name="search" size={22} />
          </button>
        </div>
        <details class="advanced" open={advancedOpen}>
          <summary>{t('search.advanced')}</summary>
          <div class="advanced__grid">
            {FIELDS.map((f) => (
              <div class="field field--inline" key={f}>
                <label for={`${boxId}-${f}`}>{fieldLabel[f]}</label>
                <input
                  id={`${boxId}-${f}`}
                  value={form[f] ?? ''}
                  inputMode={f === 'isbn' || f === 'class' ? 'numeric' : undefined}
                  onInput={(e) => setField(f, e.currentTarget.value)}
                />
              </div>
            ))}
          </div>
          <button type="submit" class="button button--primary button--small button--block">
            {t('search.submit')}
          </button>
        </details>
      </form>
      {status === 'idle' && <p class="hint">{t('search.hint')}</p>}
      {status === 'missing' && (
        <div class="empty">
          <p class="empty__title">{t('search.soonTitle')}</p>
          <p class="muted">{t('search.soon')}</p>
        </div>
      )}
      {status === 'error' && <Alert>{errorText(error)}</Alert>}
      {(status === 'ok' || (status === 'loading' && page > 1)) && (
        <section aria-labelledby="results-heading" class="section">
          <h2 id="results-heading" role="status">
            {t(exact ? 'search.results' : 'search.resultsAbout', { count: total })}
          </h2>
          {query && (hits.length > 0 || query.branch || query.lang) && (
            <Refine query={query} facets={facets} counts={facetsExact} onChange={refine} />
          )}
          {hits.length === 0 ? (
            <p class="empty-line">{t('search.none')}</p>
          ) : (
            <ul class="hits" role="list">
              {hits.map((h) => (
                <Hit key={h.bib_id} hit={h} />
              ))}
            </ul>
          )}
          {hits.length < total && (
            <button
              type="button"
              class="button button--quiet button--block"
              disabled={status === 'loading'}
              onClick={() => setPage((p) => p + 1)}
            >
              {status === 'loading' ? t('common.loading') : t('search.more')}
            </button>
          )}
        </section>
      )}
      {status === 'loading' && page === 1 && <Loading />}
    </div>
  );
}

const SORTS = ['relevance', 'year', 'year_asc'] as const;

/** Sort order and the branch and language filters, from the facets of the first page. */
function Refine(props: {
  query: SearchQuery;
  facets: SearchResult['facets'];
  counts: boolean; // show counts only when they are of every match, not of a sample
  onChange: (patch: Partial<SearchQuery>) => void;
}) {
  const { query, facets, counts, onChange } = props;
  const branches = useBranches();
  const sortId = useId();
  return (
    <div class="refine" role="group" aria-label={t('search.refine')}>
      <div class="refine__sort">
        <label for={sortId}>{t('search.sort')}</label>
        <select
          id={sortId}
          value={query.sort ?? 'relevance'}
          onChange={(e) => {
            const v = e.currentTarget.value;
            onChange({ sort: v === 'relevance' ? undefined : (v as SearchQuery['sort']) });
          }}
        >
          {SORTS.map((s) => (
            <option key={s} value={s}>
              {t(`search.sort.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <Chips
        title={t('search.facet.branch')}
        values={facets?.branch ?? []}
        selected={query.branch}
        name={(v) => branches.name(v)}
        counts={counts}
        onPick={(v) => onChange({ branch: v })}
      />
      <Chips
        title={t('search.facet.language')}
        values={facets?.language ?? []}
        selected={query.lang}
        name={(v) => label('search.lang', v)}
        counts={counts}
        onPick={(v) => onChange({ lang: v })}
      />
    </div>
  );
}

const MAX_CHIPS = 8;

function Chips(props: {
  title: string;
  values: FacetValue[];
  selected?: string;
  name: (value: string) => string;
  counts: boolean;
  onPick: (value: string | undefined) => void;
}) {
  const { title, values, selected, name, counts, onPick } = props;
  // One value alone narrows nothing; a chosen one stays, to be taken off.
  if (!selected && values.length < 2) return null;
  const shown = selected ? [{ value: selected, count: 0 }] : values.slice(0, MAX_CHIPS);
  return (
    <div class="chips" role="group" aria-label={title}>
      <span class="chips__title" aria-hidden="true">
        {title}
      </span>
      {shown.map((v) => {
        const text = name(v.value);
        const on = v.value === selected;
        return (
          <button
            key={v.value}
            type="button"
            class={on ? 'chip chip--on' : 'chip'}
            aria-pressed={on}
            aria-label={on ? t('search.facet.clear', { value: text }) : undefined}
            onClick={() => onPick(on ? undefined : v.value)}
          >
            {counts && !on ? t('search.facet.count', { value: text, count: v.count }) : text}
            {on && (
              <span aria-hidden="true" class="chip__x">
                ×
              </span>
            )}
          </button>
        );
      })}
    </div>
  );
}
