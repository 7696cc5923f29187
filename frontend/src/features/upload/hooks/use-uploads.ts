/**
 * The upload queue: checks each file, sends it with progress, and keeps per-file state until the
 * page is left. Files are sent one after another so a large batch does not flood the server.
 */
import { useCallback, useRef, useState } from 'react';
import type { Analysis } from '@/lib/schemas';
import { createAnalysis } from '../api/upload';
import { checkFile } from '../utils/check-file';

export type UploadPhase = 'rejected' | 'waiting' | 'uploading' | 'uploaded' | 'failed';

export interface UploadItem {
  key: string;
  name: string;
  size: number;
  phase: UploadPhase;
  progress: number;
  analysis: Analysis | null;
  error: unknown;
}

let counter = 0;

export function useUploads({ onUploaded }: { onUploaded?: (analysis: Analysis, batchSize: number) => void } = {}) {
  const [items, setItems] = useState<UploadItem[]>([]);
  const chain = useRef<Promise<void>>(Promise.resolve());

  const patch = useCallback((key: string, change: Partial<UploadItem>) => {
    setItems((list) => list.map((item) => (item.key === key ? { ...item, ...change } : item)));
  }, []);

  const addFiles = useCallback(
    (files: File[]) => {
      const accepted: { key: string; file: File }[] = [];
      const added: UploadItem[] = files.map((file) => {
        counter += 1;
        const key = `${Date.now()}-${counter}`;
        try {
          checkFile(file);
          accepted.push({ key, file });
          return { key, name: file.name, size: file.size, phase: 'waiting', progress: 0, analysis: null, error: null };
        } catch (error) {
          return { key, name: file.name, size: file.size, phase: 'rejected', progress: 0, analysis: null, error };
        }
      });
      setItems((list) => [...added, ...list]);
      for (const { key, file } of accepted) {
        chain.current = chain.current.then(async () => {
          patch(key, { phase: 'uploading' });
          try {
            const analysis = await createAnalysis(file, { onProgress: (progress) => patch(key, { progress }) });
            patch(key, { phase: 'uploaded', progress: 1, analysis });
            // The batch counts refused files too, so their messages stay on screen.
            onUploaded?.(analysis, files.length);
          } catch (error) {
            patch(key, { phase: 'failed', error });
          }
        });
      }
    },
    [onUploaded, patch],
  );

  const dismiss = useCallback((key: string) => setItems((list) => list.filter((item) => item.key !== key)), []);

  return { items, addFiles, dismiss };
}
