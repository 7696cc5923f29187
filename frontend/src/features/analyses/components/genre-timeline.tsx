/**
 * Genre over time: a stacked area of the leading genres with a playhead that follows the audio,
 * and below it a band of segments (buttons) that name each part's top genre and seek there.
 */
import { useMemo } from 'react';
import { Area, AreaChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { OTHER_COLOR, genreColor } from '@/lib/palette';
import { duration, percent } from '@/lib/format';
import type { GenreProbability, TimelineSegment } from '@/lib/schemas';

/** How many genres get their own layer; the rest is summed as "Other". */
export const TIMELINE_LAYERS = 5;

interface Layer {
  slug: string;
  name: string;
  color: string;
}

function layersFor(timeline: TimelineSegment[], genres: GenreProbability[]): Layer[] {
  const totals = new Map<string, number>();
  for (const seg of timeline) for (const [slug, p] of Object.entries(seg.genres)) totals.set(slug, (totals.get(slug) ?? 0) + p);
  const info = new Map(genres.map((g) => [g.slug, g]));
  const familyCount = new Map<string, number>();
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, TIMELINE_LAYERS)
    .map(([slug]) => {
      const g = info.get(slug);
      const family = g?.family ?? null;
      const index = familyCount.get(family ?? '') ?? 0;
      familyCount.set(family ?? '', index + 1);
      return { slug, name: g?.name ?? slug, color: genreColor(family, index) };
    });
}

export function GenreTimeline({
  timeline,
  genres,
  currentTime,
  onSeek,
}: {
  timeline: TimelineSegment[];
  genres: GenreProbability[];
  currentTime: number | null;
  onSeek?: (seconds: number) => void;
}) {
  const layers = useMemo(() => layersFor(timeline, genres), [timeline, genres]);
  const names = useMemo(() => new Map(genres.map((g) => [g.slug, g.name])), [genres]);
  const data = useMemo(() => {
    const rows = timeline.map((seg) => {
      const row: Record<string, number> = { t: seg.start_s };
      let shown = 0;
      for (const layer of layers) {
        const p = seg.genres[layer.slug] ?? 0;
        row[layer.slug] = p;
        shown += p;
      }
      const total = Object.values(seg.genres).reduce((a, b) => a + b, 0);
      row.other = Math.max(0, total - shown);
      return row;
    });
    const last = timeline[timeline.length - 1];
    const lastRow = rows[rows.length - 1];
    if (last && lastRow) rows.push({ ...lastRow, t: last.end_s });
    return rows;
  }, [timeline, layers]);

  if (timeline.length === 0) return <p className="muted">No timeline for this track.</p>;
  const end = timeline[timeline.length - 1]?.end_s ?? 0;

  return (
    <figure className="timeline" aria-label={`Genre timeline over ${duration(end)}, ${timeline.length} segments`}>
      <ResponsiveContainer width="100%" height={200}>
        <AreaChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
          <XAxis dataKey="t" type="number" domain={[0, end]} tickFormatter={(v: number) => duration(v)} stroke="var(--muted)" fontSize={12} />
          <YAxis domain={[0, 1]} tickFormatter={(v: number) => percent(v)} stroke="var(--muted)" fontSize={12} />
          <Tooltip
            labelFormatter={(v) => duration(Number(v))}
            formatter={(value, name) => [percent(Number(value), 1), name === 'other' ? 'Other' : (names.get(String(name)) ?? String(name))]}
            contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', borderRadius: 8 }}
          />
          {layers.map((layer) => (
            <Area key={layer.slug} type="stepAfter" dataKey={layer.slug} name={layer.slug} stackId="1" stroke={layer.color} fill={layer.color} fillOpacity={0.85} isAnimationActive={false} />
          ))}
          <Area type="stepAfter" dataKey="other" name="other" stackId="1" stroke={OTHER_COLOR} fill={OTHER_COLOR} fillOpacity={0.5} isAnimationActive={false} />
          {currentTime !== null ? <ReferenceLine x={currentTime} stroke="var(--text)" strokeWidth={2} ifOverflow="hidden" /> : null}
        </AreaChart>
      </ResponsiveContainer>
      <figcaption className="legend">
        {layers.map((layer) => (
          <span key={layer.slug} className="legend__item">
            <span className="swatch" style={{ background: layer.color }} aria-hidden="true" />
            {layer.name}
          </span>
        ))}
        <span className="legend__item">
          <span className="swatch" style={{ background: OTHER_COLOR }} aria-hidden="true" />
          Other
        </span>
      </figcaption>
      <ol className="band" aria-label="Segments: top genre of each part of the track">
        {timeline.map((seg) => {
          const layer = layers.find((l) => l.slug === seg.top);
          const playing = currentTime !== null && currentTime >= seg.start_s && currentTime < seg.end_s;
          const name = seg.top ? (names.get(seg.top) ?? seg.top) : 'Unclear';
          const p = seg.top ? seg.genres[seg.top] : undefined;
          return (
            <li key={seg.start_s} style={{ flexGrow: Math.max(seg.end_s - seg.start_s, 0.001) }}>
              <button
                type="button"
                className={`band__segment${playing ? ' is-playing' : ''}`}
                style={{ background: layer?.color ?? OTHER_COLOR }}
                onClick={() => onSeek?.(seg.start_s)}
                title={`${duration(seg.start_s)}–${duration(seg.end_s)}: ${name}${p !== undefined ? ` ${percent(p)}` : ''}`}
                aria-label={`${duration(seg.start_s)} to ${duration(seg.end_s)}: ${name}${p !== undefined ? ` ${percent(p)}` : ''}${seg.bpm ? `, ${Math.round(seg.bpm)} BPM` : ''}. Play from here.`}
              />
            </li>
          );
        })}
      </ol>
    </figure>
  );
}
