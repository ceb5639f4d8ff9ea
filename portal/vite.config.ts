import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const portalDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(portalDir, '..');

/**
 * The react-admin back office. Built into portal/dist, which the API server serves at `/` with an SPA fallback;
 * the API itself is same-origin under `/api` (proxied to the dev server on port 3000 by `npm run dev:portal`).
 */
/**
 * Brotli and gzip copies of every text file of the build, written once here at maximum compression so the server
 * never compresses per request (server/http/portal.ts serves `<file>.br` or `<file>.gz` to a browser that accepts
 * it). Files under 1 KB are left alone: their headers would cost as much as they save.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'hocba-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      for (const file of filesUnder(outDir)) {
        if (!/\.(js|css|html|svg|json|txt|map)$/.test(file)) continue;
        const data = fs.readFileSync(file);
        if (data.length < 1024) continue;
        fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(data, { level: 9 }));
      }
    },
  };
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

export default defineConfig({
  root: portalDir,
  base: '/',
  plugins: [react(), precompress()],
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
