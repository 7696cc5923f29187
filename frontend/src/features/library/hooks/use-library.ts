/** Library queries; the previous page stays on screen while the next one loads. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getArtist, getPersonalAnswer, labelTracks, libraryKeys, listTrackIds, listTracks, setLabel, similarTracks, type SimilarOptions, type TrackFilters } from '../api/library';

export function useTracks(filters: TrackFilters) {
  return useQuery({
    queryKey: libraryKeys.tracks(filters),
    queryFn: ({ signal }) => listTracks(filters, signal),
    placeholderData: keepPreviousData,
  });
}

export function useArtist(id: string | null) {
  return useQuery({
    queryKey: libraryKeys.artist(id ?? ''),
    queryFn: ({ signal }) => getArtist(id ?? '', signal),
    enabled: Boolean(id),
  });
}

/** A track's "sounds like" list; kept on screen while a narrower one loads. */
export function useSimilarTracks(id: string | null, options: SimilarOptions) {
  return useQuery({
    queryKey: libraryKeys.similar(id ?? '', options),
    queryFn: ({ signal }) => similarTracks(id ?? '', options, signal),
    enabled: Boolean(id),
    placeholderData: keepPreviousData,
  });
}

/** A track's label and the personal layer's answer for it. */
export function usePersonalAnswer(id: string) {
  return useQuery({ queryKey: libraryKeys.personal(id), queryFn: ({ signal }) => getPersonalAnswer(id, signal) });
}

/**
 * Confirms, corrects or clears a track's label. The answer for this track comes back with the
 * write; every other track's personal answer changes too (the layer learnt), so they go stale.
 */
export function useSetLabel(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (genre: string | null) => setLabel(id, genre),
    onSuccess: (answer) => {
      void queryClient.invalidateQueries({ queryKey: ['tracks', 'personal'], refetchType: 'none' });
      queryClient.setQueryData(libraryKeys.personal(id), answer);
    },
  });
}

/** Labels a selection of tracks with one genre; every personal answer goes stale after it. */
export function useLabelTracks() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ ids, genre }: { ids: readonly string[]; genre: string }) => labelTracks(ids, genre),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['tracks', 'personal'] }),
  });
}

/** Fetches the ids of every track matching the filters, for "select every matching track". */
export function useMatchingIds() {
  return useMutation({ mutationFn: (filters: TrackFilters) => listTrackIds(filters) });
}
