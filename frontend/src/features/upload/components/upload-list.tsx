/** One row per chosen file: its check or upload state, then the analysis progress the app renders. */
import type { ReactNode } from 'react';
import { ErrorNotice, ProgressBar } from '@/components/feedback';
import { fileSize } from '@/lib/format';
import type { UploadItem } from '../hooks/use-uploads';

export function UploadList({
  items,
  onDismiss,
  renderAnalysis,
}: {
  items: UploadItem[];
  onDismiss: (key: string) => void;
  renderAnalysis: (analysisId: string) => ReactNode;
}) {
  if (items.length === 0) return null;
  return (
    <ul className="upload-list" aria-label="Uploads">
      {items.map((item) => (
        <li key={item.key} className="card upload-item">
          <div className="upload-item__head">
            <span className="upload-item__name" title={item.name}>
              {item.name}
            </span>
            <span className="muted small">{fileSize(item.size)}</span>
            {item.phase === 'rejected' || item.phase === 'failed' ? (
              <button type="button" className="icon-button" aria-label={`Dismiss ${item.name}`} onClick={() => onDismiss(item.key)}>
                ×
              </button>
            ) : null}
          </div>
          {item.phase === 'waiting' ? <p className="muted small">Waiting to upload…</p> : null}
          {item.phase === 'uploading' ? (
            <div>
              <p className="small">Uploading… {Math.round(item.progress * 100)}%</p>
              <ProgressBar value={item.progress} label={`Uploading ${item.name}`} />
            </div>
          ) : null}
          {item.phase === 'rejected' || item.phase === 'failed' ? (
            <ErrorNotice error={item.error} title={item.phase === 'rejected' ? 'Not uploaded' : 'Upload refused'} />
          ) : null}
          {item.phase === 'uploaded' && item.analysis ? renderAnalysis(item.analysis.id) : null}
        </li>
      ))}
    </ul>
  );
}
