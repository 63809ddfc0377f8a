// The simulator's data files (cost/kernel-profiles.json, cost/cores/<id>.json, runtime-footprint.json), read on
// Node from beside this file (or its copy in dist/). The page's bundle takes data-file.browser.ts, which holds them.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Parsed JSON of a data file, by its path relative to simulator/ ('cost/cores/cortex-m4.json'); undefined when there is none. */
export function simulatorDataFile(relPath: string): { json: unknown; origin: string } | undefined {
  const path = join(here, relPath);
  if (!existsSync(path)) return undefined;
  return { json: JSON.parse(readFileSync(path, 'utf8')), origin: path };
}
