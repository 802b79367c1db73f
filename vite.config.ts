import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Names every built chunk and stylesheet in index.html (a <meta> tag), so the
 * service worker (public/sw.js), which caches the assets an index.html
 * mentions, also keeps the screens loaded on demand — the comparison, the
 * version view, the dialogs — for an offline reload, not only the ones the
 * page happened to open while online.
 */
function listChunksForOfflineCache(): Plugin {
  return {
    name: 'purposeboard:list-chunks-for-offline-cache',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, context) {
        if (!context.bundle) return;
        const files = Object.keys(context.bundle)
          .filter((name) => name.startsWith('assets/') && /\.(js|css)$/.test(name))
          .sort()
          .map((name) => `/${name}`);
        return [{ tag: 'meta', attrs: { name: 'purposeboard-assets', content: files.join(' ') }, injectTo: 'head' }];
      },
    },
  };
}

// `npm run bench` builds the same app with one more page, the bare React Flow
// baseline it is measured against (bench/baseline/), into its own folder so
// the app's own build never ships it.
const forBench = process.env.PURPOSEBOARD_BENCH_BUILD === '1';

// The dev server proxies the API and the websocket to a sync server started
// separately (`PORT=1235 npm start`); `npm start` alone serves the built app.
export default defineConfig({
  plugins: [react(), listChunksForOfflineCache()],
  server: {
    proxy: {
      '/api': 'http://localhost:1235',
      '/healthz': 'http://localhost:1235',
      '/ws': { target: 'ws://localhost:1235', ws: true },
    },
  },
  build: {
    outDir: forBench ? 'dist-bench' : 'dist',
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
    // dist/.vite/manifest.json: which chunk each entry loads at once; read by the bundle-size test.
    manifest: true,
    rollupOptions: forBench
      ? {
          input: {
            index: path.resolve(import.meta.dirname, 'index.html'),
            baseline: path.resolve(import.meta.dirname, 'bench/baseline/index.html'),
          },
        }
      : undefined,
  },
});
