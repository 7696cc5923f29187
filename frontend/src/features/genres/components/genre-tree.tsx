/** The taxonomy as a browsable map: one card per family with its genres, filterable by name. */
import { useDeferredValue, useId, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { Empty, ErrorNotice, Loading } from '@/components/feedback';
import { familyColor } from '@/lib/palette';
import { useTaxonomy } from '../hooks/use-genres';

export function GenreTree() {
  const { data, error, isPending, refetch } = useTaxonomy();
  const [query, setQuery] = useState('');
  const [modelledOnly, setModelledOnly] = useState(false);
  const deferred = useDeferredValue(query.trim().toLowerCase());
  const searchId = useId();

  const families = useMemo(() => {
    return (data?.families ?? [])
      .map((family) => ({
        ...family,
        genres: family.genres.filter(
          (g) => (!modelledOnly || g.modelled) && (!deferred || g.name.toLowerCase().includes(deferred) || family.name.toLowerCase().includes(deferred)),
        ),
      }))
      .filter((family) => family.genres.length > 0);
  }, [data, deferred, modelledOnly]);

  if (isPending) return <Loading label="Loading the genre map…" />;
  if (error) return <ErrorNotice error={error} onRetry={() => void refetch()} />;
  const total = data.families.reduce((n, f) => n + f.genres.length, 0);

  return (
    <div>
      <div className="toolbar">
        <label htmlFor={searchId} className="field">
          <span>Find a genre</span>
          <input id={searchId} type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="e.g. garage, acid, 170" />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={modelledOnly} onChange={(e) => setModelledOnly(e.target.checked)} />
          Only genres the model predicts
        </label>
        <p className="muted small" aria-live="polite">
          {families.reduce((n, f) => n + f.genres.length, 0)} of {total} genres in {families.length} families
        </p>
      </div>
      {families.length === 0 ? <Empty>No genre matches “{query}”.</Empty> : null}
      <ul className="family-grid" aria-label="Genre families">
        {families.map((family) => (
          <li key={family.slug} className="card family" style={{ borderTopColor: familyColor(family.slug) }}>
            <h2 className="family__name">
              <span className="swatch swatch--lg" style={{ background: familyColor(family.slug) }} aria-hidden="true" />
              {family.name}
            </h2>
            {family.description ? <p className="muted small">{family.description}</p> : null}
            <ul className="chips" aria-label={`${family.name} genres`}>
              {family.genres.map((g) => (
                <li key={g.slug}>
                  <Link className={`chip${g.modelled ? ' chip--modelled' : ''}`} to={`/genres/${g.slug}`}>
                    {g.name}
                    {g.tempo_bpm ? <span className="chip__meta">{`${g.tempo_bpm[0]}–${g.tempo_bpm[1]}`}</span> : null}
                  </Link>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      <p className="muted small">Bold genres are predicted by the model; the others are described for reference. Numbers are typical BPM.</p>
    </div>
  );
}
