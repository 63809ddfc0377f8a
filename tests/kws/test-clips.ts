// Synthetic one-second clips that stress the front end's corners, plus the committed sample WAVs.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readWav } from '../../frontend/wav.ts';
import { SeededRandom } from '../../lib/seeded-random.ts';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const samplesDir = join(repoRoot, 'examples', 'kws', 'samples');

function clip(fn: (i: number, rng: SeededRandom) => number, length = 16000, seed = 1): Int16Array {
  const rng = new SeededRandom(seed);
  return Int16Array.from({ length }, (_, i) => Math.max(-32768, Math.min(32767, Math.round(fn(i, rng)))));
}

export function syntheticClips(): { name: string; samples: Int16Array }[] {
  return [
    { name: 'digital silence', samples: new Int16Array(16000) },
    { name: 'white noise', samples: clip((_, r) => 3000 * r.gaussian()) },
    { name: 'faint noise (±3 LSB)', samples: clip((_, r) => 3 * r.gaussian(), 16000, 2) },
    { name: 'chirp 100→4000 Hz', samples: clip((i) => 12000 * Math.sin(2 * Math.PI * (100 * i + (3900 / 2) * i * i / 16000) / 16000)) },
    { name: 'full-scale square (clipped)', samples: clip((i) => (Math.floor(i / 40) % 2 ? 32767 : -32768)) },
    { name: 'negative only', samples: clip((i) => -1000 - 900 * Math.sin(i / 7)) },
    { name: 'single impulse', samples: clip((i) => (i === 8000 ? 20000 : 0)) },
    { name: 'half a second of tone', samples: clip((i) => 8000 * Math.sin(i / 3), 8000) },
    { name: 'burst in silence', samples: clip((i, r) => (i > 6000 && i < 9000 ? 9000 * r.gaussian() : 0), 16000, 3) },
  ];
}

export function sampleClips(): { name: string; label: string; samples: Int16Array }[] {
  if (!existsSync(samplesDir)) return [];
  return readdirSync(samplesDir)
    .filter((f) => f.endsWith('.wav'))
    .sort()
    .map((f) => ({ name: f, label: f.split('-')[0], samples: readWav(new Uint8Array(readFileSync(join(samplesDir, f))), f).samples }));
}
