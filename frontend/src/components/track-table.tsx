/**
 * Tables of analysed tracks. `TrackTable` shows a short list whole (genre pages, artist pages,
 * "sounds like"); the library's windowed table (`features/library`) draws the same header and
 * rows (`TrackHeader`, `TrackRow`) for only the rows in view. Column headers sort when the
 * caller passes `ordering`; rows link to each track's analysis. A caller may add one score column
 * (`score`): a genre's page shows that genre's share of each track, a "sounds like" list the
 * similarity to the track it started from. With `selection`, each row gets a checkbox and the
 * header one that ticks or clears every row the table holds (the library's bulk actions).
 */
import { Link } from 'react-router';
import { bpm, duration, percent } from '@/lib/format';
import { familyColor } from '@/lib/palette';
import type { TrackListItem } from '@/lib/schemas';

export interface SortProps {
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

/** An extra column after the top genre: fractions (0..1) shown as percentages unless `format`
 * says otherwise; `title` explains the number on its header. */
export interface ScoreColumn<T> {
  label: string;
  of: (track: T) => number;
  format?: (value: number) => string;
  title?: string;
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

/** Columns of a track row: 7, plus the score and the checkbox when there are. */
export function trackColumns(options: { score?: unknown; selection?: unknown }): number {
  return 7 + (options.score ? 1 : 0) + (options.selection ? 1 : 0);
}

function SelectAllCheckbox({ ids, selection }: { ids: string[]; selection: Selection }) {
  const ticked = ids.filter((id) => selection.selected.has(id)).length;
  return (
    <th scope="col" className="select-cell">
      <input
        type="checkbox"
        aria-label="Select every listed track"
        title="Ticks every track loaded so far"
        checked={ticked > 0 && ticked === ids.length}
        ref={(box) => {
          if (box) box.indeterminate = ticked > 0 && ticked < ids.length;
        }}
        onChange={(e) => selection.onChange(ids, e.target.checked)}
      />
    </th>
  );
}

/** The header row; with `selection`, its checkbox ticks or clears `ids`. */
export function TrackHeader<T extends TrackListItem>({ ids, sort, score, selection }: { ids: string[]; sort?: SortProps; score?: ScoreColumn<T>; selection?: Selection }) {
  return (
    <tr>
      {selection ? <SelectAllCheckbox ids={ids} selection={selection} /> : null}
      <SortHeader column="title" label="Track" sort={sort} />
      <th scope="col">Artist</th>
      <SortHeader column="top" label="Top genre" sort={sort} />
      {score ? (
        <th scope="col" className="num" title={score.title}>
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
  );
}

/** One track's row; `rowIndex` is its `aria-rowindex` when the table shows only some rows. */
export function TrackRow<T extends TrackListItem>({ track: t, score, selection, rowIndex }: { track: T; score?: ScoreColumn<T>; selection?: Selection; rowIndex?: number }) {
  return (
    <tr aria-selected={selection ? selection.selected.has(t.id) : undefined} aria-rowindex={rowIndex}>
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
      {score ? <td className="num">{(score.format ?? percent)(score.of(t))}</td> : null}
      <td className="num">{t.bpm === null ? '–' : bpm(Math.round(t.bpm)).replace(' BPM', '')}</td>
      <td>
        {t.key ?? '–'} {t.camelot ? <span className="pill">{t.camelot}</span> : null}
      </td>
      <td className="num">{t.energy === null || t.energy === undefined ? '–' : t.energy}</td>
      <td className="num">{duration(t.duration_s)}</td>
    </tr>
  );
}

export function TrackTable<T extends TrackListItem>({ tracks, sort, caption, score, selection }: TrackTableProps<T>) {
  return (
    <div className="table-scroll">
      <table className="table track-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <TrackHeader ids={tracks.map((t) => t.id)} sort={sort} score={score} selection={selection} />
        </thead>
        <tbody>
          {tracks.map((t) => (
            <TrackRow key={t.id} track={t} score={score} selection={selection} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
