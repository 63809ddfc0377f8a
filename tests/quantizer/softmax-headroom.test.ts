// Calibration's softmax headroom: the logits' int8 range stops `headroom` below the smallest per-sample top logit,
// so a few very negative logits no longer coarsen the step that separates the top classes.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrate } from '../../compiler/calibrate/calibrate.ts';
import { loadCalibrationData } from '../../compiler/calibrate/calibration-data.ts';
import { FloatExecutor } from '../../compiler/calibrate/float-executor.ts';
import { useFloatBackend } from '../../compiler/calibrate/tfjs-backend.ts';
import { importModel } from '../../compiler/import/import-model.ts';
import { PASSES, runPasses } from '../../compiler/passes/pass-list.ts';
import { readTflite } from '../../compiler/tflite/read-tflite.ts';
import { compileKwsModel, KWS_MODEL_DIR } from '../../examples/kws/kws-model.ts';
import { KWS_SOFTMAX_HEADROOM } from '../../examples/kws/softmax-headroom.ts';
import { tinyforge } from '../cli/run-cli.ts';

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

  it('is `tinyforge compile --softmax-headroom H`, and gives the .tflite the logits quantization the KWS pipeline uses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinyforge-headroom-'));
    try {
      const calibration = join(KWS_MODEL_DIR, 'calibration-x.npy');
      const r = tinyforge(['compile', join(KWS_MODEL_DIR, 'model.json'), '--calibration', calibration, '--eval-split', '0', '--softmax-headroom', String(KWS_SOFTMAX_HEADROOM), '--out', dir]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const m = readTflite(new Uint8Array(readFileSync(join(dir, 'model_int8.tflite'))), 'kws');
      const g = m.subgraphs[0]!;
      const softmax = g.operators.find((op) => m.operatorCodes[op.opcodeIndex]!.name === 'SOFTMAX')!;
      const logits = g.tensors[softmax.inputs[0]!]!.quantization!;
      const pipeline = (await compileKwsModel()).int8Graph.tensors.find((t) => t.name === 'logits')!.quant!;
      expect(logits.scale[0]).toBeCloseTo(pipeline.scale[0]!, 6);
      expect(logits.zeroPoint[0]).toBe(pipeline.zeroPoint[0]);

      const bad = tinyforge(['compile', join(KWS_MODEL_DIR, 'model.json'), '--calibration', calibration, '--softmax-headroom', '0', '--out', join(dir, 'bad')]);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr.trim().split('\n')).toHaveLength(1);
      expect(bad.stderr).toMatch(/--softmax-headroom/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
