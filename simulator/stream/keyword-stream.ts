// The detector of keyword spotting over time, one window at a time: the class probabilities of each window
// (every stride, the last second of audio) are averaged with those of the windows just before it, and a keyword is
// detected where consecutive averages agree on it above a threshold, at the average that scores it highest.
// `streamDetect()` feeds it a recording's windows; the playground feeds it the microphone's as they come.
import { CLIP_SAMPLES, SAMPLE_RATE } from '../../frontend/mfcc-config.ts';

/** After a detection, windows starting within this time of its best window are not new keywords: a window holding
 *  only the tail of a word ("up" cut to its vowel) looks like another word to a model trained on whole words. */
export const SUPPRESS_MS = 1000;
/** Classes that are not keywords (MLPerf's and Speech Commands' spellings). */
const NOT_KEYWORDS = new Set(['silence', 'unknown', '_silence_', '_unknown_', 'background', '_background_noise_']);

export interface Detection {
  /** Centre of the best window, from the start of the recording. */
  timeMs: number;
  label: string;
  score: number;
}

/** One window as the detector saw it: the class scores averaged over the last `averageMs`, the top one first. */
export interface WindowScores {
  /** The middle of the window, from the start of the recording. */
  timeMs: number;
  top: string;
  score: number;
  /** Every class's averaged score, by label. */
  scores: Record<string, number>;
}

const centreMs = (start: number) => Math.round(((start + CLIP_SAMPLES / 2) * 1000) / SAMPLE_RATE);

export class KeywordStream {
  readonly detections: Detection[] = [];
  readonly perWindow: WindowScores[] = [];
  private readonly recent: { start: number; probabilities: readonly number[] }[] = [];
  private run: { label: string; score: number; start: number } | undefined;
  private lastDetectionStart = -Infinity;

  /** `span`: how many earlier windows each average takes in besides the newest. */
  constructor(readonly labels: readonly string[], readonly threshold: number, readonly span: number) {}

  /** The window starting at sample `windowStart` (of 16 kHz audio) scored `probabilities`, one per label. Returns
   *  its averaged scores, and the detection this window closed, if any. */
  push(windowStart: number, probabilities: readonly number[]): { window: WindowScores; detected?: Detection } {
    const recent = this.recent;
    recent.push({ start: windowStart, probabilities });
    if (recent.length > this.span + 1) recent.shift();
    const mean = this.labels.map((_, k) => recent.reduce((sum, w) => sum + w.probabilities[k]!, 0) / recent.length);
    let top = 0;
    for (let k = 1; k < mean.length; k++) if (mean[k]! > mean[top]!) top = k;
    const label = this.labels[top]!, score = mean[top]!;
    const window = { timeMs: centreMs(windowStart), top: label, score, scores: Object.fromEntries(this.labels.map((l, k) => [l, mean[k]!])) };
    this.perWindow.push(window);
    // The averaged windows' middle: where the word they agree on sits.
    const start = (recent[0]!.start + windowStart) / 2;
    const hit = !NOT_KEYWORDS.has(label) && score >= this.threshold;
    let detected: Detection | undefined;
    if (!hit || (this.run && this.run.label !== label)) detected = this.finish();
    if (!hit) return { window, ...(detected ? { detected } : {}) };
    if (!this.run) {
      if (start - this.lastDetectionStart >= (SUPPRESS_MS * SAMPLE_RATE) / 1000) this.run = { label, score, start };
    } else if (score > this.run.score) {
      Object.assign(this.run, { score, start });
    }
    return { window, ...(detected ? { detected } : {}) };
  }

  /** Ends the keyword being heard, if any (the recording ended, or the next window disagreed): its detection. */
  finish(): Detection | undefined {
    const run = this.run;
    this.run = undefined;
    if (!run) return undefined;
    const detection = { timeMs: centreMs(run.start), label: run.label, score: run.score };
    this.detections.push(detection);
    this.lastDetectionStart = run.start;
    return detection;
  }
}
