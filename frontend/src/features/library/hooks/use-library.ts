/** Library queries; the previous page stays on screen while the next one loads. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getArtist, libraryKeys, listTracks, type TrackFilters } from '../api/library';

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
