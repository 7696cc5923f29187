/** Result page of one analysis; `?genre=<slug>` opens that genre's card over it. */
import { useCallback, useEffect, useRef } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { Dialog } from '@/components/dialog';
import { ErrorNotice, Loading } from '@/components/feedback';
import { Page } from '@/components/layout';
import { AnalysisView } from '@/features/analyses/components/analysis-view';
import { trackTitle } from '@/features/analyses/utils/track-title';
import { useAnalysis, useDeleteAnalysis } from '@/features/analyses/hooks/use-analysis';
import { GenreCard } from '@/features/genres/components/genre-card';
import { useGenre, useTaxonomy } from '@/features/genres/hooks/use-genres';
import { PersonalAnswerCard } from '@/features/library/components/personal-answer';
import { SimilarTracks } from '@/features/library/components/similar-tracks';
import { ApiError } from '@/lib/errors';
import { humanize } from '@/lib/format';

export function AnalysisRoute() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const { data, error, isPending, refetch } = useAnalysis(id);
  const remove = useDeleteAnalysis();
  const deleted = useRef(false);
  const { forget } = remove;
  // Drop a deleted analysis from the cache once its page is gone (not before: the page would
  // fetch it again and get a 404).
  useEffect(() => () => (deleted.current ? forget(id) : undefined), [forget, id]);
  const genreSlug = params.get('genre');
  const genre = useGenre(genreSlug);
  const taxonomy = useTaxonomy();

  const selectGenre = useCallback((slug: string) => setParams({ genre: slug }), [setParams]);
  const closeGenre = useCallback(() => setParams({}, { replace: true }), [setParams]);

  if (isPending) {
    return (
      <Page title="Analysis">
        <Loading label="Loading analysis…" />
      </Page>
    );
  }
  if (error) {
    const missing = error instanceof ApiError && error.status === 404;
    return (
      <Page title="Analysis">
        <ErrorNotice title={missing ? 'This analysis does not exist' : 'Could not load this analysis'} error={error} onRetry={missing ? undefined : () => void refetch()} />
      </Page>
    );
  }
  return (
    <Page title={trackTitle(data)} wide>
      <AnalysisView
        analysis={data}
        onSelectGenre={selectGenre}
        deleting={remove.isPending}
        onDelete={() => {
          if (window.confirm(`Delete the analysis of “${trackTitle(data)}”?`)) {
            remove.mutate(id, {
              onSuccess: () => {
                deleted.current = true;
                navigate('/', { replace: true });
              },
            });
          }
        }}
      />
      {remove.error ? <ErrorNotice error={remove.error} title="Could not delete" /> : null}
      {data.status === 'succeeded' && data.result && data.track ? (
        <section className="card" aria-labelledby="label-title">
          <h2 id="label-title">Is this right?</h2>
          <PersonalAnswerCard
            trackId={data.track.id}
            shippedTop={data.result.top[0] ?? null}
            choices={(taxonomy.data?.families ?? []).map((f) => ({ name: f.name, genres: f.genres }))}
          />
        </section>
      ) : null}
      {data.status === 'succeeded' && data.result && data.result.genres.length > 0 && data.track ? (
        <section className="card" aria-labelledby="similar-title">
          <h2 id="similar-title">Sounds like</h2>
          <p className="muted small">Tracks in your library closest in sound (musicnn, a network trained on real records) and in genre profile.</p>
          <SimilarTracks trackId={data.track.id} />
        </section>
      ) : null}
      {genreSlug ? (
        <Dialog title={genre.data?.name ?? humanize(genreSlug)} onClose={closeGenre}>
          <GenreCard slug={genreSlug} onSelect={selectGenre} />
        </Dialog>
      ) : null}
    </Page>
  );
}
