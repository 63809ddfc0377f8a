// The Vite plugin that ships the example models: every file of every example (examples.ts) is emitted at its
// stable, relative URL (models/…) for the page and `?model=` to name, and served from the same path by the dev server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';
import { EXAMPLES, exampleFiles } from '../src/examples.ts';

export function exampleModels(repoRoot: string): Plugin {
  const files = new Map(EXAMPLES.flatMap(exampleFiles).map((f) => [f.url, join(repoRoot, f.source)]));
  return {
    name: 'tinyforge-example-models',
    generateBundle() {
      for (const [url, source] of files) this.emitFile({ type: 'asset', fileName: url, source: readFileSync(source) });
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const source = files.get(decodeURIComponent(req.url?.split('?')[0] ?? '').replace(/^\//, ''));
        if (!source) return next();
        res.setHeader('Content-Type', 'application/octet-stream');
        res.end(readFileSync(source));
      });
    },
  };
}
