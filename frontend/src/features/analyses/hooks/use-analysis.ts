/**
 * Live state of one analysis. It listens to the server's event stream when the browser has one and
 * polls as well until the analysis has finished, so progress keeps moving if the stream drops.
 */
import { useEffect } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { env } from '@/config/env';
import { apiUrl } from '@/lib/api-client';
import { AnalysisSchema, type Analysis } from '@/lib/schemas';
import { analysisKeys, deleteAnalysis, eventsUrl, getAnalysis, isFinished, listAnalyses } from '../api/analyses';

function useAnalysisEvents(id: string, enabled: boolean): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!enabled || typeof window.EventSource !== 'function') return undefined;
    const source = new window.EventSource(apiUrl(eventsUrl(id)), { withCredentials: true });
    source.addEventListener('progress', (event) => {
      let data: unknown;
      try {
        data = JSON.parse((event as MessageEvent<string>).data);
      } catch {
        return;
      }
      const parsed = AnalysisSchema.safeParse(data);
      if (!parsed.success) return;
      const update = parsed.data;
      queryClient.setQueryData<Analysis>(analysisKeys.detail(id), (old) =>
        old ? { ...old, ...update, result: update.result ?? old.result, track: update.track ?? old.track } : old,
      );
      if (isFinished(update)) {
        source.close();
        // The stream carries no result: fetch the full analysis once it has finished.
        void queryClient.invalidateQueries({ queryKey: analysisKeys.detail(id) });
      }
    });
    // On error the browser retries by itself; polling keeps the page moving meanwhile.
    return () => source.close();
  }, [id, enabled, queryClient]);
}

export function useAnalysis(id: string) {
  const query = useQuery({
    queryKey: analysisKeys.detail(id),
    queryFn: ({ signal }) => getAnalysis(id, signal),
    refetchInterval: (q) => {
      const data = q.state.data;
      if (q.state.error) return false;
      return data && isFinished(data) ? false : env.POLL_INTERVAL_MS;
    },
  });
  const running = query.data !== undefined && !isFinished(query.data);
  useAnalysisEvents(id, running);
  return query;
}

export function useAnalysisList(page: number) {
  return useQuery({
    queryKey: analysisKeys.list(page),
    queryFn: ({ signal }) => listAnalyses(page, signal),
  });
}

export function useDeleteAnalysis() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteAnalysis,
    onSuccess: (_data, id) => {
      queryClient.removeQueries({ queryKey: analysisKeys.detail(id) });
      void queryClient.invalidateQueries({ queryKey: analysisKeys.all });
      void queryClient.invalidateQueries({ queryKey: ['tracks'] });
    },
  });
}
