/** A genre's encyclopedia page: the card, its sound profile, releases and the analysed tracks. */
import { Link } from 'react-router';
import { Empty, ErrorNotice, Loading } from '@/components/feedback';
import { TrackTable } from '@/components/track-table';
import { percent, traitLabel, traitValue } from '@/lib/format';
import type { GenreDetail } from '@/lib/schemas';
import { useGenre } from '../hooks/use-genres';
import { GenreCardBody } from './genre-card';

function profileValue(trait: string, value: NonNullable<GenreDetail['profile']>[string]): string {
  if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'number') {
    return `${traitValue(trait, value[0])} – ${traitValue(trait, value[1])}`;
  }
  if (Array.isArray(value)) return value.map((v) => traitValue(trait, v)).join(', ');
  return traitValue(trait, value);
}

function Profile({ genre }: { genre: GenreDetail }) {
  const entries = Object.entries(genre.profile ?? {});
  if (entries.length === 0) return null;
  return (
    <section className="card" aria-labelledby="profile-title">
      <h2 id="profile-title">Sound profile</h2>
      <p className="muted small">The ranges GenreLens compares a track with when it explains a match.</p>
      <table className="table">
        <caption className="visually-hidden">{genre.name} profile</caption>
        <tbody>
          {entries.map(([trait, value]) => (
            <tr key={trait}>
              <th scope="row">{traitLabel(trait)}</th>
              <td>{profileValue(trait, value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Lists({ genre }: { genre: GenreDetail }) {
  const blocks: [string, string[]][] = [
    ['Typical sounds', genre.sounds],
    ['Production', genre.production],
    ['Also called', genre.aliases],
  ];
  const shown = blocks.filter(([, items]) => items.length > 0);
  if (shown.length === 0 && genre.releases.length === 0) return null;
  return (
    <section className="card" aria-labelledby="sounds-title">
      <h2 id="sounds-title">Sounds and records</h2>
      {shown.map(([title, items]) => (
        <div key={title}>
          <h3>{title}</h3>
          <ul className="tags">
            {items.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        </div>
      ))}
      {genre.releases.length > 0 ? (
        <>
          <h3>Key releases</h3>
          <ul>
            {genre.releases.map((r) => (
              <li key={`${r.artist}-${r.title}`}>
                {r.artist} – <cite>{r.title}</cite>
                {r.year ? ` (${r.year})` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

export function GenrePage({ slug }: { slug: string }) {
  const { data: genre, error, isPending, refetch } = useGenre(slug);
  if (isPending) return <Loading label="Loading genre…" />;
  if (error) return <ErrorNotice error={error} onRetry={() => void refetch()} />;
  return (
    <article aria-labelledby="genre-title">
      <title>{`${genre.name} · GenreLens`}</title>
      <p className="breadcrumbs">
        <Link to="/genres">Encyclopedia</Link> / <span>{genre.family.name}</span>
      </p>
      <h1 id="genre-title">{genre.name}</h1>
      <section className="card">
        <GenreCardBody genre={genre} />
      </section>
      <div className="grid-2">
        <Profile genre={genre} />
        <Lists genre={genre} />
      </div>
      <section className="card" aria-labelledby="tracks-title">
        <h2 id="tracks-title">Analysed tracks in {genre.name}</h2>
        {genre.tracks.length === 0 ? (
          <Empty>No analysed track has a share of {genre.name} of {percent(genre.min_share)} or more yet.</Empty>
        ) : (
          <>
            <p className="muted small">
              Tracks whose analysis gives {genre.name} a share of {percent(genre.min_share)} or more, largest share first.
            </p>
            <TrackTable tracks={genre.tracks} caption={`Tracks analysed as ${genre.name}`} score={{ label: `${genre.name} share`, of: (t) => t.share }} />
            <p>
              <Link to={`/library?genre=${genre.slug}`}>All {genre.name} tracks in the library</Link>
            </p>
          </>
        )}
      </section>
    </article>
  );
}
