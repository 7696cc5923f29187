/** Vitest configuration: jsdom, MSW set-up, unit and component tests under src/. */
import { fileURLToPath, URL } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [react()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  test: {
    globals: true,
    environment: 'jsdom',
    setupFiles: ['./src/testing/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
    testTimeout: 15000,
    // Fast polling so live-progress tests take milliseconds, not seconds.
    env: { VITE_POLL_INTERVAL_MS: '40' },
  },
});
