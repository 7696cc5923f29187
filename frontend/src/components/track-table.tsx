/**
 * A table of analysed tracks (library, genre pages, artist pages). Column headers sort when the
 * caller passes `ordering`; rows link to each track's analysis. A caller may add one score column
 * (`score`): a genre's page shows that genre's share of each track, a "sounds like" list the
 * similarity to the track it started from. With `selection`, each row gets a checkbox and the
 * header one that ticks or clears the whole page (the library's bulk actions).
 */
import { Link } from 'react-router';
import { bpm, duration, percent } from '@/lib/format';
import { familyColor } from '@/lib/palette';
import type { TrackListItem } from '@/lib/schemas';

interface SortProps {
  ordering: string;
  onSort: (ordering: string) => void;
}

const SORTABLE: Record<string, string> = { title: 'title', bpm: 'bpm', top: 'top_probability', energy: 'energy', added: 'created_at' };

function SortHeader({ column, label, sort, numeric = false }: { column: string; label: string; sort?: SortProps; numeric?: boolean }) {
  const field = SORTABLE[column];
  if (!sort || !field) return <th scope="col" className={numeric ? 'num' : undefined}>{label}</th>;
  const active = sort.ordering === field ? 'ascending' : sort.ordering === `-${field}` ? 'descending' : 'none';
  const next = active === 'ascending' ? `-${field}` : field;
  return (
    <th scope="col" aria-sort={active} className={numeric ? 'num' : undefined}>
      <button type="button" className="sort-button" onClick={() => sort.onSort(next)}>
        {label}
        <span aria-hidden="true" className="sort-button__icon">
          {active === 'ascending' ? '▲' : active === 'descending' ? '▼' : '↕'}
        </span>
        <span className="visually-hidden">, sort {active === 'ascending' ? 'descending' : 'ascending'}</span>
      </button>
    </th>
  );
}

/** An extra column of fractions (0..1) shown as percentages, after the top genre. */
export interface ScoreColumn<T> {
  label: string;
  of: (track: T) => number;
}

/** Ticked rows, by track id; `onChange` gets the ids to tick (`true`) or clear (`false`). */
export interface Selection {
  selected: ReadonlySet<string>;
  onChange: (ids: string[], selected: boolean) => void;
}

interface TrackTableProps<T extends TrackListItem> {
  tracks: T[];
  sort?: SortProps;
  caption: string;
  score?: ScoreColumn<T>;
  selection?: Selection;
}

function PageCheckbox({ ids, selection }: { ids: string[]; selection: Selection }) {
  const ticked = ids.filter((id) => selection.selected.has(id)).length;
  return (
    <th scope="col" className="select-cell">
      <input
        type="checkbox"
        aria-label="Select every track on this page"
        checked={ticked > 0 && ticked === ids.length}
        ref={(box) => {
          if (box) box.indeterminate = ticked > 0 && ticked < ids.length;
        }}
        onChange={(e) => selection.onChange(ids, e.target.checked)}
      />
    </th>
  );
}

export function TrackTable<T extends TrackListItem>({ tracks, sort, caption, score, selection }: TrackTableProps<T>) {
  return (
    <div className="table-scroll">
      <table className="table track-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {selection ? <PageCheckbox ids={tracks.map((t) => t.id)} selection={selection} /> : null}
            <SortHeader column="title" label="Track" sort={sort} />
            <th scope="col">Artist</th>
            <SortHeader column="top" label="Top genre" sort={sort} />
            {score ? (
              <th scope="col" className="num">
                {score.label}
              </th>
            ) : null}
            <SortHeader column="bpm" label="BPM" sort={sort} numeric />
            <th scope="col">Key</th>
            <SortHeader column="energy" label="Energy" sort={sort} numeric />
            <th scope="col" className="num">
              Length
            </th>
          </tr>
        </thead>
        <tbody>
          {tracks.map((t) => (
            <tr key={t.id} aria-selected={selection ? selection.selected.has(t.id) : undefined}>
              {selection ? (
                <td className="select-cell">
                  <input
                    type="checkbox"
                    aria-label={`Select ${t.title || 'Untitled'}`}
                    checked={selection.selected.has(t.id)}
                    onChange={(e) => selection.onChange([t.id], e.target.checked)}
                  />
                </td>
              ) : null}
              <th scope="row">
                {t.analysis_id ? <Link to={`/analyses/${t.analysis_id}`}>{t.title || 'Untitled'}</Link> : t.title || 'Untitled'}
              </th>
              <td>{t.artist ? <Link to={`/artists/${t.artist.id}`}>{t.artist.name}</Link> : <span className="muted">–</span>}</td>
              <td>
                {t.top_genre ? (
                  <span className="genre-cell">
                    <span className="swatch" style={{ background: familyColor(t.top_genre.family) }} aria-hidden="true" />
                    <Link to={`/genres/${t.top_genre.slug}`}>{t.top_genre.name}</Link>
                    <span className="muted small"> {percent(t.top_genre.probability)}</span>
                    {t.unsure ? <span className="pill pill--unsure" title="The model was not sure">unsure</span> : null}
                  </span>
                ) : (
                  <span className="muted">–</span>
                )}
              </td>
              {score ? <td className="num">{percent(score.of(t))}</td> : null}
              <td className="num">{t.bpm === null ? '–' : bpm(Math.round(t.bpm)).replace(' BPM', '')}</td>
              <td>
                {t.key ?? '–'} {t.camelot ? <span className="pill">{t.camelot}</span> : null}
              </td>
              <td className="num">{t.energy === null || t.energy === undefined ? '–' : t.energy}</td>
              <td className="num">{duration(t.duration_s)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Pagination({ page, count, pageSize, onPage }: { page: number; count: number; pageSize: number; onPage: (page: number) => void }) {
  const pages = Math.max(1, Math.ceil(count / pageSize));
  if (pages <= 1) return null;
  return (
    <nav className="pagination" aria-label="Pages">
      <button type="button" className="button button--ghost button--small" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span aria-current="page">
        Page {page} of {pages}
      </span>
      <button type="button" className="button button--ghost button--small" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next
      </button>
    </nav>
  );
}
