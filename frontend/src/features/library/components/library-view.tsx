/**
 * The library: every analysed track in one scrolling table (`LibraryTable`), filtered and sorted
 * through the URL's query string so each view is a link that can be shared or bookmarked.
 */
import { useEffect, useId, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Empty, ErrorNotice, Loading } from '@/components/feedback';
import type { TaxonomyFamily } from '@/lib/schemas';
import { useTracks } from '../hooks/use-library';
import { EXPORT_FORMATS, MAX_SELECTED, exportUrl, type TrackFilters } from '../api/library';
import { BulkActions, SelectMatching } from './bulk-actions';
import { LibraryTable } from './library-table';

/** Wait this long after typing before searching [ms]. */
export const SEARCH_DEBOUNCE_MS = 300;
export const DEFAULT_ORDERING = '-created_at';
const FILTER_KEYS = ['search', 'genre', 'family', 'bpm_min', 'bpm_max', 'key', 'mixable', 'energy_min', 'energy_max', 'unsure', 'artist', 'ordering'] as const;
export const CAMELOT_KEYS = Array.from({ length: 12 }, (_, i) => [`${i + 1}A`, `${i + 1}B`]).flat();

export function filtersFrom(params: URLSearchParams): TrackFilters {
  const filters: TrackFilters = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  return filters;
}

export function LibraryView({ families, artistName }: { families: TaxonomyFamily[]; artistName?: string | null }) {
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params);
  // Page 1 says how many tracks match; the table fetches the pages it scrolls to.
  const { data, error, isPending, isFetching, refetch } = useTracks({ ...filters, page: 1 });
  const [search, setSearch] = useState(filters.search ?? '');
  // Ticked tracks, in the order they were ticked; kept across pages and filters.
  const [selected, setSelected] = useState<string[]>([]);
  const selectedSet = useMemo(() => new Set(selected), [selected]);
  const selection = {
    selected: selectedSet,
    onChange: (changed: string[], on: boolean) =>
      setSelected((prev) => (on ? [...prev, ...changed.filter((id) => !prev.includes(id))].slice(0, MAX_SELECTED) : prev.filter((id) => !changed.includes(id)))),
  };
  const ids = {
    search: useId(),
    family: useId(),
    genre: useId(),
    min: useId(),
    max: useId(),
    key: useId(),
    mixable: useId(),
    energyMin: useId(),
    energyMax: useId(),
    unsure: useId(),
  };

  const update = (change: Partial<Record<(typeof FILTER_KEYS)[number], string | null>>) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [key, value] of Object.entries(change)) {
          if (value) next.set(key, value);
          else next.delete(key);
        }
        return next;
      },
      { replace: true },
    );
  };

  useEffect(() => {
    if ((filters.search ?? '') === search.trim()) return undefined;
    const timer = window.setTimeout(() => update({ search: search.trim() || null }), SEARCH_DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [search]);

  const family = families.find((f) => f.slug === filters.family);
  const genreChoices = family ? family.genres : families.flatMap((f) => f.genres);
  const active = FILTER_KEYS.some((k) => k !== 'ordering' && params.get(k));

  return (
    <div>
      <form className="filters" role="search" aria-label="Filter tracks" onSubmit={(e) => e.preventDefault()}>
        <label className="field field--grow" htmlFor={ids.search}>
          <span>Search</span>
          <input id={ids.search} type="search" value={search} placeholder="Title, artist or album" onChange={(e) => setSearch(e.target.value)} />
        </label>
        <label className="field" htmlFor={ids.family}>
          <span>Family</span>
          <select id={ids.family} value={filters.family ?? ''} onChange={(e) => update({ family: e.target.value || null, genre: null })}>
            <option value="">All families</option>
            {families.map((f) => (
              <option key={f.slug} value={f.slug}>
                {f.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field" htmlFor={ids.genre}>
          <span>Genre</span>
          <select id={ids.genre} value={filters.genre ?? ''} onChange={(e) => update({ genre: e.target.value || null })}>
            <option value="">All genres</option>
            {genreChoices.map((g) => (
              <option key={g.slug} value={g.slug}>
                {g.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field field--narrow" htmlFor={ids.min}>
          <span>BPM from</span>
          <input id={ids.min} type="number" inputMode="numeric" min={0} max={400} value={filters.bpm_min ?? ''} onChange={(e) => update({ bpm_min: e.target.value || null })} />
        </label>
        <label className="field field--narrow" htmlFor={ids.max}>
          <span>to</span>
          <input id={ids.max} type="number" inputMode="numeric" min={0} max={400} value={filters.bpm_max ?? ''} onChange={(e) => update({ bpm_max: e.target.value || null })} />
        </label>
        <label className="field field--narrow" htmlFor={ids.key}>
          <span>Key</span>
          <select id={ids.key} value={filters.key ?? ''} onChange={(e) => update({ key: e.target.value || null, mixable: e.target.value ? (filters.mixable ?? null) : null })}>
            <option value="">Any</option>
            {CAMELOT_KEYS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <label className="checkbox" htmlFor={ids.mixable} title="The key, one step either way on the Camelot wheel, and its relative">
          <input
            id={ids.mixable}
            type="checkbox"
            disabled={!filters.key}
            checked={filters.mixable === 'true'}
            onChange={(e) => update({ mixable: e.target.checked ? 'true' : null })}
          />
          <span>and keys that mix</span>
        </label>
        <label className="field field--narrow" htmlFor={ids.energyMin}>
          <span>Energy from</span>
          <input id={ids.energyMin} type="number" inputMode="numeric" min={1} max={10} value={filters.energy_min ?? ''} onChange={(e) => update({ energy_min: e.target.value || null })} />
        </label>
        <label className="field field--narrow" htmlFor={ids.energyMax}>
          <span>to</span>
          <input id={ids.energyMax} type="number" inputMode="numeric" min={1} max={10} value={filters.energy_max ?? ''} onChange={(e) => update({ energy_max: e.target.value || null })} />
        </label>
        <label className="field" htmlFor={ids.unsure}>
          <span>Answer</span>
          <select id={ids.unsure} value={filters.unsure ?? ''} onChange={(e) => update({ unsure: e.target.value || null })}>
            <option value="">Sure or unsure</option>
            <option value="false">Sure only</option>
            <option value="true">Unsure only</option>
          </select>
        </label>
        {active ? (
          <button
            type="button"
            className="button button--ghost button--small"
            onClick={() => {
              setSearch('');
              setParams(filters.ordering ? { ordering: filters.ordering } : {}, { replace: true });
            }}
          >
            Clear filters
          </button>
        ) : null}
      </form>
      {filters.artist ? (
        <p className="chips">
          <button type="button" className="chip" onClick={() => update({ artist: null })} aria-label={`Remove artist filter ${artistName ?? ''}`}>
            Artist: {artistName ?? filters.artist} <span aria-hidden="true">×</span>
          </button>
        </p>
      ) : null}
      <div aria-live="polite" aria-busy={isFetching}>
        {isPending ? <Loading label="Loading tracks…" /> : null}
        {error ? <ErrorNotice error={error} onRetry={() => void refetch()} /> : null}
        {data ? (
          <>
            <p className="muted small">
              {data.count} {data.count === 1 ? 'track' : 'tracks'}
              {isFetching ? ' · updating…' : ''}
              {data.count > 0 ? (
                <span className="export-links">
                  {' · Export these tracks: '}
                  {Object.entries(EXPORT_FORMATS).map(([format, label], i) => (
                    <span key={format}>
                      {i > 0 ? ', ' : ''}
                      <a href={exportUrl(filters, format as keyof typeof EXPORT_FORMATS)} download>
                        {label}
                      </a>
                    </span>
                  ))}
                </span>
              ) : null}
              {data.count > 0 ? <SelectMatching key={JSON.stringify(filters)} filters={filters} count={data.count} onSelect={(ids) => selection.onChange(ids, true)} /> : null}
            </p>
            <BulkActions selected={selected} choices={families} onClear={() => setSelected([])} />
            {data.count === 0 ? (
              <Empty>{active ? 'No track matches these filters.' : 'The library is empty. Analyse a track to fill it.'}</Empty>
            ) : (
              <LibraryTable
                filters={filters}
                count={data.count}
                sort={{ ordering: filters.ordering ?? DEFAULT_ORDERING, onSort: (ordering) => update({ ordering }) }}
                selection={selection}
              />
            )}
          </>
        ) : null}
      </div>
    </div>
  );
}
