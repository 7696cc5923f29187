/**
 * The genre breakdown: a two-ring donut (families inside, their genres outside) with exact values
 * on hover and focus, a ranked list of genres that opens each genre's card, and the same numbers as
 * a table for screen readers and anyone who prefers one.
 */
import { useMemo, useState } from 'react';
import { Pie, PieChart, ResponsiveContainer, Tooltip } from 'recharts';
import { ErrorBoundary } from '@/components/error-boundary';
import { OTHER_COLOR, familyColor, genreColor } from '@/lib/palette';
import { percent } from '@/lib/format';
import type { FamilyProbability, GenreProbability } from '@/lib/schemas';

/** Genres below this probability are folded into "other" in the donut and hidden from the list. */
export const MIN_SHOWN_PROBABILITY = 0.02;
/** How many genres the ranked list shows before "show all". */
export const RANKED_LIMIT = 8;

interface Slice {
  key: string;
  name: string;
  value: number;
  fill: string;
  slug: string | null;
  family: string | null;
}

function slices(genres: GenreProbability[], families: FamilyProbability[]) {
  const familyOrder = [...families].sort((a, b) => b.probability - a.probability);
  const inner: Slice[] = familyOrder.map((f) => ({
    key: `f-${f.slug}`,
    name: f.name,
    value: f.probability,
    fill: familyColor(f.slug),
    slug: null,
    family: f.slug,
  }));
  const outer: Slice[] = [];
  for (const family of familyOrder) {
    const members = genres.filter((g) => g.family === family.slug).sort((a, b) => b.probability - a.probability);
    let rest = family.probability;
    members.forEach((g, i) => {
      if (g.probability < MIN_SHOWN_PROBABILITY) return;
      rest -= g.probability;
      outer.push({ key: `g-${g.slug}`, name: g.name, value: g.probability, fill: genreColor(family.slug, i), slug: g.slug, family: family.slug });
    });
    // Keep the outer ring aligned with its family: pad with the family's unlisted remainder.
    if (rest > 0.001) outer.push({ key: `r-${family.slug}`, name: `Other ${family.name}`, value: rest, fill: OTHER_COLOR, slug: null, family: family.slug });
  }
  return { inner, outer };
}

function SliceTooltip({ active, payload }: { active?: boolean; payload?: ReadonlyArray<{ payload?: Slice }> }) {
  const slice = payload?.[0]?.payload;
  if (!active || !slice) return null;
  return (
    <div className="chart-tooltip">
      <strong>{slice.name}</strong> {percent(slice.value, 1)}
    </div>
  );
}

export function GenreDonut({
  genres,
  families,
  onSelectGenre,
}: {
  genres: GenreProbability[];
  families: FamilyProbability[];
  onSelectGenre: (slug: string) => void;
}) {
  const { inner, outer } = useMemo(() => slices(genres, families), [genres, families]);
  const top = [...genres].sort((a, b) => b.probability - a.probability)[0];
  const summary = top ? `Genre breakdown: ${top.name} leads with ${percent(top.probability)}.` : 'Genre breakdown';
  return (
    <figure className="donut" aria-label={summary}>
      <ResponsiveContainer width="100%" height={280}>
        <PieChart accessibilityLayer>
          <Pie data={inner} dataKey="value" nameKey="name" innerRadius="34%" outerRadius="60%" stroke="var(--surface)" isAnimationActive={false} />
          <Pie
            data={outer}
            dataKey="value"
            nameKey="name"
            innerRadius="63%"
            outerRadius="92%"
            stroke="var(--surface)"
            isAnimationActive={false}
            onClick={(entry: { payload?: Slice }) => {
              if (entry.payload?.slug) onSelectGenre(entry.payload.slug);
            }}
            style={{ cursor: 'pointer' }}
          />
          <Tooltip content={<SliceTooltip />} />
        </PieChart>
      </ResponsiveContainer>
      <figcaption className="legend" aria-label="Families">
        {inner.map((s) => (
          <span key={s.key} className="legend__item">
            <span className="swatch" style={{ background: s.fill }} aria-hidden="true" />
            {s.name} {percent(s.value)}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

export function RankedGenres({ genres, onSelectGenre }: { genres: GenreProbability[]; onSelectGenre: (slug: string) => void }) {
  const [all, setAll] = useState(false);
  const ranked = [...genres].filter((g) => g.probability >= MIN_SHOWN_PROBABILITY).sort((a, b) => b.probability - a.probability);
  const max = ranked[0]?.probability ?? 1;
  const shown = all ? ranked : ranked.slice(0, RANKED_LIMIT);
  const familyIndex = new Map<string, number>();
  return (
    <div>
      <ol className="ranked" aria-label="Genres ranked by probability">
        {shown.map((g) => {
          const idx = familyIndex.get(g.family) ?? 0;
          familyIndex.set(g.family, idx + 1);
          return (
            <li key={g.slug}>
              <button type="button" className="ranked__item" onClick={() => onSelectGenre(g.slug)} title={`${g.name}: ${percent(g.probability, 1)}`}>
                <span className="ranked__name">{g.name}</span>
                <span className="ranked__value">{percent(g.probability)}</span>
                <span className="ranked__track" aria-hidden="true">
                  <span className="ranked__bar" style={{ width: `${(g.probability / max) * 100}%`, background: familyColor(g.family) }} />
                </span>
                <span className="visually-hidden">, open the {g.name} card</span>
              </button>
            </li>
          );
        })}
      </ol>
      {ranked.length > RANKED_LIMIT ? (
        <button type="button" className="button button--ghost button--small" onClick={() => setAll((v) => !v)} aria-expanded={all}>
          {all ? 'Show fewer' : `Show all ${ranked.length} genres`}
        </button>
      ) : null}
    </div>
  );
}

export function BreakdownTable({ genres, families }: { genres: GenreProbability[]; families: FamilyProbability[] }) {
  const names = new Map(families.map((f) => [f.slug, f.name]));
  return (
    <details className="table-fallback">
      <summary>Show the breakdown as a table</summary>
      <table className="table">
        <caption className="visually-hidden">Genre probabilities</caption>
        <thead>
          <tr>
            <th scope="col">Genre</th>
            <th scope="col">Family</th>
            <th scope="col" className="num">
              Probability
            </th>
          </tr>
        </thead>
        <tbody>
          {[...genres]
            .sort((a, b) => b.probability - a.probability)
            .map((g) => (
              <tr key={g.slug}>
                <th scope="row">{g.name}</th>
                <td>{names.get(g.family) ?? g.family}</td>
                <td className="num">{percent(g.probability, 1)}</td>
              </tr>
            ))}
        </tbody>
        <tbody>
          {[...families]
            .sort((a, b) => b.probability - a.probability)
            .map((f) => (
              <tr key={f.slug} className="table__family-row">
                <th scope="row">All {f.name}</th>
                <td>family</td>
                <td className="num">{percent(f.probability, 1)}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </details>
  );
}

export function GenreBreakdown(props: {
  genres: GenreProbability[];
  families: FamilyProbability[];
  onSelectGenre: (slug: string) => void;
}) {
  return (
    <div className="breakdown">
      <ErrorBoundary>
        <GenreDonut {...props} />
      </ErrorBoundary>
      <div className="breakdown__list">
        <RankedGenres genres={props.genres} onSelectGenre={props.onSelectGenre} />
        <BreakdownTable genres={props.genres} families={props.families} />
      </div>
    </div>
  );
}
