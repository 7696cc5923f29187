/**
 * Starts Debian's Chromium through playwright-core (no downloaded browser), headless, with a fresh
 * profile, and records console errors and page errors so tests can assert there are none.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.GENRELENS_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Session {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  problems: string[];
  /** Console warnings seen so far (reported, not failed on). */
  warnings: string[];
  close: () => Promise<void>;
}

export async function openBrowser({
  width = 1280,
  height = 900,
  colorScheme = 'light',
}: { width?: number; height?: number; colorScheme?: 'light' | 'dark' } = {}): Promise<Session> {
  const profile = mkdtempSync(join(tmpdir(), 'genrelens-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width, height },
    colorScheme,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  const warnings: string[] = [];
  context.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    if (message.type() === 'warning') warnings.push(`console: ${message.text()}`);
  });
  context.on('weberror', (error) => problems.push(`page error: ${error.error().message}`));
  return {
    context,
    page,
    problems,
    warnings,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
