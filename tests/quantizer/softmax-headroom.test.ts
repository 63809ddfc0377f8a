// Calibration's softmax headroom: the logits' int8 range stops `headroom` below the smallest per-sample top logit,
// so a few very negative logits no longer coarsen the step that separates the top classes.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrate } from '../../compiler/calibrate/calibrate.ts';
import { loadCalibrationData } from '../../compiler/calibrate/calibration-data.ts';
import { FloatExecutor } from '../../compiler/calibrate/float-executor.ts';
import { useFloatBackend } from '../../compiler/calibrate/tfjs-backend.ts';
import { importModel } from '../../compiler/import/import-model.ts';
import { PASSES, runPasses } from '../../compiler/passes/pass-list.ts';
import { KWS_MODEL_DIR } from '../../examples/kws/kws-model.ts';

describe('softmax headroom in calibration', () => {
  it('raises only the logits\' minimum, to the smallest per-sample top logit minus the headroom', async () => {
    await useFloatBackend('wasm');
    const { graph } = runPasses(importModel(join(KWS_MODEL_DIR, 'model.json')), PASSES);
    const data = loadCalibrationData(join(KWS_MODEL_DIR, 'calibration-x.npy'), [1, 49, 10, 1]);
    const plain = calibrate(graph, data);
    const clipped = calibrate(graph, data, { softmaxHeadroom: 16 });
    const softmax = graph.ops.find((op) => op.type === 'SOFTMAX')!;
    const logits = softmax.inputs[0]!;
    for (const [id, r] of plain) if (id !== logits) expect(clipped.get(id), graph.tensors[id]!.name).toEqual(r);
    expect(clipped.get(logits)!.max).toBe(plain.get(logits)!.max);
    expect(clipped.get(logits)!.min).toBeGreaterThan(plain.get(logits)!.min + 50); // −150 before, on this model
    // The floor, computed here from the logits themselves.
    let smallestTop = Infinity;
    const exec = new FloatExecutor(graph);
    try {
      exec.run([data.values], data.samples, (id, value) => {
        if (id !== logits) return;
        const v = value.dataSync() as Float32Array;
        for (let r = 0; r < v.length; r += 12) smallestTop = Math.min(smallestTop, Math.max(...v.subarray(r, r + 12)));
      });
    } finally {
      exec.dispose();
    }
    expect(clipped.get(logits)!.min).toBeCloseTo(smallestTop - 16, 4);
  }, 60_000);
});
