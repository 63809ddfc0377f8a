// class-mix.json is a measurement, not a table typed in: re-measuring a model under QEMU gives exactly the counts
// committed (bench/class-profiles.ts wrote them; `npm run profiles:classes` refreshes them after a kernel change).
import { describe, expect, it } from 'vitest';
import { compileTflite } from '../../compiler/compile-model.ts';
import { measureClassMix } from '../../simulator/calibrate/measure-class-mix.ts';
import { classMix, classMixFile, CLASS_MIX_BUILDS, CLASS_MIX_MODELS, CLASS_MIX_TARGETS } from '../../simulator/cost/class-mix.ts';
import { readModel } from '../conformance-corpus.ts';

describe('measured instruction-class mix (simulator/cost/class-mix.json)', () => {
  it('holds every corpus model on both ISAs', () => {
    for (const t of CLASS_MIX_TARGETS) expect(Object.keys(classMixFile().targets[t]!.models).sort()).toEqual([...CLASS_MIX_MODELS].sort());
  });

  it.each([
    ['ad01_int8', 'qemu-mps2-an386'],
    ['kws_ref_model', 'qemu-mps2-an386'],
    ['ad01_int8', 'qemu-mps2-an386-plain'],
    ['kws_ref_model', 'qemu-mps2-an386-unpacked'],
    ['hello_world_int8', 'qemu-mps2-an385-armv6m'],
    ['hello_world_int8', 'qemu-riscv32'],
  ] as const)('re-measuring %s on %s gives the committed counts exactly', async (name, target) => {
    const build = CLASS_MIX_BUILDS[target];
    const measured = await measureClassMix(compileTflite(readModel(name), name), build.board, build.cpuFlags, build.machine);
    expect(measured).toEqual(classMixFile().targets[target]!.models[name]);
  }, 300_000);

  it('gives each kernel class a mix whose classes add up to one instruction', () => {
    for (const t of CLASS_MIX_TARGETS) {
      for (const cls of ['conv1x1', 'depthwise', 'fullyConnected', 'activation']) {
        const m = classMix(t, cls);
        const sum = m.load + m.loadPipelined + m.loadMultiple + m.store + m.storeMultiple + m.mul + m.div + m.branchTaken + m.branchNotTaken + m.other;
        expect(sum, `${t} ${cls}`).toBeCloseTo(1, 12);
      }
    }
    // The DSP path of a 1x1 conv on Thumb-2: many multiplies (SMLAD), weights read from flash.
    expect(classMix('qemu-mps2-an386', 'conv1x1').mul).toBeGreaterThan(0.25);
    expect(classMix('qemu-mps2-an386', 'conv1x1').flashLoads).toBeGreaterThan(0.05);
    // kws_ref_model's four 1x1 convs (2,048,000 MACs, 32,000 outputs, one requantizing multiply each): the DSP path
    // multiplies two MACs per SMLAD, the plain C path (built for Cortex-M3) one per MUL/MLA. The packed path works on
    // pixel pairs, so each layer's odd 125th pixel is computed twice (126/125 of the work).
    const kws = (t: 'qemu-mps2-an386' | 'qemu-mps2-an386-unpacked' | 'qemu-mps2-an386-plain') => classMixFile().targets[t]!.models.kws_ref_model!.conv1x1!;
    expect(kws('qemu-mps2-an386').mul).toBe(((2_048_000 / 2 + 32_000) * 126) / 125);
    expect(kws('qemu-mps2-an386-unpacked').mul).toBe(2_048_000 / 2 + 32_000);
    expect(kws('qemu-mps2-an386-plain').mul).toBe(2_048_000 + 32_000);
  });
});
