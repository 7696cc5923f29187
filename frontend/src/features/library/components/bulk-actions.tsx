/**
 * What can be done to the tracks ticked in the library table at once: label them all with one
 * genre (each label teaches the personal layer, as on a track's page) and export just them.
 * The selection survives scrolling and filtering, so a crate can be gathered across searches;
 * `SelectMatching` ticks every track the filters match, loaded or not.
 */
import { useId, useState } from 'react';
import { ErrorNotice } from '@/components/feedback';
import { errorMessage } from '@/lib/errors';
import { EXPORT_FORMATS, MAX_SELECTED, exportUrl, type TrackFilters } from '../api/library';
import { useLabelTracks, useMatchingIds } from '../hooks/use-library';
import { GenreSelect, type FamilyChoice } from './personal-answer';

function tracks(n: number): string {
  return `${n} ${n === 1 ? 'track' : 'tracks'}`;
}

export function BulkActions({ selected, choices, onClear }: { selected: readonly string[]; choices: FamilyChoice[]; onClear: () => void }) {
  const label = useLabelTracks();
  const [genre, setGenre] = useState('');
  const selectId = useId();
  if (selected.length === 0) return null;
  const ids = selected.join(',');
  const failed = label.data?.length ?? 0;
  const done = label.isSuccess ? label.variables.ids.length - failed : 0;
  return (
    <section className="bulk-actions" aria-label="Selected tracks">
      <strong>{tracks(selected.length)} selected</strong>
      <form
        className="bulk-actions__label"
        onSubmit={(e) => {
          e.preventDefault();
          if (genre) label.mutate({ ids: [...selected], genre });
        }}
      >
        <label htmlFor={selectId}>Label as</label>
        <GenreSelect id={selectId} value={genre} onChange={setGenre} choices={choices} />
        <button type="submit" className="button button--small" disabled={!genre || label.isPending}>
          {label.isPending ? 'Labelling…' : 'Apply'}
        </button>
      </form>
      <span className="export-links">
        Export them:{' '}
        {Object.entries(EXPORT_FORMATS).map(([format, name], i) => (
          <span key={format}>
            {i > 0 ? ', ' : ''}
            <a href={exportUrl({ ids }, format as keyof typeof EXPORT_FORMATS)} download>
              {name}
            </a>
          </span>
        ))}
      </span>
      <button type="button" className="button button--ghost button--small" onClick={onClear}>
        Clear selection
      </button>
      <p role="status" className="muted small">
        {label.isSuccess ? `Labelled ${tracks(done)}${failed ? `; ${tracks(failed)} could not be labelled` : ''}.` : ''}
      </p>
      {label.error ? <ErrorNotice error={label.error} /> : null}
    </section>
  );
}

/** Ticks every track matching `filters` (up to a selection's limit), not only the rows loaded. */
export function SelectMatching({ filters, count, onSelect }: { filters: TrackFilters; count: number; onSelect: (ids: string[]) => void }) {
  const matching = useMatchingIds();
  return (
    <span className="select-matching">
      {' · '}
      <button
        type="button"
        className="button button--ghost button--small"
        disabled={matching.isPending}
        onClick={() => matching.mutate(filters, { onSuccess: (body) => onSelect(body.ids) })}
      >
        {matching.isPending ? 'Selecting…' : count > MAX_SELECTED ? `Select the first ${MAX_SELECTED} matching` : `Select all matching (${count})`}
      </button>
      {matching.data?.truncated ? (
        <span role="status">
          {` A selection holds at most ${MAX_SELECTED} tracks: the first ${matching.data.ids.length} of ${matching.data.count} are ticked.`}
        </span>
      ) : null}
      {/* Inline: this sits in the count's paragraph, where a notice block cannot. */}
      {matching.error ? <span role="alert" className="error-text">{` ${errorMessage(matching.error)}`}</span> : null}
    </span>
  );
}
