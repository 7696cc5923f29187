/** Loading, error and empty states shared by every request on every page. */
import type { ReactNode } from 'react';
import { ApiError, errorMessage } from '@/lib/errors';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function ErrorNotice({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  const code = error instanceof ApiError || (error instanceof Error && 'code' in error) ? String((error as { code: unknown }).code) : null;
  return (
    <div className="notice notice--error" role="alert">
      {title ? <strong className="notice__title">{title}</strong> : null}
      <p>{errorMessage(error)}</p>
      {code ? <p className="muted small">Error code: {code}</p> : null}
      {onRetry ? (
        <button type="button" className="button button--small" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function ProgressBar({ value, label }: { value: number | null; label: string }) {
  const pct = value === null ? undefined : Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <div
      className={`progress${pct === undefined ? ' progress--indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
    >
      <span className="progress__fill" style={{ width: pct === undefined ? undefined : `${pct}%` }} />
    </div>
  );
}
