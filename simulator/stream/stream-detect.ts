// Keyword spotting over a recording of any length, as the board would do it live: every stride, the last second of
// audio goes through the front end and the model; the class probabilities are averaged over the windows of the last
// `averageMs`, and a keyword is detected where consecutive averages agree on it above a threshold, at the average
// that scores it highest.
//
// Averaging (as TFLite Micro's micro_speech does): a window that cuts a word at its edge was never seen in training
// (every training clip holds a whole word) and can score another keyword confidently ("yes" cut to its tail read as
// "left" at 98%, once). A spoken word fills three or four overlapping windows in a row; such a stray window is one.
//
// Stride 250 ms: the MLPerf front end normalizes each window by its own peak, so every window is computed afresh
// (no reuse of earlier frames): at a 20 ms stride that is 50 front ends a second (~375 M instructions/s on a
// Cortex-M4, beyond a 120 MHz part), at 250 ms four. A spoken keyword (0.4–0.8 s) lies whole inside at least one
// of four overlapping windows, and a detection 250 ms late is still immediate to a listener.
import type { Board } from '../../targets/boards/board-schema.ts';
import type { CompiledModel } from '../../compiler/compile-model.ts';
import type { BlobModel } from '../../runtime-as/host/read-blob.ts';
import { simulate } from '../simulate.ts';
import { frontendCost } from './frontend-cost.ts';
import { CLIP_SAMPLES, SAMPLE_RATE } from '../../frontend/mfcc-config.ts';
import { KeywordClassifier } from './keyword-classifier.ts';
import { KeywordStream, type Detection, type WindowScores } from './keyword-stream.ts';

export const DEFAULT_STRIDE_MS = 250;
export const DEFAULT_THRESHOLD = 0.6;
/** Windows starting within this span (inclusive) are averaged: at the 250 ms stride, three windows. */
export const DEFAULT_AVERAGE_MS = 500;
export { SUPPRESS_MS, type Detection, type WindowScores } from './keyword-stream.ts';

export interface StreamResult {
  detections: Detection[];
  perWindow: WindowScores[];
  realTime: boolean;
  board: string;
  /** Whether the model fits the board's memory at all (the simulator's budget check). */
  fits: boolean;
  /** Why not, when it does not. */
  refusal?: string;
  strideMs: number;
  averageMs: number;
  windows: number;
  durationMs: number;
  /** Per stride on the board: one front end over a one-second window plus one inference. */
  frontendMs: number;
  modelMs: number;
  /** Fraction of each stride the board is busy. */
  load: number;
}

export interface StreamOptions {
  blob: BlobModel;
  compiled?: CompiledModel;
  labels: readonly string[];
  board: Board;
  samples: Int16Array;
  sampleRate: number;
  strideMs?: number;
  threshold?: number;
  /** Average the class probabilities of the windows starting within this many ms before each one (0: no averaging). */
  averageMs?: number;
  /** Sees every window's int8 features and int8 scores (the drift statistics of `simulate --stream --drift`). */
  onWindow?: (features: Int8Array, scores: Int8Array) => void;
}

/** Where the one-second windows of a recording start, every `stride` samples; a recording shorter than a second is one padded window. */
export function windowStarts(length: number, stride: number): number[] {
  const starts: number[] = [];
  for (let s = 0; s + CLIP_SAMPLES <= length; s += stride) starts.push(s);
  if (starts.length === 0) starts.push(0);
  return starts;
}

export class StreamInputError extends Error {
  override name = 'StreamInputError';
}

export function streamDetect(o: StreamOptions): StreamResult {
  if (o.sampleRate !== SAMPLE_RATE) {
    throw new StreamInputError(`the recording is sampled at ${o.sampleRate} Hz; the keyword front end takes ${SAMPLE_RATE} Hz (resample with e.g. \`sox in.wav -r 16000 out.wav\`)`);
  }
  const strideMs = o.strideMs ?? DEFAULT_STRIDE_MS;
  const stride = Math.round((strideMs * SAMPLE_RATE) / 1000);
  if (!(stride >= 1)) throw new StreamInputError(`stride ${strideMs} ms is shorter than one sample`);
  const threshold = o.threshold ?? DEFAULT_THRESHOLD;
  const averageMs = o.averageMs ?? DEFAULT_AVERAGE_MS;
  if (!(averageMs >= 0)) throw new StreamInputError(`averaging span ${averageMs} ms is negative`);
  const span = Math.floor(averageMs / strideMs); // earlier windows in each average
  const classifier = new KeywordClassifier(o.blob, o.labels);

  const starts = windowStarts(o.samples.length, stride);

  const stream = new KeywordStream(o.labels, threshold, span);
  for (const windowStart of starts) {
    const c = classifier.classify(o.samples.subarray(windowStart, windowStart + CLIP_SAMPLES));
    o.onWindow?.(c.features, c.scores);
    stream.push(windowStart, c.probabilities);
  }
  stream.finish();
  const { detections, perWindow } = stream;

  const sim = simulate(o.blob, o.compiled, { board: o.board, execute: false });
  const fe = frontendCost(o.board);
  const busyMs = fe.ms + sim.totals.latencyMs;
  // The board holds the model and the front end: one second of audio, its scratch and the features.
  const { sram, flash } = sim.memory;
  let refusal = sim.refusal;
  if (!refusal && sram.used + fe.sramBytes > sram.budget) {
    refusal = `does not fit ${o.board.id} with the front end: SRAM ${sram.used} B (model) + ${fe.sramBytes} B (1 s of audio, scratch, features) > ${sram.budget} B`;
  } else if (!refusal && flash.used + fe.flashBytes > flash.budget) {
    refusal = `does not fit ${o.board.id} with the front end: flash ${flash.used} B (model) + ${fe.flashBytes} B (front end) > ${flash.budget} B`;
  }
  return {
    detections,
    perWindow,
    realTime: !refusal && busyMs <= strideMs,
    board: o.board.id,
    fits: !refusal,
    ...(refusal ? { refusal } : {}),
    strideMs,
    averageMs,
    windows: starts.length,
    durationMs: (o.samples.length * 1000) / SAMPLE_RATE,
    frontendMs: fe.ms,
    modelMs: sim.totals.latencyMs,
    load: busyMs / strideMs,
  };
}

/** `--scores`: each window's top class and the runners-up, as the detector saw them. */
export function formatWindowScores(r: StreamResult): string {
  const pct = (p: number) => `${(p * 100).toFixed(1)}%`.padStart(6);
  return r.perWindow.map((w) => {
    const ranked = Object.entries(w.scores).sort((a, b) => b[1] - a[1]);
    return `${(w.timeMs / 1000).toFixed(2).padStart(8)} s  ${w.top.padEnd(8)} ${pct(w.score)}   then ${ranked.slice(1, 3).map(([l, p]) => `${l} ${pct(p).trim()}`).join(', ')}`;
  }).join('\n');
}

export function formatStream(r: StreamResult, options: { scores?: boolean } = {}): string {
  const lines = [`${r.windows} window(s) of 1 s every ${r.strideMs} ms over ${(r.durationMs / 1000).toFixed(2)} s of audio, scores averaged over ${r.averageMs} ms`];
  if (options.scores) lines.push('per window (time of its middle, top class, its score, the next two):', formatWindowScores(r), 'detections:');
  if (r.detections.length === 0) lines.push('no keyword detected');
  for (const d of r.detections) lines.push(`${(d.timeMs / 1000).toFixed(2).padStart(8)} s  ${d.label.padEnd(8)} ${(d.score * 100).toFixed(1)}%`);
  const busy = r.frontendMs + r.modelMs;
  lines.push(
    `${r.board}: front end ${r.frontendMs.toFixed(1)} ms + model ${r.modelMs.toFixed(1)} ms = ${busy.toFixed(1)} ms per ${r.strideMs} ms stride ` +
      `(${(r.load * 100).toFixed(0)}% busy): ${r.realTime ? 'keeps up in real time' : 'does NOT keep up in real time'}`,
  );
  if (!r.fits) lines.push(`the model ${r.refusal ?? 'does not fit this board'}`);
  return lines.join('\n');
}
