/// <reference types='vite/client' />
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The edge (apps/gateway) serves the build from dist/apps/web on the public origin. `nx serve web`
// is for working on pages: it forwards API, sign-in and QR paths to a running edge (GATEWAY_URL).
const gateway = process.env['GATEWAY_URL'] ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: __dirname,
  cacheDir: '../../node_modules/.vite/apps/web',
  plugins: [react()],
  // The one shared import the front end may make: plain constants, no Nest or Node (libs/common/src/vocabulary.ts).
  resolve: { alias: { '@techan/common/vocabulary': resolve(__dirname, '../../libs/common/src/vocabulary.ts') } },
  server: {
    host: '127.0.0.1',
    proxy: Object.fromEntries(['/api', '/auth', '/v/', '/t/', '/01/'].map((p) => [p, { target: gateway, changeOrigin: false }])),
  },
  build: {
    outDir: '../../dist/apps/web',
    emptyOutDir: true,
    reportCompressedSize: false,
    target: 'es2022',
    sourcemap: false,
  },
});
