// Opens the simulator's HTML report in headless Chromium: the charts must render and a screenshot is taken.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileTflite } from '../../compiler/compile-model.ts';
import { writeBlob } from '../../compiler/emit/blob/write-blob.ts';
import { readBlob } from '../../runtime-as/host/read-blob.ts';
import { htmlReport } from '../../simulator/report/html-report.ts';
import { simulate } from '../../simulator/simulate.ts';
import { loadAllBoards, loadBoard } from '../../targets/boards/load-board.ts';
import { corpusDir } from '../conformance-corpus.ts';
import { countColour, decodePng } from './png-pixels.ts';

/** Appended to a test copy only: records each chart's laid-out size, which --dump-dom then shows. */
const MEASURE = `<script>for (const svg of document.querySelectorAll('svg.chart')) {
  const b = svg.getBBox(); svg.setAttribute('data-rendered', Math.round(b.width) + 'x' + Math.round(b.height));
}</script>`;

const CHROMIUM = '/usr/bin/chromium';
const out = mkdtempSync(join(tmpdir(), 'tf-report-'));

function chromium(args: string[], url: string) {
  const profile = mkdtempSync(join(tmpdir(), 'tf-chromium-'));
  const r = spawnSync(CHROMIUM, [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', `--user-data-dir=${profile}`, ...args, url,
  ], { encoding: 'utf8', timeout: 90_000, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return r;
}

/** kws_ref_model: every chart has something to draw. */
function model() {
  const bytes = new Uint8Array(readFileSync(join(corpusDir(), 'models', 'kws_ref_model.tflite')));
  const compiled = compileTflite(bytes, 'kws_ref_model');
  return { compiled, blob: readBlob(writeBlob(compiled)) };
}

describe('HTML report', () => {
  it('is self-contained: no scripts, no external references', () => {
    const { compiled, blob } = model();
    const html = htmlReport(simulate(blob, compiled, { board: loadBoard('nucleo-l4r5zi'), rateHz: 1, battery: { mAh: 1000 } }));
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
  });

  it('renders its charts in headless Chromium, refused or not, and takes a screenshot', () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is needed (Debian package chromium)`).toBe(true);
    const { compiled, blob } = model();
    for (const board of ['nucleo-l4r5zi', 'bluepill']) {
      const result = simulate(blob, compiled, { board: loadBoard(board), candidates: loadAllBoards(), rateHz: 1, battery: { mAh: 1000 } });
      const path = join(out, `${board}.html`);
      writeFileSync(path, htmlReport(result));

      const measured = join(out, `${board}-measured.html`);
      writeFileSync(measured, htmlReport(result).replace('</body>', `${MEASURE}</body>`));
      const dom = chromium(['--dump-dom'], `file://${measured}`).stdout;
      // The browser laid every chart out at a real size.
      const sizes = [...dom.matchAll(/data-rendered="(\d+)x(\d+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
      expect(sizes.length).toBe((dom.match(/<svg class="chart/g) ?? []).length);
      for (const [w, h] of sizes) {
        expect(w).toBeGreaterThan(100);
        expect(h).toBeGreaterThan(10);
      }
      const svgs = [...dom.matchAll(/<svg class="chart ([\w -]+)"[^>]*>([\s\S]*?)<\/svg>/g)];
      const byClass = new Map(svgs.map((m) => [m[1], m[2]]));
      expect([...byClass.keys()]).toEqual(expect.arrayContaining(['memory-map', 'latency', 'energy', 'gauge']));
      // Every tensor of the arena plan is a rectangle on the memory map; one bar per layer in each bar chart.
      const mapRects = (byClass.get('memory-map')!.match(/<rect class="buffer"/g) ?? []).length;
      expect(mapRects).toBe(result.sim.tensors.length + result.sim.scratch.length);
      expect((byClass.get('latency')!.match(/<rect class="bar"/g) ?? []).length).toBe(result.layers.length);
      expect((byClass.get('energy')!.match(/<rect class="bar"/g) ?? []).length).toBe(result.layers.length);
      expect(byClass.get('gauge')!).toMatch(/<rect class="segment"/);
      expect(dom).toContain(result.fits ? `Fits ${board}.` : `does not fit ${board}`);

      const shot = join(out, `${board}.png`);
      chromium([`--screenshot=${shot}`, '--window-size=1000,2400'], `file://${path}`);
      const png = readFileSync(shot);
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(statSync(shot).size).toBeGreaterThan(20_000);
      // Painted, not just parsed: the tensor and op colours cover a good part of the page.
      const pixels = decodePng(png);
      expect(pixels.width).toBe(1000);
      expect(countColour(pixels, [0x4e, 0x79, 0xa7])).toBeGreaterThan(5_000);
      expect(countColour(pixels, [0x59, 0xa1, 0x4f]) + countColour(pixels, [0xf2, 0x8e, 0x2b])).toBeGreaterThan(500);
      console.log(`report screenshot: ${shot}`);
    }
  });
});
