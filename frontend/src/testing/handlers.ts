/**
 * MSW handlers: an in-memory stand-in for the GenreLens API that follows API_CONTRACT.md, with
 * uploads that move through the analysis stages one step per poll, and content sniffing that
 * answers 415 for anything that is not audio (as the real server does).
 */
import { http, HttpResponse } from 'msw';
import type { Analysis } from '@/lib/schemas';
import { ANALYSIS_IDS, artistDetail, baseAnalyses, baseTracks, deepHouseGenre, taxonomy, techHouseGenre, techHouseResult } from './fixtures';

const STAGES: Analysis['stage'][] = ['queued', 'decoding', 'features', 'model', 'done'];
const PROGRESS = [0, 0.15, 0.5, 0.85, 1];

export const db = {
  analyses: new Map<string, Analysis>(),
  uploads: 0,
  /** SHA-256 digests the library already analysed (POST /api/analyses/known/). */
  known: new Set<string>(),
  /** How many of the next uploads answer 429 (the upload rate limit). */
  throttled: 0,
  /** Track id -> the genre slug the user labelled it with. */
  labels: new Map<string, string>(),
  reset() {
    this.labels = new Map();
    this.analyses = new Map(baseAnalyses().map((a) => [a.id, a]));
    this.uploads = 0;
    this.known = new Set();
    this.throttled = 0;
  },
};
db.reset();

function error(status: number, code: string, message: string) {
  return HttpResponse.json({ message, code, extra: {} }, { status });
}

/** Camelot codes that mix with `code`: itself, one step either way, its relative (as the server). */
function mixesWith(code: string): string[] {
  const n = Number.parseInt(code, 10);
  const letter = code.slice(-1);
  const step = (k: number) => `${((n - 1 + k + 12) % 12) + 1}${letter}`;
  return [code, step(-1), step(1), `${n}${letter === 'A' ? 'B' : 'A'}`];
}

function genreName(slug: string): string | undefined {
  return taxonomy.families.flatMap((f) => f.genres).find((g) => g.slug === slug)?.name;
}

/** The personal answer as the server shapes it: the labelled genres, evenly ranked but the track's own label first. */
function personalAnswer(trackId: string) {
  const label = db.labels.get(trackId);
  const genres = [...new Set(db.labels.values())];
  const family = (slug: string) => taxonomy.families.find((f) => f.genres.some((g) => g.slug === slug))?.slug ?? '';
  const ranked = genres.length >= 2 ? genres.map((slug, i) => ({ slug, name: genreName(slug) ?? slug, family: family(slug), probability: i === 0 ? 0.6 : 0.4 / (genres.length - 1) })) : null;
  return {
    label: label ? { slug: label, name: genreName(label) ?? label, family: family(label) } : null,
    genres: ranked,
    evaluation: { labels: db.labels.size, genres: genres.length, accuracy: genres.length >= 2 ? 0.75 : null, shipped_accuracy: db.labels.size > 0 ? 0.5 : null },
    min_genres: 2,
  };
}

function advance(a: Analysis): Analysis {
  if (a.status === 'succeeded' || a.status === 'failed' || a.id === ANALYSIS_IDS.queued) return a;
  const next = Math.min(STAGES.indexOf(a.stage) + 1, STAGES.length - 1);
  const stage = STAGES[next] ?? 'done';
  const done = stage === 'done';
  const updated: Analysis = {
    ...a,
    stage,
    progress: PROGRESS[next] ?? 1,
    status: done ? 'succeeded' : 'running',
    result: done ? { ...techHouseResult, source: { ...techHouseResult.source, name: a.track?.original_filename ?? 'upload' } } : null,
  };
  db.analyses.set(a.id, updated);
  return updated;
}

/** Audio magic numbers: RIFF/WAVE, ID3 or an MPEG frame sync, fLaC, OggS. */
async function looksLikeAudio(file: Blob): Promise<boolean> {
  const head = new Uint8Array(await file.slice(0, 12).arrayBuffer());
  const text = String.fromCharCode(...head);
  return text.startsWith('RIFF') || text.startsWith('ID3') || text.startsWith('fLaC') || text.startsWith('OggS') || (head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0);
}

/** The mock library's tracks matching a list URL's filters, in its order. */
function matchingTracks(url: URL) {
  let rows = baseTracks();
  const search = url.searchParams.get('search')?.toLowerCase();
  const family = url.searchParams.get('family');
  const genre = url.searchParams.get('genre');
  const key = url.searchParams.get('key');
  const mixable = url.searchParams.get('mixable') === 'true';
  const unsure = url.searchParams.get('unsure');
  const min = Number(url.searchParams.get('bpm_min') ?? 'NaN');
  const max = Number(url.searchParams.get('bpm_max') ?? 'NaN');
  const energyMin = Number(url.searchParams.get('energy_min') ?? 'NaN');
  const energyMax = Number(url.searchParams.get('energy_max') ?? 'NaN');
  if (search) rows = rows.filter((t) => `${t.title} ${t.artist?.name ?? ''}`.toLowerCase().includes(search));
  if (family) rows = rows.filter((t) => t.family?.slug === family);
  if (genre) rows = rows.filter((t) => t.top_genre?.slug === genre);
  if (key) rows = rows.filter((t) => t.camelot !== null && (mixable ? mixesWith(key) : [key]).includes(t.camelot));
  if (unsure) rows = rows.filter((t) => String(t.unsure) === unsure);
  if (!Number.isNaN(energyMin)) rows = rows.filter((t) => (t.energy ?? 0) >= energyMin);
  if (!Number.isNaN(energyMax)) rows = rows.filter((t) => (t.energy ?? 0) <= energyMax);
  if (!Number.isNaN(min)) rows = rows.filter((t) => (t.bpm ?? 0) >= min);
  if (!Number.isNaN(max)) rows = rows.filter((t) => (t.bpm ?? 0) <= max);
  const ordering = url.searchParams.get('ordering');
  if (ordering === 'bpm') rows.sort((a, b) => (a.bpm ?? 0) - (b.bpm ?? 0));
  if (ordering === '-bpm') rows.sort((a, b) => (b.bpm ?? 0) - (a.bpm ?? 0));
  if (ordering === 'title') rows.sort((a, b) => (a.title ?? '').localeCompare(b.title ?? ''));
  return rows;
}

export const handlers = [
  http.get('*/api/analyses/', ({ request }) => {
    const statuses = new URL(request.url).searchParams.get('status')?.split(',');
    const results = [...db.analyses.values()]
      .filter((a) => !statuses || statuses.includes(a.status))
      .map(({ result: _omit, ...rest }) => rest);
    return HttpResponse.json({ count: results.length, next: null, previous: null, results });
  }),
  http.post('*/api/analyses/known/', async ({ request }) => {
    const body = (await request.json()) as { sha256?: string[] };
    const known = (body.sha256 ?? []).filter((d) => db.known.has(d));
    return HttpResponse.json({ known: known.map((sha256) => ({ sha256, analysis: { id: ANALYSIS_IDS.techHouse, url: '', status: 'succeeded', stage: 'done', progress: 1, reused: true, track_id: `t-known-${sha256.slice(0, 8)}` } })) });
  }),
  http.post('*/api/analyses/', async ({ request }) => {
    if (db.throttled > 0) {
      db.throttled -= 1;
      return HttpResponse.json({ message: 'Too many uploads; retry in 1 s.', code: 'throttled', extra: {} }, { status: 429, headers: { 'Retry-After': '1' } });
    }
    const form = await request.formData();
    const file = form.get('file');
    // Duck-typed: the request's File comes from Node, not from jsdom's realm.
    if (typeof file !== 'object' || file === null || !('arrayBuffer' in file)) return error(400, 'invalid_parameter', 'Send the audio as the `file` field.');
    if (file.size === 0) return error(400, 'empty_file', 'The uploaded file is empty.');
    if (!(await looksLikeAudio(file))) {
      return error(415, 'unsupported_media_type', 'Unsupported file type: the content is image/png, not audio.');
    }
    db.uploads += 1;
    const id = `5f0c0000-0000-4000-8000-${String(db.uploads).padStart(12, '0')}`;
    const created: Analysis = {
      ...baseAnalyses()[0]!,
      id,
      url: `/api/analyses/${id}/`,
      status: 'queued',
      stage: 'queued',
      progress: 0,
      result: null,
      finished_at: null,
      track: { id: `t-${id}`, title: file.name.replace(/\.[^.]+$/, ''), artist: null, album: null, year: null, duration_s: 6, original_filename: file.name, audio_url: `/api/tracks/t-${id}/audio/` },
    };
    db.analyses.set(id, created);
    return HttpResponse.json({ id, url: created.url, status: 'queued', stage: 'queued', progress: 0, reused: false, track_id: `t-${id}` }, { status: 202 });
  }),
  http.get('*/api/analyses/:id/', ({ params }) => {
    const found = db.analyses.get(String(params.id));
    if (!found) return error(404, 'not_found', 'Analysis not found.');
    return HttpResponse.json(advance(found));
  }),
  http.delete('*/api/analyses/:id/', ({ params, request }) => {
    if (!request.headers.get('Authorization')) return error(401, 'not_authenticated', 'Authentication credentials were not provided.');
    if (!db.analyses.delete(String(params.id))) return error(404, 'not_found', 'Analysis not found.');
    return new HttpResponse(null, { status: 204 });
  }),
  http.get('*/api/tracks/ids/', ({ request }) => {
    const rows = matchingTracks(new URL(request.url));
    return HttpResponse.json({ count: rows.length, ids: rows.slice(0, 500).map((t) => t.id), truncated: rows.length > 500 });
  }),
  http.get('*/api/tracks/', ({ request }) => {
    const url = new URL(request.url);
    const rows = matchingTracks(url);
    const page = Number(url.searchParams.get('page') ?? '1');
    return HttpResponse.json({ count: rows.length, next: null, previous: null, results: rows.slice((page - 1) * 25, page * 25) });
  }),
  http.get('*/api/tracks/:id/similar/', ({ params, request }) => {
    const url = new URL(request.url);
    const self = baseTracks().find((t) => t.id === params.id) ?? baseTracks()[0];
    const tolerance = Number(url.searchParams.get('bpm_tolerance') ?? 'NaN');
    let rows = baseTracks().filter((t) => t.id !== self?.id);
    if (!Number.isNaN(tolerance)) rows = rows.filter((t) => Math.abs((t.bpm ?? 0) - (self?.bpm ?? 0)) <= tolerance);
    if (url.searchParams.get('compatible_key') === 'true' && self?.camelot) rows = rows.filter((t) => t.camelot !== null && mixesWith(self.camelot ?? '').includes(t.camelot));
    return HttpResponse.json({ tracks: rows.map((t, i) => ({ ...t, similarity: 0.9 - 1.2 * i })) });
  }),
  http.get('*/api/tracks/:id/personal/', ({ params }) => HttpResponse.json(personalAnswer(String(params.id)))),
  http.put('*/api/tracks/:id/label/', async ({ params, request }) => {
    const { genre } = (await request.json()) as { genre?: string };
    if (!genre || !genreName(genre)) return error(400, 'invalid_parameter', `unknown genre '${genre ?? ''}'`);
    db.labels.set(String(params.id), genre);
    return HttpResponse.json(personalAnswer(String(params.id)));
  }),
  http.delete('*/api/tracks/:id/label/', ({ params }) => {
    db.labels.delete(String(params.id));
    return HttpResponse.json(personalAnswer(String(params.id)));
  }),
  http.get('*/api/artists/:id/', ({ params }) =>
    params.id === artistDetail.id ? HttpResponse.json(artistDetail) : error(404, 'not_found', 'Artist not found.'),
  ),
  http.get('*/api/genres/', () => HttpResponse.json(taxonomy)),
  http.get('*/api/genres/:slug/', ({ params }) => {
    if (params.slug === 'tech-house') return HttpResponse.json({ ...techHouseGenre, tracks: baseTracks().slice(0, 1).map((t) => ({ ...t, share: 0.4 })) });
    if (params.slug === 'deep-house') return HttpResponse.json(deepHouseGenre);
    return error(404, 'not_found', 'Genre not found.');
  }),
];
