import { defineConfig } from 'vite';

/**
 * Library build: one ES module entry (`dist/portal-widgets.js`) with lit, ky and zod/mini bundled, so
 * a plain HTML page needs a single `<script type="module">`. Sign-up, set-password and the QR encoder
 * are split into chunks that load on demand. The manifest lets `npm run size` compute what a page
 * loads first (the entry and its static imports) and what loads later.
 */
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    manifest: true,
    sourcemap: true,
    lib: {
      entry: { 'portal-widgets': 'src/index.ts' },
      formats: ['es'],
    },
    rolldownOptions: {
      output: {
        // Vite's library mode keeps whitespace in ES output unless told to minify (TOOLCHAIN.md).
        minify: true,
        chunkFileNames: 'chunks/[name]-[hash].js',
      },
    },
  },
});
