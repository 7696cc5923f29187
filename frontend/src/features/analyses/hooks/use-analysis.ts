/**
 * Live state of one analysis. It listens to the server's event stream when the browser has one;
 * while no event arrives (no EventSource, stream not open yet, or dropped) it polls instead, so
 * progress keeps moving either way, and both stop once the analysis has finished.
 */
import { useCallback, useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { env } from '@/config/env';
import { apiUrl } from '@/lib/api-client';
import { AnalysisSchema, type Analysis } from '@/lib/schemas';
import { analysisKeys, deleteAnalysis, eventsUrl, getAnalysis, isFinished, listAnalyses } from '../api/analyses';

function useAnalysisEvents(id: string, enabled: boolean, setStreaming: (on: boolean) => void): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!enabled || typeof window.EventSource !== 'function') return undefined;
    const source = new window.EventSource(apiUrl(eventsUrl(id)), { withCredentials: true });
    // The browser reconnects by itself after an error; poll until events flow again.
    source.addEventListener('error', () => setStreaming(false));
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
      setStreaming(true);
      queryClient.setQueryData<Analysis>(analysisKeys.detail(id), (old) =>
        old ? { ...old, ...update, result: update.result ?? old.result, track: update.track ?? old.track } : old,
      );
      if (isFinished(update)) {
        source.close();
        setStreaming(false);
        // The stream carries no result: fetch the full analysis once it has finished.
        void queryClient.invalidateQueries({ queryKey: analysisKeys.detail(id) });
      }
    });
    return () => {
      source.close();
      setStreaming(false);
    };
  }, [id, enabled, queryClient, setStreaming]);
}

export function useAnalysis(id: string) {
  const [streaming, setStreaming] = useState(false);
  const query = useQuery({
    queryKey: analysisKeys.detail(id),
    queryFn: ({ signal }) => getAnalysis(id, signal),
    refetchInterval: (q) => {
      const data = q.state.data;
      if (q.state.error || streaming) return false;
      return data && isFinished(data) ? false : env.POLL_INTERVAL_MS;
    },
  });
  const running = query.data !== undefined && !isFinished(query.data);
  useAnalysisEvents(id, running, setStreaming);
  return query;
}

export function useAnalysisList(page: number) {
  return useQuery({
    queryKey: analysisKeys.list(page),
    queryFn: ({ signal }) => listAnalyses(page, signal),
  });
}

/**
 * Deletes an analysis. Lists are refreshed at once; the analysis itself is dropped from the cache
 * by `forget`, which the caller runs once its page has unmounted (dropping it while the page is
 * still mounted would make the page fetch it again and get a 404). For the same reason track
 * queries still on screen (the deleted track's "sounds like" list) are only marked stale.
 */
export function useDeleteAnalysis() {
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: deleteAnalysis,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['analyses', 'list'] });
      void queryClient.invalidateQueries({ queryKey: ['tracks'], refetchType: 'inactive' });
      void queryClient.invalidateQueries({ queryKey: ['artists'] });
      void queryClient.invalidateQueries({ queryKey: ['genres', 'detail'] });
    },
  });
  const forget = useCallback((id: string) => queryClient.removeQueries({ queryKey: analysisKeys.detail(id) }), [queryClient]);
  return { ...mutation, forget };
}
