// The firmware on qemu-mps2-an386 runs the C front end and the int8 keyword model on a WAV sent over the UART and
// returns the simulator's int8 features and scores, byte for byte.
import { describe, expect, it } from 'vitest';
import { featureQuantization } from '../../frontend/fixed-point-format.ts';
import { runKwsOnQemu } from '../../examples/kws/firmware/run-kws-on-qemu.ts';
import { KeywordClassifier } from '../../simulator/stream/keyword-classifier.ts';
import { compileKwsModel } from '../../examples/kws/kws-model.ts';
import { sampleClips } from './test-clips.ts';


describe('keyword spotting firmware on qemu-mps2-an386', () => {
  it('gives the simulator’s features and scores for sample WAVs', async () => {
    const model = await compileKwsModel();
    const clips = ['yes-', 'silence-', 'go-en-us', 'unknown-'].map((p) => sampleClips().find((c) => c.name.startsWith(p))!);
    const simulator = new KeywordClassifier(model.blob, model.labels);
    const board = await runKwsOnQemu(model.compiled, featureQuantization(model.inputScale, model.inputZeroPoint), clips.map((c) => c.samples));
    expect(board).toHaveLength(clips.length);
    clips.forEach((clip, i) => {
      const sim = simulator.classify(clip.samples);
      expect(Array.from(board[i]!.features), clip.name).toEqual(Array.from(sim.features));
      expect(Array.from(board[i]!.scores), clip.name).toEqual(Array.from(sim.scores));
    });
    expect(model.labels[simulator.classify(clips[0]!.samples).top]).toBe('yes');
  }, 120_000);
});
