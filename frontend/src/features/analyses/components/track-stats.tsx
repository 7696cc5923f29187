/** The measured facts: tempo, key with Camelot code, energy, loudness, duration and rhythm. */
import { bpm, duration, rhythm } from '@/lib/format';
import type { AnalysisResult } from '@/lib/schemas';

function Stat({ label, value, detail, hint }: { label: string; value: string; detail?: string | null; hint?: string }) {
  return (
    <div className="stat" title={hint}>
      <dt>{label}</dt>
      <dd>
        <span className="stat__value">{value}</span>
        {detail ? <span className="stat__detail">{detail}</span> : null}
      </dd>
    </div>
  );
}

/** The strongest parts of the energy rating, e.g. "tempo · loudness". */
function energyDetail(parts: Record<string, number>): string | null {
  const strong = Object.entries(parts)
    .filter(([, v]) => v >= 0.6)
    .sort((a, b) => b[1] - a[1])
    .map(([name]) => name);
  return strong.length > 0 ? `driven by ${strong.join(' · ')}` : null;
}

export function TrackStats({ result }: { result: AnalysisResult }) {
  const { tempo, key, loudness } = result;
  const alternatives = tempo.alternatives.length > 0 ? `or ${tempo.alternatives.map((b) => Math.round(b)).join(' / ')}` : null;
  // "family:drum-and-bass": the half or double of the measured tempo, counted as that family counts.
  const counted = tempo.basis?.startsWith('family:') ? `counted as ${tempo.basis.slice(7).replace(/-/g, ' ')}` : null;
  const tempoDetail = [tempo.stable === false ? 'varies' : null, counted, alternatives].filter(Boolean).join(' · ');
  return (
    <dl className="stats">
      <Stat label="Tempo" value={bpm(tempo.bpm)} detail={tempoDetail || null} hint="Beats per minute; half and double time are alternatives" />
      <Stat
        label="Key"
        value={key?.name ?? 'none detected'}
        detail={key?.camelot ? `Camelot ${key.camelot}` : null}
        hint="Camelot codes next to each other mix harmonically"
      />
      {result.energy ? (
        <Stat
          label="Energy"
          value={`${result.energy.level}/10`}
          detail={energyDetail(result.energy.parts)}
          hint="From loudness, tempo, onset density and drive (pulse through the drops); not a learned score"
        />
      ) : null}
      <Stat
        label="Loudness"
        value={loudness.integrated_lufs === null ? '–' : `${loudness.integrated_lufs.toFixed(1)} LUFS`}
        detail={
          loudness.peak_dbfs !== null && loudness.peak_dbfs !== undefined ? `peak ${loudness.peak_dbfs.toFixed(1)} dBFS` : null
        }
        hint="Integrated loudness (EBU R128)"
      />
      <Stat
        label="Duration"
        value={duration(result.source.duration_analyzed_s)}
        detail={
          result.source.truncated && result.source.declared_duration_s
            ? `analysed; the file says ${duration(result.source.declared_duration_s)}`
            : null
        }
      />
      <Stat label="Rhythm" value={rhythm(result.rhythm.pattern)} detail={result.rhythm.onset_rate_hz ? `${result.rhythm.onset_rate_hz.toFixed(1)} onsets/s` : null} />
    </dl>
  );
}
