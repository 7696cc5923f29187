/**
 * "Sounds like": the library's tracks that sound most like this one (musicnn's embedding and the
 * genre profile, compared on the server), narrowed to what a DJ could mix next (a BPM window,
 * keys that mix harmonically).
 */
import { useId, useState } from 'react';
import { Empty, ErrorNotice, Loading } from '@/components/feedback';
import { type ScoreColumn, TrackTable } from '@/components/track-table';
import type { SimilarTrack } from '@/lib/schemas';
import { useSimilarTracks } from '../hooks/use-library';

/** BPM windows offered, as +/- BPM; 0 means any tempo. */
export const BPM_WINDOWS = [0, 3, 6, 10] as const;

/** The cosine as it is, -1..1: the sound half is centred on the library, so two tracks that
 * differ from it in opposite ways score below 0. A percentage would read as a share. */
const SIMILARITY: ScoreColumn<SimilarTrack> = {
  label: 'Similarity',
  of: (t) => t.similarity,
  format: (value) => value.toFixed(2),
  title: 'Cosine of sound and genre profile, from 1 (the same) down; near 0 or below 0: not alike',
};

export function SimilarTracks({ trackId }: { trackId: string }) {
  const [window, setWindow] = useState<number>(0);
  const [mixable, setMixable] = useState(false);
  const ids = { window: useId(), mixable: useId() };
  const { data, error, isPending, isFetching, refetch } = useSimilarTracks(trackId, {
    bpm_tolerance: window > 0 ? window : undefined,
    compatible_key: mixable,
  });
  const narrowed = window > 0 || mixable;
  return (
    <div aria-live="polite" aria-busy={isFetching}>
      <form className="filters" aria-label="Narrow similar tracks" onSubmit={(e) => e.preventDefault()}>
        <label className="field" htmlFor={ids.window}>
          <span>Tempo</span>
          <select id={ids.window} value={window} onChange={(e) => setWindow(Number(e.target.value))}>
            {BPM_WINDOWS.map((w) => (
              <option key={w} value={w}>
                {w === 0 ? 'Any tempo' : `Within ±${w} BPM`}
              </option>
            ))}
          </select>
        </label>
        <label className="checkbox" htmlFor={ids.mixable}>
          <input id={ids.mixable} type="checkbox" checked={mixable} onChange={(e) => setMixable(e.target.checked)} />
          <span>Only keys that mix (Camelot ±1 and relative)</span>
        </label>
      </form>
      {isPending ? <Loading label="Finding similar tracks…" /> : null}
      {error ? <ErrorNotice error={error} onRetry={() => void refetch()} /> : null}
      {data && data.length === 0 ? (
        <Empty>{narrowed ? 'No track in the library matches within these limits.' : 'No other analysed track to compare with yet.'}</Empty>
      ) : null}
      {data && data.length > 0 ? (
        <TrackTable<SimilarTrack> tracks={data} caption="Tracks that sound like this one" score={SIMILARITY} />
      ) : null}
    </div>
  );
}
