/**
 * Drag-and-drop area with real file inputs behind buttons, for mouse, keyboard and touch: files
 * go to the upload list, a folder (chosen or dropped) to the folder import.
 */
import { useId, useRef, useState, type DragEvent } from 'react';
import { env } from '@/config/env';
import { ACCEPT } from '../utils/check-file';
import { chosenFiles, droppedFiles, type FolderFile } from '../utils/folder-files';

export function UploadDropzone({ onFiles, onFolder }: { onFiles: (files: File[]) => void; onFolder?: (name: string, files: FolderFile[]) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const hintId = useId();

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    void droppedFiles(event.dataTransfer).then(({ files, folder }) => {
      if (folder !== null && onFolder) onFolder(folder, files);
      else if (files.length > 0) onFiles(files.map(({ file }) => file));
    });
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
        MP3, WAV, FLAC, OGG, Opus, M4A or AIFF · up to {env.MAX_UPLOAD_MB} MB each · several at once, or a whole folder
      </p>
      <div className="row row--center">
        <button type="button" className="button button--primary" onClick={() => input.current?.click()} aria-describedby={hintId}>
          Choose audio files
        </button>
        {onFolder ? (
          <button type="button" className="button" onClick={() => folderInput.current?.click()}>
            Add a folder
          </button>
        ) : null}
      </div>
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
      {onFolder ? (
        <input
          ref={(el) => {
            folderInput.current = el;
            // Not in React's typings: the attribute that makes the picker choose a folder.
            el?.setAttribute('webkitdirectory', '');
          }}
          className="visually-hidden"
          type="file"
          multiple
          tabIndex={-1}
          aria-label="Folder of tracks to add"
          onChange={(event) => {
            const files = chosenFiles(Array.from(event.target.files ?? []));
            event.target.value = '';
            const name = files[0]?.path.split('/')[0] ?? 'folder';
            if (files.length > 0) onFolder(name, files);
          }}
        />
      ) : null}
    </div>
  );
}
