/**
 * Upload requests: one file per POST so each file gets its own progress and its own error, and
 * what a folder import asks before and while it sends.
 */
import { request, upload } from '@/lib/api-client';
import { AnalysisCountSchema, AnalysisSchema, KnownAnalysesSchema, type Analysis } from '@/lib/schemas';

export function createAnalysis(
  file: File,
  { onProgress, signal, reanalyze = false }: { onProgress?: (fraction: number) => void; signal?: AbortSignal; reanalyze?: boolean } = {},
): Promise<Analysis> {
  const form = new FormData();
  form.append('file', file, file.name);
  if (reanalyze) form.append('reanalyze', 'true');
  return upload('/api/analyses/', form, AnalysisSchema, { onProgress, signal });
}

/** Most digests one `known` request may carry (the server's KNOWN_DIGESTS_MAX). */
export const KNOWN_BATCH = 500;

/** Of these SHA-256 digests, those the library would not analyse again, each with its track's id. */
export async function knownAnalyses(digests: string[], signal?: AbortSignal): Promise<Map<string, string>> {
  const body = await request('/api/analyses/known/', KnownAnalysesSchema, { method: 'POST', json: { sha256: digests }, signal });
  return new Map(body.known.map((item) => [item.sha256, item.analysis.track_id]));
}

/** How many of the user's analyses are still queued or running (the work left behind uploads). */
export async function pendingAnalyses(signal?: AbortSignal): Promise<number> {
  const page = await request('/api/analyses/', AnalysisCountSchema, { params: { status: 'queued,running' }, signal });
  return page.count;
}
