/**
 * The "why": each measured trait of the track placed on a scale against the range the genre
 * usually has. A marker inside the shaded range is a match; outside, a mismatch.
 */
import { TRAITS, traitLabel, traitValue } from '@/lib/format';
import type { Why } from '@/lib/schemas';

function isRange(expected: Why['expected']): expected is [number, number] {
  return Array.isArray(expected) && expected.length === 2 && typeof expected[0] === 'number' && typeof expected[1] === 'number';
}

function scale(value: number, [lo, hi]: [number, number]) {
  const span = Math.max(hi - lo, Math.abs(hi) * 0.1, 1e-6);
  const min = Math.min(lo - span * 0.75, value - span * 0.1);
  const max = Math.max(hi + span * 0.75, value + span * 0.1);
  const at = (v: number) => ((v - min) / (max - min)) * 100;
  return { lo: at(lo), hi: at(hi), value: at(value) };
}

function expectedText(trait: string, expected: Why['expected']): string {
  if (expected === null) return '–';
  if (isRange(expected)) return `${traitValue(trait, expected[0])} – ${traitValue(trait, expected[1])}`;
  if (Array.isArray(expected)) return expected.map((e) => traitValue(trait, e)).join(' or ');
  return traitValue(trait, expected);
}

export function WhyChart({ why, genreName }: { why: Why[]; genreName: string }) {
  if (why.length === 0) return <p className="muted">No trait comparison for {genreName}.</p>;
  const matches = why.filter((w) => w.match).length;
  return (
    <div className="why">
      <p className="muted small">
        {matches} of {why.length} traits fit {genreName}&apos;s usual profile. The shaded band is the genre&apos;s usual range; the dot is
        this track.
      </p>
      <ul className="why__list">
        {why.map((item) => {
          const numeric = typeof item.value === 'number' && isRange(item.expected);
          const pos = numeric ? scale(item.value as number, item.expected as [number, number]) : null;
          return (
            <li key={item.trait} className={`why__row ${item.match ? 'is-match' : item.match === false ? 'is-miss' : ''}`}>
              <div className="why__head">
                <span className="why__trait" title={TRAITS[item.trait]?.hint}>
                  <span aria-hidden="true" className="why__icon">
                    {item.match ? '✓' : item.match === false ? '✗' : '•'}
                  </span>
                  {traitLabel(item.trait)}
                </span>
                <span className="why__values">
                  <strong>{traitValue(item.trait, item.value)}</strong>
                  <span className="muted"> · usual {expectedText(item.trait, item.expected)}</span>
                </span>
              </div>
              {pos ? (
                <div className="why__scale" aria-hidden="true">
                  <span className="why__range" style={{ left: `${pos.lo}%`, width: `${Math.max(pos.hi - pos.lo, 1)}%` }} />
                  <span className="why__marker" style={{ left: `${pos.value}%` }} />
                </div>
              ) : null}
              <p className="why__text small">
                <span className="visually-hidden">{item.match ? 'Match: ' : item.match === false ? 'Mismatch: ' : ''}</span>
                {item.text}
              </p>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
