#!/usr/bin/env node
// The CLI, compiled to plain JavaScript in dist/ by `npm run build` (run by `npm ci` in a checkout, shipped in the
// package): no TypeScript loader at run time.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('tinyforge: dist/ is missing: run `npm run build` in the checkout (npm ci does it)');
  process.exit(1);
}
const cli = await import(main.href);
process.exitCode = await cli.main(process.argv.slice(2));
