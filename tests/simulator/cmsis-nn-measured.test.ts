// The `optimized` profile stands for CMSIS-NN: its instruction model (kernel-profiles.json profiles.optimized.classes)
// is fitted on CMSIS-NN's own instruction counts per corpus layer, measured under QEMU beside the project
// (simulator/cost/cmsis-nn-measured.json; bench/fit-optimized-profile.ts fits). CMSIS-NN's code is not in this
// repository, so CI cannot re-measure it: these tests check that the committed coefficients reproduce the committed
// measurements, that the measured work counters are the ones the simulator computes for those layers today, and that
// the simulator costs those classes with CMSIS-NN's own measured instruction classes.
import { describe, expect, it } from 'vitest';
import { compileTflite } from '../../compiler/compile-model.ts';
import { writeBlob } from '../../compiler/emit/blob/write-blob.ts';
import { readBlob } from '../../runtime-as/host/read-blob.ts';
import { simModel } from '../../simulator/sim-model.ts';
import { profileKernelClass } from '../../simulator/cost/profile-kernel-class.ts';
import { kernelProfiles } from '../../simulator/cost/cost-data.ts';
import { classMix, profileClassMix } from '../../simulator/cost/class-mix.ts';
import { cmsisNnClassSums, cmsisNnLayers, cmsisNnMeasured } from '../../simulator/cost/cmsis-nn-measured.ts';
import { OPTIMIZED_FIT_TERMS, predictInstructions } from '../../simulator/calibrate/optimized-fit-terms.ts';
import { firmwareTarget } from '../../targets/firmware/firmware-targets.ts';
import { readModel } from '../conformance-corpus.ts';

// Per class: the worst single layer and the worst model total the fit may miss by. The fit errors when the
// coefficients were fitted (bench/fit-optimized-profile.ts): conv <= 2.3% per layer, conv1x1 <= 1.9%, depthwise
// <= 3.2% but +9.9% on vww_96_int8's 3x3-output last layer, depthwiseMultiplier 0% (two layers, two coefficients: micro_speech's and KWS's first convolution as microTVM lowers it),
// fully connected <= 3.6%, elementwise (ADD) <= 0.1%; model totals <= 1.4%.
const TOLERANCE: Record<string, { layer: number; model: number }> = {
  conv: { layer: 0.03, model: 0.01 },
  conv1x1: { layer: 0.025, model: 0.01 },
  depthwise: { layer: 0.11, model: 0.015 },
  depthwiseMultiplier: { layer: 0.001, model: 0.001 },
  fullyConnected: { layer: 0.04, model: 0.02 },
  elementwise: { layer: 0.005, model: 0.005 },
};

const layers = cmsisNnLayers();
const measuredClasses = [...new Set(layers.map((l) => l.kernelClass))].sort();

describe('optimized profile: fitted on CMSIS-NN measured under QEMU', () => {
  it('covers the classes it says, each with a stated tolerance and fit terms', () => {
    expect(measuredClasses).toEqual(Object.keys(TOLERANCE).sort());
    for (const cls of measuredClasses) expect(OPTIMIZED_FIT_TERMS[cls], cls).toBeDefined();
  });

  for (const cls of Object.keys(TOLERANCE)) {
    it(`${cls}: the committed coefficients reproduce every measured layer and each model's total`, () => {
      const k = kernelProfiles().profiles.optimized.classes[cls as 'conv'];
      // Exactly the fitted terms: a stale hand coefficient left beside them would change every prediction.
      expect(Object.keys(k).sort()).toEqual([...OPTIMIZED_FIT_TERMS[cls]!].sort());
      const own = layers.filter((l) => l.kernelClass === cls);
      expect(own.length).toBeGreaterThan(0);
      for (const l of own) {
        const err = predictInstructions(k, l) / l.instructions - 1;
        expect(Math.abs(err), `${l.model} step ${l.step} (${l.cmsisNn}): ${(100 * err).toFixed(1)}%`).toBeLessThan(TOLERANCE[cls]!.layer);
      }
      for (const model of new Set(own.map((l) => l.model))) {
        const of = own.filter((l) => l.model === model);
        const err = of.reduce((s, l) => s + predictInstructions(k, l), 0) / of.reduce((s, l) => s + l.instructions, 0) - 1;
        expect(Math.abs(err), `${model} ${cls} total: ${(100 * err).toFixed(1)}%`).toBeLessThan(TOLERANCE[cls]!.model);
      }
    });
  }

  it('was measured on the simulator\'s own work counters for those layers', () => {
    for (const [model, measured] of Object.entries(cmsisNnMeasured().models)) {
      const compiled = compileTflite(readModel(model), model);
      const sim = simModel(readBlob(writeBlob(compiled)), compiled);
      for (const l of measured) {
        const st = sim.steps[l.step]!;
        expect({ opIndex: st.opIndex, opType: st.opType, kernelClass: profileKernelClass(st, 'optimized'), macs: st.macs, outputs: st.outputs, pixels: st.pixels, taps: st.taps, bytesRead: st.bytesRead, bytesWritten: st.bytesWritten }, `${model} step ${l.step}`)
          .toEqual({ opIndex: l.opIndex, opType: l.opType, kernelClass: l.kernelClass, macs: l.macs, outputs: l.outputs, pixels: l.pixels, taps: l.taps, bytesRead: l.bytesRead, bytesWritten: l.bytesWritten });
      }
    }
  });

  it('runs a convolution over one input channel as microTVM does, a depthwise convolution with a multiplier, under optimized only', () => {
    const kws = simModel(readBlob(writeBlob(compileTflite(readModel('kws_ref_model'), 'kws_ref_model')))).steps;
    const vww = simModel(readBlob(writeBlob(compileTflite(readModel('vww_96_int8'), 'vww_96_int8')))).steps;
    // KWS's first convolution: 10x4 over the one-channel spectrogram; VWW's: 3x3 over RGB.
    expect([kws[0]!.kernelClass, profileKernelClass(kws[0]!, 'optimized'), profileKernelClass(kws[0]!, 'tinyforge')]).toEqual(['conv', 'depthwiseMultiplier', 'conv']);
    expect([vww[0]!.kernelClass, profileKernelClass(vww[0]!, 'optimized')]).toEqual(['conv', 'conv']);
    for (const s of kws.slice(1)) expect(profileKernelClass(s, 'optimized')).toBe(s.kernelClass);
    expect(kernelProfiles().sources['optimized.lowering']).toMatch(/tiny_results_v1\.0.*default_lib2\.c/);
  });

  it('says where every number comes from: CMSIS-NN files by commit, the firmware\'s own flags, QEMU', () => {
    const p = cmsisNnMeasured().provenance;
    // Every CMSIS-NN function a measured layer names has its file recorded.
    const paths = p.cmsisNnFiles.map((f) => f.path.split('/').pop());
    for (const fn of new Set(layers.map((l) => l.cmsisNn))) expect(paths, fn).toContain(`${fn}.c`);
    for (const f of p.cmsisNnFiles) expect(f.repo).toBe('ARM-software/CMSIS-NN');
    expect(p.flags).toEqual(expect.arrayContaining([...firmwareTarget('qemu-mps2-an386').cpuFlags, '-O2']));
    expect(p.qemu).toMatch(/QEMU emulator version 7\.2/);
    const sources = kernelProfiles().sources;
    for (const cls of measuredClasses) expect(sources[`optimized.${cls}`], cls).toMatch(/cmsis-nn-measured\.json/);
  });

  it('costs the measured classes with CMSIS-NN\'s own instruction classes, the others with the DSP build\'s', () => {
    for (const cls of measuredClasses) {
      const sums = cmsisNnClassSums(cls)!;
      const mix = profileClassMix('cortex-m4', 'optimized', cls)!;
      expect(mix.mul).toBeCloseTo(sums.mul / sums.instructions, 12);
      expect(mix.flashLoads).toBeCloseTo(sums.flashLoads / sums.instructions, 12);
      expect(mix).not.toEqual(classMix('qemu-mps2-an386-unpacked', cls));
    }
    expect(profileClassMix('cortex-m4', 'optimized', 'softmax')).toEqual(classMix('qemu-mps2-an386-unpacked', 'softmax'));
    // tinyforge's own profile keeps its own measured build.
    expect(profileClassMix('cortex-m4', 'tinyforge', 'conv')).toEqual(classMix('qemu-mps2-an386', 'conv'));
  });
});
