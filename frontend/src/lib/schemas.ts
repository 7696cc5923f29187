/**
 * zod schemas of every API response the front end reads (API_CONTRACT.md and the analysis result
 * JSON of docs/architecture.md). Responses are parsed with these, so the TypeScript types below are
 * checked against what the server really sends, not just assumed. `zod/mini` keeps the bundle
 * small (its functions tree-shake; the chained API does not).
 */
import * as z from 'zod/mini';

const num = z.number();
const str = z.string();
const range = z.tuple([num, num]);
const nullable = z.nullable;
const nullish = z.nullish;
/** Ids that some endpoints send as integers (artists) and others as UUID strings. */
const id = z.pipe(z.union([str, num]), z.transform(String));

export const GenreRefSchema = z.object({ slug: str, name: str, family: str });
export type GenreRef = z.infer<typeof GenreRefSchema>;

export const GenreProbabilitySchema = z.extend(GenreRefSchema, { probability: num });
export type GenreProbability = z.infer<typeof GenreProbabilitySchema>;

export const FamilyProbabilitySchema = z.object({ slug: str, name: str, probability: num });
export type FamilyProbability = z.infer<typeof FamilyProbabilitySchema>;

export const WhySchema = z.object({
  trait: str,
  value: nullable(z.union([num, str])),
  expected: nullable(z.union([range, z.array(str), str])),
  match: nullable(z.boolean()),
  text: str,
});
export type Why = z.infer<typeof WhySchema>;

export const TopGenreSchema = z.extend(GenreProbabilitySchema, {
  description: z._default(str, ''),
  image: nullish(str),
  why: z._default(z.array(WhySchema), []),
});
export type TopGenre = z.infer<typeof TopGenreSchema>;

export const TimelineSegmentSchema = z.object({
  start_s: num,
  end_s: num,
  top: nullable(str),
  genres: z.record(str, num),
  bpm: nullish(num),
});
export type TimelineSegment = z.infer<typeof TimelineSegmentSchema>;

export const SECTION_LABELS = ['intro', 'build', 'drop', 'breakdown', 'outro'] as const;
export const SectionSchema = z.object({ start_s: num, end_s: num, label: z.enum(SECTION_LABELS) });
export type Section = z.infer<typeof SectionSchema>;

export const AnalysisResultSchema = z.object({
  schema_version: str,
  source: z.object({
    name: str,
    format: nullish(str),
    sample_rate: nullish(num),
    channels: nullish(num),
    declared_duration_s: nullish(num),
    duration_analyzed_s: num,
    truncated: z._default(z.boolean(), false),
  }),
  tempo: z.object({
    bpm: nullable(num),
    confidence: nullish(num),
    alternatives: z._default(z.array(num), []),
    stable: nullish(z.boolean()),
    beats_analyzed: nullish(num),
    basis: nullish(str),
  }),
  // The core returns null when the audio has no key (silence, noise, drums only).
  key: z.nullable(
    z.object({
      tonic: nullable(str),
      mode: nullable(str),
      name: nullable(str),
      camelot: nullable(str),
      confidence: nullish(num),
    }),
  ),
  loudness: z.object({
    integrated_lufs: nullable(num),
    peak_dbfs: nullish(num),
    dynamic_range_db: nullish(num),
  }),
  rhythm: z.object({
    pattern: nullable(str),
    onset_rate_hz: nullish(num),
    pulse_clarity: nullish(num),
  }),
  // Bar grid, energy, sections and the drop cue; results stored before they existed lack them.
  grid: nullish(
    z.object({
      beats_per_bar: num,
      first_beat_s: num,
      first_downbeat_s: num,
      bar_phase: num,
      downbeats_s: z._default(z.array(num), []),
      confidence: num,
    }),
  ),
  energy: nullish(z.object({ level: num, parts: z.catch(z.record(str, num), {}) })),
  sections: z._default(z.array(SectionSchema), []),
  first_drop_s: nullish(num),
  // Decorative or open-ended parts fall back to empty instead of failing the whole page.
  features: z.catch(z.record(str, nullable(num)), {}),
  genres: z.array(GenreProbabilitySchema),
  families: z.array(FamilyProbabilitySchema),
  top: z.array(TopGenreSchema),
  timeline: z._default(z.array(TimelineSegmentSchema), []),
  confidence: z.object({
    unsure: z.boolean(),
    reasons: z._default(z.array(str), []),
    top_probability: nullish(num),
    margin: nullish(num),
    electronic_probability: nullish(num),
  }),
  model: nullable(z.object({ name: str, version: str })),
  low_signal: z._default(z.boolean(), false),
  timings: z.catch(z.record(str, num), {}),
});
export type AnalysisResult = z.infer<typeof AnalysisResultSchema>;

export const ArtistRefSchema = z.object({ id, name: str });
export type ArtistRef = z.infer<typeof ArtistRefSchema>;

export const ANALYSIS_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export const ANALYSIS_STAGES = ['queued', 'decoding', 'features', 'model', 'done', 'failed'] as const;
export type AnalysisStatus = (typeof ANALYSIS_STATUSES)[number];
export type AnalysisStage = (typeof ANALYSIS_STAGES)[number];

export const TrackRefSchema = z.object({
  id,
  title: nullable(str),
  artist: nullable(ArtistRefSchema),
  album: nullish(str),
  year: nullish(num),
  duration_s: nullish(num),
  original_filename: nullish(str),
  audio_url: nullish(str),
});
export type TrackRef = z.infer<typeof TrackRefSchema>;

export const AnalysisSchema = z.object({
  id: str,
  url: z.optional(str),
  status: z.enum(ANALYSIS_STATUSES),
  stage: z.enum(ANALYSIS_STAGES),
  progress: num,
  error: nullish(z.object({ message: str, code: str })),
  created_at: nullish(str),
  started_at: nullish(str),
  finished_at: nullish(str),
  model_version: nullish(str),
  reused: z._default(z.boolean(), false),
  /** In the 202 of an accepted upload, which carries no `track`. */
  track_id: nullish(str),
  track: nullish(TrackRefSchema),
  result: nullish(AnalysisResultSchema),
});
export type Analysis = z.infer<typeof AnalysisSchema>;

/** POST /api/analyses/known/: the digests an upload would not analyse again. */
export const KnownAnalysesSchema = z.object({
  known: z.array(z.object({ sha256: str, analysis: z.object({ id: str, status: z.enum(ANALYSIS_STATUSES), reused: z.boolean(), track_id: str }) })),
});

/** Only the count of a page of analyses (GET /api/analyses/?status=...). */
export const AnalysisCountSchema = z.object({ count: num });

export function paginated<T extends z.ZodMiniType>(item: T) {
  return z.object({
    count: num,
    // DRF sends them always, but its OpenAPI schema marks them optional.
    next: nullish(str),
    previous: nullish(str),
    results: z.array(item),
  });
}
export type Paginated<T> = { count: number; next?: string | null; previous?: string | null; results: T[] };

export const TrackListItemSchema = z.object({
  id,
  title: nullable(str),
  artist: nullable(ArtistRefSchema),
  album: nullish(str),
  year: nullish(num),
  duration_s: nullish(num),
  bpm: nullable(num),
  key: nullable(str),
  camelot: nullable(str),
  energy: nullish(num),
  top_genre: nullable(GenreProbabilitySchema),
  family: nullable(z.object({ slug: str, name: str })),
  unsure: z.boolean(),
  analysis_id: nullable(str),
  created_at: nullish(str),
});
export type TrackListItem = z.infer<typeof TrackListItemSchema>;

/** GET /api/tracks/ids/: the first ids (a selection's limit) of every matching track, in order. */
export const TrackIdsSchema = z.object({ count: num, ids: z.array(str), truncated: z.boolean() });
export type TrackIds = z.infer<typeof TrackIdsSchema>;

/** A track on a genre's page: its list item and that genre's share of it (0..1). */
export const GenreTrackSchema = z.extend(TrackListItemSchema, { share: num });
export type GenreTrack = z.infer<typeof GenreTrackSchema>;

/** A track in another's "sounds like" list: its list item and the cosine of their sound and genre profiles. */
export const SimilarTrackSchema = z.extend(TrackListItemSchema, { similarity: num });
export type SimilarTrack = z.infer<typeof SimilarTrackSchema>;
export const SimilarTracksSchema = z.object({ tracks: z.array(SimilarTrackSchema) });

/** A track's label (the user's own genre for it) and what the user's personal layer says of it. */
export const PersonalAnswerSchema = z.object({
  label: nullable(z.object({ slug: str, name: str, family: str })),
  genres: nullable(z.array(GenreProbabilitySchema)),
  evaluation: z.object({ labels: num, genres: num, accuracy: nullable(num), shipped_accuracy: nullable(num) }),
  min_genres: num,
});
export type PersonalAnswer = z.infer<typeof PersonalAnswerSchema>;

export const ArtistDetailSchema = z.object({
  id,
  name: str,
  tracks: z.array(TrackListItemSchema),
  genre_mix: z.array(GenreProbabilitySchema),
  family_mix: z.array(FamilyProbabilitySchema),
});
export type ArtistDetail = z.infer<typeof ArtistDetailSchema>;

export const TaxonomyGenreSchema = z.object({
  slug: str,
  name: str,
  modelled: z.boolean(),
  image_url: nullish(str),
  tempo_bpm: nullish(range),
  rhythm: nullish(str),
});
export type TaxonomyGenre = z.infer<typeof TaxonomyGenreSchema>;

export const TaxonomyFamilySchema = z.object({
  slug: str,
  name: str,
  color: nullish(str),
  description: nullish(str),
  genres: z.array(TaxonomyGenreSchema),
});
export type TaxonomyFamily = z.infer<typeof TaxonomyFamilySchema>;

export const TaxonomySchema = z.object({ families: z.array(TaxonomyFamilySchema) });
export type Taxonomy = z.infer<typeof TaxonomySchema>;

const ProfileValue = z.union([range, str, num, z.array(str)]);

export const GenreDetailSchema = z.object({
  slug: str,
  name: str,
  family: z.object({ slug: str, name: str, color: nullish(str) }),
  modelled: z._default(z.boolean(), false),
  description: z._default(str, ''),
  history: z.catch(
    nullish(z.object({ origin: nullish(str), years: nullish(z.union([str, num, z.array(num)])), text: nullish(str) })),
    null,
  ),
  tempo_bpm: nullish(range),
  rhythm: nullish(str),
  sounds: z.catch(z.array(str), []),
  production: z.catch(z.array(str), []),
  related: z._default(z.array(GenreRefSchema), []),
  artists: z.catch(z.array(str), []),
  releases: z.catch(z.array(z.object({ artist: str, title: str, year: nullish(z.union([num, str])) })), []),
  aliases: z.catch(z.array(str), []),
  profile: z.catch(nullish(z.record(str, ProfileValue)), null),
  image_url: nullish(str),
  tracks: z._default(z.array(GenreTrackSchema), []),
  min_share: num,
});
export type GenreDetail = z.infer<typeof GenreDetailSchema>;
