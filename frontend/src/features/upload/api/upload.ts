/** Upload requests: one file per POST so each file gets its own progress and its own error. */
import { upload } from '@/lib/api-client';
import { AnalysisSchema, type Analysis } from '@/lib/schemas';

export function createAnalysis(
  file: File,
  { onProgress, signal, reanalyze = false }: { onProgress?: (fraction: number) => void; signal?: AbortSignal; reanalyze?: boolean } = {},
): Promise<Analysis> {
  const form = new FormData();
  form.append('file', file, file.name);
  if (reanalyze) form.append('reanalyze', 'true');
  return upload('/api/analyses/', form, AnalysisSchema, { onProgress, signal });
}
