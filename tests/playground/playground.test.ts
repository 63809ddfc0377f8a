// The browser playground in a real browser: Debian's Chromium loads the built page from a plain static server,
// and for every bundled example on several boards the page's automation JSON (`?model=…&board=…`) must equal what
// the CLI prints for the same model and board — `inspect --json`, `simulate --json`, `run` on the all-zero-point
// input — number for number. The interactive views are driven too (an uploaded input against TensorFlow Lite
// Micro's golden output, the downloads against the library's bytes), screenshotted, and any console error, failed
// request or request leaving the server fails the test.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loadModelFile } from '../../api/load-model.ts';
import { writeCArray } from '../../compiler/emit/c-array/write-c-array.ts';
import { emitModelC } from '../../compiler/emit/c/emit-model-c.ts';
import { zeroPointInput } from '../../simulator/simulate.ts';
import { EXAMPLES, exampleFiles, exampleUrl } from '../../playground/src/examples.ts';
import { repoRoot, tinyforge } from '../cli/run-cli.ts';
import { corpusDir } from '../conformance-corpus.ts';
import { usePlayground } from './build-playground.ts';
import { pageResult, watchedPage, type WatchedPage } from './chromium.ts';
import { serveStatic } from './static-server.ts';

const BOARDS = ['nucleo-l4r5zi', 'bluepill', 'esp32-devkitc', 'qemu-mps2-an386'];
const SCREENSHOTS = join(repoRoot, 'playground', 'screenshots');
const modelPath = (id: string) => join(corpusDir(), 'models', `${id}.tflite`);

const pg = usePlayground({ '/corpus/': join(corpusDir(), 'models'), '/calibration/': join(corpusDir(), 'calibration') });
mkdirSync(SCREENSHOTS, { recursive: true });

async function open(query: string): Promise<WatchedPage & { result: { status: string; text: string } }> {
  const w = await watchedPage(pg.browser, pg.server.url);
  await w.page.goto(`${pg.server.url}/index.html${query}`);
  return { ...w, result: await pageResult(w.page) };
}

/** What the CLI says about a model: the fields of the page's JSON, from `inspect`, `simulate` and `run`. */
function cliReference(id: string, boards: readonly string[], path = modelPath(id)) {
  const inspect = tinyforge(['inspect', path, '--json']);
  expect(inspect.code, inspect.stderr).toBe(0);
  const ops = (JSON.parse(inspect.stdout) as { ops: unknown[] }).ops.length;
  const tmp = mkdtempSync(join(tmpdir(), 'tf-pg-run-'));
  const model = loadModelFile(path);
  writeFileSync(join(tmp, 'zp.bin'), Buffer.concat(zeroPointInput(model.blob)));
  const ran = tinyforge(['run', path, '--input', join(tmp, 'zp.bin'), '--output', join(tmp, 'out.bin')]);
  expect(ran.code, ran.stderr).toBe(0);
  const out = readFileSync(join(tmp, 'out.bin'));
  let at = 0;
  const output = model.blob.outputs.flatMap((t) => {
    const bytes = out.subarray(at, (at += t.bytes));
    return t.dtype === 'int8' ? Array.from(new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length)) : Array.from(bytes);
  });
  return new Map(boards.map((board) => {
    const sim = tinyforge(['simulate', path, '--board', board, '--json', '--estimate-only']);
    expect([0, 3], sim.stderr).toContain(sim.code);
    const j = JSON.parse(sim.stdout);
    return [board, {
      ops, arenaBytes: j.memory.sram.arena, flashBytes: j.flash.used, sramBytes: j.sram.used,
      latencyMs: j.latencyMs, energyUj: j.energyUj, fits: j.fits, output,
    }];
  }));
}

/** Canvases with at least one painted pixel: Chart.js drew into them. */
async function paintedCanvases(page: Page, selector: string): Promise<string[]> {
  return page.$$eval(selector, (canvases) => (canvases as HTMLCanvasElement[]).filter((c) => {
    const ctx = c.getContext('2d');
    if (!ctx || c.width === 0 || c.height === 0) return false;
    const px = ctx.getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) return true;
    return false;
  }).map((c) => c.id));
}

describe('playground (Chromium, built page on a static server)', () => {
  it('is a static site with relative URLs: the WASM runtimes and every example ship as files', () => {
    const html = readFileSync(join(pg.dist, 'index.html'), 'utf8');
    expect(html).not.toMatch(/(src|href)="\/(?!\/)/); // nothing absolute: it runs from any folder of any server
    expect(html).toMatch(/src="\.\/assets\/index-[\w-]+\.js"/);
    const assets = readdirSync(join(pg.dist, 'assets'));
    expect(assets.filter((f) => f.endsWith('.wasm')).map((f) => f.replace(/-[\w-]{8}\.wasm$/, ''))).toEqual(['kws-frontend', 'tfjs-backend-wasm', 'tfjs-backend-wasm-simd', 'tfjs-backend-wasm-threaded-simd', 'tinyforge-scalar', 'tinyforge-simd']);
    for (const e of EXAMPLES) for (const f of exampleFiles(e)) expect(readFileSync(join(pg.dist, f.url)).equals(readFileSync(join(repoRoot, f.source))), f.url).toBe(true);
  });

  it('first load: under 1 MB of JavaScript + WebAssembly gzipped; the quantizer (TensorFlow.js) only when a float model comes', async () => {
    const w = await open('');
    expect(w.result.status, w.result.text).toBe('done');
    const fetched = [...new Set(pg.server.requests.filter((r) => /\.(js|wasm)$/.test(r.path)).map((r) => r.path.replace(/^\//, '')))].sort();
    const built = readdirSync(join(pg.dist, 'assets')).filter((f) => /\.(js|wasm)$/.test(f)).map((f) => `assets/${f}`).sort();
    const lazy = built.filter((f) => /browser-quantize|tfjs-backend-wasm/.test(f));
    expect(fetched).toEqual(built.filter((f) => !lazy.includes(f))); // every other chunk is counted
    expect(lazy.filter((f) => f.endsWith('.js'))).toHaveLength(1);
    const gz = (f: string) => gzipSync(readFileSync(join(pg.dist, f)), { level: 9 }).length;
    const sizes = fetched.map((f) => ({ f, raw: readFileSync(join(pg.dist, f)).length, gz: gz(f) }));
    const total = sizes.reduce((n, s) => n + s.gz, 0);
    console.log(`playground first load (JS + WASM): ${sizes.map((s) => `${s.f} ${s.raw} B (${s.gz} B gzipped)`).join(', ')}; total ${total} B gzipped`);
    console.log(`loaded for a float model only: ${lazy.map((f) => `${f} ${gz(f)} B gzipped`).join(', ')}`);
    expect(total).toBeLessThan(1_000_000);
    expect(w.problems).toEqual([]);
    expect(w.external).toEqual([]);
    await w.page.close();
  });

  for (const { id } of EXAMPLES.filter((e) => e.model.url.endsWith('.tflite'))) {
    it(`${id}: the page's JSON equals the CLI's (inspect, simulate --json, run) on ${BOARDS.join(', ')}`, async () => {
      const reference = cliReference(id, BOARDS);
      for (const board of BOARDS) {
        const w = await open(`?model=${exampleUrl(id)}&board=${board}`);
        expect(w.result.status, w.result.text).toBe('done');
        expect(Object.keys(JSON.parse(w.result.text))).toEqual(['ops', 'arenaBytes', 'flashBytes', 'sramBytes', 'latencyMs', 'energyUj', 'fits', 'output']);
        expect({ board, ...JSON.parse(w.result.text) }).toEqual({ board, ...reference.get(board) });
        expect(w.problems).toEqual([]);
        expect(w.external).toEqual([]);
        await w.page.close();
      }
    });
  }

  it('loads a model from any URL, and writes data-status="error" with the message when it cannot', async () => {
    const other = await open('?model=corpus/micro_speech_quantized.tflite&board=rpi-pico');
    expect(other.result.status, other.result.text).toBe('done');
    expect(JSON.parse(other.result.text)).toEqual(cliReference('micro_speech_quantized', ['rpi-pico']).get('rpi-pico'));
    await other.page.close();

    const cases: [string, RegExp, number][] = [
      ['?model=models/kws_ref_model.tflite&board=no-such-board', /unknown board 'no-such-board'; known boards: .*nucleo-l4r5zi/, 0],
      ['?model=models/missing.tflite&board=bluepill', /could not load the model models\/missing\.tflite: HTTP 404/, 1],
      ['?model=corpus/hello_world_float.tflite&board=bluepill', /hello_world_float\.tflite is a float model: give calibration data with it/, 0],
    ];
    for (const [query, message, expectedHttpErrors] of cases) {
      const w = await open(query);
      expect(w.result.status, query).toBe('error');
      expect(w.result.text).toMatch(message);
      // The missing model's 404 is the one error the browser itself reports; nothing else may go wrong.
      expect(w.problems.filter((p) => !/404/.test(p)), query).toEqual([]);
      expect(w.problems.filter((p) => /404/.test(p)).length, query).toBe(expectedHttpErrors * 2);
      await w.page.close();
    }
  });

  it('interactive: examples and boards from the menus, an uploaded input gives TFLM\'s output, downloads are the library\'s bytes; screenshots', async () => {
    const w = await open('');
    const { page } = w;
    expect(w.result.status, w.result.text).toBe('done');
    expect(JSON.parse(w.result.text)).toEqual(cliReference('kws_ref_model', ['nucleo-l4r5zi']).get('nucleo-l4r5zi'));
    expect(await page.locator('#graph-table tbody tr').count()).toBe(13);
    expect(await paintedCanvases(page, '#sim-view canvas')).toEqual(['gauge-sram', 'gauge-flash', 'chart-latency', 'chart-energy', 'chart-memory', 'chart-battery']);
    const timings = JSON.parse((await page.getAttribute('#status', 'data-timings'))!);
    console.log(`kws_ref_model in the page (first load): compile ${timings.compileMs.toFixed(1)} ms + simulate ${timings.simulateMs.toFixed(1)} ms = ${(timings.compileMs + timings.simulateMs).toFixed(1)} ms; one inference ${timings.runMs.toFixed(1)} ms`);
    await page.screenshot({ path: join(SCREENSHOTS, 'playground-kws.png'), fullPage: true });
    for (const view of ['load-view', 'graph-view', 'sim-view']) await page.locator(`#${view}`).screenshot({ path: join(SCREENSHOTS, `${view}.png`) });

    // The MLPerf Tiny sample clip, uploaded as raw bytes, gives TensorFlow Lite Micro's output byte for byte.
    const sample = join(corpusDir(), 'cases', 'kws_ref_model', 'sample0');
    await page.setInputFiles('#run-file', join(sample, 'input.bin'));
    await page.waitForSelector('#run-values');
    const golden = readFileSync(join(sample, 'output.bin'));
    expect(JSON.parse((await page.textContent('#run-values'))!)).toEqual(Array.from(new Int8Array(golden.buffer, golden.byteOffset, golden.length)));
    await page.click('#run-random');
    await page.waitForFunction(() => document.querySelector('#run-output p')?.textContent?.startsWith('random input (seed 1)'));
    await page.locator('#run-view').screenshot({ path: join(SCREENSHOTS, 'run-view.png') });

    // Downloads: the int8 .tflite, the blob (its CRC from the page's own CRC-32), the C array and the simulation
    // JSON are what the Node library and CLI write for the same model, board, rate and battery.
    const download = async (file: string) => {
      const [d] = await Promise.all([page.waitForEvent('download'), page.click(`button[data-file="${file}"]`)]);
      expect(d.suggestedFilename()).toBe(file);
      return readFileSync((await d.path())!);
    };
    const node = loadModelFile(modelPath('kws_ref_model'));
    expect((await download('kws_ref_model_int8.tflite')).equals(readFileSync(modelPath('kws_ref_model')))).toBe(true);
    expect((await download('model.tfb')).equals(Buffer.from(node.blobBytes))).toBe(true);
    const c = writeCArray(new Uint8Array(readFileSync(modelPath('kws_ref_model'))), 'model_data');
    expect((await download('model_data.c')).toString()).toBe(c.source);
    expect((await download('model_data.h')).toString()).toBe(c.header);
    const generated = emitModelC(node.compiled!);
    expect((await download('model.c')).toString()).toBe(generated.source);
    expect((await download('model.h')).toString()).toBe(generated.header);
    const cliJson = tinyforge(['simulate', modelPath('kws_ref_model'), '--board', 'nucleo-l4r5zi', '--json', '--estimate-only', '--rate', '1', '--battery', '1000']);
    expect(JSON.parse((await download('kws_ref_model-nucleo-l4r5zi.json')).toString())).toEqual(JSON.parse(cliJson.stdout));
    const report = (await download('kws_ref_model-nucleo-l4r5zi.html')).toString();
    expect(report).toContain('<svg');
    expect(report).toContain('nucleo-l4r5zi');
    await page.locator('#download-view').screenshot({ path: join(SCREENSHOTS, 'download-view.png') });

    // Another example and another board from the menus: the JSON follows, as the CLI's.
    await page.selectOption('#example', 'micro_speech_quantized');
    await page.waitForFunction(() => document.querySelector('#status')?.textContent?.startsWith('micro_speech_quantized on nucleo-l4r5zi'));
    await page.selectOption('#board', 'esp32-devkitc');
    await page.waitForFunction(() => document.querySelector('#status')?.textContent?.startsWith('micro_speech_quantized on esp32-devkitc'));
    expect(JSON.parse((await page.textContent('#result'))!)).toEqual(cliReference('micro_speech_quantized', ['esp32-devkitc']).get('esp32-devkitc'));
    // A board the model does not fit: gauges show it, the verdict names it.
    await page.selectOption('#example', 'vww_96_int8');
    await page.selectOption('#board', 'bluepill');
    await page.waitForFunction(() => document.querySelector('#status')?.textContent?.startsWith('vww_96_int8 on bluepill'));
    expect(await page.textContent('#sim-verdict .verdict')).toMatch(/^does not fit bluepill: SRAM needs/);
    await page.locator('#sim-view').screenshot({ path: join(SCREENSHOTS, 'sim-view-over-budget.png') });

    // A dropped file (the drop zone takes what the file picker takes).
    await page.setInputFiles('#model-file', modelPath('hello_world_int8'));
    await page.waitForFunction(() => document.querySelector('#status')?.textContent?.startsWith('hello_world_int8 on bluepill'));
    expect(w.problems).toEqual([]);
    expect(w.external).toEqual([]);
    console.log(`playground screenshots: ${readdirSync(SCREENSHOTS).filter((f) => extname(f) === '.png').map((f) => join('playground/screenshots', f)).join(', ')}`);
    await page.close();
  });
});

describe('float models quantized in the page (TensorFlow.js WASM backend, lazily loaded)', () => {
  /** `tinyforge compile` into a folder: the int8 .tflite the page must produce byte for byte. */
  function cliCompile(model: string, calibration: string): string {
    const out = mkdtempSync(join(tmpdir(), 'tf-pg-compile-'));
    const r = tinyforge(['compile', model, '--calibration', calibration, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    return join(out, 'model_int8.tflite');
  }

  async function downloadTflite(page: Page, name: string): Promise<Buffer> {
    const [d] = await Promise.all([page.waitForEvent('download'), page.click(`button[data-file="${name}_int8.tflite"]`)]);
    return readFileSync((await d.path())!);
  }

  it('a float .tflite and a calibration .npy by URL: the same int8 .tflite and numbers as `tinyforge compile` + simulate', async () => {
    const cli = cliCompile(modelPath('hello_world_float'), join(corpusDir(), 'calibration', 'hello_world_calib_x.npy'));
    const w = await open('?model=corpus/hello_world_float.tflite&calibration=calibration/hello_world_calib_x.npy&board=nucleo-l4r5zi');
    expect(w.result.status, w.result.text).toBe('done');
    expect(JSON.parse(w.result.text)).toEqual(cliReference('hello_world_float', ['nucleo-l4r5zi'], cli).get('nucleo-l4r5zi'));
    expect((await downloadTflite(w.page, 'hello_world_float')).equals(readFileSync(cli))).toBe(true);
    expect(await w.page.textContent('#status')).toMatch(/^hello_world_float on nucleo-l4r5zi: quantized to int8 in \d+ ms/);
    expect(w.problems).toEqual([]);
    expect(w.external).toEqual([]);
    await w.page.close();
  });

  it("tinyforge's own keyword model (TF.js model.json + weights + calibration, the bundled example): as `tinyforge compile` makes it", async () => {
    // The CLI names a LayersModel after its folder: compile a copy in a folder named as the example.
    const dir = join(mkdtempSync(join(tmpdir(), 'tf-pg-kws-')), 'kws_tinyforge');
    mkdirSync(dir);
    for (const f of ['model.json', 'weights.bin']) copyFileSync(join(repoRoot, 'examples', 'kws', 'model', f), join(dir, f));
    const cli = cliCompile(join(dir, 'model.json'), join(repoRoot, 'examples', 'kws', 'model', 'calibration-x.npy'));
    const w = await open('');
    await w.page.selectOption('#example', 'kws_tinyforge');
    await w.page.waitForFunction(() => document.querySelector('#status')?.textContent?.startsWith('kws_tinyforge on nucleo-l4r5zi: quantized'), undefined, { timeout: 120_000 });
    expect(JSON.parse((await w.page.textContent('#result'))!)).toEqual(cliReference('kws_tinyforge', ['nucleo-l4r5zi'], cli).get('nucleo-l4r5zi'));
    expect((await downloadTflite(w.page, 'kws_tinyforge')).equals(readFileSync(cli))).toBe(true);
    const cold = JSON.parse((await w.page.getAttribute('#status', 'data-timings'))!);
    console.log(`kws_tinyforge (TF.js float) in the page, first time (TensorFlow.js fetched and started): quantize ${cold.quantizeMs.toFixed(0)} ms, compile ${cold.compileMs.toFixed(1)} ms, simulate ${cold.simulateMs.toFixed(1)} ms`);
    // The same three files dropped (picked) together: named 'model' as the CLI names examples/kws/model.
    const kws = join(repoRoot, 'examples', 'kws', 'model');
    await w.page.setInputFiles('#model-file', ['model.json', 'weights.bin', 'calibration-x.npy'].map((f) => join(kws, f)));
    await w.page.waitForFunction(() => document.querySelector('#status')?.textContent?.startsWith('model on nucleo-l4r5zi: quantized'), undefined, { timeout: 120_000 });
    expect((await downloadTflite(w.page, 'model')).equals(readFileSync(cliCompile(join(kws, 'model.json'), join(kws, 'calibration-x.npy'))))).toBe(true);
    const timings = JSON.parse((await w.page.getAttribute('#status', 'data-timings'))!);
    console.log(`examples/kws/model (TF.js float, dropped) in the page, TensorFlow.js already loaded: quantize ${timings.quantizeMs.toFixed(0)} ms, compile ${timings.compileMs.toFixed(1)} ms, simulate ${timings.simulateMs.toFixed(1)} ms`);
    expect(w.problems).toEqual([]);
    expect(w.external).toEqual([]);
    await w.page.close();
  });
});

describe('playground dev server (npm run playground)', () => {
  it('serves the same page from the sources: the JSON equals the CLI\'s', async () => {
    // Vite picks the port (the next free one from 5173): a port chosen beforehand can be taken by a test
    // running in parallel before Vite binds it. The origin is read from Vite's own banner.
    const vite = spawn(process.execPath, [join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'playground', '--host', '127.0.0.1'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    vite.stdout.on('data', (d) => { log += d; });
    vite.stderr.on('data', (d) => { log += d; });
    let exited = false;
    vite.on('exit', () => { exited = true; });
    try {
      // Vite colours its banner: strip the escape codes before reading the URL.
      const banner = () => log.replace(/\x1b\[[0-9;]*m/g, '').match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      await expect.poll(() => (exited ? `exited: ${log}` : banner() ? 'up' : ''), { timeout: 60_000 }).toBe('up');
      const origin = `http://127.0.0.1:${banner()![1]}`;
      const w = await watchedPage(pg.browser, origin);
      await w.page.goto(`${origin}/?model=models/kws_ref_model.tflite&board=esp32-devkitc`);
      // From a fresh clone the dev server first pre-bundles the dependencies (TensorFlow.js among them): minutes on a
      // loaded 2-core machine, so this is a hang guard, not a speed check.
      const result = await pageResult(w.page, 240_000);
      expect(result.status, result.text).toBe('done');
      expect(JSON.parse(result.text)).toEqual(cliReference('kws_ref_model', ['esp32-devkitc']).get('esp32-devkitc'));
      expect(w.problems).toEqual([]);
      expect(w.external).toEqual([]);
      await w.page.close();
    } finally {
      vite.kill();
    }
  }, 300_000);
});
