import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const portalDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(portalDir, '..');

/**
 * The react-admin back office. Built into portal/dist, which the API server serves at `/` with an SPA fallback;
 * the API itself is same-origin under `/api` (proxied to the dev server on port 3000 by `npm run dev:portal`).
 */
export default defineConfig({
  root: portalDir,
  base: '/',
  plugins: [react()],
  build: {
    outDir: path.join(portalDir, 'dist'),
    emptyOutDir: true,
    // react-admin + MUI make one large vendor bundle; it is cached for the whole session.
    chunkSizeWarningLimit: 2500,
  },
  server: {
    port: 5173,
    // portal/src imports ../../domain (the shared permission rules), which lives outside the Vite root.
    fs: { allow: [repoRoot] },
    proxy: { '/api': { target: 'http://localhost:3000', changeOrigin: false } },
  },
  preview: {
    proxy: { '/api': { target: 'http://localhost:3000', changeOrigin: false } },
  },
});
