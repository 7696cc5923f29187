/** Taxonomy and genre queries; the taxonomy barely changes, so it is cached for the session. */
import { useQuery } from '@tanstack/react-query';
import { genreKeys, getGenre, getTaxonomy } from '../api/genres';

export function useTaxonomy() {
  return useQuery({ queryKey: genreKeys.taxonomy, queryFn: ({ signal }) => getTaxonomy(signal), staleTime: Infinity });
}

export function useGenre(slug: string | null) {
  return useQuery({
    queryKey: genreKeys.detail(slug ?? ''),
    queryFn: ({ signal }) => getGenre(slug ?? '', signal),
    enabled: Boolean(slug),
    staleTime: 5 * 60_000,
  });
}

