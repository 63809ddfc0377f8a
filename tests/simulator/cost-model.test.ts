import { describe, expect, it } from 'vitest';
import { compileTflite } from '../../compiler/compile-model.ts';
import { writeBlob } from '../../compiler/emit/blob/write-blob.ts';
import { readBlob } from '../../runtime-as/host/read-blob.ts';
import { coreModel, kernelProfiles, PROFILE_IDS } from '../../simulator/cost/cost-data.ts';
import { KERNEL_CLASSES, kernelClass } from '../../simulator/cost/kernel-class.ts';
import { stepCost } from '../../simulator/cost/step-cost.ts';
import { classMix, classMixFile, measuredScale, profileClassMix } from '../../simulator/cost/class-mix.ts';
import { cyclesOfClasses } from '../../simulator/cost/instruction-cycles.ts';
import type { InstructionClasses } from '../../targets/qemu/instruction-counts.ts';
import type { SimStep } from '../../simulator/sim-model.ts';
import { simulate } from '../../simulator/simulate.ts';
import { CORE_IDS } from '../../targets/boards/board-schema.ts';
import { loadAllBoards, loadBoard } from '../../targets/boards/load-board.ts';
import { readModel } from '../conformance-corpus.ts';

function convStep(macs: number, outChannels = 64): SimStep {
  return {
    step: 0, opIndex: 0, opType: 'CONV_2D', kernel: 'conv2d_1x1_s8', kernelClass: 'conv1x1', macs,
    bytesRead: macs / outChannels + 4096, bytesWritten: macs / outChannels, outputs: macs / outChannels, pixels: macs / outChannels / outChannels,
    scratchBytes: 0, constBytes: 4096 + 256, pointerCount: 7, scalarCount: 7, inPlace: false, inputCopyBytes: 0,
  };
}

describe('cost model data', () => {
  it('has a coefficient file for every core and every profile, with sources', () => {
    for (const id of CORE_IDS) {
      const core = coreModel(id);
      for (const p of PROFILE_IDS) expect(core.profiles[p].cpi).toBeGreaterThan(0);
      expect(Object.keys(core.sources).length).toBeGreaterThan(0);
    }
    const profiles = kernelProfiles();
    for (const p of PROFILE_IDS) expect(Object.keys(profiles.profiles[p].classes).sort()).toEqual([...KERNEL_CLASSES].sort());
    expect(profiles.sources['optimized.conv1x1']).toMatch(/cmsis-nn-measured\.json/);
  });

  it('classifies a 1x1 stride-1 convolution apart from other convolutions', () => {
    expect(kernelClass('CONV_2D', 'conv2d_s8', [64, 1, 1, 64], [1, 1])).toBe('conv1x1');
    expect(kernelClass('CONV_2D', 'conv2d_s8', [64, 1, 1, 64], [2, 2])).toBe('conv');
    expect(kernelClass('CONV_2D', 'conv2d_s8', [64, 10, 4, 1], [2, 2])).toBe('conv');
    expect(kernelClass('DEPTHWISE_CONV_2D', 'depthwise_conv2d_s8')).toBe('depthwise');
  });

  it('reproduces the Cortex-M4 instruction anchors per MAC for one DS-CNN block', () => {
    const board = loadBoard('qemu-mps2-an386'); // no wait states: instructions x CPI only
    const ctx = { board, profile: 'optimized' as const, arenaIn: 'sram' as const };
    // 1x1 conv 64->64 on 25x5: 512,000 MACs, 8,000 outputs. The optimized profile is fitted on CMSIS-NN measured
    // beside the project (2.04 instructions/MAC for this layer); platform.md's independent figure for TFLM + CMSIS-NN
    // (another CMSIS-NN version, TFLM's kernel call around it) is 2.09: within 3%.
    const c = stepCost(convStep(512_000), ctx);
    expect(Math.abs(c.instructions / 512_000 / 2.09 - 1)).toBeLessThan(0.03);
    const portable = stepCost(convStep(512_000), { ...ctx, profile: 'portable-c' });
    expect((portable.instructions - 150) / 512_000).toBeCloseTo(6.57, 2);
  });

  it('scales linearly in MACs for convolutions, on every board', () => {
    for (const board of loadAllBoards()) {
      const ctx = { board, profile: 'optimized' as const, arenaIn: 'sram' as const };
      const c1 = stepCost(convStep(1_024_000), ctx).cycles;
      const c2 = stepCost(convStep(2_048_000), ctx).cycles;
      const c4 = stepCost(convStep(4_096_000), ctx).cycles;
      // Equal increments for equal MAC increments (whole cycles: within rounding).
      expect(Math.abs(c4 - c2 - 2 * (c2 - c1)), board.id).toBeLessThanOrEqual(2);
      expect(c2 - c1, board.id).toBeGreaterThan(0);
    }
  });

  it('charges PSRAM line fills for activations when the arena lives in PSRAM', () => {
    const s3 = loadBoard('esp32-s3-devkitc'); // PSRAM: 60 cycles per 32-byte line
    const step = convStep(512_000);
    const inSram = stepCost(step, { board: s3, profile: 'tinyforge', arenaIn: 'sram' });
    const inPsram = stepCost(step, { board: s3, profile: 'tinyforge', arenaIn: 'psram' });
    expect(inSram.psramStallCycles).toBe(0);
    // Activations: bytes read that are not constants (12,096 - 4,352) + bytes written (8,000).
    expect(inPsram.psramStallCycles).toBeCloseTo((12_096 - 4_352 + 8_000) * (60 / 32), 9);
    expect(inPsram.cycles - inSram.cycles).toBe(Math.round(inPsram.computeCycles + inPsram.flashStallCycles + inPsram.psramStallCycles) - Math.round(inSram.computeCycles + inSram.flashStallCycles));
  });

  it('charges flash wait states per measured flash load for weights that do not stay in the data cache', () => {
    const l4 = loadBoard('nucleo-l4r5zi'); // 5 wait states per 8-byte line, 256 B data cache
    const ctx = { board: l4, profile: 'optimized' as const, arenaIn: 'sram' as const };
    const c = stepCost(convStep(512_000), ctx);
    // The 1x1 conv class's flash loads per instruction (CMSIS-NN's, measured under QEMU: cmsis-nn-measured.json), each
    // word load a half line: 5 × 4/8.
    const mix = profileClassMix('cortex-m4', 'optimized', 'conv1x1')!;
    expect(c.flashStallCycles).toBeCloseTo(c.instructions * mix.flashLoads * 5 * (4 / 8), 6);
    expect(c.cyclesPerInstruction).toBeCloseTo(cyclesOfClasses(mix as InstructionClasses, coreModel('cortex-m4').instructionCycles!), 12);
    expect(c.cpiFrom).toBe('instruction-classes');
    const noFlashStall = stepCost(convStep(512_000), { ...ctx, board: loadBoard('qemu-mps2-an386') });
    expect(noFlashStall.flashStallCycles).toBe(0);
  });
});

describe('Cortex-M3 and Cortex-M0+: their own builds measured, their TRM tables', () => {
  const pooled = (target: 'qemu-mps2-an386' | 'qemu-mps2-an386-plain' | 'qemu-mps2-an385-armv6m', cls: string) =>
    Object.values(classMixFile().targets[target]!.models).reduce((n, m) => n + (m[cls]?.instructions ?? 0), 0);

  it('costs bluepill (M3) and rpi-pico (M0+) from instruction classes, not a fitted CPI, under every profile', () => {
    for (const board of ['bluepill', 'rpi-pico']) {
      for (const profile of PROFILE_IDS) {
        const c = stepCost(convStep(512_000), { board: loadBoard(board), profile, arenaIn: 'sram' });
        expect(c.cpiFrom, `${board} ${profile}`).toBe('instruction-classes');
      }
    }
    // The M3 runs the kernels' plain C path (no DSP extension): its mix, times the DDI 0337I table (MLA 2).
    const m3 = stepCost(convStep(512_000), { board: loadBoard('bluepill'), profile: 'tinyforge', arenaIn: 'sram' });
    expect(m3.cyclesPerInstruction).toBeCloseTo(cyclesOfClasses(classMix('qemu-mps2-an386-plain', 'conv1x1') as InstructionClasses, coreModel('cortex-m3').instructionCycles!), 12);
    // The M0+ does not pipeline neighbouring loads (DDI 0484C Table 3-1): a pipelined load costs 2, as a single one.
    const t = coreModel('cortex-m0plus').instructionCycles!;
    expect([t.load, t.loadPipelined, t.store, t.branchTaken, t.mul]).toEqual([2, 2, 2, 2, 1]);
  });

  it('scales instructions by the measured ratio of the core\'s own build to the Cortex-M4 build, per kernel class', () => {
    // tinyforge on the M3: the plain C path over the M4's DSP path, both counted under QEMU on the same calls.
    expect(measuredScale('cortex-m3', 'tinyforge', 'conv1x1')).toBeCloseTo(pooled('qemu-mps2-an386-plain', 'conv1x1') / pooled('qemu-mps2-an386', 'conv1x1'), 12);
    expect(measuredScale('cortex-m0plus', 'portable-c', 'depthwise')).toBeCloseTo(pooled('qemu-mps2-an385-armv6m', 'depthwise') / pooled('qemu-mps2-an386-plain', 'depthwise'), 12);
    // The plain C path is what portable-c stands for on every Cortex-M: on the M3 it is the same code.
    expect(measuredScale('cortex-m3', 'portable-c', 'conv1x1')).toBe(1);
    // Thumb-1 (8 low registers, no MLA, no post-increment) takes more instructions than Thumb-2 for the same C.
    expect(measuredScale('cortex-m0plus', 'tinyforge', 'conv1x1')).toBeGreaterThan(measuredScale('cortex-m3', 'tinyforge', 'conv1x1'));
    const r = stepCost(convStep(512_000), { board: loadBoard('rpi-pico'), profile: 'tinyforge', arenaIn: 'sram' });
    const m4 = stepCost(convStep(512_000), { board: loadBoard('qemu-mps2-an386'), profile: 'tinyforge', arenaIn: 'sram' });
    expect(r.instructions).toBeCloseTo(m4.instructions * measuredScale('cortex-m0plus', 'tinyforge', 'conv1x1'), 6);
  });
});

describe('cost model on kws_ref_model (the calibration anchors)', () => {
  const compiled = compileTflite(readModel('kws_ref_model'), 'kws_ref_model');
  const blob = readBlob(writeBlob(compiled));
  const run = (board: string, profile: (typeof PROFILE_IDS)[number] = 'optimized') =>
    simulate(blob, compiled, { board: loadBoard(board), candidates: loadAllBoards(), profile, execute: false });

  it('totals equal the sum of the layers', () => {
    for (const id of ['nucleo-l4r5zi', 'rpi-pico', 'esp32-s3-devkitc']) {
      const r = run(id);
      expect(r.totals.cycles).toBe(r.layers.reduce((n, l) => n + l.cycles, 0));
      expect(r.totals.macs).toBe(2_656_768);
      expect(r.totals.energyUj!).toBeCloseTo(r.layers.reduce((n, l) => n + l.energyUj!, 0), 6);
      expect(r.totals.latencyMs).toBeCloseTo((r.totals.cycles / r.board.clockHz) * 1000, 9);
    }
  });

  it('lands within 10% of MLPerf Tiny v1.0’s 99.8 ms and 5,230 µJ for NUCLEO-L4R5ZI with CMSIS-NN-class kernels, its cycles fitted to nothing', () => {
    const r = run('nucleo-l4r5zi');
    // Deterministic: CMSIS-NN's instructions (fitted on its own QEMU counts) × its measured class mix × the Cortex-M4
    // TRM table + flash wait states, with KWS's first convolution run as microTVM runs it (a depthwise convolution with
    // multiplier 64, kernel-profiles.json lowering). 98.9 ms (-0.9%). The run current is fitted to this benchmark's own
    // energy run (52.29 mW at 1.8 V), so the energy, 5,174 µJ (-1.1%), checks the cycles again.
    expect(Math.abs(r.totals.latencyMs - 99.8) / 99.8).toBeLessThan(0.10);
    expect(Math.abs(r.totals.energyUj! - 5230) / 5230).toBeLessThan(0.10);
    expect(r.layers.every((l) => l.cycleModel === 'instruction-classes')).toBe(true);
    expect(r.layers[0]!.kernelClass).toBe('conv');
    // platform.md, QEMU instruction counts: 7.70 M with TFLM + CMSIS-NN (framework included), 43.0 M with reference
    // kernels. TFLM runs the first convolution as arm_convolve_s8, microTVM as arm_depthwise_conv_s8: both measured on
    // that layer (cmsis-nn-measured.json's provenance, 1,161,745 and 1,710,634 instructions).
    expect(Math.abs(r.totals.instructions - (7.70e6 + 1_710_634 - 1_161_745)) / 7.70e6).toBeLessThan(0.02);
    const ref = run('nucleo-l4r5zi', 'tflm-reference');
    expect(Math.abs(ref.totals.instructions - 43.0e6) / 43.0e6).toBeLessThan(0.02);
  });

  it('predicts tinyforge firmware instruction counts measured under QEMU (bench/simulator-calibration.ts) within 5%', () => {
    // Measured with the TCG instruction-count plugin, one inference on the zero-point input, gcc 12 -O2.
    const measured: [string, string, number][] = [
      ['kws_ref_model', 'qemu-mps2-an386', 4_133_231], ['vww_96_int8', 'qemu-mps2-an386', 16_086_727],
      ['pretrainedResnet_quant', 'qemu-mps2-an386', 28_132_868], ['ad01_int8', 'qemu-mps2-an386', 487_026],
      ['micro_speech_quantized', 'qemu-mps2-an386', 6_537_952], ['kws_ref_model', 'esp32-c3-devkitm', 21_162_035],
      ['vww_96_int8', 'esp32-c3-devkitm', 61_233_089], ['pretrainedResnet_quant', 'esp32-c3-devkitm', 67_469_565],
    ];
    for (const [name, board, instructions] of measured) {
      const c = compileTflite(readModel(name), name);
      const r = simulate(readBlob(writeBlob(c)), c, { board: loadBoard(board), execute: false });
      expect(Math.abs(r.totals.instructions / instructions - 1), `${name} on ${board}`).toBeLessThan(0.05);
    }
  });

  it('orders the boards as their cores and clocks suggest', () => {
    const ms = (id: string) => run(id).totals.latencyMs;
    expect(ms('esp32-s3-devkitc')).toBeLessThan(ms('nucleo-h7a3zi') * 2);
    expect(ms('nucleo-h7a3zi')).toBeLessThan(ms('stm32f746g-disco'));
    expect(ms('stm32f746g-disco')).toBeLessThan(ms('nucleo-l4r5zi'));
    expect(ms('nucleo-l4r5zi')).toBeLessThan(ms('rpi-pico'));
    expect(ms('nrf52840-dk')).toBeGreaterThan(ms('nucleo-l4r5zi'));
  });
});

describe('cost model from a blob alone (no IR)', () => {
  it('costs every layer of every corpus model as from the .tflite: output pixels and element counts come from the kernels\' own parameters', () => {
    for (const name of ['kws_ref_model', 'vww_96_int8', 'ad01_int8', 'micro_speech_quantized', 'hello_world_int8']) {
      const compiled = compileTflite(readModel(name), name);
      const blob = readBlob(writeBlob(compiled));
      for (const profile of PROFILE_IDS) {
        const opts = { board: loadBoard('nucleo-l4r5zi'), profile, execute: false };
        const withIr = simulate(blob, compiled, opts).layers.map((l) => l.cycles);
        expect(simulate(blob, undefined, opts).layers.map((l) => l.cycles), `${name} ${profile}`).toEqual(withIr);
      }
    }
  });
});
