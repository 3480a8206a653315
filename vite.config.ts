import { defineConfig } from 'vite';

// The client lives in client/; the production build lands in dist/client, which
// server/app.ts serves. In development Vite serves the client and proxies /api.
export default defineConfig({
  root: 'client',
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    port: 5173,
    proxy: { '/api': `http://127.0.0.1:${process.env.PORT ?? 3000}` },
  },
});
