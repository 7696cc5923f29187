/** Requests for the library: tracks with filters, and artists. */
import { apiUrl, request } from '@/lib/api-client';
import { ArtistDetailSchema, TrackListItemSchema, paginated, type ArtistDetail, type Paginated, type TrackListItem } from '@/lib/schemas';

export interface TrackFilters {
  search?: string;
  genre?: string;
  family?: string;
  bpm_min?: string;
  bpm_max?: string;
  key?: string;
  artist?: string;
  ordering?: string;
  page?: number;
}

export const libraryKeys = {
  tracks: (filters: TrackFilters) => ['tracks', 'list', filters] as const,
  artist: (id: string) => ['artists', 'detail', id] as const,
};

const TrackPage = paginated(TrackListItemSchema);

export function listTracks(filters: TrackFilters, signal?: AbortSignal): Promise<Paginated<TrackListItem>> {
  return request('/api/tracks/', TrackPage, { params: { ...filters }, signal });
}

export function getArtist(id: string, signal?: AbortSignal): Promise<ArtistDetail> {
  return request(`/api/artists/${encodeURIComponent(id)}/`, ArtistDetailSchema, { signal });
}

/** Formats of GET /api/tracks/export/ and their labels. */
export const EXPORT_FORMATS = { csv: 'CSV', rekordbox: 'rekordbox XML' } as const;

/** The download URL of every track matching `filters` (all pages) in `format`. */
export function exportUrl(filters: TrackFilters, format: keyof typeof EXPORT_FORMATS): string {
  const { page: _page, ...rest } = filters;
  return apiUrl('/api/tracks/export/', { ...rest, format });
}
