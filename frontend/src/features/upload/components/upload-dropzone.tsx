/** Drag-and-drop area with a real file input behind a button, for mouse, keyboard and touch. */
import { useId, useRef, useState, type DragEvent } from 'react';
import { env } from '@/config/env';
import { ACCEPT } from '../utils/check-file';

export function UploadDropzone({ onFiles }: { onFiles: (files: File[]) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const hintId = useId();

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    const files = Array.from(event.dataTransfer.files);
    if (files.length > 0) onFiles(files);
  };

  return (
    <div
      className={`dropzone${dragging ? ' is-dragging' : ''}`}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      data-testid="dropzone"
    >
      <div className="dropzone__icon" aria-hidden="true">
        <svg viewBox="0 0 24 24" width="40" height="40" fill="none" stroke="currentColor" strokeWidth="1.6">
          <path d="M9 18V5l12-2v13" />
          <circle cx="6" cy="18" r="3" />
          <circle cx="18" cy="16" r="3" />
        </svg>
      </div>
      <p className="dropzone__title">Drop tracks here</p>
      <p className="muted" id={hintId}>
        MP3, WAV, FLAC, OGG, Opus, M4A or AIFF · up to {env.MAX_UPLOAD_MB} MB each · several at once is fine
      </p>
      <button type="button" className="button button--primary" onClick={() => input.current?.click()} aria-describedby={hintId}>
        Choose audio files
      </button>
      <input
        ref={input}
        className="visually-hidden"
        type="file"
        accept={ACCEPT}
        multiple
        tabIndex={-1}
        aria-label="Audio files to analyse"
        onChange={(event) => {
          const files = Array.from(event.target.files ?? []);
          event.target.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
    </div>
  );
}
