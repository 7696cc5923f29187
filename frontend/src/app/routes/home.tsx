/**
 * Start page: upload files or a whole folder, their progress, recent analyses. One file opens its
 * result page at once.
 */
import { useCallback, useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { Page } from '@/components/layout';
import { AnalysisProgressCard } from '@/features/analyses/components/analysis-progress-card';
import { RecentAnalyses } from '@/features/analyses/components/recent-analyses';
import { useTaxonomy } from '@/features/genres/hooks/use-genres';
import { genreByName } from '@/features/genres/utils/genre-by-name';
import { setLabel } from '@/features/library/api/library';
import { FolderImportPanel } from '@/features/upload/components/folder-import-panel';
import { UploadDropzone } from '@/features/upload/components/upload-dropzone';
import { UploadList } from '@/features/upload/components/upload-list';
import { useFolderImport } from '@/features/upload/hooks/use-folder-import';
import { useUploads } from '@/features/upload/hooks/use-uploads';
import type { Analysis } from '@/lib/schemas';

export function HomeRoute() {
  const navigate = useNavigate();
  const onUploaded = useCallback(
    (analysis: Analysis, batchSize: number) => {
      if (batchSize === 1) navigate(`/analyses/${analysis.id}`);
    },
    [navigate],
  );
  const { items, addFiles, dismiss } = useUploads({ onUploaded });
  const { folderImport, addFolder, cancel, dismiss: dismissFolder } = useFolderImport();
  const taxonomy = useTaxonomy();
  const [crates, setCrates] = useState(false);
  const cratesId = useId();
  const addFolderOfCrates = useCallback(
    (name: string, files: Parameters<typeof addFolder>[1]) =>
      addFolder(name, files, crates && taxonomy.data ? { genreOf: genreByName(taxonomy.data.families), label: setLabel } : null),
    [addFolder, crates, taxonomy.data],
  );
  return (
    <Page title="Analyse a track">
      <section className="hero">
        <h1>What genre is this track?</h1>
        <p className="hero__lead">
          Drop an electronic music track. GenreLens listens to it and shows its mix of genres, how the genre changes over the
          track, its tempo and key, and why it sounds like what it sounds like.
        </p>
      </section>
      <UploadDropzone onFiles={addFiles} onFolder={addFolderOfCrates} />
      <label className="checkbox crates-option" htmlFor={cratesId}>
        <input id={cratesId} type="checkbox" checked={crates} disabled={!taxonomy.data} onChange={(e) => setCrates(e.target.checked)} />
        <span>Folder names are genres: label each added track with the genre its folder is named after, to teach your own layer</span>
      </label>
      {folderImport ? <FolderImportPanel state={folderImport} onCancel={cancel} onDismiss={dismissFolder} /> : null}
      <UploadList items={items} onDismiss={dismiss} renderAnalysis={(id) => <AnalysisProgressCard id={id} />} />
      <ol className="steps" aria-label="How it works">
        <li>
          <strong>Listen.</strong> GenreLens decodes the audio and measures tempo, key, loudness, rhythm and timbre.
        </li>
        <li>
          <strong>Compare.</strong> A model trained on 52 electronic genres gives each genre a probability, part by part.
        </li>
        <li>
          <strong>Explain.</strong> You see the genre mix, how it changes over the track, and which traits fit each genre.
        </li>
      </ol>
      <section aria-labelledby="recent-title" className="section">
        <h2 id="recent-title">Recently analysed</h2>
        <RecentAnalyses />
      </section>
    </Page>
  );
}
