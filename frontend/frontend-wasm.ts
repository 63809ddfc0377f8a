// Where the front end's built module comes from on Node: build/kws-frontend.wasm beside the sources (or dist/),
// compiled on first use. The page's bundle takes frontend-wasm.browser.ts instead.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FRONTEND_WASM_PATH = join(dirname(fileURLToPath(import.meta.url)), 'build', 'kws-frontend.wasm');

let compiled: WebAssembly.Module | undefined;

export function frontendModule(): WebAssembly.Module {
  if (!compiled) {
    if (!existsSync(FRONTEND_WASM_PATH)) {
      throw new Error(`${FRONTEND_WASM_PATH} is missing: build it with \`node frontend/build.mjs\``);
    }
    compiled = new WebAssembly.Module(readFileSync(FRONTEND_WASM_PATH));
  }
  return compiled;
}

/** Nothing to wait for on Node: the module is read on first use. (The browser twin fetches it here.) */
export async function loadFrontendModule(): Promise<void> {}
