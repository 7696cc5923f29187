/** Formatting of numbers, durations and the result's codes into words people read. */

export function percent(probability: number | null | undefined, digits = 0): string {
  if (probability === null || probability === undefined || Number.isNaN(probability)) return '–';
  return `${(probability * 100).toFixed(digits)}%`;
}

export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** ``m:ss.s``, as DJ software shows a cue or a grid anchor. */
export function clock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const rest = seconds - 60 * m;
  return `${m}:${rest.toFixed(1).padStart(4, '0')}`;
}

/** A section label as a word with a capital: "Breakdown". */
export function sectionLabel(label: string): string {
  return label.charAt(0).toUpperCase() + label.slice(1);
}

export function bpm(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  // One decimal at most, and none when it is zero: 128, 127.5.
  return `${Number(value.toFixed(1))} BPM`;
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** snake_case / kebab-case to "Sentence case". */
export function humanize(code: string): string {
  const words = code.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const RHYTHMS: Record<string, string> = {
  four_on_the_floor: 'Four-on-the-floor',
  breakbeat: 'Breakbeat',
  half_time: 'Half-time',
  two_step: '2-step',
  broken: 'Broken beat',
  syncopated: 'Syncopated',
  free: 'Free / beatless',
};

export function rhythm(pattern: string | null | undefined): string {
  if (!pattern) return '–';
  return RHYTHMS[pattern] ?? humanize(pattern);
}

/** The traits the "why" compares, with units and a plain explanation. */
export const TRAITS: Record<string, { label: string; unit: string; hint: string }> = {
  tempo_bpm: { label: 'Tempo', unit: 'BPM', hint: 'Beats per minute' },
  bass_weight: { label: 'Bass weight', unit: '', hint: 'Share of energy below 150 Hz (0–1)' },
  spectral_centroid_hz: { label: 'Brightness', unit: 'Hz', hint: 'Spectral centroid: higher sounds brighter' },
  onset_rate_hz: { label: 'Busyness', unit: '/s', hint: 'Note and drum onsets per second' },
  spectral_flatness: { label: 'Noisiness', unit: '', hint: 'Spectral flatness (0 tonal – 1 noise)' },
  dynamic_range_db: { label: 'Dynamics', unit: 'dB', hint: 'Loud parts minus quiet parts' },
  rhythm: { label: 'Rhythm', unit: '', hint: 'The drum pattern' },
  mode: { label: 'Mode', unit: '', hint: 'Minor or major key' },
};

export function traitLabel(trait: string): string {
  return TRAITS[trait]?.label ?? humanize(trait);
}

export function traitValue(trait: string, value: number | string | null | undefined): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'string') return trait === 'rhythm' ? rhythm(value) : humanize(value);
  const unit = TRAITS[trait]?.unit ?? '';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 1 ? 1 : 2;
  const spaced = unit && !unit.startsWith('/') ? ` ${unit}` : unit;
  return `${value.toFixed(digits)}${spaced}`;
}

/** Plain words for the reasons an analysis is unsure. */
const UNSURE_REASONS: Record<string, string> = {
  no_model: 'No genre model is installed on this server yet, so only tempo, key and loudness were measured.',
  low_probability: 'No single genre stands out: the top genre has a low probability.',
  low_top_probability: 'No single genre stands out: the top genre has a low probability.',
  low_margin: 'The top genres are nearly tied.',
  small_margin: 'The top genres are nearly tied.',
  not_electronic: 'This may not be electronic music, which is all GenreLens knows.',
  low_electronic_probability: 'This may not be electronic music, which is all GenreLens knows.',
  low_signal: 'The audio is very quiet or mostly silence.',
  out_of_distribution: 'This track is unlike anything the model was trained on.',
  unstable_tempo: 'The tempo changes a lot through the track.',
  truncated: 'Only part of this long track was analysed.',
};

export function unsureReason(code: string): string {
  return UNSURE_REASONS[code] ?? humanize(code);
}

export const STAGE_LABELS: Record<string, string> = {
  queued: 'Queued',
  decoding: 'Decoding audio',
  features: 'Measuring features',
  model: 'Running the genre model',
  done: 'Done',
  failed: 'Failed',
};
