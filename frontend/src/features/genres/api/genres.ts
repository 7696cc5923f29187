/** Requests for the taxonomy and genre records. */
import { request } from '@/lib/api-client';
import { GenreDetailSchema, TaxonomySchema, type GenreDetail, type Taxonomy } from '@/lib/schemas';

export const genreKeys = {
  taxonomy: ['genres', 'taxonomy'] as const,
  detail: (slug: string) => ['genres', 'detail', slug] as const,
};

export function getTaxonomy(signal?: AbortSignal): Promise<Taxonomy> {
  return request('/api/genres/', TaxonomySchema, { signal });
}

export function getGenre(slug: string, signal?: AbortSignal): Promise<GenreDetail> {
  return request(`/api/genres/${encodeURIComponent(slug)}/`, GenreDetailSchema, { signal });
}

