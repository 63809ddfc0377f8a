// The Vite plugin that ships the example models: each corpus .tflite is emitted as models/<id>.tflite (a stable,
// relative URL the page and `?model=` can name), and served from the same path by the dev server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';
import { EXAMPLES, exampleUrl } from '../src/examples.ts';

export function exampleModels(corpusDir: string): Plugin {
  const source = (id: string) => readFileSync(join(corpusDir, `${id}.tflite`));
  return {
    name: 'tinyforge-example-models',
    generateBundle() {
      for (const { id } of EXAMPLES) this.emitFile({ type: 'asset', fileName: exampleUrl(id), source: source(id) });
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const id = /^\/models\/([A-Za-z0-9_-]+)\.tflite$/.exec(req.url?.split('?')[0] ?? '')?.[1];
        if (!id || !EXAMPLES.some((e) => e.id === id)) return next();
        res.setHeader('Content-Type', 'application/octet-stream');
        res.end(source(id));
      });
    },
  };
}
