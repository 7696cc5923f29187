/**
 * Vite build and dev-server configuration for the GenreLens front end.
 *
 * The built app is served by Django: `dist/index.html` for every client route and the files in
 * `dist/assets/` as static files. `GENRELENS_ASSET_BASE` is the URL prefix under which Django
 * serves `dist/` (default `/`: the backend serves dist/ with WHITENOISE_ROOT, so the
 * assets are at `/assets/...`), so asset URLs in index.html point there.
 */
import { fileURLToPath, URL } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin, type ProxyOptions } from 'vite';

const BACKEND_URL = process.env.GENRELENS_BACKEND_URL ?? 'http://127.0.0.1:8000';
const BUILD_ASSET_BASE = process.env.GENRELENS_ASSET_BASE ?? '/';

const proxy: Record<string, ProxyOptions> = {
  '/api': { target: BACKEND_URL, changeOrigin: false },
  '/static/genre_images': { target: BACKEND_URL, changeOrigin: false },
};

/**
 * `vite preview` serves dist/ at `/`; strip the asset prefix so it answers like Django does
 * (index.html for client routes, built files under the asset base).
 */
function servePrefixedAssets(): Plugin {
  return {
    name: 'genrelens-preview-asset-base',
    configurePreviewServer(server) {
      server.middlewares.use((req, _res, next) => {
        if (BUILD_ASSET_BASE !== '/' && req.url?.startsWith(BUILD_ASSET_BASE)) {
          req.url = `/${req.url.slice(BUILD_ASSET_BASE.length)}`;
        }
        next();
      });
    },
  };
}

export default defineConfig(({ command, isPreview }) => ({
  base: command === 'build' && !isPreview ? BUILD_ASSET_BASE : '/',
  plugins: [react(), servePrefixedAssets()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  server: { port: 5173, proxy },
  // `vite preview` serves dist/ at `/` like Django does, so the e2e test can run against it.
  preview: { port: 4173, proxy },
  build: {
    outDir: 'dist',
    sourcemap: false,
    chunkSizeWarningLimit: 700,
  },
}));
