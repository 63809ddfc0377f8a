// Keyword spotting in the page: a WAV file, or the microphone live, through the fixed-point KWS front end and the
// int8 model in the WASM runtime — the same detector as `tinyforge simulate --stream` (KeywordStream: 1 s windows
// every 250 ms, scores averaged over 500 ms). Shown as it happens: the last window's MFCC features as an image,
// the top keyword's score over time, the detections.
import { Chart } from 'chart.js';
import {
  CLIP_SAMPLES, DEFAULT_AVERAGE_MS, DEFAULT_STRIDE_MS, DEFAULT_THRESHOLD, FEATURE_COUNT, KeywordClassifier, KeywordStream,
  readWav, SAMPLE_RATE, streamDetect, type Detection, type WindowScores,
} from '../../../browser.ts';
import { LABELS } from '../../../examples/kws/data/labels.ts';
import { byId, el, fixed } from '../dom.ts';
import type { Analysis } from '../pipeline.ts';
import { startMicrophone, type MicCapture } from '../mic-capture.ts';

const FRAMES = 49;
const COEFFICIENTS = FEATURE_COUNT / FRAMES;
const STRIDE = (DEFAULT_STRIDE_MS * SAMPLE_RATE) / 1000;

let current: Analysis | undefined;
let mic: MicCapture | undefined;
let scoreChart: Chart<'line', { x: number; y: number }[]> | undefined;

/** A keyword model takes the front end's 49×10 int8 features and gives one score per label. */
function keywordLabels(a: Analysis): string[] | undefined {
  const b = a.result.compiled;
  const inputs = b.graph.inputs.map((i) => b.graph.tensors[i]!);
  const outputs = b.graph.outputs.map((i) => b.graph.tensors[i]!);
  if (inputs.length !== 1 || outputs.length !== 1 || inputs[0]!.shape.reduce((n, d) => n * d, 1) !== FEATURE_COUNT) return undefined;
  const typed = byId<HTMLInputElement>('listen-labels').value.split(',').map((l) => l.trim()).filter(Boolean);
  const classes = outputs[0]!.shape.reduce((n, d) => n * d, 1);
  if (typed.length === classes) return typed;
  return classes === LABELS.length ? [...LABELS] : undefined;
}

export function setListenModel(a: Analysis): void {
  current = a;
  const labels = keywordLabels(a);
  byId('listen-model').textContent = labels
    ? `${a.name} is a keyword model: ${labels.length} classes (${labels.join(', ')}); the board's budget is checked with the front end's memory`
    : `${a.name} is not a keyword model (it needs one int8 input of ${FEATURE_COUNT} features and one output per label): pick kws_ref_model to listen`;
  for (const id of ['listen-wav', 'listen-mic']) byId<HTMLInputElement>(id).disabled = !labels;
}

/** The last window's features, time left to right, coefficient 0 at the bottom. */
function drawFeatures(features: Int8Array): void {
  const canvas = byId<HTMLCanvasElement>('spectrogram');
  canvas.width = FRAMES;
  canvas.height = COEFFICIENTS;
  const ctx = canvas.getContext('2d')!;
  const image = ctx.createImageData(FRAMES, COEFFICIENTS);
  for (let f = 0; f < FRAMES; f++) {
    for (let c = 0; c < COEFFICIENTS; c++) {
      const v = (features[f * COEFFICIENTS + c]! + 128) / 255;
      const at = ((COEFFICIENTS - 1 - c) * FRAMES + f) * 4;
      image.data[at] = Math.round(255 * Math.min(1, 2 * v));
      image.data[at + 1] = Math.round(255 * Math.max(0, 2 * v - 1));
      image.data[at + 2] = Math.round(255 * (1 - v) * 0.6);
      image.data[at + 3] = 255;
    }
  }
  ctx.putImageData(image, 0, 0);
}

function resetScores(): void {
  scoreChart?.destroy();
  scoreChart = new Chart(byId<HTMLCanvasElement>('chart-scores'), {
    type: 'line',
    data: { datasets: [{ label: 'top keyword score (averaged)', data: [], borderColor: '#4e79a7', pointRadius: 2 }] },
    options: {
      maintainAspectRatio: false, animation: false,
      scales: { x: { type: 'linear', title: { display: true, text: 's' } }, y: { min: 0, max: 1, title: { display: true, text: `score (threshold ${DEFAULT_THRESHOLD})` } } },
      plugins: { legend: { display: false }, title: { display: true, text: 'the detector, window by window' }, tooltip: { callbacks: { label: (c) => String((c.raw as { label?: string }).label ?? '') } } },
    },
  });
  byId('detections').replaceChildren();
}

function showWindow(w: WindowScores): void {
  scoreChart!.data.datasets[0]!.data.push({ x: w.timeMs / 1000, y: w.score, label: `${w.top} ${fixed(w.score * 100, 1)}%` } as { x: number; y: number });
  scoreChart!.update();
}

function showDetection(d: Detection): void {
  byId('detections').append(el('li', {}, `${fixed(d.timeMs / 1000, 2)} s  ${d.label}  ${fixed(d.score * 100, 1)}%`));
}

async function listenToWav(file: File): Promise<void> {
  const a = current!;
  const labels = keywordLabels(a)!;
  const audio = readWav(new Uint8Array(await file.arrayBuffer()), file.name);
  const t0 = performance.now();
  const r = streamDetect({ blob: a.blob, compiled: a.result.compiled, labels, board: a.board, samples: audio.samples, sampleRate: audio.sampleRate });
  const ms = performance.now() - t0;
  resetScores();
  r.perWindow.forEach(showWindow);
  r.detections.forEach(showDetection);
  const classifier = new KeywordClassifier(a.blob, labels);
  drawFeatures(classifier.classify(audio.samples.subarray(Math.max(0, audio.samples.length - CLIP_SAMPLES))).features);
  byId('listen-status').textContent = `${file.name}: ${r.windows} windows over ${fixed(r.durationMs / 1000, 2)} s in ${fixed(ms, 0)} ms here; on ${r.board} the front end takes ${fixed(r.frontendMs, 1)} ms and the model ${fixed(r.modelMs, 1)} ms per ${r.strideMs} ms stride: ${r.realTime ? 'keeps up in real time' : 'does NOT keep up in real time'}${r.fits ? '' : ` (${r.refusal})`}`;
  const result = byId('listen-result');
  result.textContent = JSON.stringify(r);
  result.dataset.status = 'done';
}

async function toggleMicrophone(): Promise<void> {
  const button = byId<HTMLButtonElement>('listen-mic');
  if (mic) {
    await mic.stop();
    mic = undefined;
    button.textContent = 'start the microphone';
    return;
  }
  const a = current!;
  const labels = keywordLabels(a)!;
  const classifier = new KeywordClassifier(a.blob, labels);
  const stream = new KeywordStream(labels, DEFAULT_THRESHOLD, Math.floor(DEFAULT_AVERAGE_MS / DEFAULT_STRIDE_MS));
  const window = new Int16Array(CLIP_SAMPLES);
  let heard = 0;
  let sinceStride = STRIDE;
  resetScores();
  mic = await startMicrophone((chunk) => {
    // The last second of audio, newest at the end.
    window.copyWithin(0, chunk.length);
    window.set(chunk, CLIP_SAMPLES - chunk.length);
    heard += chunk.length;
    // The first window comes when a whole second is in, the next ones every stride after it.
    sinceStride = heard < CLIP_SAMPLES ? STRIDE : sinceStride + chunk.length;
    if (heard < CLIP_SAMPLES || sinceStride < STRIDE) return;
    sinceStride -= STRIDE;
    const t0 = performance.now();
    const c = classifier.classify(window);
    const { window: w, detected } = stream.push(heard - CLIP_SAMPLES, c.probabilities);
    drawFeatures(c.features);
    showWindow(w);
    if (detected) showDetection(detected);
    byId('listen-status').textContent = `listening: ${fixed(heard / SAMPLE_RATE, 1)} s heard, ${stream.perWindow.length} windows, ${stream.detections.length} detections; this window took ${fixed(performance.now() - t0, 1)} ms here`;
    byId('listen-live').dataset.windows = String(stream.perWindow.length);
    byId('listen-live').dataset.detections = JSON.stringify(stream.detections);
  });
  button.textContent = 'stop the microphone';
}

export function wireListen(onError: (err: unknown) => void): void {
  byId<HTMLInputElement>('listen-wav').addEventListener('change', async () => {
    const file = byId<HTMLInputElement>('listen-wav').files?.[0];
    if (!file || !current) return;
    try { await listenToWav(file); } catch (err) { onError(err); }
  });
  byId('listen-mic').addEventListener('click', async () => {
    if (!current) return;
    try { await toggleMicrophone(); } catch (err) { onError(err); }
  });
}
