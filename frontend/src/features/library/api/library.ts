/** Requests for the library: tracks with filters, artists. */
import { request } from '@/lib/api-client';
import {
  ArtistDetailSchema,
  ArtistListItemSchema,
  TrackListItemSchema,
  paginated,
  type ArtistDetail,
  type ArtistListItem,
  type Paginated,
  type TrackListItem,
} from '@/lib/schemas';

export const TRACK_ORDERINGS = ['title', '-title', '-created_at', 'created_at', 'bpm', '-bpm', 'top_probability', '-top_probability'] as const;
export type TrackOrdering = (typeof TRACK_ORDERINGS)[number];

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
  artists: (search: string, page: number) => ['artists', 'list', search, page] as const,
  artist: (id: string) => ['artists', 'detail', id] as const,
};

const TrackPage = paginated(TrackListItemSchema);
const ArtistPage = paginated(ArtistListItemSchema);

export function listTracks(filters: TrackFilters, signal?: AbortSignal): Promise<Paginated<TrackListItem>> {
  return request('/api/tracks/', TrackPage, { params: { ...filters }, signal });
}

export function listArtists(search: string, page: number, signal?: AbortSignal): Promise<Paginated<ArtistListItem>> {
  return request('/api/artists/', ArtistPage, { params: { search, page }, signal });
}

export function getArtist(id: string, signal?: AbortSignal): Promise<ArtistDetail> {
  return request(`/api/artists/${encodeURIComponent(id)}/`, ArtistDetailSchema, { signal });
}
