/** Requests for the library: tracks with filters, and artists. */
import { apiUrl, request } from '@/lib/api-client';
import {
  ArtistDetailSchema,
  PersonalAnswerSchema,
  SimilarTracksSchema,
  TrackIdsSchema,
  TrackListItemSchema,
  paginated,
  type ArtistDetail,
  type Paginated,
  type PersonalAnswer,
  type SimilarTrack,
  type TrackIds,
  type TrackListItem,
} from '@/lib/schemas';

export interface TrackFilters {
  search?: string;
  genre?: string;
  family?: string;
  bpm_min?: string;
  bpm_max?: string;
  key?: string;
  /** With `key`: also the keys that mix with it ("true"). */
  mixable?: string;
  energy_min?: string;
  energy_max?: string;
  /** "true": only answers the model was unsure of; "false": only sure ones. */
  unsure?: string;
  artist?: string;
  /** Only these tracks: ids joined by commas (a selection; at most `MAX_SELECTED`). */
  ids?: string;
  ordering?: string;
  page?: number;
}

/** Tracks a page of GET /api/tracks/ holds (API contract). */
export const PAGE_SIZE = 25;

/** Most tracks one selection may hold (the API's `ids` limit). */
export const MAX_SELECTED = 500;

export const libraryKeys = {
  tracks: (filters: TrackFilters) => ['tracks', 'list', filters] as const,
  artist: (id: string) => ['artists', 'detail', id] as const,
  similar: (id: string, options: SimilarOptions) => ['tracks', 'similar', id, options] as const,
  personal: (id: string) => ['tracks', 'personal', id] as const,
};

/** Narrowing of a "sounds like" list: within this many BPM, and only keys that mix. */
export interface SimilarOptions {
  bpm_tolerance?: number;
  compatible_key?: boolean;
}

const TrackPage = paginated(TrackListItemSchema);

export function listTracks(filters: TrackFilters, signal?: AbortSignal): Promise<Paginated<TrackListItem>> {
  return request('/api/tracks/', TrackPage, { params: { ...filters }, signal });
}

/** The ids of every track matching `filters`, in the list's order, up to `MAX_SELECTED`. */
export function listTrackIds(filters: TrackFilters): Promise<TrackIds> {
  const { page: _page, ...rest } = filters;
  return request('/api/tracks/ids/', TrackIdsSchema, { params: { ...rest } });
}

/** The tracks whose genre profile is closest to track `id`'s, best first. */
export async function similarTracks(id: string, options: SimilarOptions, signal?: AbortSignal): Promise<SimilarTrack[]> {
  const params: Record<string, string> = {};
  if (options.bpm_tolerance !== undefined) params.bpm_tolerance = String(options.bpm_tolerance);
  if (options.compatible_key) params.compatible_key = 'true';
  const body = await request(`/api/tracks/${encodeURIComponent(id)}/similar/`, SimilarTracksSchema, { params, signal });
  return body.tracks;
}

export function getPersonalAnswer(id: string, signal?: AbortSignal): Promise<PersonalAnswer> {
  return request(`/api/tracks/${encodeURIComponent(id)}/personal/`, PersonalAnswerSchema, { signal });
}

/** Confirm or correct track `id`'s genre (`genre` a slug), or take the label back (null). */
export function setLabel(id: string, genre: string | null): Promise<PersonalAnswer> {
  const path = `/api/tracks/${encodeURIComponent(id)}/label/`;
  return genre === null
    ? request(path, PersonalAnswerSchema, { method: 'DELETE' })
    : request(path, PersonalAnswerSchema, { method: 'PUT', json: { genre } });
}

export function getArtist(id: string, signal?: AbortSignal): Promise<ArtistDetail> {
  return request(`/api/artists/${encodeURIComponent(id)}/`, ArtistDetailSchema, { signal });
}

/** Formats of GET /api/tracks/export/ and their labels. */
export const EXPORT_FORMATS = { csv: 'CSV', rekordbox: 'rekordbox XML' } as const;

/** Labels `ids` as `genre` one after another; the ids whose write failed come back. */
export async function labelTracks(ids: readonly string[], genre: string): Promise<string[]> {
  const failed: string[] = [];
  for (const id of ids) {
    try {
      await setLabel(id, genre);
    } catch {
      failed.push(id);
    }
  }
  return failed;
}

/** The download URL of every track matching `filters` (all pages) in `format`. */
export function exportUrl(filters: TrackFilters, format: keyof typeof EXPORT_FORMATS): string {
  const { page: _page, ...rest } = filters;
  return apiUrl('/api/tracks/export/', { ...rest, format });
}
