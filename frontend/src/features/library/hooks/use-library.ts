/** Library queries; the previous page stays on screen while the next one loads. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getArtist, libraryKeys, listTracks, similarTracks, type SimilarOptions, type TrackFilters } from '../api/library';

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
