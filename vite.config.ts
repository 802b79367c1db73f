import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The dev server proxies the API and the websocket to a sync server started
// separately (`PORT=1235 npm start`); `npm start` alone serves the built app.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': 'http://localhost:1235',
      '/healthz': 'http://localhost:1235',
      '/ws': { target: 'ws://localhost:1235', ws: true },
    },
  },
  build: { outDir: 'dist', sourcemap: true, chunkSizeWarningLimit: 1500 },
});
