/**
 * Screenshots of the main views with FIXTURE DATA (src/testing/fixtures.ts), for the docs while
 * no real backend is at hand. The browser's requests to /api are answered from the fixtures; the
 * genre images are placeholders. Run against `vite preview`:
 *   npm run build && npx vite preview &  GENRELENS_E2E_URL=http://127.0.0.1:4173 GENRELENS_E2E_FIXTURES=1 npm run e2e
 * Real screenshots come from smoke.e2e.ts against the real backend.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ANALYSIS_IDS,
  artistDetail,
  baseAnalyses,
  baseTracks,
  deepHouseGenre,
  taxonomy,
  techHouseGenre,
} from '../src/testing/fixtures';
import { FAMILY_COLORS } from '../src/lib/palette';
import { accessibilityProblems } from './a11y';
import { openBrowser, type Session } from './browser';

const BASE = (process.env.GENRELENS_E2E_URL ?? '').replace(/\/$/, '');
const FIXTURE_MODE = process.env.GENRELENS_E2E_FIXTURES === '1';
const SHOTS = process.env.GENRELENS_E2E_SCREENSHOTS ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'img', 'fixture');

function placeholderImage(slug: string): string {
  const family = taxonomy.families.find((f) => f.genres.some((g) => g.slug === slug))?.slug ?? 'house';
  const color = FAMILY_COLORS[family] ?? '#0072B2';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256"><defs><radialGradient id="g"><stop offset="0" stop-color="${color}"/><stop offset="1" stop-color="#1b1d26"/></radialGradient></defs><rect width="256" height="256" fill="url(#g)"/><circle cx="128" cy="128" r="60" fill="none" stroke="#fff" stroke-opacity=".5" stroke-width="6"/></svg>`;
}

async function answer(route: Route): Promise<void> {
  const url = new URL(route.request().url());
  const path = url.pathname;
  const json = (body: unknown, status = 200) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });
  const image = path.match(/^\/static\/genre_images\/(.+)\.png$/);
  if (image) return route.fulfill({ status: 200, contentType: 'image/svg+xml', body: placeholderImage(image[1] ?? '') });
  const analyses = baseAnalyses();
  if (path === '/api/analyses/' && route.request().method() === 'POST') {
    return json({ message: 'Unsupported file type: the content is image/png, not audio.', code: 'unsupported_media_type', extra: {} }, 415);
  }
  if (path === '/api/analyses/') return json({ count: analyses.length, next: null, previous: null, results: analyses.map(({ result: _r, ...a }) => a) });
  const analysis = path.match(/^\/api\/analyses\/([^/]+)\/$/);
  if (analysis) {
    const found = analyses.find((a) => a.id === analysis[1]);
    return found ? json(found) : json({ message: 'Analysis not found.', code: 'not_found', extra: {} }, 404);
  }
  if (path === '/api/tracks/') {
    const rows = baseTracks();
    return json({ count: rows.length, next: null, previous: null, results: rows });
  }
  if (path === '/api/genres/') return json(taxonomy);
  if (path === '/api/genres/tech-house/') return json({ ...techHouseGenre, tracks: baseTracks().slice(0, 1) });
  if (path === '/api/genres/deep-house/') return json(deepHouseGenre);
  if (path === `/api/artists/${artistDetail.id}/`) return json(artistDetail);
  if (path.startsWith('/api/tracks/') && path.endsWith('/audio/')) return route.fulfill({ status: 404, body: '' });
  return json({ message: 'Not in the fixtures.', code: 'not_found', extra: {} }, 404);
}

describe.skipIf(!BASE || !FIXTURE_MODE)('screenshots with fixture data', () => {
  let s: Session;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    s = await openBrowser();
    await s.context.route(/\/(api|static\/genre_images)\//, answer);
  });

  afterAll(async () => {
    await s?.close();
  });

  it('result view of a tech-house track, with its genre card', async () => {
    const { page } = s;
    await page.goto(`${BASE}/analyses/${ANALYSIS_IDS.techHouse}`);
    await page.getByRole('heading', { name: 'Genre breakdown' }).waitFor();
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(SHOTS, 'result.png'), fullPage: true });
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByRole('list', { name: 'Genres ranked by probability' }).getByRole('button').first().click();
    await page.getByRole('dialog', { name: 'Tech House' }).getByText('Grew out of London').waitFor();
    await page.screenshot({ path: join(SHOTS, 'genre-card.png') });
    expect(await accessibilityProblems(page)).toEqual([]);
  });

  it('unsure result', async () => {
    const { page } = s;
    await page.goto(`${BASE}/analyses/${ANALYSIS_IDS.unsure}`);
    await page.getByRole('heading', { name: 'GenreLens is not sure about this track' }).waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SHOTS, 'result-unsure.png'), fullPage: true });
    expect(await accessibilityProblems(page)).toEqual([]);
  });

  it('phone width, dark theme', async () => {
    const phone = await openBrowser({ width: 390, height: 844, colorScheme: 'dark' });
    try {
      await phone.context.route(/\/(api|static\/genre_images)\//, answer);
      await phone.page.goto(`${BASE}/analyses/${ANALYSIS_IDS.techHouse}`);
      await phone.page.getByRole('heading', { name: 'Genre breakdown' }).waitFor();
      const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(1);
      await phone.page.screenshot({ path: join(SHOTS, 'result-phone-dark.png'), fullPage: true });
      expect(await accessibilityProblems(phone.page)).toEqual([]);
      expect(phone.problems.filter((p) => !/status of 404/.test(p))).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('home with the upload error, library, encyclopedia, genre and artist pages', async () => {
    const { page } = s;
    await page.goto(`${BASE}/`);
    await page.locator('input[type=file]').setInputFiles({ name: 'cover.mp3', mimeType: 'audio/mpeg', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47]) });
    await page.getByRole('alert').waitFor();
    await page.screenshot({ path: join(SHOTS, 'home-upload-error.png'), fullPage: true });
    expect(await accessibilityProblems(page)).toEqual([]);
    for (const [path, name, file] of [
      ['/library', 'Analysed tracks', 'library.png'],
      ['/genres', 'Genre families', 'encyclopedia.png'],
      ['/genres/tech-house', 'Tech House profile', 'genre-page.png'],
      ['/artists/7', 'Tracks by Lumen Grid', 'artist.png'],
    ] as const) {
      await page.goto(`${BASE}${path}`);
      await page.getByRole(path === '/genres' ? 'list' : 'table', { name }).waitFor();
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(SHOTS, file), fullPage: true });
      expect(await accessibilityProblems(page), path).toEqual([]);
    }
    // Only the 415 of the refused upload and the fixture-less audio file may log errors.
    expect(s.problems.filter((p) => !/status of (415|404)/.test(p))).toEqual([]);
  });
});
