/**
 * "Is this right?": confirm the shipped model's genre or correct it, and see what the layer
 * fitted on your own labels says of this track, beside the shipped model, with its measured
 * accuracy on your labels. Confirmations teach as much as corrections.
 */
import { useId, useState } from 'react';
import { ErrorNotice, Loading } from '@/components/feedback';
import { percent } from '@/lib/format';
import type { GenreProbability, PersonalAnswer } from '@/lib/schemas';
import { usePersonalAnswer, useSetLabel } from '../hooks/use-library';

/** Genres of the layer's ranking shown. */
export const PERSONAL_SHOWN = 5;

export interface GenreChoice {
  slug: string;
  name: string;
}

/** The genres a label may name, by family (the whole taxonomy: crates go beyond the model's). */
export interface FamilyChoice {
  name: string;
  genres: GenreChoice[];
}

/** A genre picker grouped by family; "" until one is chosen. */
export function GenreSelect({ id, value, onChange, choices }: { id: string; value: string; onChange: (slug: string) => void; choices: FamilyChoice[] }) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">Choose a genre…</option>
      {choices.map((f) => (
        <optgroup key={f.name} label={f.name}>
          {f.genres.map((g) => (
            <option key={g.slug} value={g.slug}>
              {g.name}
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function Evaluation({ answer }: { answer: PersonalAnswer }) {
  const { labels, genres, accuracy, shipped_accuracy: shipped } = answer.evaluation;
  if (labels === 0) return <p className="muted small">No track labelled yet. Confirm or correct a few, across at least {answer.min_genres} genres.</p>;
  return (
    <p className="muted small">
      {plural(labels, 'labelled track')} in {plural(genres, 'genre')}
      {accuracy !== null ? ` · your layer gets ${percent(accuracy)} of them right when each is left out of its fit` : ''}
      {shipped !== null ? ` · the shipped model's top genre ${percent(shipped)}` : ''}
    </p>
  );
}

function Ranking({ genres, shippedTop }: { genres: GenreProbability[]; shippedTop: GenreChoice | null }) {
  return (
    <ol className="personal__ranking" aria-label="Genres by your labels">
      {genres.slice(0, PERSONAL_SHOWN).map((g) => (
        <li key={g.slug}>
          <span>{g.name}</span> <span className="muted">{percent(g.probability)}</span>
          {shippedTop?.slug === g.slug ? <span className="pill">also the shipped model's</span> : null}
        </li>
      ))}
    </ol>
  );
}

export function PersonalAnswerCard({ trackId, shippedTop, choices }: { trackId: string; shippedTop: GenreChoice | null; choices: FamilyChoice[] }) {
  const { data, error, isPending, refetch } = usePersonalAnswer(trackId);
  const save = useSetLabel(trackId);
  const [correcting, setCorrecting] = useState(false);
  const [choice, setChoice] = useState('');
  const selectId = useId();
  if (isPending) return <Loading label="Loading your labels…" />;
  if (error) return <ErrorNotice error={error} onRetry={() => void refetch()} />;
  const label = data.label;
  const submit = (slug: string | null) =>
    save.mutate(slug, {
      onSuccess: () => {
        setCorrecting(false);
        setChoice('');
      },
    });
  return (
    <div className="personal">
      {label && !correcting ? (
        <p>
          You filed this track as <strong>{label.name}</strong>.{' '}
          <button type="button" className="button button--ghost button--small" onClick={() => setCorrecting(true)}>
            Change
          </button>{' '}
          <button type="button" className="button button--ghost button--small" disabled={save.isPending} onClick={() => submit(null)}>
            Remove the label
          </button>
        </p>
      ) : (
        <form
          className="row"
          aria-label="Label this track"
          onSubmit={(e) => {
            e.preventDefault();
            if (choice) submit(choice);
          }}
        >
          {shippedTop && !correcting ? (
            <button type="button" className="button button--small" disabled={save.isPending} onClick={() => submit(shippedTop.slug)}>
              Yes, it is {shippedTop.name}
            </button>
          ) : null}
          <label className="field" htmlFor={selectId}>
            <span>{shippedTop && !correcting ? 'No, it is' : 'It is'}</span>
            <GenreSelect id={selectId} value={choice} onChange={setChoice} choices={choices} />
          </label>
          <button type="submit" className="button button--small" disabled={!choice || save.isPending}>
            Save the label
          </button>
          {correcting ? (
            <button type="button" className="button button--ghost button--small" onClick={() => setCorrecting(false)}>
              Cancel
            </button>
          ) : null}
        </form>
      )}
      {save.error ? <ErrorNotice error={save.error} title="Could not save the label" /> : null}
      <h3 className="personal__title">Your labels say</h3>
      {data.genres ? (
        <Ranking genres={data.genres} shippedTop={shippedTop} />
      ) : (
        <p className="muted">Label tracks of at least {data.min_genres} genres and your own layer ranks every other track by them.</p>
      )}
      <Evaluation answer={data} />
    </div>
  );
}
