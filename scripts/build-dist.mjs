// Compiles the product's TypeScript to dist/ (JavaScript + .d.ts, same folder layout as the sources) and copies
// beside it every file the code reads at run time: board and cost JSON, C kernels and firmware sources, linker
// scripts, the QEMU plugin's source and the built WebAssembly. dist/ then runs on plain Node, without tsx.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const PRODUCT = ['formats', 'lib', 'compiler', 'runtime-as', 'frontend', 'simulator', 'targets', 'api', 'cli'];
// AssemblyScript sources are compiled to the .wasm files that are copied; build scripts are not run from dist/.
const SKIP_DIRS = new Set(['assembly', 'node_modules']);
const RUNTIME_FILE = /\.(json|c|h|S|ld|wasm)$/;

rmSync(dist, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (tsc.status !== 0) {
  console.error('build: tsc failed (see above); dist/ is incomplete and was removed');
  rmSync(dist, { recursive: true, force: true });
  process.exit(1);
}

let copied = 0;
function copyAssets(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      if (!SKIP_DIRS.has(entry)) copyAssets(path);
    } else if (RUNTIME_FILE.test(entry)) {
      const to = join(dist, relative(root, path));
      mkdirSync(dirname(to), { recursive: true });
      cpSync(path, to);
      copied++;
    }
  }
}
for (const folder of PRODUCT) if (existsSync(join(root, folder))) copyAssets(join(root, folder));
for (const wasm of ['runtime-as/build', 'frontend/build']) {
  if (!existsSync(join(root, wasm))) {
    console.error(`build: ${wasm}/ is missing: run \`npm run build\` (it builds the WebAssembly first)`);
    process.exit(1);
  }
}
console.log(`dist: compiled the TypeScript and copied ${copied} run-time files`);
