/** Requests about analyses: read one, list them, delete one. */
import { request } from '@/lib/api-client';
import { AnalysisSchema, paginated, type Analysis, type Paginated } from '@/lib/schemas';

export const analysisKeys = {
  all: ['analyses'] as const,
  list: (page: number) => ['analyses', 'list', page] as const,
  detail: (id: string) => ['analyses', 'detail', id] as const,
};

export function getAnalysis(id: string, signal?: AbortSignal): Promise<Analysis> {
  return request(`/api/analyses/${encodeURIComponent(id)}/`, AnalysisSchema, { signal });
}

const AnalysisPage = paginated(AnalysisSchema);

export function listAnalyses(page: number, signal?: AbortSignal): Promise<Paginated<Analysis>> {
  return request('/api/analyses/', AnalysisPage, { params: { page }, signal });
}

export function deleteAnalysis(id: string): Promise<void> {
  return request(`/api/analyses/${encodeURIComponent(id)}/`, null, { method: 'DELETE' });
}

export function eventsUrl(id: string): string {
  return `/api/analyses/${encodeURIComponent(id)}/events/`;
}

export function isFinished(analysis: Pick<Analysis, 'status'>): boolean {
  return analysis.status === 'succeeded' || analysis.status === 'failed';
}
