/**
 * Live progress of one analysis: the four stages as a stepper plus a bar. A job still queued after
 * a while says so plainly (the worker may be busy or stopped) instead of spinning forever.
 */
import { useEffect, useState } from 'react';
import { ProgressBar } from '@/components/feedback';
import { STAGE_LABELS, percent } from '@/lib/format';
import type { Analysis } from '@/lib/schemas';

const STEPS = ['queued', 'decoding', 'features', 'model'] as const;
/** After this long in the queue, tell the user why nothing moves [ms]. */
export const QUEUED_HINT_AFTER_MS = 15_000;

function useQueuedTooLong(queued: boolean): boolean {
  const [late, setLate] = useState(false);
  useEffect(() => {
    if (!queued) {
      setLate(false);
      return undefined;
    }
    const timer = window.setTimeout(() => setLate(true), QUEUED_HINT_AFTER_MS);
    return () => window.clearTimeout(timer);
  }, [queued]);
  return late;
}

export function AnalysisProgress({ analysis, compact = false }: { analysis: Analysis; compact?: boolean }) {
  const stage = analysis.stage;
  const current = stage === 'done' ? STEPS.length : Math.max(0, STEPS.indexOf(stage as (typeof STEPS)[number]));
  const queuedTooLong = useQueuedTooLong(analysis.status === 'queued');
  const failed = analysis.status === 'failed';
  const label = failed ? 'Analysis failed' : `${STAGE_LABELS[stage] ?? stage}${stage !== 'queued' && stage !== 'done' ? '…' : ''}`;

  return (
    <div className={`analysis-progress${compact ? ' analysis-progress--compact' : ''}`}>
      <p className="analysis-progress__status" aria-live="polite" data-testid="analysis-stage">
        <strong>{label}</strong>
        {!failed && stage !== 'done' ? <span className="muted"> · {percent(analysis.progress)}</span> : null}
      </p>
      {failed ? null : (
        <>
          <ol className="stepper" aria-label="Analysis stages">
            {STEPS.map((step, index) => {
              const state = index < current ? 'done' : index === current ? 'current' : 'todo';
              return (
                <li key={step} className={`stepper__step is-${state}`} aria-current={state === 'current' ? 'step' : undefined}>
                  <span className="stepper__dot" aria-hidden="true" />
                  <span className="stepper__label">{STAGE_LABELS[step]}</span>
                  <span className="visually-hidden">{state === 'done' ? ' (finished)' : state === 'current' ? ' (in progress)' : ''}</span>
                </li>
              );
            })}
          </ol>
          <ProgressBar value={analysis.progress} label="Analysis progress" />
        </>
      )}
      {queuedTooLong ? (
        <p className="notice notice--info small" role="status">
          Still queued: the analysis worker is busy or not running. Your file is saved and will be analysed when a worker
          is free; this page updates by itself.
        </p>
      ) : null}
    </div>
  );
}
