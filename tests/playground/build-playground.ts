// Builds the playground exactly as `npm run playground:build` does (vite build playground), into a folder of the
// test's own so a test run never overwrites a developer's playground/dist/.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { repoRoot } from '../cli/run-cli.ts';
import { launchChromium } from './chromium.ts';
import { serveStatic, type StaticServer } from './static-server.ts';

export function buildPlayground(): string {
  const outDir = join(mkdtempSync(join(tmpdir(), 'tf-playground-')), 'dist');
  const r = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', 'playground', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: repoRoot, encoding: 'utf8', timeout: 300_000,
  });
  if (r.status !== 0) throw new Error(`vite build playground failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return outDir;
}

/** A suite's playground: built, served by a plain static server and opened in Chromium once for all its tests. */
export function usePlayground(mounts: Record<string, string> = {}): { server: StaticServer; browser: Browser; dist: string } {
  const ctx = {} as { server: StaticServer; browser: Browser; dist: string };
  beforeAll(async () => {
    ctx.dist = buildPlayground();
    ctx.server = await serveStatic({ '/': ctx.dist, ...mounts });
    ctx.browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    await ctx.browser?.close();
    await ctx.server?.close();
  });
  return ctx;
}
