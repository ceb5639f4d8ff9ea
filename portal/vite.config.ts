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

/**
 * What index.html needs to draw the sign-in form at the first paint, inlined so that no request holds the paint up:
 * the form's CSS (src/auth/quick-sign-in.css, a render-blocking stylesheet otherwise) and the small script that
 * decides whether to show it (src/boot.js; the server allows it by its hash in the Content-Security-Policy,
 * server/http/portal.ts).
 */
function inlineFirstPaint(): Plugin {
  return {
    name: 'hocba-inline-first-paint',
    transformIndexHtml(html) {
      const css = fs.readFileSync(path.join(portalDir, 'src/auth/quick-sign-in.css'), 'utf8');
      const js = fs.readFileSync(path.join(portalDir, 'src/boot.js'), 'utf8');
      return html.replace('<!--inline:boot.js-->', () => `<script>${js}</script>`).replace('<!--inline:quick-sign-in.css-->', () => `<style>${css}</style>`);
    },
  };
}

/**
 * The entry script is asked for once the first frame is painted, not before. A module script that arrives before
 * the first frame runs first and holds that paint for its whole evaluation (≈ 150 ms on the 2-core machine), so the
 * form index.html already holds would wait for it; a modulepreload did the same (its compile held the frame). The
 * session check (`/api/auth/me`) is still asked for at once (index.html's preload).
 */
function entryAfterFirstPaint(): Plugin {
  return {
    name: 'hocba-entry-after-first-paint',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        return html.replace(/<script type="module" crossorigin src="([^"]+)"><\/script>/, (_m, src: string) => {
          const start = `requestAnimationFrame(function(){setTimeout(function(){var s=document.createElement('script');s.type='module';s.crossOrigin='';s.src=${JSON.stringify(src)};document.head.appendChild(s)},0)})`;
          return `<script>${start}</script>`;
        });
      },
    },
  };
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

export default defineConfig({
  root: portalDir,
  base: '/',
  plugins: [react(), inlineFirstPaint(), entryAfterFirstPaint(), precompress()],
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
