/**
 * End-to-end smoke test against a real GenreLens (embedded mode): upload a generated WAV, watch
 * the progress, read the breakdown, open a genre card, browse the library and the encyclopedia,
 * and see the error for a PNG renamed .mp3. Screenshots of each view go to docs/img/.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  AnalysisSchema,
  ArtistDetailSchema,
  GenreDetailSchema,
  KnownAnalysesSchema,
  PersonalAnswerSchema,
  SimilarTracksSchema,
  TaxonomySchema,
  TrackListItemSchema,
  paginated,
} from '../src/lib/schemas';
import { compareSchemas, responseSchema, type OpenApiDocument } from '../src/testing/openapi-check';
import { accessibilityProblems } from './a11y';
import { kickBassWav, smallPng } from './audio';
import { openBrowser, type Session } from './browser';

const BASE = (process.env.GENRELENS_E2E_URL ?? '').replace(/\/$/, '');
const FIXTURE_MODE = process.env.GENRELENS_E2E_FIXTURES === '1';
const SHOTS = process.env.GENRELENS_E2E_SCREENSHOTS ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'img');
/** How long an analysis of the 6 s WAV may take on a slow CPU [ms]. */
const ANALYSIS_TIMEOUT_MS = Number(process.env.GENRELENS_E2E_ANALYSIS_TIMEOUT_MS ?? 180_000);
/** The paths the front end calls, as the OpenAPI schema names them (parameters normalised). */
const CONTRACT_PATHS = [
  'get /api/analyses/',
  'post /api/analyses/',
  'get /api/analyses/{}/',
  'delete /api/analyses/{}/',
  'post /api/analyses/known/',
  'get /api/tracks/',
  'get /api/tracks/{}/similar/',
  'get /api/tracks/{}/personal/',
  'put /api/tracks/{}/label/',
  'delete /api/tracks/{}/label/',
  'get /api/artists/{}/',
  'get /api/genres/',
  'get /api/genres/{}/',
];
/** The client's schema of each response it reads, by the documented path, method and status. */
const RESPONSES: [string, string, string, z.ZodMiniType][] = [
  ['/api/analyses/', 'get', '200', paginated(AnalysisSchema)],
  ['/api/analyses/', 'post', '202', AnalysisSchema],
  ['/api/analyses/', 'post', '200', AnalysisSchema],
  ['/api/analyses/{}/', 'get', '200', AnalysisSchema],
  ['/api/tracks/', 'get', '200', paginated(TrackListItemSchema)],
  ['/api/tracks/{}/similar/', 'get', '200', SimilarTracksSchema],
  ['/api/analyses/known/', 'post', '200', KnownAnalysesSchema],
  ['/api/tracks/{}/personal/', 'get', '200', PersonalAnswerSchema],
  ['/api/tracks/{}/label/', 'put', '200', PersonalAnswerSchema],
  ['/api/artists/{}/', 'get', '200', ArtistDetailSchema],
  ['/api/genres/', 'get', '200', TaxonomySchema],
  ['/api/genres/{}/', 'get', '200', GenreDetailSchema],
];
const RESULT_TEXT = /Sounds most like|Best guess|No genre estimate|no genre model installed|could not be analysed/;

describe.skipIf(!BASE || FIXTURE_MODE)('GenreLens end to end', () => {
  let s: Session;
  let analysisPath = '';
  let hasGenres = false;
  const stagesSeen = new Set<string>();
  const a11y: string[] = [];
  const audit = async (view: string) => a11y.push(...(await accessibilityProblems(s.page)).map((p) => `${view}: ${p}`));

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    s = await openBrowser();
  });

  afterAll(async () => {
    await s?.close();
  });

  it("serves an OpenAPI schema with every path the front end calls, in the client's shapes", async () => {
    const response = await fetch(`${BASE}/api/schema/?format=json`, { headers: { Accept: 'application/vnd.oai.openapi+json, application/json' } });
    expect(response.ok, `GET /api/schema/ answered ${response.status}`).toBe(true);
    const schema = (await response.json()) as OpenApiDocument;
    const found = new Set<string>();
    for (const [path, ops] of Object.entries(schema.paths)) {
      for (const method of Object.keys(ops)) found.add(`${method} ${path.replace(/\{[^}]+\}/g, '{}')}`);
    }
    const missing = CONTRACT_PATHS.filter((p) => !found.has(p));
    expect(missing, `paths missing from the OpenAPI schema: ${missing.join(', ')}`).toEqual([]);
    const problems: string[] = [];
    for (const [path, method, status, client] of RESPONSES) {
      const documented = responseSchema(schema, path, method, status);
      if (!documented) problems.push(`${method.toUpperCase()} ${path} ${status}: not documented`);
      else problems.push(...compareSchemas(client, documented, schema, `${method.toUpperCase()} ${path} ${status}`));
    }
    expect(problems).toEqual([]);
  });

  it('uploads a generated WAV, shows live progress, then the breakdown', async () => {
    const { page } = s;
    await page.goto(`${BASE}/`);
    await page.getByRole('heading', { name: 'What genre is this track?' }).waitFor();
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: join(SHOTS, 'home.png') });
    await audit('home');
    // Keyboard: the first control after the navigation opens the file chooser with Enter.
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Choose audio files' }).focus();
    await page.keyboard.press('Enter');
    expect((await chooser).isMultiple()).toBe(true);
    await page.getByLabel('Audio files to analyse').setInputFiles({ name: 'kick-bass-128.wav', mimeType: 'audio/wav', buffer: kickBassWav({ seed: Date.now() % 1_000_000 }) });
    await page.waitForURL(/\/analyses\/[^/]+$/, { timeout: 60_000 });
    analysisPath = new URL(page.url()).pathname;
    const deadline = Date.now() + ANALYSIS_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const stage = page.getByTestId('analysis-stage');
      if ((await stage.count()) > 0) stagesSeen.add(((await stage.first().textContent()) ?? '').split('·')[0]!.trim());
      if ((await page.getByText(RESULT_TEXT).count()) > 0) break;
      await page.waitForTimeout(150);
    }
    console.log(`stages seen: ${[...stagesSeen].join(' -> ') || '(none: finished before the first look)'}`);
    const stillQueued = [...stagesSeen].includes('Queued') && (await page.getByText(RESULT_TEXT).count()) === 0;
    if (stillQueued) await page.screenshot({ path: join(SHOTS, 'queued.png'), fullPage: true });
    expect(stillQueued, 'the analysis stayed queued: is a worker running (or CELERY_TASK_ALWAYS_EAGER set)?').toBe(false);
    const failure = page.getByText(/could not be analysed/);
    if ((await failure.count()) > 0) {
      await page.screenshot({ path: join(SHOTS, 'analysis-failed.png'), fullPage: true });
      expect.fail(`the analysis failed: ${(await page.getByRole('alert').first().textContent()) ?? ''}`);
    }
    await page.getByRole('heading', { name: 'Genre breakdown' }).waitFor();
    await page.getByRole('heading', { name: 'Tempo, key, energy and loudness' }).waitFor();
    const facts = (await page.getByRole('region', { name: 'Tempo, key, energy and loudness' }).textContent()) ?? '';
    console.log(`facts shown: ${facts.replace(/\s+/g, ' ')}`);
    expect(facts).toMatch(/BPM/);
    expect(facts).toMatch(/Energy\s*\d+\/10/);
    const structure = page.getByRole('region', { name: 'Sections and cues' });
    const sections = await structure.getByRole('list', { name: 'Sections of the track' }).getByRole('button').count();
    console.log(`sections shown: ${sections}; ${((await structure.textContent()) ?? '').replace(/\s+/g, ' ')}`);
    expect(sections).toBeGreaterThan(0);
    hasGenres = (await page.getByRole('list', { name: 'Genres ranked by probability' }).count()) > 0;
    console.log(hasGenres ? 'genre probabilities shown' : 'no genre probabilities (no model installed on this server)');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SHOTS, 'result.png'), fullPage: true });
    await audit('result');
  });

  it('opens a genre card from the result', async (ctx) => {
    if (!analysisPath) ctx.skip();
    const { page } = s;
    if (!hasGenres) {
      console.log('skipped opening a card from the result: the server returned no genre probabilities');
      ctx.skip();
    }
    const first = page.getByRole('list', { name: 'Genres ranked by probability' }).getByRole('button').first();
    const name = ((await first.locator('.ranked__name').textContent()) ?? '').trim();
    await first.click();
    const dialog = page.getByRole('dialog', { name });
    await dialog.waitFor();
    await dialog.getByRole('link', { name: new RegExp(`Open the .* page`) }).waitFor();
    expect(page.url()).toMatch(/\?genre=/);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SHOTS, 'genre-card.png') });
    await audit('genre card');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('keeps the result on a narrow phone screen', async (ctx) => {
    if (!analysisPath) ctx.skip();
    const phone = await openBrowser({ width: 390, height: 844 });
    try {
      await phone.page.goto(`${BASE}${analysisPath}`);
      await phone.page.getByRole('heading', { name: 'Genre breakdown' }).waitFor();
      const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, 'the page scrolls sideways on a phone').toBeLessThanOrEqual(1);
      await phone.page.screenshot({ path: join(SHOTS, 'result-phone.png'), fullPage: true });
      expect(phone.problems).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('lists the track in the library and sorts it', async () => {
    const { page } = s;
    await page.goto(`${BASE}/library`);
    const table = page.getByRole('table', { name: 'Analysed tracks' });
    await table.waitFor();
    await expect(table.getByRole('row').count()).resolves.toBeGreaterThan(1);
    await table.getByRole('button', { name: /BPM/ }).click();
    await page.waitForURL(/ordering=bpm/);
    await table.waitFor();
    await page.screenshot({ path: join(SHOTS, 'library.png'), fullPage: true });
    await audit('library');
  });

  it('adds a folder, shows similar tracks, learns from two labels and filters the library by mixable key', async () => {
    const { page } = s;
    const root = mkdtempSync(join(tmpdir(), 'genrelens-folder-'));
    mkdirSync(join(root, 'Crate', 'Sub'), { recursive: true });
    const seed = Date.now() % 1_000_000;
    writeFileSync(join(root, 'Crate', 'warmup-124.wav'), kickBassWav({ bpm: 124, seed: seed + 1 }));
    writeFileSync(join(root, 'Crate', 'Sub', 'peak-130.wav'), kickBassWav({ bpm: 130, seed: seed + 2 }));
    writeFileSync(join(root, 'Crate', 'notes.txt'), 'not audio');
    await page.goto(`${BASE}/`);
    await page.getByLabel('Folder of tracks to add').setInputFiles(join(root, 'Crate'));
    const panel = page.getByRole('region', { name: 'Added “Crate”' });
    await panel.waitFor({ timeout: 60_000 });
    const text = (await panel.textContent()) ?? '';
    console.log(`folder import: ${text.replace(/\s+/g, ' ')}`);
    expect(text).toMatch(/2 of 2 audio files · 2 sent · 0 already analysed/);
    expect(text).toMatch(/1 other file/);
    await panel.getByText('Every analysis is finished.').waitFor({ timeout: ANALYSIS_TIMEOUT_MS });
    await page.screenshot({ path: join(SHOTS, 'folder-import.png') });
    await audit('folder import');
    // The same folder again: nothing is sent, both are recognised by their content.
    await page.getByRole('button', { name: 'Dismiss the folder import' }).click();
    await page.getByLabel('Folder of tracks to add').setInputFiles(join(root, 'Crate'));
    await panel.waitFor({ timeout: 60_000 });
    expect((await panel.textContent()) ?? '').toMatch(/2 of 2 audio files · 0 sent · 2 already analysed/);

    await page.goto(`${BASE}/library?search=peak-130`);
    const row = page.getByRole('table', { name: 'Analysed tracks' }).getByRole('row', { name: /peak-130/ });
    await row.waitFor();
    const keyPill = row.locator('.pill:not(.pill--unsure)');
    const camelot = (await keyPill.count()) > 0 ? ((await keyPill.first().textContent()) ?? '').trim() : '';
    await row.getByRole('link', { name: /peak-130/ }).click();
    await page.getByRole('heading', { level: 1, name: 'peak-130' }).waitFor();
    if (hasGenres) {
      const similar = page.getByRole('region', { name: 'Sounds like' });
      const table = similar.getByRole('table', { name: 'Tracks that sound like this one' });
      await table.waitFor();
      await expect(table.getByRole('row', { name: /warmup-124/ }).count()).resolves.toBe(1);
      await similar.getByLabel('Tempo').selectOption({ label: 'Within ±3 BPM' });
      await similar.getByRole('row', { name: /warmup-124/ }).waitFor({ state: 'detached' });
      await audit('similar tracks');
    } else {
      console.log('skipped similar tracks: the server returned no genre probabilities');
    }
    // Teach it: label two tracks with two genres; a third track then gets an answer from them.
    const label = async (genre: string) => {
      const card = page.getByRole('region', { name: 'Is this right?' });
      await card.getByRole('combobox').selectOption({ label: genre });
      await card.getByRole('button', { name: 'Save the label' }).click();
      await card.getByText(`You filed this track as ${genre}.`).waitFor();
    };
    await label('Hard Techno');
    await page.goto(`${BASE}/library?search=warmup-124`);
    await page.getByRole('link', { name: /warmup-124/ }).click();
    await page.getByRole('heading', { level: 1, name: 'warmup-124' }).waitFor();
    await label('Deep House');
    await page.goto(`${BASE}${analysisPath}`);
    const ranking = page.getByRole('region', { name: 'Is this right?' }).getByRole('list', { name: 'Genres by your labels' });
    await ranking.waitFor();
    const ranked = (await ranking.textContent()) ?? '';
    console.log(`personal answer of the first upload: ${ranked.replace(/\s+/g, ' ')}`);
    expect(ranked).toMatch(/Hard Techno/);
    expect(ranked).toMatch(/Deep House/);
    await audit('personal layer');
    if (/^\d{1,2}[AB]$/.test(camelot)) {
      await page.goto(`${BASE}/library?key=${camelot}&mixable=true`);
      const mixable = page.getByRole('table', { name: 'Analysed tracks' });
      await mixable.getByRole('row', { name: /peak-130/ }).waitFor();
      await expect(page.getByLabel('and keys that mix').isChecked()).resolves.toBe(true);
    }
  });

  it('ticks tracks across two searches, exports just them and labels them at once', async () => {
    const { page } = s;
    const table = page.getByRole('table', { name: 'Analysed tracks' });
    await page.goto(`${BASE}/library?search=warmup-124`);
    for (const name of ['warmup-124', 'peak-130']) {
      await page.getByRole('searchbox', { name: 'Search' }).fill(name);
      await table.getByRole('row', { name: new RegExp(name) }).waitFor();
      await table.getByRole('checkbox', { name: `Select ${name}` }).check();
    }
    const bulk = page.getByRole('region', { name: 'Selected tracks' });
    await bulk.getByText('2 tracks selected').waitFor();
    const csv = await page.request.get((await bulk.getByRole('link', { name: 'CSV' }).getAttribute('href')) ?? '');
    expect(csv.status()).toBe(200);
    const rows = (await csv.text()).trim().split('\n').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows.join('\n')).toMatch(/warmup-124/);
    expect(rows.join('\n')).toMatch(/peak-130/);
    await bulk.getByLabel('Label as').selectOption({ label: 'Minimal Techno' });
    await bulk.getByRole('button', { name: 'Apply' }).click();
    await bulk.getByRole('status').getByText('Labelled 2 tracks.').waitFor();
    await page.screenshot({ path: join(SHOTS, 'bulk-actions.png') });
    await audit('bulk actions');
    await table.getByRole('link', { name: /peak-130/ }).click();
    await page.getByRole('heading', { level: 1, name: 'peak-130' }).waitFor();
    await page.getByRole('region', { name: 'Is this right?' }).getByText('You filed this track as Minimal Techno.').waitFor();
  });

  it('browses the encyclopedia and a genre page', async () => {
    const { page } = s;
    await page.goto(`${BASE}/genres`);
    const families = page.getByRole('list', { name: 'Genre families' });
    await families.waitFor();
    await expect(families.getByRole('heading').count()).resolves.toBeGreaterThanOrEqual(15);
    await page.screenshot({ path: join(SHOTS, 'encyclopedia.png') });
    await audit('encyclopedia');
    await page.goto(`${BASE}/genres/tech-house`);
    await page.getByRole('heading', { level: 1, name: 'Tech House' }).waitFor();
    await page.getByRole('heading', { name: /Analysed tracks in Tech House/ }).waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SHOTS, 'genre-page.png'), fullPage: true });
    await audit('genre page');
  });

  it('shows "Unsupported file type" for a PNG renamed .mp3', async () => {
    const { page } = s;
    const before = s.problems.length;
    await page.goto(`${BASE}/`);
    await page.getByLabel('Audio files to analyse').setInputFiles({ name: 'cover.mp3', mimeType: 'audio/mpeg', buffer: smallPng() });
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = (await alert.textContent()) ?? '';
    console.log(`error shown: ${text}`);
    expect(text).toMatch(/unsupported_media_type/);
    expect(text).toMatch(/unsupported file type|not (an )?audio|not supported/i);
    expect(new URL(page.url()).pathname).toBe('/');
    await page.screenshot({ path: join(SHOTS, 'upload-error.png') });
    await audit('upload error');
    // The browser itself logs the refused request; that one is expected.
    const added = s.problems.splice(before).filter((p) => !/status of 415/.test(p));
    s.problems.push(...added);
  });

  it('deletes the analysis with a token: gone from the list, 404 on reload', async (ctx) => {
    const token = process.env.GENRELENS_E2E_TOKEN;
    if (!token || !analysisPath) {
      console.log('skipped delete: set GENRELENS_E2E_TOKEN (manage.py create_api_token) to run it');
      ctx.skip();
    }
    const { page } = s;
    await page.goto(`${BASE}${analysisPath}`);
    await page.evaluate((key) => window.localStorage.setItem('genrelens.token', key), token ?? '');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(`${BASE}/`);
    const id = analysisPath.split('/').filter(Boolean).pop() ?? '';
    await page.getByRole('heading', { name: 'Recently analysed' }).waitFor();
    await expect(page.locator(`a[href$="${id}"]`).count()).resolves.toBe(0);
    const before = s.problems.length;
    await page.goto(`${BASE}${analysisPath}`);
    await page.getByText('This analysis does not exist').waitFor();
    // The browser logs the expected 404 of the deleted analysis; keep anything else.
    s.problems.push(...s.problems.splice(before).filter((p) => !/status of 404/.test(p)));
  });

  it('has no serious accessibility problems (axe-core, WCAG 2.1 A/AA) on the views it saw', () => {
    expect(a11y).toEqual([]);
  });

  it('logged no console errors on any page', () => {
    if (s.warnings.length > 0) console.log(`console warnings:\n${s.warnings.join('\n')}`);
    expect(s.problems).toEqual([]);
  });
});
