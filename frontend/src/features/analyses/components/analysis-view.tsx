/**
 * One analysis, from upload to result: live progress while it runs, a plain failure message if it
 * failed, and the full result (headline, facts, breakdown, timeline with player, the "why").
 */
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { ErrorBoundary } from '@/components/error-boundary';
import { ErrorNotice } from '@/components/feedback';
import { apiUrl } from '@/lib/api-client';
import { ApiError } from '@/lib/errors';
import { percent } from '@/lib/format';
import { genreImageUrl } from '@/lib/genre-image';
import { familyColor } from '@/lib/palette';
import type { Analysis, AnalysisResult } from '@/lib/schemas';
import { AnalysisProgress } from './analysis-progress';
import { GenreBreakdown } from './genre-breakdown';
import { GenreTimeline } from './genre-timeline';
import { TrackStats } from './track-stats';
import { TrackStructure } from './track-structure';
import { UnsureBanner } from './unsure-banner';
import { WhyChart } from './why-chart';
import { trackTitle } from '../utils/track-title';

/** How many top genres get a "why" tab. */
export const WHY_TABS = 3;

function Headline({ result, onSelectGenre }: { result: AnalysisResult; onSelectGenre: (slug: string) => void }) {
  const top = result.top[0] ?? [...result.genres].sort((a, b) => b.probability - a.probability)[0];
  const family = [...result.families].sort((a, b) => b.probability - a.probability)[0];
  if (!top) {
    return (
      <section className="card headline">
        <p className="headline__lead">No genre estimate for this track.</p>
      </section>
    );
  }
  const image = 'image' in top ? genreImageUrl(top.slug, top.image as string | null | undefined) : genreImageUrl(top.slug);
  const description = 'description' in top ? (top.description as string) : '';
  return (
    <section className="card headline" aria-labelledby="headline-title" style={{ borderTopColor: familyColor(top.family) }}>
      <img className="headline__image" src={image} alt="" width={120} height={120} onError={(e) => (e.currentTarget.style.visibility = 'hidden')} />
      <div>
        <p className="muted small">{result.confidence.unsure ? 'Best guess' : 'Sounds most like'}</p>
        <h2 id="headline-title" className="headline__genre">
          {top.name} <span className="headline__pct">{percent(top.probability)}</span>
        </h2>
        {family ? (
          <p className="muted">
            Family: <strong>{family.name}</strong> {percent(family.probability)}
          </p>
        ) : null}
        {description ? <p className="headline__text">{description}</p> : null}
        <button type="button" className="button button--small" onClick={() => onSelectGenre(top.slug)}>
          About {top.name}
        </button>
      </div>
    </section>
  );
}

function WhySection({ result }: { result: AnalysisResult }) {
  const tabs = result.top.slice(0, WHY_TABS);
  const [active, setActive] = useState(0);
  const current = tabs[active] ?? tabs[0];
  if (!current) return null;
  return (
    <section className="card" aria-labelledby="why-title">
      <h2 id="why-title">Why these genres?</h2>
      {tabs.length > 1 ? (
        <div className="tabs" role="tablist" aria-label="Compare with genre">
          {tabs.map((t, i) => (
            <button
              key={t.slug}
              type="button"
              role="tab"
              id={`why-tab-${t.slug}`}
              aria-selected={i === active}
              aria-controls="why-panel"
              tabIndex={i === active ? 0 : -1}
              className="tabs__tab"
              onClick={() => setActive(i)}
              onKeyDown={(e) => {
                if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
                  const next = (i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length;
                  setActive(next);
                  document.getElementById(`why-tab-${tabs[next]?.slug}`)?.focus();
                }
              }}
            >
              {t.name} <span className="muted">{percent(t.probability)}</span>
            </button>
          ))}
        </div>
      ) : null}
      <div id="why-panel" role={tabs.length > 1 ? 'tabpanel' : undefined} aria-labelledby={tabs.length > 1 ? `why-tab-${current.slug}` : undefined}>
        <WhyChart why={current.why} genreName={current.name} />
      </div>
    </section>
  );
}

function Result({ analysis, result, onSelectGenre }: { analysis: Analysis; result: AnalysisResult; onSelectGenre: (slug: string) => void }) {
  const audio = useRef<HTMLAudioElement>(null);
  const [time, setTime] = useState<number | null>(null);
  const audioUrl = analysis.track?.audio_url;
  const seek = (seconds: number) => {
    const el = audio.current;
    if (!el) return;
    el.currentTime = seconds;
    setTime(seconds);
    void el.play().catch(() => undefined);
  };
  const noModel = result.genres.length === 0;
  return (
    <>
      <UnsureBanner result={result} />
      {noModel ? null : <Headline result={result} onSelectGenre={onSelectGenre} />}
      <section className="card" aria-labelledby="facts-title">
        <h2 id="facts-title">Tempo, key, energy and loudness</h2>
        <TrackStats result={result} />
      </section>
      <section className="card" aria-labelledby="breakdown-title">
        <h2 id="breakdown-title">Genre breakdown</h2>
        {noModel ? (
          <p className="muted">No genre probabilities: this server has no genre model installed yet.</p>
        ) : (
          <>
            <p className="muted small">Inner ring: families. Outer ring: genres. Hover or tap for exact values; choose a genre to read about it.</p>
            <GenreBreakdown genres={result.genres} families={result.families} onSelectGenre={onSelectGenre} />
          </>
        )}
      </section>
      {noModel && !audioUrl ? null : (
        <section className="card" aria-labelledby="timeline-title">
          <h2 id="timeline-title">{noModel ? 'Listen' : 'Genre over time'}</h2>
          {audioUrl ? (
            <audio
              ref={audio}
              className="player"
              controls
              preload="metadata"
              src={apiUrl(audioUrl)}
              onTimeUpdate={(e) => setTime(e.currentTarget.currentTime)}
              onSeeked={(e) => setTime(e.currentTarget.currentTime)}
            >
              Your browser cannot play this audio.
            </audio>
          ) : null}
          {noModel ? null : (
            <ErrorBoundary>
              <GenreTimeline timeline={result.timeline} genres={result.genres} currentTime={time} onSeek={audioUrl ? seek : undefined} />
            </ErrorBoundary>
          )}
        </section>
      )}
      <section className="card" aria-labelledby="structure-title">
        <h2 id="structure-title">Sections and cues</h2>
        <TrackStructure result={result} currentTime={time} onSeek={audioUrl ? seek : undefined} />
      </section>
      {result.top.length > 0 ? <WhySection result={result} /> : null}
      <p className="muted small">
        Model {result.model ? `${result.model.name} ${result.model.version}` : 'none'} · analysed {Math.round(result.source.duration_analyzed_s)} s
        of audio
        {result.timings.total_s !== undefined ? ` in ${result.timings.total_s.toFixed(1)} s` : ''}
        {analysis.reused ? ' · this file had been analysed before, so the stored result was reused' : ''}
      </p>
    </>
  );
}

export function AnalysisView({
  analysis,
  onSelectGenre,
  onDelete,
  deleting = false,
}: {
  analysis: Analysis;
  onSelectGenre: (slug: string) => void;
  onDelete?: () => void;
  deleting?: boolean;
}) {
  const title = trackTitle(analysis);
  const artist = analysis.track?.artist;
  return (
    <article className="analysis" aria-labelledby="analysis-title">
      <header className="analysis__header">
        <div>
          <h1 id="analysis-title">{title}</h1>
          <p className="muted">
            {artist ? (
              <Link to={`/artists/${artist.id}`}>{artist.name}</Link>
            ) : (
              'Unknown artist'
            )}
            {analysis.track?.album ? ` · ${analysis.track.album}` : ''}
            {analysis.track?.year ? ` · ${analysis.track.year}` : ''}
          </p>
        </div>
        <div className="row">
          <Link className="button button--small" to="/">
            Analyse another track
          </Link>
          {onDelete ? (
            <button type="button" className="button button--ghost button--small" onClick={onDelete} disabled={deleting}>
              {deleting ? 'Deleting…' : 'Delete'}
            </button>
          ) : null}
        </div>
      </header>
      {analysis.status === 'queued' || analysis.status === 'running' ? (
        <section className="card">
          <AnalysisProgress analysis={analysis} />
        </section>
      ) : null}
      {analysis.status === 'failed' ? (
        <section className="card">
          <ErrorNotice
            title="This track could not be analysed"
            error={new ApiError(analysis.error?.message ?? 'The analysis failed.', { code: analysis.error?.code ?? 'analysis_failed', status: 200 })}
          />
          <p>
            <Link to="/">Try another file</Link>
          </p>
        </section>
      ) : null}
      {analysis.status === 'succeeded' && analysis.result ? (
        <Result analysis={analysis} result={analysis.result} onSelectGenre={onSelectGenre} />
      ) : null}
      {analysis.status === 'succeeded' && !analysis.result ? <p className="muted">Finishing up…</p> : null}
    </article>
  );
}
