// Keyword spotting in the page: a WAV through the fixed-point front end and the MLPerf Tiny KWS model gives the
// detections and per-window scores `tinyforge simulate --stream --json` gives (identical), and the microphone —
// Chromium's fake capture device playing a WAV — yields live windows and detections of the words it holds.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { readWav, writeWav } from '../../frontend/wav.ts';
import { SeededRandom } from '../../lib/seeded-random.ts';
import { repoRoot, tinyforge } from '../cli/run-cli.ts';
import { corpusDir } from '../conformance-corpus.ts';
import { usePlayground } from './build-playground.ts';
import { CHROMIUM, pageResult, watchedPage } from './chromium.ts';

const work = mkdtempSync(join(tmpdir(), 'tf-pg-listen-'));
const sample = (name: string) => readWav(new Uint8Array(readFileSync(join(repoRoot, 'examples', 'kws', 'samples', `${name}.wav`)))).samples;

/** Clips with half a second of a microphone's noise floor (±100) around each, as one 16 kHz recording. */
function recording(names: string[], seed: number): Uint8Array {
  const rand = new SeededRandom(seed);
  const gap = () => Int16Array.from({ length: 8000 }, () => rand.int(-100, 100));
  const parts = [gap(), ...names.flatMap((n) => [sample(n), gap()])];
  const samples = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { samples.set(p, at); at += p.length; }
  return writeWav({ sampleRate: 16000, samples });
}

const pg = usePlayground();

describe('listen (Chromium)', () => {
  it('a WAV file: the same detections and per-window scores as `simulate --stream --json`, on two boards', async () => {
    const wav = join(work, 'words.wav');
    writeFileSync(wav, recording(['on-en-us-nyc_f5-0', 'right-en-gb-x-gbclan_m1-3', 'up-en-gb-x-rp_f2-3', 'yes-en-029_f3-3'], 5));
    // The CLI reads labels.txt beside the model: the MLPerf Tiny order, which examples/kws uses too.
    const modelDir = mkdtempSync(join(work, 'kws-'));
    copyFileSync(join(corpusDir(), 'models', 'kws_ref_model.tflite'), join(modelDir, 'model_int8.tflite'));
    copyFileSync(join(repoRoot, 'examples', 'kws', 'model', 'labels.txt'), join(modelDir, 'labels.txt'));
    for (const board of ['nucleo-l4r5zi', 'bluepill']) {
      const cli = tinyforge(['simulate', modelDir, '--board', board, '--stream', wav, '--json']);
      expect([0, 3], cli.stderr).toContain(cli.code);
      const expected = JSON.parse(cli.stdout);
      const heard = expected.detections.map((d: { label: string }) => d.label);
      expect(heard.length).toBeGreaterThanOrEqual(3);
      expect(heard.filter((l: string) => !['on', 'right', 'up', 'yes'].includes(l))).toEqual([]);

      const w = await watchedPage(pg.browser, pg.server.url);
      await w.page.goto(`${pg.server.url}/index.html?model=models/kws_ref_model.tflite&board=${board}`);
      expect((await pageResult(w.page)).status).toBe('done');
      await w.page.setInputFiles('#listen-wav', wav);
      await w.page.waitForSelector('#listen-result[data-status="done"]', { state: 'attached' });
      expect(JSON.parse((await w.page.textContent('#listen-result'))!)).toEqual(expected);
      expect(await w.page.locator('#detections li').allTextContents()).toEqual(expected.detections.map((d: { timeMs: number; label: string; score: number }) => `${(d.timeMs / 1000).toFixed(2)} s  ${d.label}  ${(d.score * 100).toFixed(1)}%`));
      if (board === 'nucleo-l4r5zi') await w.page.locator('#listen-view').screenshot({ path: join(repoRoot, 'playground', 'screenshots', 'listen-view.png') });
      expect(w.problems).toEqual([]);
      expect(w.external).toEqual([]);
      await w.page.close();
    }
  });

  it('the microphone, live: Chromium\'s fake capture device playing a recording is heard window by window', async () => {
    const wav = join(work, 'mic.wav');
    writeFileSync(wav, recording(['yes-en-029_f3-3'], 9));
    const micBrowser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`, '--autoplay-policy=no-user-gesture-required'],
    });
    try {
      const w = await watchedPage(micBrowser, pg.server.url);
      await w.page.context().grantPermissions(['microphone'], { origin: pg.server.url });
      await w.page.goto(`${pg.server.url}/index.html?model=models/kws_ref_model.tflite&board=nucleo-l4r5zi`);
      expect((await pageResult(w.page)).status).toBe('done');
      await w.page.click('#listen-mic');
      // The device plays "yes" between two half seconds of noise, over and over (2 s): "yes" must be heard again
      // and again, each time it comes round, as the windows go by.
      await w.page.waitForFunction(() => {
        const d = JSON.parse(document.querySelector<HTMLElement>('#listen-live')?.dataset.detections ?? '[]') as { label: string }[];
        return d.filter((x) => x.label === 'yes').length >= 3;
      }, undefined, { timeout: 30_000 });
      const windows = Number(await w.page.getAttribute('#listen-live', 'data-windows'));
      expect(windows).toBeGreaterThanOrEqual(16); // three loops of 2 s, a window every 250 ms
      await w.page.locator('#listen-view').screenshot({ path: join(repoRoot, 'playground', 'screenshots', 'listen-microphone.png') });
      await w.page.click('#listen-mic');
      expect(w.problems).toEqual([]);
      expect(w.external).toEqual([]);
    } finally {
      await micBrowser.close();
    }
  });
});
