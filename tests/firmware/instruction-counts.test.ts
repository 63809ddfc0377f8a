// Exact instruction counts from the TCG plugin: deterministic, so asserted exactly. A kernel change that moves
// them must update these figures on purpose (and bench/ shows what it bought).
import { describe, expect, it } from 'vitest';
import { runOnQemu, type QemuBoard } from '../../targets/qemu/run-on-qemu.ts';
import { CMSIS_NN_KWS_INSTRUCTIONS, CMSIS_NN_PER_MAC, cmsisNnKind } from './cmsis-nn-reference.ts';
import { loadCorpusModel } from './int8-corpus-models.ts';

async function counted(board: QemuBoard, name: string) {
  const { compiled, cases } = loadCorpusModel(name);
  // The same input twice: both inferences must cost exactly the same.
  const result = await runOnQemu(compiled, { board, inputs: [cases[0].input, cases[0].input], count: true, timeoutMs: 120_000 });
  expect(result.outputs[0]).toEqual(cases[0].output);
  return result.counts!;
}

describe('instructions per inference under QEMU', () => {
  it('hello_world_int8 on Cortex-M4: per kernel call and in total', async () => {
    const [first, second] = await counted('qemu-mps2-an386', 'hello_world_int8');
    expect(second).toEqual(first);
    expect(first.ops.map((o) => [o.op, o.macs, o.instructions])).toEqual([
      ['FULLY_CONNECTED', 16, 991],
      ['FULLY_CONNECTED', 256, 885],
      ['FULLY_CONNECTED', 16, 202],
    ]);
    expect(first.instructions).toBe(2106);
  });

  it('hello_world_int8 on rv32imc: per kernel call and in total', async () => {
    const [first, second] = await counted('qemu-riscv32', 'hello_world_int8');
    expect(second).toEqual(first);
    expect(first.ops.map((o) => o.instructions)).toEqual([873, 2153, 270]);
    expect(first.instructions).toBe(3327);
  });

  it('kws_ref_model on Cortex-M4: per kernel call and in total, within 4.4 M and below CMSIS-NN on every layer', async () => {
    const [first, second] = await counted('qemu-mps2-an386', 'kws_ref_model');
    expect(second).toEqual(first);
    // The 1×1 convs and the fully connected layer run tf_matmul_packed_s8 (compile-time packed weights).
    expect(first.ops.map((o) => `${o.kernel} ${o.instructions}`)).toEqual([
      'conv2d_s8 728257',
      'depthwise_conv2d_s8 338391',
      'conv2d_1x1_s8 493763',
      'depthwise_conv2d_s8 338391',
      'conv2d_1x1_s8 493763',
      'depthwise_conv2d_s8 338391',
      'conv2d_1x1_s8 493763',
      'depthwise_conv2d_s8 338391',
      'conv2d_1x1_s8 493763',
      'avg_pool2d_s8 18542',
      'reshape_s8 9',
      'fully_connected_s8 1733',
      'softmax_s8 2079',
    ]);
    expect(first.instructions).toBe(4079271);
    expect(first.instructions).toBeLessThanOrEqual(4_400_000);
    expect(first.instructions).toBeLessThan(CMSIS_NN_KWS_INSTRUCTIONS);
    const above = first.ops.flatMap((o) => {
      const kind = cmsisNnKind(o.kernel);
      return kind && o.macs && o.instructions / o.macs > CMSIS_NN_PER_MAC[kind]
        ? [`step ${o.step} ${o.kernel}: ${(o.instructions / o.macs).toFixed(2)} > ${CMSIS_NN_PER_MAC[kind]}`] : [];
    });
    expect(above).toEqual([]);
    // Every MAC layer has a CMSIS-NN figure to be compared with.
    expect(first.ops.filter((o) => o.macs > 0 && !cmsisNnKind(o.kernel))).toEqual([]);
  });
});
