/**
 * The arrangement a DJ mixes by: sections as a band that seeks the player, the first drop as a
 * cue, and where the bar grid starts.
 */
import { clock, sectionLabel } from '@/lib/format';
import type { AnalysisResult, Section } from '@/lib/schemas';

/** One colour per section label, from calm to full. */
const SECTION_COLORS: Record<Section['label'], string> = {
  intro: 'var(--section-intro)',
  build: 'var(--section-build)',
  drop: 'var(--section-drop)',
  breakdown: 'var(--section-breakdown)',
  outro: 'var(--section-outro)',
};

export function TrackStructure({
  result,
  currentTime,
  onSeek,
}: {
  result: AnalysisResult;
  currentTime: number | null;
  onSeek?: (seconds: number) => void;
}) {
  const { sections, grid } = result;
  const drop = result.first_drop_s;
  if (sections.length === 0 && !grid) return <p className="muted">No sections or bar grid for this track.</p>;
  return (
    <div className="structure">
      <ol className="band band--sections" aria-label="Sections of the track">
        {sections.map((s) => {
          const playing = currentTime !== null && currentTime >= s.start_s && currentTime < s.end_s;
          const text = `${sectionLabel(s.label)}, ${clock(s.start_s)} to ${clock(s.end_s)}`;
          return (
            <li key={s.start_s} style={{ flexGrow: Math.max(s.end_s - s.start_s, 0.001) }}>
              <button
                type="button"
                className={`band__segment${playing ? ' is-playing' : ''}`}
                style={{ background: SECTION_COLORS[s.label] }}
                onClick={() => onSeek?.(s.start_s)}
                title={text}
                aria-label={`${text}.${onSeek ? ' Play from here.' : ''}`}
              >
                <span className="band__label">{sectionLabel(s.label)}</span>
              </button>
            </li>
          );
        })}
      </ol>
      <p className="structure__cues">
        {drop !== null && drop !== undefined ? (
          onSeek ? (
            <button type="button" className="button button--small" onClick={() => onSeek(drop)}>
              Play from the first drop ({clock(drop)})
            </button>
          ) : (
            <span>First drop at {clock(drop)}</span>
          )
        ) : (
          <span className="muted">No drop after another section (the track may start in its drop).</span>
        )}
        {grid ? (
          <span className="muted small" title="Where the bar grid starts, as DJ software anchors it">
            {' '}
            First downbeat {clock(grid.first_downbeat_s)} · {grid.downbeats_s.length} bars of {grid.beats_per_bar} · grid confidence{' '}
            {Math.round(grid.confidence * 100)}%
          </span>
        ) : null}
      </p>
    </div>
  );
}
