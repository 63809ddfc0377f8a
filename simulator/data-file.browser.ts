/// <reference types="vite/client" />
// The simulator's data files in a browser: the bundler inlines every cost and footprint JSON file at build time
// (import.meta.glob), so the page needs no file system and no request. Same answers as the Node twin (data-file.ts).
const files = import.meta.glob<unknown>(['./cost/kernel-profiles.json', './cost/class-mix.json', './cost/cmsis-nn-measured.json', './cost/cores/*.json', './runtime-footprint.json', './stream/frontend-classes.json'], { eager: true, import: 'default' });

export function simulatorDataFile(relPath: string): { json: unknown; origin: string } | undefined {
  const key = `./${relPath}`;
  return key in files ? { json: files[key], origin: `simulator/${relPath}` } : undefined;
}
