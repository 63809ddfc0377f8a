// `npm run playground` (dev server) and `npm run playground:build` (static playground/dist/, relative URLs: it runs
// from any static file server, offline). The library comes from ../browser.ts, with its browser twins.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { browserTwins } from './vite/browser-twins.ts';
import { exampleModels } from './vite/example-models.ts';
import { prebuiltSlotFirmware } from './vite/slot-firmware.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  plugins: [browserTwins(), exampleModels(repo), prebuiltSlotFirmware(repo)],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Every asset a file of its own (the .wasm kernels included): nothing inlined into the JavaScript.
    assetsInlineLimit: 0,
    target: 'es2022',
    reportCompressedSize: true,
    // The first load is measured gzipped by tests/playground (under 1 MB); the quantizer (TensorFlow.js) is a
    // chunk of its own, loaded only for a float model.
    chunkSizeWarningLimit: 1200,
  },
  server: { fs: { allow: [repo] } },
});
