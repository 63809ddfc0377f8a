// Builds the fixed-point front end (assembly/kws_frontend.ts) into build/kws-frontend.wasm, its own module with
// its own memory, separate from the kernel runtime. Skips the build when the wasm is newer than its sources.
import asc from 'assemblyscript/asc';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const sources = readdirSync(join(root, 'assembly')).filter((f) => f.endsWith('.ts')).map((f) => join(root, 'assembly', f));
const wasmPath = join(root, 'build', 'kws-frontend.wasm');
const newest = Math.max(...[...sources, fileURLToPath(import.meta.url)].map((f) => statSync(f).mtimeMs));
if (existsSync(wasmPath) && statSync(wasmPath).mtimeMs > newest) process.exit(0);
mkdirSync(dirname(wasmPath), { recursive: true });
const { error, stderr } = await asc.main(
  [join(root, 'assembly', 'kws_frontend.ts'), '-O3', '--runtime', 'stub', '--noAssert', '--initialMemory', '2', '--outFile', wasmPath],
  {},
);
if (error) {
  console.error(stderr.toString());
  console.error(`kws front end: the AssemblyScript build failed: ${error.message}`);
  process.exit(1);
}
console.log(`kws front end: built ${wasmPath} (${statSync(wasmPath).size} bytes)`);
