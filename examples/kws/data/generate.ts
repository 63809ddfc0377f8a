// Synthesizes the keyword data set with espeak-ng: the ten MLPerf keywords, `silence` (noise only) and `unknown`
// (other words), across voices (accent × variant), speeds, pitches, time offsets and background noise at random SNR.
// Voices are split train/val/test so test voices are unseen. Same seed → same files.
//
//   npx tsx examples/kws/data/generate.ts [--out DIR] [--seed N] [--per-voice N]
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { CLIP_SAMPLES, SAMPLE_RATE } from '../../../frontend/mfcc-config.ts';
import { KEYWORDS, LABELS, type Label } from './labels.ts';
import { makeNoise, NOISE_COLOURS } from './background-noise.ts';
import { ensureEspeak, speak } from './espeak.ts';
import { resample } from './resample.ts';
import { SeededRandom } from '../../../lib/seeded-random.ts';
import { writeWav } from '../../../frontend/wav.ts';
import type { DatasetManifest, DatasetClip, Split } from './dataset.ts';

export const DEFAULT_OUT = join(dirname(fileURLToPath(import.meta.url)), 'out');
export const DEFAULT_SEED = 8;
export const DEFAULT_PER_VOICE = 4;
/**
 * More test clips per voice and class, from a random stream of their own (the train and validation clips, and the
 * first `perVoice` test clips, stay as they were): 576 test clips resolve an accuracy to about ±1 point, too coarse
 * to tell whether int8 is within 1 point of float; 2,304 halve that.
 */
export const DEFAULT_EXTRA_TEST_PER_VOICE = 12;

const ACCENTS = ['en-us', 'en-gb', 'en-gb-scotland', 'en-gb-x-rp', 'en-gb-x-gbclan', 'en-gb-x-gbcwmd', 'en-029', 'en-us-nyc'];
const VARIANTS = ['m1', 'm2', 'm3', 'm4', 'm5', 'm7', 'f1', 'f2', 'f3', 'f4', 'f5', 'klatt'];
const UNKNOWN_WORDS = [
  'house', 'bird', 'cat', 'dog', 'happy', 'tree', 'wow', 'zero', 'one', 'two', 'three', 'four', 'five', 'six',
  'seven', 'eight', 'nine', 'bed', 'marvin', 'sheila', 'learn', 'follow', 'forward', 'backward', 'visual', 'yellow',
  'window', 'water', 'music', 'light', 'open', 'start', 'hello', 'leaf', 'town', 'know', 'cup', 'top', 'yet', 'write',
];
const VAL_VOICES = 12;
const TEST_VOICES = 12;

export interface GenerateOptions {
  outDir: string;
  seed: number;
  /** Clips per voice and class. */
  perVoice: number;
  /** Use only this many voices (one each for validation and test): small data sets for tests. */
  voiceLimit?: number;
  /** Extra test clips per test voice and class (DEFAULT_EXTRA_TEST_PER_VOICE), marked `extra` in the manifest. */
  extraTestPerVoice?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Trims leading and trailing near-silence espeak-ng puts around a word. */
function trimSilence(x: Float64Array): Float64Array {
  let peak = 0;
  for (const v of x) peak = Math.max(peak, Math.abs(v));
  const threshold = peak * 0.02;
  let start = 0;
  while (start < x.length && Math.abs(x[start]) < threshold) start++;
  let end = x.length;
  while (end > start && Math.abs(x[end - 1]) < threshold) end--;
  return x.subarray(Math.max(0, start - 80), Math.min(x.length, end + 80));
}

function synthesizeClip(label: Label, voice: string, rng: SeededRandom): { samples: Int16Array; meta: Omit<DatasetClip, 'file' | 'split' | 'voice' | 'label'> } {
  const colour = rng.pick(NOISE_COLOURS);
  const noise = makeNoise(colour, CLIP_SAMPLES, rng);
  const clip = new Float64Array(CLIP_SAMPLES);
  let text = '';
  let wordsPerMinute = 0;
  let pitch = 0;
  let snrDb: number | null = null;
  // Peak level of the final clip: recordings are not normalized, the front end normalizes.
  const level = rng.uniform(0.05, 0.9);
  if (label === 'silence') {
    // Noise only; one in ten is digital silence.
    if (rng.next() >= 0.1) for (let i = 0; i < CLIP_SAMPLES; i++) clip[i] = noise[i] * level * 0.25;
  } else {
    text = label === 'unknown' ? rng.pick(UNKNOWN_WORDS) : label;
    wordsPerMinute = rng.int(110, 229);
    pitch = rng.int(15, 89);
    const spoken = speak({ text, voice, wordsPerMinute, pitch });
    const raw = new Float64Array(spoken.samples.length);
    for (let i = 0; i < raw.length; i++) raw[i] = spoken.samples[i] / 32768;
    let speech = trimSilence(resample(raw, spoken.sampleRate, SAMPLE_RATE));
    if (speech.length > CLIP_SAMPLES) speech = speech.subarray(0, CLIP_SAMPLES);
    const offset = rng.int(0, CLIP_SAMPLES - speech.length);
    let peak = 0;
    let power = 0;
    for (const v of speech) { peak = Math.max(peak, Math.abs(v)); power += v * v; }
    const gain = peak > 0 ? level / peak : 0;
    const speechRms = Math.sqrt(power / Math.max(1, speech.length)) * gain;
    for (let i = 0; i < speech.length; i++) clip[offset + i] = speech[i] * gain;
    snrDb = Math.round(rng.uniform(5, 40) * 10) / 10;
    const noiseRms = speechRms / 10 ** (snrDb / 20);
    for (let i = 0; i < CLIP_SAMPLES; i++) clip[i] += noise[i] * noiseRms;
  }
  const samples = new Int16Array(CLIP_SAMPLES);
  for (let i = 0; i < CLIP_SAMPLES; i++) samples[i] = Math.max(-32768, Math.min(32767, Math.round(clip[i] * 32767)));
  return { samples, meta: { text, wordsPerMinute, pitch, snrDb, noise: colour } };
}

export function generateDataset(opts: GenerateOptions): DatasetManifest {
  ensureEspeak();
  const rng = new SeededRandom(opts.seed);
  const allVoices = rng.shuffle(ACCENTS.flatMap((a) => VARIANTS.map((v) => `${a}+${v}`)));
  const limited = opts.voiceLimit !== undefined;
  if (limited && opts.voiceLimit! < 3) throw new Error(`--voice-limit ${opts.voiceLimit} leaves no voice for one of train/val/test: use at least 3`);
  const voices = limited ? allVoices.slice(0, opts.voiceLimit) : allVoices;
  const testVoices = limited ? 1 : TEST_VOICES, valVoices = limited ? 1 : VAL_VOICES;
  const splitOf = new Map<string, Split>(
    voices.map((v, i) => [v, i < testVoices ? 'test' : i < testVoices + valVoices ? 'val' : 'train']),
  );
  // Write into a temporary folder and rename at the end: an interrupted run never looks like a finished data set.
  const tmpDir = `${opts.outDir}.partial`;
  rmSync(tmpDir, { recursive: true, force: true });
  const clips: DatasetClip[] = [];
  const extra = opts.extraTestPerVoice ?? 0;
  const sortedVoices = [...voices].sort();
  const total = LABELS.length * (voices.length * opts.perVoice + testVoices * extra);
  const synthesize = (voice: string, split: Split, label: Label, r: number, stream: SeededRandom, isExtra: boolean) => {
    const { samples, meta } = synthesizeClip(label, voice, stream);
    const file = join(split, label, `${voice.replace('+', '_')}_${r}.wav`);
    mkdirSync(join(tmpDir, split, label), { recursive: true });
    writeFileSync(join(tmpDir, file), writeWav({ sampleRate: SAMPLE_RATE, samples }));
    clips.push({ file, split, voice, label, ...meta, ...(isExtra ? { extra: true } : {}) });
    opts.onProgress?.(clips.length, total);
  };
  for (const voice of sortedVoices) {
    for (const label of LABELS) for (let r = 0; r < opts.perVoice; r++) synthesize(voice, splitOf.get(voice)!, label, r, rng, false);
  }
  const extraRng = new SeededRandom(opts.seed + 1_000_003);
  for (const voice of sortedVoices.filter((v) => splitOf.get(v) === 'test')) {
    for (const label of LABELS) for (let r = opts.perVoice; r < opts.perVoice + extra; r++) synthesize(voice, 'test', label, r, extraRng, true);
  }
  const manifest: DatasetManifest = { seed: opts.seed, labels: [...LABELS], keywords: [...KEYWORDS], clips };
  writeFileSync(join(tmpDir, 'manifest.json'), JSON.stringify(manifest, null, 1));
  rmSync(opts.outDir, { recursive: true, force: true });
  renameSync(tmpDir, opts.outDir);
  return manifest;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: DEFAULT_OUT }, seed: { type: 'string', default: String(DEFAULT_SEED) },
      'per-voice': { type: 'string', default: String(DEFAULT_PER_VOICE) }, 'extra-test-per-voice': { type: 'string', default: String(DEFAULT_EXTRA_TEST_PER_VOICE) },
    },
  });
  const seed = Number(values.seed);
  const perVoice = Number(values['per-voice']);
  const extraTestPerVoice = Number(values['extra-test-per-voice']);
  if (!Number.isInteger(seed) || !Number.isInteger(perVoice) || perVoice < 1 || !Number.isInteger(extraTestPerVoice) || extraTestPerVoice < 0) {
    console.error(`generate: --seed, --per-voice and --extra-test-per-voice must be integers (per-voice ≥ 1, extra ≥ 0), got ${values.seed}, ${values['per-voice']}, ${values['extra-test-per-voice']}`);
    process.exit(2);
  }
  const bar = new cliProgress.SingleBar({ format: 'synthesizing [{bar}] {value}/{total} clips | {eta}s left' }, cliProgress.Presets.shades_classic);
  let started = false;
  try {
    const manifest = generateDataset({
      outDir: values.out!, seed, perVoice, extraTestPerVoice,
      onProgress: (done, total) => { if (!started) { bar.start(total, 0); started = true; } bar.update(done); },
    });
    bar.stop();
    const counts = ['train', 'val', 'test'].map((s) => `${s} ${manifest.clips.filter((c) => c.split === s).length}`);
    console.log(`wrote ${manifest.clips.length} clips to ${relative(process.cwd(), values.out!) || '.'} (${counts.join(', ')})`);
  } catch (e) {
    bar.stop();
    console.error(`generate: ${(e as Error).message}`);
    process.exit(1);
  }
}
