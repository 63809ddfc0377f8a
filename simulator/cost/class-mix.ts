// The measured instruction-class mix of each kernel class (cost/class-mix.json, written by bench/class-profiles.ts
// from QEMU runs of the corpus models): what fraction of a kernel class's instructions are loads, pipelined loads,
// multiples, multiplies, taken branches…, per ISA. The simulator multiplies it by a core's cycles per class.
import { z } from 'zod';
import type { CoreId } from '../../targets/boards/board-schema.ts';
import { simulatorDataFile } from '../data-file.ts';
import { SUM_FIELDS_LIST } from './class-sum-fields.ts';

export const CLASS_MIX_TARGETS = ['qemu-mps2-an386', 'qemu-mps2-an386-unpacked', 'qemu-mps2-an386-plain', 'qemu-riscv32'] as const;
export type ClassMixTarget = (typeof CLASS_MIX_TARGETS)[number];
/** How each is measured: the QEMU board, and code generation in place of the board's own. */
export const CLASS_MIX_BUILDS: Record<ClassMixTarget, { board: 'qemu-mps2-an386' | 'qemu-riscv32'; cpuFlags?: string[] }> = {
  'qemu-mps2-an386': { board: 'qemu-mps2-an386' },
  // The DSP path without the compile-time packed weights (tf_matmul_packed_s8): inputs widened to 16 bits and SMLAD
  // over 2x2 blocks, the idiom CMSIS-NN's convolutions use — what `optimized` stands for.
  'qemu-mps2-an386-unpacked': { board: 'qemu-mps2-an386', cpuFlags: ['-mcpu=cortex-m4', '-mthumb', '-mfloat-abi=hard', '-mfpu=fpv4-sp-d16', '-DTF_NO_PACKED_MATMUL'] },
  // The same kernels built for Cortex-M3 (no DSP extension): their plain C path, what `portable-c` stands for.
  'qemu-mps2-an386-plain': { board: 'qemu-mps2-an386', cpuFlags: ['-mcpu=cortex-m3', '-mthumb', '-mfloat-abi=soft'] },
  'qemu-riscv32': { board: 'qemu-riscv32' },
};
/** The corpus models measured (every model of tests/corpus with a TFLM golden). */
export const CLASS_MIX_MODELS = ['kws_ref_model', 'vww_96_int8', 'pretrainedResnet_quant', 'ad01_int8', 'micro_speech_quantized', 'hello_world_int8'] as const;

const count = z.number().int().nonnegative();
const Sums = z.strictObject(Object.fromEntries(SUM_FIELDS_LIST.map((f) => [f, count])) as Record<(typeof SUM_FIELDS_LIST)[number], typeof count>);
export type ClassSumsData = z.infer<typeof Sums>;
const ClassMixSchema = z.strictObject({
  description: z.string(),
  sources: z.record(z.string(), z.string()),
  targets: z.partialRecord(z.enum(CLASS_MIX_TARGETS), z.strictObject({ models: z.record(z.string(), z.record(z.string(), Sums)) })),
});
export type ClassMixFile = z.infer<typeof ClassMixSchema>;

/**
 * Which measured code stands for a core's instruction stream under a kernel profile: Thumb-2 for every Cortex-M
 * (tinyforge: the DSP path as built, packed weights included; optimized: the DSP path without the packed weights,
 * whose widen-then-SMLAD blocks are CMSIS-NN's idiom — CMSIS-NN itself is not built here —; the plain C path for
 * portable-c and tflm-reference), RV32IMC for the ESP32-C3.
 */
export function classMixTarget(core: CoreId, profile: string = 'tinyforge'): ClassMixTarget | undefined {
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

const mixCache = new Map<string, ClassMix>();
/**
 * The mix of one kernel class on one ISA: every corpus call of that class pooled (instruction-weighted). A class
 * no corpus model has (activation, quantize, reduce…) takes the pool of all calls.
 */
export function classMix(target: ClassMixTarget, kernelClass: string): ClassMix {
  const key = `${target}/${kernelClass}`;
  const hit = mixCache.get(key);
  if (hit) return hit;
  const models = classMixFile().targets[target]?.models ?? {};
  const pool = (pick: (cls: string) => boolean) => {
    const total = Object.fromEntries(SUM_FIELDS_LIST.map((f) => [f, 0])) as ClassSumsData;
    for (const m of Object.values(models)) for (const [cls, s] of Object.entries(m)) if (pick(cls)) for (const f of SUM_FIELDS_LIST) total[f] += s[f];
    return total;
  };
  let sums = pool((c) => c === kernelClass);
  if (sums.instructions === 0) sums = pool(() => true);
  if (sums.instructions === 0) throw new Error(`simulator/cost/class-mix.json has no measurements for ${target}`);
  const mix = Object.fromEntries(SUM_FIELDS_LIST.filter((f) => f !== 'calls' && f !== 'instructions').map((f) => [f, sums[f] / sums.instructions])) as ClassMix;
  mixCache.set(key, mix);
  return mix;
}
