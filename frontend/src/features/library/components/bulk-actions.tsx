/**
 * What can be done to the tracks ticked in the library table at once: label them all with one
 * genre (each label teaches the personal layer, as on a track's page) and export just them.
 * The selection survives scrolling and filtering, so a crate can be gathered across searches.
 */
import { useId, useState } from 'react';
import { ErrorNotice } from '@/components/feedback';
import { EXPORT_FORMATS, exportUrl } from '../api/library';
import { useLabelTracks } from '../hooks/use-library';
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
