// The measured instruction-class mix of each kernel class (cost/class-mix.json, written by bench/class-profiles.ts
// from QEMU runs of the corpus models): what fraction of a kernel class's instructions are loads, pipelined loads,
// multiples, multiplies, taken branches…, per ISA. The simulator multiplies it by a core's cycles per class.
import { z } from 'zod';
import type { CoreId } from '../../targets/boards/board-schema.ts';
import { simulatorDataFile } from '../data-file.ts';
import { SUM_FIELDS_LIST } from './class-sum-fields.ts';
import { cmsisNnClassSums } from './cmsis-nn-measured.ts';

export const CLASS_MIX_TARGETS = ['qemu-mps2-an386', 'qemu-mps2-an386-unpacked', 'qemu-mps2-an386-plain', 'qemu-mps2-an385-armv6m', 'qemu-riscv32'] as const;
export type ClassMixTarget = (typeof CLASS_MIX_TARGETS)[number];
/** How each is measured: the QEMU board, code generation in place of the board's own, and another QEMU machine
 * with that board's memory map and UART (mps2-an385: a Cortex-M3 CPU). */
export const CLASS_MIX_BUILDS: Record<ClassMixTarget, { board: 'qemu-mps2-an386' | 'qemu-riscv32'; cpuFlags?: string[]; machine?: string }> = {
  'qemu-mps2-an386': { board: 'qemu-mps2-an386' },
  // The DSP path without the compile-time packed weights (tf_matmul_packed_s8): inputs widened to 16 bits and SMLAD
  // over 2x2 blocks, the idiom CMSIS-NN's convolutions use — what `optimized` stands for.
  'qemu-mps2-an386-unpacked': { board: 'qemu-mps2-an386', cpuFlags: ['-mcpu=cortex-m4', '-mthumb', '-mfloat-abi=hard', '-mfpu=fpv4-sp-d16', '-DTF_NO_PACKED_MATMUL'] },
  // The same kernels built for Cortex-M3 (no DSP extension): their plain C path, what `portable-c` stands for, and
  // what a Cortex-M3 runs under every profile. Run on QEMU's Cortex-M3 machine (mps2-an385), which faults on any
  // DSP or FPU instruction; the counts equal those of the same ELF on mps2-an386, whose name the key keeps.
  'qemu-mps2-an386-plain': { board: 'qemu-mps2-an386', cpuFlags: ['-mcpu=cortex-m3', '-mthumb', '-mfloat-abi=soft'], machine: 'mps2-an385' },
  // The same kernels built for Cortex-M0+ (Armv6-M, Thumb-1: 8 low registers, no MLA, no divide, no IT blocks): what
  // a Cortex-M0+ (RP2040) runs. QEMU has no Cortex-M0+ machine with enough RAM (microbit, a Cortex-M0, has 16 KB):
  // Armv6-M is a subset of Armv7-M, so the Cortex-M3 of mps2-an385 executes the same instructions one for one.
  'qemu-mps2-an385-armv6m': { board: 'qemu-mps2-an386', cpuFlags: ['-mcpu=cortex-m0plus', '-mthumb', '-mfloat-abi=soft'], machine: 'mps2-an385' },
  'qemu-riscv32': { board: 'qemu-riscv32' },
};
/** The corpus models measured (every model of tests/corpus with a TFLM golden). */
export const CLASS_MIX_MODELS = ['kws_ref_model', 'vww_96_int8', 'pretrainedResnet_quant', 'ad01_int8', 'micro_speech_quantized', 'hello_world_int8'] as const;

const count = z.number().int().nonnegative();
/** One measurement's sums by class (`calls`, `instructions`, the plugin's classes): class-mix.json's and
 * stream/frontend-classes.json's entries. */
export const ClassSumsSchema = z.strictObject(Object.fromEntries(SUM_FIELDS_LIST.map((f) => [f, count])) as Record<(typeof SUM_FIELDS_LIST)[number], typeof count>);
export type ClassSumsData = z.infer<typeof ClassSumsSchema>;
const ClassMixSchema = z.strictObject({
  description: z.string(),
  sources: z.record(z.string(), z.string()),
  targets: z.partialRecord(z.enum(CLASS_MIX_TARGETS), z.strictObject({ models: z.record(z.string(), z.record(z.string(), ClassSumsSchema)) })),
});
export type ClassMixFile = z.infer<typeof ClassMixSchema>;

/**
 * Which measured code stands for a core's instruction stream under a kernel profile: Thumb-2 for the Cortex-M cores
 * with the DSP extension (tinyforge: the DSP path as built, packed weights included; optimized: the DSP path without
 * the packed weights, whose widen-then-SMLAD blocks are CMSIS-NN's idiom, for the kernel classes CMSIS-NN's own
 * measurements (cmsis-nn-measured.json, profileClassMix) do not cover; the
 * plain C path for portable-c and tflm-reference), the plain C path built for Cortex-M3 on the Cortex-M3 (no DSP
 * extension: CMSIS-NN too falls back to C there), the Armv6-M build on the Cortex-M0+, RV32IMC for the ESP32-C3.
 */
export function classMixTarget(core: CoreId, profile: string = 'tinyforge'): ClassMixTarget | undefined {
  if (core === 'cortex-m3') return 'qemu-mps2-an386-plain';
  if (core === 'cortex-m0plus') return 'qemu-mps2-an385-armv6m';
  if (core.startsWith('cortex-m')) {
    if (profile === 'portable-c' || profile === 'tflm-reference') return 'qemu-mps2-an386-plain';
    return profile === 'optimized' ? 'qemu-mps2-an386-unpacked' : 'qemu-mps2-an386';
  }
  if (core === 'rv32imc') return 'qemu-riscv32';
  return undefined;
}

export function formatClassMixFile(f: ClassMixFile): string {
  return `${JSON.stringify(f, null, 1)}\n`;
}

let cache: ClassMixFile | undefined;
export function classMixFile(): ClassMixFile {
  if (cache) return cache;
  const file = simulatorDataFile('cost/class-mix.json');
  if (!file) throw new Error('cost data simulator/cost/class-mix.json is missing (npm run profiles:classes writes it)');
  const r = ClassMixSchema.safeParse(file.json);
  if (!r.success) throw new Error(`invalid ${file.origin}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return (cache = r.data);
}

/** Per instruction: the fraction of each class, plus memory accesses (flash and SRAM loads, stored words). */
export type ClassMix = Omit<ClassSumsData, 'calls' | 'instructions'>;

/** Every corpus call of one kernel class on one measured build, summed; a class no corpus model has (activation,
 * quantize, reduce…) takes the sum of all calls. */
function pooledSums(target: ClassMixTarget, kernelClass: string): ClassSumsData {
  const models = classMixFile().targets[target]?.models ?? {};
  const pool = (pick: (cls: string) => boolean) => {
    const total = Object.fromEntries(SUM_FIELDS_LIST.map((f) => [f, 0])) as ClassSumsData;
    for (const m of Object.values(models)) for (const [cls, s] of Object.entries(m)) if (pick(cls)) for (const f of SUM_FIELDS_LIST) total[f] += s[f];
    return total;
  };
  const sums = pool((c) => c === kernelClass);
  return sums.instructions === 0 ? pool(() => true) : sums;
}

const mixCache = new Map<string, ClassMix>();
/**
 * The mix of one kernel class on one ISA: every corpus call of that class pooled (instruction-weighted). A class
 * no corpus model has (activation, quantize, reduce…) takes the pool of all calls.
 */
export function classMix(target: ClassMixTarget, kernelClass: string): ClassMix {
  const key = `${target}/${kernelClass}`;
  const hit = mixCache.get(key);
  if (hit) return hit;
  const sums = pooledSums(target, kernelClass);
  if (sums.instructions === 0) throw new Error(`simulator/cost/class-mix.json has no measurements for ${target}`);
  const mix = mixOf(sums);
  mixCache.set(key, mix);
  return mix;
}

/**
 * The mix the simulator costs a kernel class with on a core under a profile: under `optimized` on the Cortex-M cores
 * with the DSP extension, CMSIS-NN's own measured classes (cmsis-nn-measured.json, every measured corpus layer of the
 * class pooled) where that class was measured; otherwise the measured build classMixTarget names. Undefined when the
 * core has no measured ISA.
 */
export function profileClassMix(core: CoreId, profile: string, kernelClass: string): ClassMix | undefined {
  const target = classMixTarget(core, profile);
  if (!target) return undefined;
  if (profile === 'optimized' && target === 'qemu-mps2-an386-unpacked') {
    const sums = cmsisNnClassSums(kernelClass);
    if (sums) return mixOf(sums);
  }
  return classMix(target, kernelClass);
}

function mixOf(sums: ClassSumsData): ClassMix {
  return Object.fromEntries(SUM_FIELDS_LIST.filter((f) => f !== 'calls' && f !== 'instructions').map((f) => [f, sums[f] / sums.instructions])) as ClassMix;
}

const scaleCache = new Map<string, number>();
/**
 * Instructions of a core's own build relative to the reference core's (Cortex-M4) build for a profile, for one
 * kernel class: both measured under QEMU on the same corpus calls (class-mix.json), pooled. A class no corpus model
 * has takes the ratio of all calls. A ratio of measurements, nothing fitted.
 */
export function measuredScale(core: CoreId, profile: string, kernelClass: string): number {
  const target = classMixTarget(core, profile);
  const reference = classMixTarget('cortex-m4', profile);
  if (!target || !reference) throw new Error(`no measured build stands for ${core} under --kernels ${profile}`);
  const key = `${target}/${reference}/${kernelClass}`;
  const hit = scaleCache.get(key);
  if (hit !== undefined) return hit;
  const ratio = pooledSums(target, kernelClass).instructions / pooledSums(reference, kernelClass).instructions;
  scaleCache.set(key, ratio);
  return ratio;
}
