/** A genre's card: image, description, history, tempo, related genres and artists. */
import { Link } from 'react-router';
import { ErrorNotice, Loading } from '@/components/feedback';
import { rhythm } from '@/lib/format';
import { genreImageUrl } from '@/lib/genre-image';
import { familyColor } from '@/lib/palette';
import type { GenreDetail } from '@/lib/schemas';
import { useGenre } from '../hooks/use-genres';

export function historyLine(genre: GenreDetail): string | null {
  const h = genre.history;
  if (!h) return null;
  const years = Array.isArray(h.years) ? h.years.join('–') : h.years;
  return [h.origin, years].filter((v) => v !== null && v !== undefined && v !== '').join(', ') || null;
}

export function RelatedGenres({ genre, onSelect }: { genre: GenreDetail; onSelect?: (slug: string) => void }) {
  if (genre.related.length === 0) return null;
  return (
    <ul className="chips" aria-label={`Genres related to ${genre.name}`}>
      {genre.related.map((r) => (
        <li key={r.slug}>
          {onSelect ? (
            <button type="button" className="chip" onClick={() => onSelect(r.slug)}>
              <span className="swatch" style={{ background: familyColor(r.family) }} aria-hidden="true" />
              {r.name}
            </button>
          ) : (
            <Link className="chip" to={`/genres/${r.slug}`}>
              <span className="swatch" style={{ background: familyColor(r.family) }} aria-hidden="true" />
              {r.name}
            </Link>
          )}
        </li>
      ))}
    </ul>
  );
}

export function GenreCardBody({ genre, onSelect }: { genre: GenreDetail; onSelect?: (slug: string) => void }) {
  const history = historyLine(genre);
  return (
    <div className="genre-card">
      <div className="genre-card__top">
        <img className="genre-card__image" src={genreImageUrl(genre.slug, genre.image_url)} alt={`Abstract image for ${genre.name}`} width={160} height={160} />
        <div>
          <p className="muted small">
            <span className="swatch" style={{ background: familyColor(genre.family.slug) }} aria-hidden="true" /> {genre.family.name}
            {!genre.modelled ? ' · not predicted by the model yet' : ''}
          </p>
          <dl className="facts">
            {genre.tempo_bpm ? (
              <div>
                <dt>Tempo</dt>
                <dd>
                  {genre.tempo_bpm[0]}–{genre.tempo_bpm[1]} BPM
                </dd>
              </div>
            ) : null}
            {genre.rhythm ? (
              <div>
                <dt>Rhythm</dt>
                <dd>{rhythm(genre.rhythm)}</dd>
              </div>
            ) : null}
            {history ? (
              <div>
                <dt>Origin</dt>
                <dd>{history}</dd>
              </div>
            ) : null}
          </dl>
        </div>
      </div>
      <p>{genre.description}</p>
      {genre.history?.text ? (
        <>
          <h3>History</h3>
          <p>{genre.history.text}</p>
        </>
      ) : null}
      {genre.artists.length > 0 ? (
        <>
          <h3>Representative artists</h3>
          <p>{genre.artists.join(', ')}</p>
        </>
      ) : null}
      {genre.related.length > 0 ? (
        <>
          <h3>Related genres</h3>
          <RelatedGenres genre={genre} onSelect={onSelect} />
        </>
      ) : null}
    </div>
  );
}

/** The card loaded by slug, for the result page's dialog. */
export function GenreCard({ slug, onSelect }: { slug: string; onSelect: (slug: string) => void }) {
  const { data, error, isPending, refetch } = useGenre(slug);
  if (isPending) return <Loading label="Loading genre…" />;
  if (error) return <ErrorNotice error={error} onRetry={() => void refetch()} />;
  return (
    <>
      <GenreCardBody genre={data} onSelect={onSelect} />
      <p>
        <Link className="button button--small" to={`/genres/${data.slug}`}>
          Open the {data.name} page
        </Link>
      </p>
    </>
  );
}
