/** An artist's page: their genre mix as a bar chart (with a table of values) and their tracks. */
import { Bar, BarChart, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Link } from 'react-router';
import { ErrorBoundary } from '@/components/error-boundary';
import { Empty, ErrorNotice, Loading } from '@/components/feedback';
import { TrackTable } from '@/components/track-table';
import { percent } from '@/lib/format';
import { familyColor } from '@/lib/palette';
import type { ArtistDetail } from '@/lib/schemas';
import { useArtist } from '../hooks/use-library';

/** Genres shown in the artist's mix chart. */
export const MIX_LIMIT = 10;

function GenreMix({ artist }: { artist: ArtistDetail }) {
  const mix = [...artist.genre_mix].sort((a, b) => b.probability - a.probability).slice(0, MIX_LIMIT);
  if (mix.length === 0) return <Empty>No genre estimates for this artist yet.</Empty>;
  return (
    <figure aria-label={`${artist.name}'s genre mix`}>
      <ErrorBoundary>
        <ResponsiveContainer width="100%" height={Math.max(120, mix.length * 32)}>
          <BarChart data={mix} layout="vertical" margin={{ left: 8, right: 24 }}>
            <XAxis type="number" domain={[0, 'dataMax']} tickFormatter={(v: number) => percent(v)} stroke="var(--muted)" fontSize={12} />
            <YAxis type="category" dataKey="name" width={130} stroke="var(--muted)" fontSize={12} />
            <Tooltip
              formatter={(value) => [percent(Number(value), 1), 'Share']}
              contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', borderRadius: 8 }}
              cursor={{ fill: 'var(--hover)' }}
            />
            <Bar dataKey="probability" isAnimationActive={false} radius={[0, 4, 4, 0]}>
              {mix.map((g) => (
                <Cell key={g.slug} fill={familyColor(g.family)} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </ErrorBoundary>
      <details className="table-fallback">
        <summary>Show the mix as a table</summary>
        <table className="table">
          <caption className="visually-hidden">{artist.name} genre mix</caption>
          <tbody>
            {mix.map((g) => (
              <tr key={g.slug}>
                <th scope="row">
                  <Link to={`/genres/${g.slug}`}>{g.name}</Link>
                </th>
                <td className="num">{percent(g.probability, 1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

export function ArtistView({ id }: { id: string }) {
  const { data: artist, error, isPending, refetch } = useArtist(id);
  if (isPending) return <Loading label="Loading artist…" />;
  if (error) return <ErrorNotice error={error} onRetry={() => void refetch()} />;
  return (
    <article aria-labelledby="artist-title">
      <title>{`${artist.name} · GenreLens`}</title>
      <p className="breadcrumbs">
        <Link to="/library">Library</Link> / Artist
      </p>
      <h1 id="artist-title">{artist.name}</h1>
      <p className="legend" aria-label="Family mix">
        {[...artist.family_mix]
          .sort((a, b) => b.probability - a.probability)
          .map((f) => (
            <span key={f.slug} className="legend__item">
              <span className="swatch" style={{ background: familyColor(f.slug) }} aria-hidden="true" />
              {f.name} {percent(f.probability)}
            </span>
          ))}
      </p>
      <div className="grid-2">
        <section className="card" aria-labelledby="mix-title">
          <h2 id="mix-title">Genre mix</h2>
          <GenreMix artist={artist} />
        </section>
        <section className="card" aria-labelledby="artist-tracks-title">
          <h2 id="artist-tracks-title">
            Tracks <span className="muted">({artist.tracks.length})</span>
          </h2>
          {artist.tracks.length === 0 ? <Empty>No tracks.</Empty> : <TrackTable tracks={artist.tracks} caption={`Tracks by ${artist.name}`} />}
        </section>
      </div>
    </article>
  );
}
