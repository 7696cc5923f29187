#!/usr/bin/env node
// Runs the end-to-end tests against a running GenreLens (GENRELENS_E2E_URL), or says why not.
//   GENRELENS_E2E_URL=http://127.0.0.1:8000 npm run e2e
//   GENRELENS_E2E_URL=http://127.0.0.1:4173 GENRELENS_E2E_FIXTURES=1 npm run e2e   (fixture screenshots)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const url = process.env.GENRELENS_E2E_URL;
if (!url) {
  console.log('e2e skipped: GENRELENS_E2E_URL is not set. Start the backend (embedded mode) and set it, e.g.');
  console.log('  GENRELENS_E2E_URL=http://127.0.0.1:8000 npm run e2e');
  process.exit(0);
}
const chromium = process.env.GENRELENS_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.log(`e2e skipped: no Chromium at ${chromium} (apt-get install chromium, or set GENRELENS_CHROMIUM).`);
  process.exit(0);
}
const vitest = join(here, '..', 'node_modules', 'vitest', 'vitest.mjs');
const result = spawnSync(process.execPath, [vitest, 'run', '--config', join(here, 'vitest.config.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: join(here, '..'),
});
process.exit(result.status ?? 1);
