// Instructions the board spends per one-second window on Cortex-M4 (QEMU mps2-an386, -O2), measured with the
// instruction-count plugin: front end + model on each sample clip, minus the model alone on the same features.
// The mean front-end figure is FRONTEND_M4_INSTRUCTIONS in ../frontend/frontend-cost.ts.
//
//   npx tsx examples/kws/firmware/measure-frontend.ts
import { fileURLToPath } from 'node:url';
import { runOnQemu } from '../../../targets/qemu/run-on-qemu.ts';
import { featureQuantization } from '../../../frontend/fixed-point-format.ts';
import { compileKwsModel } from '../kws-model.ts';
import { runKwsOnQemu } from './run-kws-on-qemu.ts';

export interface FrontendInstructions {
  clips: number;
  /** Front end (with the copy of the audio out of the serial buffer) per window, each clip. */
  frontend: number[];
  model: number;
  mean: number;
}

export async function measureFrontendInstructions(clips: Int16Array[]): Promise<FrontendInstructions> {
  const model = await compileKwsModel();
  const windows = await runKwsOnQemu(model.compiled, featureQuantization(model.inputScale, model.inputZeroPoint), clips, { count: true });
  const alone = await runOnQemu(model.compiled, {
    board: 'qemu-mps2-an386', count: true,
    inputs: windows.map((w) => new Uint8Array(w.features.buffer, w.features.byteOffset, w.features.length)),
  });
  const frontend = windows.map((w, i) => w.instructions! - alone.counts![i]!.instructions);
  return { clips: clips.length, frontend, model: alone.counts![0]!.instructions, mean: frontend.reduce((a, b) => a + b, 0) / frontend.length };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { readdirSync, readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { readWav } = await import('../../../frontend/wav.ts');
  const { SAMPLES_DIR } = await import('../demo.ts');
  const clips = readdirSync(SAMPLES_DIR).filter((f) => f.endsWith('.wav')).sort()
    .map((f) => readWav(new Uint8Array(readFileSync(join(SAMPLES_DIR, f))), f).samples);
  const m = await measureFrontendInstructions(clips);
  const M = (n: number) => `${(n / 1e6).toFixed(3)} M`;
  console.log(`front end on Cortex-M4: mean ${M(m.mean)} instructions per window over ${m.clips} clips (min ${M(Math.min(...m.frontend))}, max ${M(Math.max(...m.frontend))}); model ${M(m.model)}`);
}
