// tinyforge simulate <model> --board <id> --stream <wav>: keyword spotting over recordings, on a model compiled by
// `tinyforge compile` (which carries labels.txt into its output folder), as the demo compiles it (the same softmax
// headroom). Calibrated on all clips (--eval-split 0): holding some back drops the digitally silent ones, whose MFCC
// (−123.6) is the input's minimum, and silence then saturates the int8 input.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeWav } from '../../frontend/wav.ts';
import { KWS_SOFTMAX_HEADROOM } from '../../examples/kws/softmax-headroom.ts';
import { tinyforge } from '../cli/run-cli.ts';
import { repoRoot, sampleClips } from './test-clips.ts';

const STRIDE_MS = 250;
const dir = mkdtempSync(join(tmpdir(), 'kws-stream-'));
const modelDir = join(dir, 'compiled');
const clips = sampleClips();
const clip = (name: string) => clips.find((c) => c.name.startsWith(name))!;

/** Where a clip's sound is: the energy-weighted mean time, in ms from the clip's start. */
function energyCentreMs(samples: Int16Array): number {
  let e = 0;
  let t = 0;
  samples.forEach((x, i) => { e += x * x; t += i * x * x; });
  return ((t / e) * 1000) / 16000;
}

/**
 * A microphone's noise floor (±100 of 32767, seeded) to put between words, as in a real recording. Exact zeros there
 * would make every window that straddles a gap and a clip half digital silence (MFCC −123.6) and half noisy speech,
 * which no training clip looks like: the model then recognizes each word only in the one window aligned with its clip.
 */
function noiseFloor(length: number, seed: number): Int16Array {
  const out = new Int16Array(length);
  for (let i = 0; i < length; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    out[i] = Math.round(((seed / 2 ** 32) * 2 - 1) * 100);
  }
  return out;
}

beforeAll(() => {
  const r = tinyforge(['compile', 'examples/kws/model/model.json', '--calibration', 'examples/kws/model/calibration-x.npy', '--out', modelDir, '--eval-split', '0', '--softmax-headroom', String(KWS_SOFTMAX_HEADROOM)]);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('simulate --stream', () => {
  it('compile copies labels.txt beside the compiled model', () => {
    expect(readFileSync(join(modelDir, 'labels.txt'), 'utf8')).toBe(readFileSync(join(repoRoot, 'examples/kws/model/labels.txt'), 'utf8'));
  });

  it('finds the keyword of a one-second clip, in the JSON shape', () => {
    const wav = join(repoRoot, 'examples/kws/samples', clip('on-en-gb-x-gbcwmd_f4-0').name);
    const r = tinyforge(['simulate', modelDir, '--board', 'nucleo-l4r5zi', '--stream', wav, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.detections).toHaveLength(1);
    expect(Object.keys(json.detections[0]).sort()).toEqual(['label', 'score', 'timeMs']);
    expect(json.detections[0]).toMatchObject({ timeMs: 500, label: 'on' });
    expect(json.detections[0].score).toBeGreaterThan(0.6);
    expect(json.realTime).toBe(true);
    expect(json.windows).toBe(1);
  });

  it('detects each keyword of a longer recording (clips between seconds of quiet noise) near where it is spoken', () => {
    const words = ['yes', 'right', 'no-en-gb', 'up'].map(clip);
    const gap = 16000;
    const audio = new Int16Array(gap + words.reduce((n, w) => n + w.samples.length + gap, 0));
    audio.set(noiseFloor(audio.length, 1));
    const expected: { label: string; ms: number }[] = [];
    let at = gap;
    for (const w of words) {
      audio.set(w.samples, at);
      expected.push({ label: w.label, ms: (at * 1000) / 16000 + energyCentreMs(w.samples) });
      at += w.samples.length + gap;
    }
    const wav = join(dir, 'four-words.wav');
    writeFileSync(wav, writeWav({ sampleRate: 16000, samples: audio }));
    const r = tinyforge(['simulate', modelDir, '--board', 'nucleo-l4r5zi', '--stream', wav, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.detections.map((d: { label: string }) => d.label)).toEqual(expected.map((e) => e.label));
    json.detections.forEach((d: { timeMs: number }, i: number) => expect(Math.abs(d.timeMs - expected[i]!.ms), `${expected[i]!.label}`).toBeLessThanOrEqual(STRIDE_MS));
    expect(json.windows).toBe(Math.floor((audio.length - 16000) / 4000) + 1);

    const text = tinyforge(['simulate', modelDir, '--board', 'nucleo-l4r5zi', '--stream', wav]);
    expect(text.stdout).toMatch(/^ +1\.\d\d s {2}yes /m);
    expect(text.stdout).toMatch(/per 250 ms stride \(\d+% busy\): keeps up in real time/);
    // The model's cost per stride is what `simulate` reports for the compiled model on its own.
    const alone = JSON.parse(tinyforge(['simulate', join(modelDir, 'model_int8.tflite'), '--board', 'nucleo-l4r5zi', '--json']).stdout);
    expect(json.modelMs).toBeCloseTo(alone.latencyMs, 6);
  });

  it('averages class scores over --average-ms, so one window cutting a word does not make a detection', () => {
    // "yes" then "no" in quiet noise, the first two words of the recording above: with no averaging, windows
    // holding a word cut at their edge read as other keywords.
    const words = ['yes', 'no-en-gb'].map(clip);
    const audio = noiseFloor(16000 * 5, 7);
    audio.set(words[0]!.samples, 16000);
    audio.set(words[1]!.samples, 48000);
    const wav = join(dir, 'yes-no.wav');
    writeFileSync(wav, writeWav({ sampleRate: 16000, samples: audio }));
    const labels = (extra: string[]) => {
      const r = tinyforge(['simulate', modelDir, '--board', 'nucleo-l4r5zi', '--stream', wav, '--json', ...extra]);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout).detections.map((d: { label: string }) => d.label);
    };
    expect(labels([])).toEqual(['yes', 'no']);
    expect(labels(['--average-ms', '0']).length).toBeGreaterThan(2);
    const misuse = tinyforge(['simulate', modelDir, '--board', 'nucleo-l4r5zi', '--average-ms', '500']);
    expect(misuse.code).toBe(64);
    expect(misuse.stderr).toMatch(/--average-ms applies to --stream only/);
  });

  it('says when the board does not keep up at a shorter stride', () => {
    const wav = join(repoRoot, 'examples/kws/samples', clip('yes').name);
    const r = tinyforge(['simulate', modelDir, '--board', 'nucleo-l4r5zi', '--stream', wav, '--stride-ms', '20', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ realTime: false, strideMs: 20, fits: true });
  });

  it('counts the front end’s second of audio against the board’s SRAM', () => {
    const wav = join(repoRoot, 'examples/kws/samples', clip('yes').name);
    const r = tinyforge(['simulate', modelDir, '--board', 'bluepill', '--stream', wav, '--json']);
    // Over budget is exit 3, as for every verb; the JSON still says why.
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/does not fit bluepill with the front end/);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ realTime: false, fits: false });
    expect(json.refusal).toMatch(/SRAM \d+ B \(model\) \+ 35726 B \(1 s of audio, scratch, features\) > 20480 B/);
  });

  it('shows its work: every window\'s averaged scores in --json, and with --scores in the text', () => {
    const wav = join(repoRoot, 'examples/kws/samples', clip('on-en-gb-x-gbcwmd_f4-0').name);
    const json = JSON.parse(tinyforge(['simulate', modelDir, '--board', 'nucleo-l4r5zi', '--stream', wav, '--json']).stdout);
    expect(json.perWindow).toHaveLength(json.windows);
    const w = json.perWindow[0];
    expect(w).toMatchObject({ timeMs: 500, top: 'on' });
    expect(Object.keys(w.scores)).toHaveLength(12);
    expect(Math.max(...Object.values(w.scores as Record<string, number>))).toBe(w.score);
    expect(w.score).toBeCloseTo(json.detections[0].score, 6);

    const text = tinyforge(['simulate', modelDir, '--board', 'nucleo-l4r5zi', '--stream', wav, '--scores']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/per window .*\n\s+0\.50 s  on\s+\d+\.\d% +then [a-z]+ \d+\.\d%, [a-z]+ \d+\.\d%\ndetections:\n\s+0\.50 s  on/);
  });

  it('takes --threshold 0: every window whose top class is a keyword is one', () => {
    const wav = join(repoRoot, 'examples/kws/samples', clip('yes').name);
    const r = tinyforge(['simulate', modelDir, '--board', 'nucleo-l4r5zi', '--stream', wav, '--threshold', '0', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).detections.map((d: { label: string }) => d.label)).toEqual(['yes']);
    expect(tinyforge(['simulate', modelDir, '--board', 'nucleo-l4r5zi', '--scores']).code).toBe(64);
  });

  it('refuses a model folder without labels.txt and a recording that is not 16 kHz, with one clear line', () => {
    const bare = join(dir, 'bare');
    tinyforge(['compile', 'examples/kws/model/model.json', '--calibration', 'examples/kws/model/calibration-x.npy', '--out', bare, '--eval-split', '0']);
    rmSync(join(bare, 'labels.txt'));
    const wav = join(repoRoot, 'examples/kws/samples', clip('yes').name);
    const noLabels = tinyforge(['simulate', bare, '--board', 'nucleo-l4r5zi', '--stream', wav]);
    expect(noLabels.code).toBe(2);
    expect(noLabels.stderr).toMatch(/no labels\.txt beside the model .*12 lines/);

    const wav8k = join(dir, '8k.wav');
    writeFileSync(wav8k, writeWav({ sampleRate: 8000, samples: new Int16Array(8000) }));
    const wrongRate = tinyforge(['simulate', modelDir, '--board', 'nucleo-l4r5zi', '--stream', wav8k]);
    expect(wrongRate.code).toBe(2);
    expect(wrongRate.stderr).toMatch(/8000 Hz; the keyword front end takes 16000 Hz/);
    expect(wrongRate.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(bare, 'model.tfb'))).toBe(true);
  }, 60_000);
});
