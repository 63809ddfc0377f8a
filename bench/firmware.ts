// Firmware instruction counts on the emulated Cortex-M4 (exact, from the QEMU plugin) against the TensorFlow Lite
// Micro + CMSIS-NN baseline measured on the same board (shared/notes/platform.md), and the size table.
// Standalone: `npx tsx bench/firmware.ts`; bench/run.ts may import benchFirmware().
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileTflite } from '../compiler/compile-model.ts';
import { predictSizes } from '../cli/commands/build.ts';
import { runOnQemu } from '../targets/qemu/run-on-qemu.ts';
import { codeBytes, ramBytes } from '../targets/firmware/section-sizes.ts';
import { corpusDir } from '../tests/conformance-corpus.ts';

/** TFLM + CMSIS-NN instructions per MAC on mps2-an386, per layer kind (platform notes). */
const CMSIS_NN_PER_MAC: Record<string, number> = { conv0: 3.5, DEPTHWISE_CONV_2D: 7.8, CONV_2D: 2.09, FULLY_CONNECTED: 3.2 };
const CMSIS_NN_TOTAL = 7_700_000;
const TARGET_TOTAL = 7_000_000;

export async function benchFirmware() {
  const dir = corpusDir();
  const compiled = compileTflite(new Uint8Array(readFileSync(join(dir, 'models', 'kws_ref_model.tflite'))), 'kws_ref_model');
  const input = new Uint8Array(readFileSync(join(dir, 'cases', 'kws_ref_model', 'sample0', 'input.bin')));
  const m4 = await runOnQemu(compiled, { board: 'qemu-mps2-an386', inputs: [input], count: true });
  const rv = await runOnQemu(compiled, { board: 'qemu-riscv32', inputs: [input], count: true });
  const count = m4.counts![0];
  const layers = count.ops.map((o, i) => {
    const kind = i === 0 && o.op === 'CONV_2D' ? 'conv0' : o.op;
    const perMac = o.macs ? o.instructions / o.macs : null;
    return { step: o.step, op: o.op, kernel: o.kernel, macs: o.macs, instructions: o.instructions, perMac, cmsisNnPerMac: o.macs ? CMSIS_NN_PER_MAC[kind] ?? null : null };
  });
  const prediction = predictSizes(compiled, 'qemu-mps2-an386');
  return {
    model: 'kws_ref_model',
    cortexM4: { instructions: count.instructions, cmsisNn: CMSIS_NN_TOTAL, target: TARGET_TOTAL, layers },
    rv32imc: { instructions: rv.counts![0].instructions },
    // Built with the 16 KiB stack runOnQemu reserves; `tinyforge build` reserves what the model needs.
    sizes: { ...m4.sizes, codeBesidesWeights: codeBytes(m4.sizes), ramWithoutStack: ramBytes(m4.sizes) - m4.sizes.stack, predictedRam: prediction?.ram },
  };
}

export function formatFirmwareBench(r: Awaited<ReturnType<typeof benchFirmware>>): string {
  const n = (v: number) => v.toLocaleString('en-US');
  return [
    `${r.model} on qemu-mps2-an386 (Cortex-M4, -O2): ${n(r.cortexM4.instructions)} instructions ` +
      `(TFLM + CMSIS-NN ${n(r.cortexM4.cmsisNn)}, target ≤ ${n(r.cortexM4.target)}); rv32imc ${n(r.rv32imc.instructions)}`,
    `${'step'.padStart(4)}  ${'op'.padEnd(18)} ${'MACs'.padStart(8)} ${'instructions'.padStart(12)} ${'per MAC'.padStart(8)} ${'CMSIS-NN'.padStart(9)}`,
    ...r.cortexM4.layers.map((l) =>
      `${String(l.step).padStart(4)}  ${l.op.padEnd(18)} ${n(l.macs).padStart(8)} ${n(l.instructions).padStart(12)} ${(l.perMac?.toFixed(2) ?? '').padStart(8)} ${(l.cmsisNnPerMac?.toFixed(2) ?? '').padStart(9)}`),
    `sizes (bytes): ${JSON.stringify(r.sizes)}`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(formatFirmwareBench(await benchFirmware()));
}
