// Firmware instruction counts on the emulated Cortex-M4 (exact, from the QEMU plugin), per layer, against the
// TensorFlow Lite Micro + CMSIS-NN figures measured on the same board (shared/notes/platform.md), for KWS, VWW and
// ResNet-8, each inference checked bit for bit against the corpus golden; and the size table.
// Standalone: `npm run bench:m4` (or `npx tsx bench/firmware.ts [model ...]`); bench/run.ts imports benchFirmware().
import { compileTflite } from '../compiler/compile-model.ts';
import { runOnQemu } from '../targets/qemu/run-on-qemu.ts';
import { codeBytes, ramBytes } from '../targets/firmware/section-sizes.ts';
import { goldenCases, readModel } from '../tests/conformance-corpus.ts';
import { CMSIS_NN_KWS_INSTRUCTIONS, CMSIS_NN_PER_MAC, cmsisNnKind } from '../tests/firmware/cmsis-nn-reference.ts';

/** Issue 19's target for one KWS inference on Cortex-M4. */
const KWS_TARGET = 4_400_000;
/** Issue 19's bound on code besides weights. */
const CODE_TARGET = 16 * 1024;
export const FIRMWARE_BENCH_MODELS = ['kws_ref_model', 'vww_96_int8', 'pretrainedResnet_quant'];

async function benchModel(name: string) {
  const compiled = compileTflite(readModel(name), name);
  const golden = goldenCases(name)[0];
  const m4 = await runOnQemu(compiled, { board: 'qemu-mps2-an386', inputs: [golden.input], count: true, timeoutMs: 300_000 });
  const count = m4.counts![0];
  const layers = count.ops.map((o) => {
    const kind = cmsisNnKind(o.kernel);
    return {
      step: o.step, op: o.op, kernel: o.kernel, macs: o.macs, instructions: o.instructions,
      perMac: o.macs ? o.instructions / o.macs : null,
      cmsisNnPerMac: o.macs && kind ? CMSIS_NN_PER_MAC[kind] : null,
    };
  });
  const macs = layers.reduce((a, l) => a + l.macs, 0);
  return {
    model: name,
    case: golden.name,
    bitExact: Buffer.compare(Buffer.from(m4.outputs[0]), Buffer.from(golden.output)) === 0,
    instructions: count.instructions,
    macs,
    layers,
    layersAboveCmsisNn: layers.filter((l) => l.perMac !== null && l.cmsisNnPerMac !== null && l.perMac > l.cmsisNnPerMac).length,
    // Built with the 16 KiB stack runOnQemu reserves; `tinyforge build` reserves what the model needs.
    sizes: { ...m4.sizes, codeBesidesWeights: codeBytes(m4.sizes), ramWithoutStack: ramBytes(m4.sizes) - m4.sizes.stack },
  };
}

export async function benchFirmware(models: readonly string[] = FIRMWARE_BENCH_MODELS) {
  const results = [];
  for (const name of models) results.push(await benchModel(name));
  let rv32imc: number | undefined;
  if (models.includes('kws_ref_model')) {
    const golden = goldenCases('kws_ref_model')[0];
    const rv = await runOnQemu(compileTflite(readModel('kws_ref_model'), 'kws_ref_model'), { board: 'qemu-riscv32', inputs: [golden.input], count: true });
    rv32imc = rv.counts![0].instructions;
  }
  return { board: 'qemu-mps2-an386', kwsTarget: KWS_TARGET, kwsCmsisNn: CMSIS_NN_KWS_INSTRUCTIONS, codeTarget: CODE_TARGET, rv32imcKws: rv32imc, models: results };
}

export function formatFirmwareBench(r: Awaited<ReturnType<typeof benchFirmware>>): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const lines: string[] = [];
  for (const m of r.models) {
    const vs = m.model === 'kws_ref_model'
      ? ` (TFLM + CMSIS-NN ${n(r.kwsCmsisNn)}: ${(m.instructions / r.kwsCmsisNn).toFixed(2)}×; target ≤ ${n(r.kwsTarget)}: ${m.instructions <= r.kwsTarget ? 'met' : 'NOT met'})`
      : '';
    lines.push(
      `${m.model} on ${r.board} (Cortex-M4, -O2), golden case ${m.case}: ${m.bitExact ? 'bit-exact' : 'OUTPUT DIFFERS FROM THE GOLDEN'}`,
      `  ${n(m.instructions)} instructions, ${n(m.macs)} MACs, ${(m.instructions / m.macs).toFixed(2)} per MAC${vs}`,
      `  ${'step'.padStart(4)}  ${'op'.padEnd(18)} ${'kernel'.padEnd(20)} ${'MACs'.padStart(10)} ${'instructions'.padStart(12)} ${'per MAC'.padStart(8)} ${'CMSIS-NN'.padStart(9)}`,
      ...m.layers.map((l) => {
        const flag = l.perMac !== null && l.cmsisNnPerMac !== null && l.perMac > l.cmsisNnPerMac ? '  above' : '';
        return `  ${String(l.step).padStart(4)}  ${l.op.padEnd(18)} ${l.kernel.padEnd(20)} ${n(l.macs).padStart(10)} ${n(l.instructions).padStart(12)} ` +
          `${(l.perMac?.toFixed(2) ?? '').padStart(8)} ${(l.cmsisNnPerMac?.toFixed(2) ?? '').padStart(9)}${flag}`;
      }),
      `  layers above CMSIS-NN's instructions per MAC: ${m.layersAboveCmsisNn}`,
      `  code besides weights ${n(m.sizes.codeBesidesWeights)} B (bound ${n(r.codeTarget)}), weights ${n(m.sizes.weights)} B; sizes ${JSON.stringify(m.sizes)}`,
      '',
    );
  }
  if (r.rv32imcKws !== undefined) lines.push(`kws_ref_model on qemu-riscv32 (rv32imc): ${n(r.rv32imcKws)} instructions`);
  lines.push('CMSIS-NN per MAC: TFLM + CMSIS-NN on kws_ref_model by layer kind (shared/notes/platform.md); for VWW and ResNet-8 the nearest kind, not a measurement of those models.');
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const models = process.argv.slice(2);
  console.log(formatFirmwareBench(await benchFirmware(models.length ? models : FIRMWARE_BENCH_MODELS)));
}
