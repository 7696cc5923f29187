/** Progress of a folder import: done / total, rate, time left, the queue behind it, failures. */
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { ProgressBar } from '@/components/feedback';
import { duration } from '@/lib/format';
import { handled, pace, type FolderImport } from '../hooks/use-folder-import';

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function FolderImportPanel({ state, onCancel, onDismiss }: { state: FolderImport; onCancel: () => void; onDismiss: () => void }) {
  const [now, setNow] = useState(() => Date.now());
  const finished = state.finishedAt !== null;
  useEffect(() => {
    if (finished) return undefined;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [finished]);
  const done = handled(state);
  const { rate, secondsLeft } = pace(state, now);
  const title = state.folders.length === 1 ? `“${state.folders[0]}”` : plural(state.folders.length, 'folder');
  return (
    <section className="card folder-import" aria-labelledby="folder-import-title">
      <div className="upload-item__head">
        <h2 id="folder-import-title" className="folder-import__title">
          {finished ? (state.cancelled ? 'Stopped adding' : 'Added') : 'Adding'} {title}
        </h2>
        {finished ? (
          <button type="button" className="icon-button" aria-label="Dismiss the folder import" onClick={onDismiss}>
            ×
          </button>
        ) : (
          <button type="button" className="button button--ghost button--small" onClick={onCancel}>
            Stop
          </button>
        )}
      </div>
      <ProgressBar value={state.total > 0 ? done / state.total : 1} label={`Files of ${title} handled`} />
      <p className="small" aria-live="polite">
        {done} of {plural(state.total, 'audio file')} · {state.sent} sent · {state.known} already analysed
        {state.failed.length > 0 ? ` · ${state.failed.length} failed` : ''}
        {rate !== null && !finished ? ` · ${rate.toFixed(1)} files/s` : ''}
        {secondsLeft !== null && !finished ? ` · about ${duration(secondsLeft)} left` : ''}
      </p>
      <p className="muted small">
        {state.ignored > 0 ? `${plural(state.ignored, 'other file')} (covers, playlists…) left out. ` : ''}
        {state.labelled > 0 ? `Labelled by folder name: ${plural(state.labelled, 'track')}. ` : ''}
        {state.unmatched.length > 0 ? `Folders that name no genre, left unlabelled: ${state.unmatched.map((f) => `“${f}”`).join(', ')}. ` : ''}
        {state.pending === null ? '' : state.pending > 0 ? `${plural(state.pending, 'analysis', 'analyses')} waiting in the queue. ` : 'Every analysis is finished. '}
        {finished ? <Link to="/library">Open the library</Link> : null}
      </p>
      {finished && state.failed.length > 0 ? (
        <details open={state.failed.length <= 10}>
          <summary>{plural(state.failed.length, 'file')} not added</summary>
          <ul className="folder-import__failures">
            {state.failed.map((f) => (
              <li key={f.path}>
                <code>{f.path}</code>: {f.message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
