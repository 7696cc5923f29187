/** Says plainly when the model is not sure, with the reasons in words. */
import { unsureReason } from '@/lib/format';
import type { AnalysisResult } from '@/lib/schemas';

export function UnsureBanner({ result }: { result: AnalysisResult }) {
  const reasons = [...result.confidence.reasons];
  if (result.low_signal && !reasons.includes('low_signal')) reasons.push('low_signal');
  if (!result.confidence.unsure) return null;
  if (reasons.includes('no_model')) {
    return (
      <section className="notice notice--info" aria-labelledby="unsure-title">
        <h2 id="unsure-title" className="notice__title">
          No genre estimate on this server yet
        </h2>
        <p>{unsureReason('no_model')}</p>
      </section>
    );
  }
  return (
    <section className="notice notice--warn" aria-labelledby="unsure-title">
      <h2 id="unsure-title" className="notice__title">
        GenreLens is not sure about this track
      </h2>
      <p>Read the percentages below as hints, not answers.</p>
      {reasons.length > 0 ? (
        <ul>
          {reasons.map((reason) => (
            <li key={reason}>{unsureReason(reason)}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
