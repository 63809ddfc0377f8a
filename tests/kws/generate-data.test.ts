// The espeak-ng data set generator: reproducible from its seed, split by voice.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateDataset } from '../../examples/kws/data/generate.ts';
import { readWav } from '../../frontend/wav.ts';

describe('keyword data set generator', () => {
  it('gives the same clips for the same seed, one voice per split, every class', () => {
    const a = mkdtempSync(join(tmpdir(), 'kws-data-'));
    const b = mkdtempSync(join(tmpdir(), 'kws-data-'));
    const ma = generateDataset({ outDir: join(a, 'out'), seed: 5, perVoice: 1, voiceLimit: 3 });
    const mb = generateDataset({ outDir: join(b, 'out'), seed: 5, perVoice: 1, voiceLimit: 3 });
    expect(ma.clips.length).toBe(3 * 12);
    expect(mb).toEqual(ma);
    for (const c of ma.clips) expect(readFileSync(join(b, 'out', c.file)).equals(readFileSync(join(a, 'out', c.file)))).toBe(true);
    const voicesOf = (s: string) => new Set(ma.clips.filter((c) => c.split === s).map((c) => c.voice));
    expect([...voicesOf('train')].some((v) => voicesOf('test').has(v) || voicesOf('val').has(v))).toBe(false);
    expect(new Set(ma.clips.map((c) => c.label)).size).toBe(12);
    const clip = readWav(readFileSync(join(a, 'out', ma.clips.find((c) => c.label === 'yes')!.file)));
    expect(clip.sampleRate).toBe(16000);
    expect(clip.samples.length).toBe(16000);
    expect(clip.samples.some((v) => Math.abs(v) > 1000)).toBe(true);
  });

  it('adds extra test clips from their own random stream, leaving every other clip as it was', () => {
    const a = mkdtempSync(join(tmpdir(), 'kws-data-'));
    const b = mkdtempSync(join(tmpdir(), 'kws-data-'));
    const plain = generateDataset({ outDir: join(a, 'out'), seed: 5, perVoice: 1, voiceLimit: 3 });
    const more = generateDataset({ outDir: join(b, 'out'), seed: 5, perVoice: 1, voiceLimit: 3, extraTestPerVoice: 2 });
    expect(more.clips.slice(0, plain.clips.length)).toEqual(plain.clips);
    for (const c of plain.clips) expect(readFileSync(join(b, 'out', c.file)).equals(readFileSync(join(a, 'out', c.file)))).toBe(true);
    const extra = more.clips.slice(plain.clips.length);
    expect(extra.length).toBe(12 * 2); // one test voice, 12 classes, 2 each
    expect(extra.every((c) => c.split === 'test' && c.extra === true)).toBe(true);
    expect(new Set(more.clips.map((c) => c.file)).size).toBe(more.clips.length);
  });

  it('refuses a voice limit that leaves a split empty', () => {
    expect(() => generateDataset({ outDir: join(tmpdir(), 'never'), seed: 1, perVoice: 1, voiceLimit: 2 })).toThrow(/at least 3/);
  });
});
