// The synthesized data set on disk: manifest.json plus one WAV per clip, and its float MFCC features.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mfccFloat } from '../../../frontend/mfcc-float.ts';
import { FEATURE_COUNT } from '../../../frontend/mfcc-config.ts';
import { LABELS } from './labels.ts';
import { readWav } from '../../../frontend/wav.ts';

export type Split = 'train' | 'val' | 'test';

export interface DatasetClip {
  /** Relative to the data set folder. */
  file: string;
  split: Split;
  voice: string;
  label: string;
  text: string;
  wordsPerMinute: number;
  pitch: number;
  snrDb: number | null;
  noise: string;
  /** One of the extra test clips (their own random stream; see DEFAULT_EXTRA_TEST_PER_VOICE). */
  extra?: boolean;
}

export interface DatasetManifest {
  seed: number;
  labels: string[];
  keywords: string[];
  clips: DatasetClip[];
}

export function readManifest(dir: string): DatasetManifest {
  const path = join(dir, 'manifest.json');
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as DatasetManifest;
  } catch {
    throw new Error(`no data set at ${dir} (missing or unreadable ${path}): run \`npx tsx examples/kws/data/generate.ts\` first`);
  }
}

export interface FeatureSet {
  /** [n][49·10] float MFCC. */
  x: Float32Array;
  y: Int32Array;
  clips: DatasetClip[];
}

/**
 * The clips the compiler calibrates on (model/calibration-x.npy) and quantization-aware training measures its ranges
 * on: the first `perClass` training clips of each label, in manifest order.
 */
export function calibrationClips(clips: DatasetClip[], perClass = 20): DatasetClip[] {
  return LABELS.flatMap((l) => clips.filter((c) => c.split === 'train' && c.label === l).slice(0, perClass));
}

export function loadFeatures(dir: string, clips: DatasetClip[]): FeatureSet {
  const x = new Float32Array(clips.length * FEATURE_COUNT);
  const y = new Int32Array(clips.length);
  clips.forEach((c, i) => {
    const audio = readWav(new Uint8Array(readFileSync(join(dir, c.file))), c.file);
    x.set(mfccFloat(audio.samples), i * FEATURE_COUNT);
    const label = LABELS.indexOf(c.label as (typeof LABELS)[number]);
    if (label < 0) throw new Error(`${c.file}: unknown label "${c.label}"`);
    y[i] = label;
  });
  return { x, y, clips };
}
