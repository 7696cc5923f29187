/**
 * Realistic API fixtures following API_CONTRACT.md and the result JSON of docs/architecture.md:
 * a tech-house track with a timeline, an unsure result, a result without a model, a failed
 * analysis, the taxonomy, genre records, tracks and an artist.
 */
import type { Analysis, AnalysisResult, GenreDetail, GenreProbability, Taxonomy, TrackListItem } from '@/lib/schemas';

export const FAMILY_NAMES: Record<string, string> = {
  house: 'House',
  techno: 'Techno',
  disco: 'Disco',
  'uk-garage': 'UK Garage',
  edm: 'EDM',
  'global-club': 'Global Club',
  downtempo: 'Downtempo',
  'ambient-experimental': 'Ambient & Experimental',
  trance: 'Trance',
};

function g(slug: string, name: string, family: string, probability: number): GenreProbability {
  return { slug, name, family, probability };
}

function familiesOf(genres: GenreProbability[]) {
  const sums = new Map<string, number>();
  for (const genre of genres) sums.set(genre.family, (sums.get(genre.family) ?? 0) + genre.probability);
  return [...sums.entries()]
    .map(([slug, probability]) => ({ slug, name: FAMILY_NAMES[slug] ?? slug, probability: Math.round(probability * 1000) / 1000 }))
    .sort((a, b) => b.probability - a.probability);
}

const TECH_HOUSE_GENRES = [
  g('tech-house', 'Tech House', 'house', 0.41),
  g('deep-house', 'Deep House', 'house', 0.14),
  g('minimal-techno', 'Minimal Techno', 'techno', 0.12),
  g('nu-disco', 'Nu-Disco', 'disco', 0.06),
  g('progressive-house', 'Progressive House', 'house', 0.05),
  g('uk-garage', 'UK Garage', 'uk-garage', 0.05),
  g('peak-time-techno', 'Peak Time Techno', 'techno', 0.04),
  g('electro-house', 'Electro House', 'edm', 0.04),
  g('chicago-house', 'Chicago House', 'house', 0.03),
  g('afro-house', 'Afro House', 'global-club', 0.03),
  g('dub-techno', 'Dub Techno', 'techno', 0.01),
  g('ambient', 'Ambient', 'ambient-experimental', 0.01),
];

const TIMELINE_STEPS: [string, Record<string, number>][] = [
  ['deep-house', { 'deep-house': 0.46, 'tech-house': 0.3, 'minimal-techno': 0.12, 'nu-disco': 0.06 }],
  ['tech-house', { 'tech-house': 0.5, 'deep-house': 0.2, 'minimal-techno': 0.14, 'nu-disco': 0.06 }],
  ['tech-house', { 'tech-house': 0.55, 'minimal-techno': 0.16, 'deep-house': 0.1, 'peak-time-techno': 0.08 }],
  ['tech-house', { 'tech-house': 0.48, 'peak-time-techno': 0.12, 'minimal-techno': 0.15, 'deep-house': 0.1 }],
  ['minimal-techno', { 'minimal-techno': 0.38, 'tech-house': 0.34, 'deep-house': 0.12, 'dub-techno': 0.05 }],
  ['tech-house', { 'tech-house': 0.44, 'deep-house': 0.22, 'minimal-techno': 0.14, 'nu-disco': 0.08 }],
  ['deep-house', { 'deep-house': 0.41, 'tech-house': 0.33, 'ambient': 0.08, 'minimal-techno': 0.1 }],
];

export const techHouseResult: AnalysisResult = {
  schema_version: '1',
  source: { name: 'Night Drive.mp3', format: 'mp3', sample_rate: 44100, channels: 2, declared_duration_s: 198.4, duration_analyzed_s: 198.4, truncated: false },
  tempo: { bpm: 128.0, confidence: 0.93, alternatives: [64.0, 256.0], stable: true, beats_analyzed: 421 },
  key: { tonic: 'A', mode: 'minor', name: 'A minor', camelot: '8A', confidence: 0.61 },
  loudness: { integrated_lufs: -8.4, peak_dbfs: -0.3, dynamic_range_db: 6.2 },
  rhythm: { pattern: 'four_on_the_floor', onset_rate_hz: 4.1, pulse_clarity: 0.8 },
  grid: {
    beats_per_bar: 4,
    first_beat_s: 0.12,
    first_downbeat_s: 0.12,
    bar_phase: 1,
    downbeats_s: Array.from({ length: 105 }, (_, i) => Math.round((0.12 + i * 1.875) * 1000) / 1000),
    confidence: 0.9,
  },
  energy: { level: 7, parts: { loudness: 0.9, tempo: 0.53, density: 0.44, drive: 0.62 } },
  sections: [
    { start_s: 0, end_s: 30.12, label: 'intro' },
    { start_s: 30.12, end_s: 45.12, label: 'build' },
    { start_s: 45.12, end_s: 105.12, label: 'drop' },
    { start_s: 105.12, end_s: 135.12, label: 'breakdown' },
    { start_s: 135.12, end_s: 180.12, label: 'drop' },
    { start_s: 180.12, end_s: 198.4, label: 'outro' },
  ],
  first_drop_s: 45.12,
  features: { bass_weight: 0.42, spectral_centroid_hz: 1850.0, spectral_flatness: 0.08, onset_rate_hz: 4.1, dynamic_range_db: 6.2 },
  genres: TECH_HOUSE_GENRES,
  families: familiesOf(TECH_HOUSE_GENRES),
  top: [
    {
      slug: 'tech-house',
      name: 'Tech House',
      family: 'house',
      probability: 0.41,
      description: 'A stripped-back blend of house grooves and techno sounds: rolling bass lines, crisp percussion and few chords.',
      image: 'genre_images/tech-house.png',
      why: [
        { trait: 'tempo_bpm', value: 128.0, expected: [120, 130], match: true, text: 'Tempo 128.0 BPM is inside tech house’s usual 120–130 BPM.' },
        { trait: 'bass_weight', value: 0.42, expected: [0.3, 0.55], match: true, text: 'Bass weight 0.42 is inside the usual 0.30–0.55.' },
        { trait: 'spectral_centroid_hz', value: 1850, expected: [1200, 2600], match: true, text: 'Brightness 1850 Hz is inside the usual 1200–2600 Hz.' },
        { trait: 'onset_rate_hz', value: 4.1, expected: [3.0, 6.0], match: true, text: 'Onset rate 4.1/s is inside the usual 3.0–6.0/s.' },
        { trait: 'dynamic_range_db', value: 6.2, expected: [7, 12], match: false, text: 'Dynamic range 6.2 dB is below the usual 7–12 dB: more compressed than most tech house.' },
        { trait: 'rhythm', value: 'four_on_the_floor', expected: 'four_on_the_floor', match: true, text: 'A four-on-the-floor kick, as tech house has.' },
      ],
    },
    {
      slug: 'deep-house',
      name: 'Deep House',
      family: 'house',
      probability: 0.14,
      description: 'Warm, soulful house with jazzy chords and a relaxed groove.',
      image: 'genre_images/deep-house.png',
      why: [
        { trait: 'tempo_bpm', value: 128.0, expected: [115, 125], match: false, text: 'Tempo 128.0 BPM is above deep house’s usual 115–125 BPM.' },
        { trait: 'spectral_centroid_hz', value: 1850, expected: [900, 1800], match: false, text: 'Brightness 1850 Hz is a little above the usual 900–1800 Hz.' },
      ],
    },
    {
      slug: 'minimal-techno',
      name: 'Minimal Techno',
      family: 'techno',
      probability: 0.12,
      description: 'Sparse, repetitive techno built from small changes.',
      image: 'genre_images/minimal-techno.png',
      why: [{ trait: 'tempo_bpm', value: 128.0, expected: [122, 132], match: true, text: 'Tempo 128.0 BPM is inside minimal techno’s usual 122–132 BPM.' }],
    },
  ],
  timeline: TIMELINE_STEPS.map(([top, genres], i) => ({
    start_s: i * 30,
    end_s: Math.min((i + 1) * 30, 198.4),
    top,
    genres,
    bpm: 128.0,
  })),
  confidence: { unsure: false, reasons: [], top_probability: 0.41, margin: 0.27, electronic_probability: 0.93 },
  model: { name: 'genrelens-cnn', version: '2026.11.1' },
  low_signal: false,
  timings: { decode_s: 0.4, features_s: 0.9, model_s: 0.2, total_s: 1.6 },
};

const UNSURE_GENRES = [
  g('downtempo', 'Downtempo', 'downtempo', 0.19),
  g('ambient', 'Ambient', 'ambient-experimental', 0.17),
  g('trip-hop', 'Trip-Hop', 'downtempo', 0.15),
  g('deep-house', 'Deep House', 'house', 0.11),
  g('progressive-trance', 'Progressive Trance', 'trance', 0.09),
];

export const unsureResult: AnalysisResult = {
  ...techHouseResult,
  source: { ...techHouseResult.source, name: 'field-recording.wav', format: 'wav', declared_duration_s: 64, duration_analyzed_s: 64 },
  tempo: { bpm: 92.3, confidence: 0.31, alternatives: [184.6], stable: false, beats_analyzed: 80 },
  key: { tonic: 'D', mode: 'major', name: 'D major', camelot: '10B', confidence: 0.22 },
  rhythm: { pattern: 'free', onset_rate_hz: 1.2, pulse_clarity: 0.2 },
  genres: UNSURE_GENRES,
  families: familiesOf(UNSURE_GENRES),
  top: [{ ...UNSURE_GENRES[0]!, description: 'Slow, laid-back electronic music.', image: null, why: [] }],
  timeline: [
    { start_s: 0, end_s: 30, top: 'ambient', genres: { ambient: 0.3, downtempo: 0.2 }, bpm: null },
    { start_s: 30, end_s: 64, top: 'downtempo', genres: { downtempo: 0.25, 'trip-hop': 0.2 }, bpm: 92.3 },
  ],
  confidence: { unsure: true, reasons: ['low_margin', 'not_electronic'], top_probability: 0.19, margin: 0.02, electronic_probability: 0.41 },
};

export const noModelResult: AnalysisResult = {
  ...techHouseResult,
  genres: [],
  families: [],
  top: [],
  timeline: techHouseResult.timeline.map((seg) => ({ ...seg, genres: {}, top: null })),
  confidence: { unsure: true, reasons: ['no_model'], top_probability: null, margin: null, electronic_probability: null },
  model: null,
};

const artistNight = { id: '7', name: 'Lumen Grid' };

function analysis(id: string, overrides: Partial<Analysis>): Analysis {
  return {
    id,
    url: `/api/analyses/${id}/`,
    status: 'succeeded',
    stage: 'done',
    progress: 1,
    error: null,
    created_at: '2026-11-25T09:00:00Z',
    started_at: '2026-11-25T09:00:01Z',
    finished_at: '2026-11-25T09:00:03Z',
    model_version: '2026.11.1',
    reused: false,
    track: {
      id: `t-${id}`,
      title: 'Night Drive',
      artist: artistNight,
      album: 'Afterhours EP',
      year: 2025,
      duration_s: 198.4,
      original_filename: 'Night Drive.mp3',
      audio_url: `/api/tracks/t-${id}/audio/`,
    },
    result: techHouseResult,
    ...overrides,
  };
}

export const ANALYSIS_IDS = {
  techHouse: '0b8a3c1e-0000-4000-8000-000000000001',
  unsure: '0b8a3c1e-0000-4000-8000-000000000002',
  failed: '0b8a3c1e-0000-4000-8000-000000000003',
  queued: '0b8a3c1e-0000-4000-8000-000000000004',
  noModel: '0b8a3c1e-0000-4000-8000-000000000005',
};

export function baseAnalyses(): Analysis[] {
  return [
    analysis(ANALYSIS_IDS.techHouse, {}),
    analysis(ANALYSIS_IDS.unsure, {
      result: unsureResult,
      track: { id: 't-2', title: 'Field Recording', artist: null, album: null, year: null, duration_s: 64, original_filename: 'field-recording.wav', audio_url: '/api/tracks/t-2/audio/' },
    }),
    analysis(ANALYSIS_IDS.failed, {
      status: 'failed',
      stage: 'failed',
      progress: 0.2,
      result: null,
      error: { message: 'The audio in this file could not be decoded: invalid MP3 frame header.', code: 'audio_decode_failed' },
      track: { id: 't-3', title: null, artist: null, album: null, year: null, duration_s: null, original_filename: 'broken.mp3', audio_url: '/api/tracks/t-3/audio/' },
    }),
    analysis(ANALYSIS_IDS.queued, { status: 'queued', stage: 'queued', progress: 0, result: null, finished_at: null, started_at: null }),
    analysis(ANALYSIS_IDS.noModel, { result: noModelResult }),
  ];
}

export const taxonomy: Taxonomy = {
  families: [
    {
      slug: 'house',
      name: 'House',
      color: '#E69F00',
      description: 'Four-on-the-floor dance music from Chicago, 115–130 BPM.',
      genres: [
        { slug: 'deep-house', name: 'Deep House', modelled: true, image_url: '/static/genre_images/deep-house.png', tempo_bpm: [115, 125], rhythm: 'four_on_the_floor' },
        { slug: 'tech-house', name: 'Tech House', modelled: true, image_url: '/static/genre_images/tech-house.png', tempo_bpm: [120, 130], rhythm: 'four_on_the_floor' },
        { slug: 'chicago-house', name: 'Chicago House', modelled: true, image_url: '/static/genre_images/chicago-house.png', tempo_bpm: [118, 128], rhythm: 'four_on_the_floor' },
        { slug: 'french-house', name: 'French House', modelled: false, image_url: '/static/genre_images/french-house.png', tempo_bpm: [118, 126], rhythm: 'four_on_the_floor' },
      ],
    },
    {
      slug: 'techno',
      name: 'Techno',
      color: '#0072B2',
      description: 'Machine music from Detroit and Berlin.',
      genres: [
        { slug: 'minimal-techno', name: 'Minimal Techno', modelled: true, image_url: '/static/genre_images/minimal-techno.png', tempo_bpm: [122, 132], rhythm: 'four_on_the_floor' },
        { slug: 'dub-techno', name: 'Dub Techno', modelled: true, image_url: '/static/genre_images/dub-techno.png', tempo_bpm: [115, 128], rhythm: 'four_on_the_floor' },
      ],
    },
    {
      slug: 'drum-and-bass',
      name: 'Drum & Bass',
      color: '#009E73',
      description: 'Fast breakbeats and heavy bass, around 170 BPM.',
      genres: [{ slug: 'liquid-dnb', name: 'Liquid Drum & Bass', modelled: true, image_url: '/static/genre_images/liquid-dnb.png', tempo_bpm: [168, 176], rhythm: 'breakbeat' }],
    },
  ],
};

export const techHouseGenre: GenreDetail = {
  slug: 'tech-house',
  name: 'Tech House',
  family: { slug: 'house', name: 'House', color: '#E69F00' },
  modelled: true,
  description: 'A stripped-back blend of house grooves and techno sounds: rolling bass lines, crisp percussion and few chords.',
  history: { origin: 'United Kingdom', years: '1990s', text: 'Grew out of London clubs such as The End in the mid-1990s, mixing US house with European techno.' },
  tempo_bpm: [120, 130],
  rhythm: 'four_on_the_floor',
  sounds: ['rolling bass line', 'shuffled hi-hats', 'vocal chops'],
  production: ['sidechained bass', 'short loops'],
  related: [
    { slug: 'deep-house', name: 'Deep House', family: 'house' },
    { slug: 'minimal-techno', name: 'Minimal Techno', family: 'techno' },
  ],
  artists: ['Fisher', 'Green Velvet', 'Eats Everything'],
  releases: [{ artist: 'Green Velvet', title: 'La La Land', year: 2001 }],
  aliases: ['tech-house'],
  profile: { tempo_bpm: [120, 130], bass_weight: [0.3, 0.55], rhythm: 'four_on_the_floor', mode: 'any' },
  image_url: '/static/genre_images/tech-house.png',
  tracks: [],
  min_share: 0.1,
};

export const deepHouseGenre: GenreDetail = {
  ...techHouseGenre,
  slug: 'deep-house',
  name: 'Deep House',
  description: 'Warm, soulful house with jazzy chords and a relaxed groove.',
  history: { origin: 'Chicago, USA', years: '1980s', text: 'Larry Heard’s jazz-tinged productions defined its sound.' },
  tempo_bpm: [115, 125],
  related: [{ slug: 'tech-house', name: 'Tech House', family: 'house' }],
  artists: ['Larry Heard', 'Kerri Chandler'],
  image_url: '/static/genre_images/deep-house.png',
};

export function trackItem(i: number, overrides: Partial<TrackListItem> = {}): TrackListItem {
  return {
    id: String(i),
    title: `Track ${String(i).padStart(2, '0')}`,
    artist: artistNight,
    album: null,
    year: 2025,
    duration_s: 180 + i,
    bpm: 120 + (i % 10),
    key: 'A minor',
    camelot: '8A',
    energy: 6,
    top_genre: { slug: 'tech-house', name: 'Tech House', family: 'house', probability: 0.4 },
    family: { slug: 'house', name: 'House' },
    unsure: false,
    analysis_id: ANALYSIS_IDS.techHouse,
    created_at: '2026-11-25T09:00:00Z',
    ...overrides,
  };
}

export function baseTracks(): TrackListItem[] {
  return [
    trackItem(1, { title: 'Night Drive', bpm: 128, analysis_id: ANALYSIS_IDS.techHouse }),
    trackItem(2, {
      title: 'Field Recording',
      artist: null,
      bpm: 92.3,
      key: 'D major',
      camelot: '10B',
      energy: 3,
      top_genre: { slug: 'downtempo', name: 'Downtempo', family: 'downtempo', probability: 0.19 },
      family: { slug: 'downtempo', name: 'Downtempo' },
      unsure: true,
      analysis_id: ANALYSIS_IDS.unsure,
    }),
    trackItem(3, {
      title: 'Rollers',
      bpm: 174,
      key: 'F minor',
      camelot: '4A',
      energy: 8,
      top_genre: { slug: 'liquid-dnb', name: 'Liquid Drum & Bass', family: 'drum-and-bass', probability: 0.62 },
      family: { slug: 'drum-and-bass', name: 'Drum & Bass' },
    }),
  ];
}

export const artistDetail = {
  id: '7',
  name: 'Lumen Grid',
  tracks: [trackItem(1, { title: 'Night Drive', bpm: 128 })],
  genre_mix: [g('tech-house', 'Tech House', 'house', 0.41), g('deep-house', 'Deep House', 'house', 0.14), g('minimal-techno', 'Minimal Techno', 'techno', 0.12)],
  family_mix: [
    { slug: 'house', name: 'House', probability: 0.63 },
    { slug: 'techno', name: 'Techno', probability: 0.17 },
  ],
};
