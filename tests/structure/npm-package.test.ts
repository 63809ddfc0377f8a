// The package as a user gets it: `npm pack`, installed into an empty folder, used from plain Node — the CLI through
// npx and the library through `import … from 'tinyforge'` — with no TypeScript loader and nothing of the checkout.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { corpusDir } from '../conformance-corpus.ts';
import { tinyforge } from '../cli/run-cli.ts';
import { repoRoot } from './import-graph.ts';

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8', timeout: 300_000 });

describe('npm package', () => {
  let app: string;
  let files: string[];

  beforeAll(() => {
    if (!existsSync(join(repoRoot, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
    const work = mkdtempSync(join(tmpdir(), 'tf-pack-'));
    // dist/ is current: `npm test` built it just before.
    const packed = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], repoRoot)) as { filename: string; files: { path: string }[] }[];
    files = packed[0]!.files.map((f) => f.path);
    app = join(work, 'app');
    execFileSync('mkdir', [app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    npm(['install', '--prefer-offline', join(work, packed[0]!.filename)], app);
    copyFileSync(join(corpusDir(), 'models', 'kws_ref_model.tflite'), join(app, 'kws.tflite'));
  }, 600_000);

  it('ships the compiled code, its run-time files and the notices, not the sources or tests', () => {
    for (const f of ['bin/tinyforge.js', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'dist/runtime-as/build/tinyforge-simd.wasm',
      'dist/frontend/build/kws-frontend.wasm', 'dist/targets/boards/nucleo-l4r5zi.json', 'tests/corpus/NOTICE']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('tests/') && !f.startsWith('tests/corpus/'))).toEqual([]);
    expect(files.some((f) => f.includes('node_modules'))).toBe(false);
  });

  it('installs without tsx, and `npx tinyforge inspect model.tflite --json` works there as in the checkout', () => {
    expect(existsSync(join(app, 'node_modules', 'tsx'))).toBe(false);
    const r = spawnSync('npx', ['tinyforge', 'inspect', 'kws.tflite', '--json'], { cwd: app, encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const here = tinyforge(['inspect', join(app, 'kws.tflite'), '--json']);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(here.stdout));
  });

  it('is a library: compile, run and simulate from plain JavaScript give what the CLI gives', () => {
    writeFileSync(join(app, 'use.mjs'), `
      import { compile, run, simulate, simulationJson } from 'tinyforge';
      const model = await compile('kws.tflite');
      const input = new Uint8Array(model.compiled.graph.tensors[model.compiled.graph.inputs[0]].shape.reduce((a, b) => a * b, 1));
      const [output] = run(model, input);
      const sim = simulationJson(simulate(model, { board: 'nucleo-l4r5zi', execute: false }));
      console.log(JSON.stringify({ output: [...output], latencyMs: sim.latencyMs, sram: sim.sram, fits: sim.fits }));
    `);
    const lib = JSON.parse(execFileSync(process.execPath, ['use.mjs'], { cwd: app, encoding: 'utf8' })) as { output: number[]; latencyMs: number; sram: unknown; fits: boolean };
    const dir = mkdtempSync(join(tmpdir(), 'tf-lib-'));
    writeFileSync(join(dir, 'zeros.bin'), new Uint8Array(490));
    expect(tinyforge(['run', join(app, 'kws.tflite'), '--input', join(dir, 'zeros.bin'), '--output', join(dir, 'y.bin')]).code).toBe(0);
    expect(lib.output).toEqual([...readFileSync(join(dir, 'y.bin'))]);
    const cli = JSON.parse(tinyforge(['simulate', join(app, 'kws.tflite'), '--board', 'nucleo-l4r5zi', '--estimate-only', '--json']).stdout) as typeof lib;
    expect(lib.latencyMs).toBe(cli.latencyMs);
    expect(lib.sram).toEqual(cli.sram);
    expect(lib.fits).toBe(true);
  });

  it('carries types: a TypeScript user of the package type-checks', () => {
    writeFileSync(join(app, 'check.ts'), `
      import { compile, run, simulate, type SimulationResult } from 'tinyforge';
      const model = await compile('kws.tflite');
      const outputs: Uint8Array[] = run(model, new Uint8Array(490));
      const sim: SimulationResult = simulate(model, { board: 'nucleo-l4r5zi' });
      // @ts-expect-error: boards are named by string id or given as an object
      simulate(model, { board: 42 });
      console.log(outputs.length, sim.fits);
    `);
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022',
      '--types', 'node', '--typeRoots', join(repoRoot, 'node_modules', '@types'), 'check.ts'], { cwd: app, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
