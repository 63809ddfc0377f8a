// Copies ~20 clips of the test split (unseen voices) to examples/kws/samples/ as `<label>-<voice>-<n>.wav`, so the
// demo and tests run without espeak-ng or a generated data set: every class once, then more keywords.
//
//   npx tsx examples/kws/data/pick-samples.ts [--data DIR] [--count 20] [--seed 8]
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { KEYWORDS, LABELS } from './labels.ts';
import { readManifest, type DatasetClip } from './dataset.ts';
import { DEFAULT_OUT } from './generate.ts';
import { SeededRandom } from '../../../lib/seeded-random.ts';

export const SAMPLES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'samples');

export function pickSamples(clips: DatasetClip[], count: number, seed: number): DatasetClip[] {
  const rng = new SeededRandom(seed);
  const test = rng.shuffle(clips.filter((c) => c.split === 'test' && !c.extra)); // the picks predate the extra test clips
  const picked: DatasetClip[] = [];
  const usedVoices = new Set<string>();
  const take = (label: string) => {
    // Prefer a voice not used yet so the samples spread across speakers.
    const c = test.find((c) => c.label === label && !picked.includes(c) && !usedVoices.has(c.voice)) ?? test.find((c) => c.label === label && !picked.includes(c));
    if (c) { picked.push(c); usedVoices.add(c.voice); }
  };
  for (const l of LABELS) take(l);
  for (let i = 0; picked.length < count && i < 10 * count; i++) take(KEYWORDS[i % KEYWORDS.length]);
  return picked;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { data: { type: 'string', default: DEFAULT_OUT }, count: { type: 'string', default: '20' }, seed: { type: 'string', default: '8' } } });
  try {
    const picked = pickSamples(readManifest(values.data!).clips, Number(values.count), Number(values.seed));
    mkdirSync(SAMPLES_DIR, { recursive: true });
    for (const f of readdirSync(SAMPLES_DIR)) if (f.endsWith('.wav')) rmSync(join(SAMPLES_DIR, f));
    for (const c of picked) copyFileSync(join(values.data!, c.file), join(SAMPLES_DIR, `${c.label}-${c.voice.replace('+', '_')}-${c.file.match(/_(\d+)\.wav$/)![1]}.wav`));
    console.log(`copied ${picked.length} test-split clips to ${SAMPLES_DIR}`);
  } catch (e) {
    console.error(`pick-samples: ${(e as Error).message}`);
    process.exit(1);
  }
}
