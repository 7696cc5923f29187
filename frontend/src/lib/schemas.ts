/**
 * zod schemas of every API response the front end reads (API_CONTRACT.md and the analysis result
 * JSON of docs/architecture.md). Responses are parsed with these, so the TypeScript types below are
 * checked against what the server really sends, not just assumed.
 */
import { z } from 'zod';

const num = z.number();
const range = z.tuple([num, num]);

export const GenreRefSchema = z.object({
  slug: z.string(),
  name: z.string(),
  family: z.string(),
});
export type GenreRef = z.infer<typeof GenreRefSchema>;

export const GenreProbabilitySchema = GenreRefSchema.extend({ probability: num });
export type GenreProbability = z.infer<typeof GenreProbabilitySchema>;

export const FamilyProbabilitySchema = z.object({ slug: z.string(), name: z.string(), probability: num });
export type FamilyProbability = z.infer<typeof FamilyProbabilitySchema>;

export const WhySchema = z.object({
  trait: z.string(),
  value: z.union([num, z.string()]).nullable(),
  expected: z.union([range, z.array(z.string()), z.string()]).nullable(),
  match: z.boolean().nullable(),
  text: z.string(),
});
export type Why = z.infer<typeof WhySchema>;

export const TopGenreSchema = GenreProbabilitySchema.extend({
  description: z.string().default(''),
  image: z.string().nullish(),
  why: z.array(WhySchema).default([]),
});
export type TopGenre = z.infer<typeof TopGenreSchema>;

export const TimelineSegmentSchema = z.object({
  start_s: num,
  end_s: num,
  top: z.string().nullable(),
  genres: z.record(z.string(), num),
  bpm: num.nullish(),
});
export type TimelineSegment = z.infer<typeof TimelineSegmentSchema>;

export const AnalysisResultSchema = z.object({
  schema_version: z.string(),
  source: z.object({
    name: z.string(),
    format: z.string().nullish(),
    sample_rate: num.nullish(),
    channels: num.nullish(),
    declared_duration_s: num.nullish(),
    duration_analyzed_s: num,
    truncated: z.boolean().default(false),
  }),
  tempo: z.object({
    bpm: num.nullable(),
    confidence: num.nullish(),
    alternatives: z.array(num).default([]),
    stable: z.boolean().nullish(),
    beats_analyzed: num.nullish(),
  }),
  key: z.object({
    tonic: z.string().nullable(),
    mode: z.string().nullable(),
    name: z.string().nullable(),
    camelot: z.string().nullable(),
    confidence: num.nullish(),
  }),
  loudness: z.object({
    integrated_lufs: num.nullable(),
    peak_dbfs: num.nullish(),
    dynamic_range_db: num.nullish(),
  }),
  rhythm: z.object({
    pattern: z.string().nullable(),
    onset_rate_hz: num.nullish(),
    pulse_clarity: num.nullish(),
  }),
  // Decorative or open-ended parts fall back to empty instead of failing the whole page.
  features: z.record(z.string(), num.nullable()).catch({}),
  genres: z.array(GenreProbabilitySchema),
  families: z.array(FamilyProbabilitySchema),
  top: z.array(TopGenreSchema),
  timeline: z.array(TimelineSegmentSchema).default([]),
  confidence: z.object({
    unsure: z.boolean(),
    reasons: z.array(z.string()).default([]),
    top_probability: num.nullish(),
    margin: num.nullish(),
    electronic_probability: num.nullish(),
  }),
  model: z.object({ name: z.string(), version: z.string() }).nullable(),
  low_signal: z.boolean().default(false),
  timings: z.record(z.string(), num).catch({}),
});
export type AnalysisResult = z.infer<typeof AnalysisResultSchema>;

export const ArtistRefSchema = z.object({ id: z.union([z.string(), num]).transform(String), name: z.string() });
export type ArtistRef = z.infer<typeof ArtistRefSchema>;

export const ANALYSIS_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export const ANALYSIS_STAGES = ['queued', 'decoding', 'features', 'model', 'done', 'failed'] as const;
export type AnalysisStatus = (typeof ANALYSIS_STATUSES)[number];
export type AnalysisStage = (typeof ANALYSIS_STAGES)[number];

export const TrackRefSchema = z.object({
  id: z.union([z.string(), num]).transform(String),
  title: z.string().nullable(),
  artist: ArtistRefSchema.nullable(),
  album: z.string().nullish(),
  year: num.nullish(),
  duration_s: num.nullish(),
  original_filename: z.string().nullish(),
  audio_url: z.string().nullish(),
});
export type TrackRef = z.infer<typeof TrackRefSchema>;

export const AnalysisSchema = z.object({
  id: z.string(),
  url: z.string().optional(),
  status: z.enum(ANALYSIS_STATUSES),
  stage: z.enum(ANALYSIS_STAGES),
  progress: num,
  error: z.object({ message: z.string(), code: z.string() }).nullish(),
  created_at: z.string().nullish(),
  started_at: z.string().nullish(),
  finished_at: z.string().nullish(),
  model_version: z.string().nullish(),
  reused: z.boolean().default(false),
  track: TrackRefSchema.nullish(),
  result: AnalysisResultSchema.nullish(),
});
export type Analysis = z.infer<typeof AnalysisSchema>;

export function paginated<T extends z.ZodTypeAny>(item: T) {
  return z.object({
    count: num,
    next: z.string().nullable(),
    previous: z.string().nullable(),
    results: z.array(item),
  });
}
export type Paginated<T> = { count: number; next: string | null; previous: string | null; results: T[] };

export const TrackListItemSchema = z.object({
  id: z.union([z.string(), num]).transform(String),
  title: z.string().nullable(),
  artist: ArtistRefSchema.nullable(),
  album: z.string().nullish(),
  year: num.nullish(),
  duration_s: num.nullish(),
  bpm: num.nullable(),
  key: z.string().nullable(),
  camelot: z.string().nullable(),
  top_genre: GenreProbabilitySchema.nullable(),
  family: z.object({ slug: z.string(), name: z.string() }).nullable(),
  unsure: z.boolean(),
  analysis_id: z.string().nullable(),
  created_at: z.string().nullish(),
});
export type TrackListItem = z.infer<typeof TrackListItemSchema>;

export const ArtistListItemSchema = z.object({
  id: z.union([z.string(), num]).transform(String),
  name: z.string(),
  track_count: num,
});
export type ArtistListItem = z.infer<typeof ArtistListItemSchema>;

export const ArtistDetailSchema = z.object({
  id: z.union([z.string(), num]).transform(String),
  name: z.string(),
  tracks: z.array(TrackListItemSchema),
  genre_mix: z.array(GenreProbabilitySchema),
  family_mix: z.array(FamilyProbabilitySchema),
});
export type ArtistDetail = z.infer<typeof ArtistDetailSchema>;

export const TaxonomyGenreSchema = z.object({
  slug: z.string(),
  name: z.string(),
  modelled: z.boolean(),
  image_url: z.string().nullish(),
  tempo_bpm: range.nullish(),
  rhythm: z.string().nullish(),
});
export type TaxonomyGenre = z.infer<typeof TaxonomyGenreSchema>;

export const TaxonomyFamilySchema = z.object({
  slug: z.string(),
  name: z.string(),
  color: z.string().nullish(),
  description: z.string().nullish(),
  genres: z.array(TaxonomyGenreSchema),
});
export type TaxonomyFamily = z.infer<typeof TaxonomyFamilySchema>;

export const TaxonomySchema = z.object({ families: z.array(TaxonomyFamilySchema) });
export type Taxonomy = z.infer<typeof TaxonomySchema>;

const ProfileValue = z.union([range, z.string(), num, z.array(z.string())]);

export const GenreDetailSchema = z.object({
  slug: z.string(),
  name: z.string(),
  family: z.object({ slug: z.string(), name: z.string(), color: z.string().nullish() }),
  modelled: z.boolean().default(false),
  description: z.string().default(''),
  history: z
    .object({
      origin: z.string().nullish(),
      years: z.union([z.string(), num, z.array(num)]).nullish(),
      text: z.string().nullish(),
    })
    .nullish()
    .catch(null),
  tempo_bpm: range.nullish(),
  rhythm: z.string().nullish(),
  sounds: z.array(z.string()).catch([]),
  production: z.array(z.string()).catch([]),
  related: z.array(GenreRefSchema).default([]),
  artists: z.array(z.string()).catch([]),
  releases: z
    .array(z.object({ artist: z.string(), title: z.string(), year: z.union([num, z.string()]).nullish() }))
    .catch([]),
  aliases: z.array(z.string()).catch([]),
  profile: z.record(z.string(), ProfileValue).nullish().catch(null),
  image_url: z.string().nullish(),
  tracks: z.array(TrackListItemSchema).default([]),
});
export type GenreDetail = z.infer<typeof GenreDetailSchema>;
