// Loads the cost model's data files (kernel-profiles.json, cores/<id>.json): coefficients live there,
// with their sources, not in code.
import { z } from 'zod';
import { CORE_IDS, type CoreId } from '../../targets/boards/board-schema.ts';
import { simulatorDataFile } from '../data-file.ts';
import { KERNEL_CLASSES } from './kernel-class.ts';

export const PROFILE_IDS = ['tinyforge', 'optimized', 'portable-c', 'tflm-reference'] as const;
export type ProfileId = (typeof PROFILE_IDS)[number];

const nonneg = z.number().nonnegative();
const Coefficients = z.strictObject({
  perCall: nonneg.optional(),
  perMac: nonneg.optional(),
  perOutput: nonneg.optional(),
  /** Output positions (outputs / channels): the per-pixel loop setup of convolutions. */
  perPixel: nonneg.optional(),
  /** Filter taps over all output pixels (SimStep.taps): an im2col copy per tap. */
  perTap: nonneg.optional(),
  perByteRead: nonneg.optional(),
  perByteWritten: nonneg.optional(),
});
export type Coefficients = z.infer<typeof Coefficients>;

const classShape = Object.fromEntries(KERNEL_CLASSES.map((c) => [c, Coefficients])) as Record<(typeof KERNEL_CLASSES)[number], typeof Coefficients>;

const Profile = z.strictObject({
  description: z.string(),
  /** Weight bytes fetched per MAC (2 output columns per load halves it). */
  weightBytesPerMac: nonneg,
  /** Startup, main loop, I/O protocol, libraries: code independent of the model. */
  frameworkCodeBytes: z.number().int().nonnegative(),
  /** The generated function that calls the kernels in order. */
  invokeCode: z.strictObject({ fixedBytes: z.number().int().nonnegative(), perStepBytes: z.number().int().nonnegative() }),
  classes: z.strictObject(classShape),
  /**
   * How the code a profile stands for runs an op differently from tinyforge's kernel choice (profile-kernel-class.ts):
   * a CONV_2D over one input channel costed as another class.
   */
  lowering: z.strictObject({ convOneInputChannel: z.enum(KERNEL_CLASSES) }).optional(),
  /** By kernel name or, failing that, op type. */
  codeBytes: z.record(z.string(), z.number().int().nonnegative()),
  /** Functions shared by several kernels, counted once. */
  helpers: z.record(z.string(), z.strictObject({
    bytes: z.number().int().nonnegative(),
    usedBy: z.array(z.string()),
    /** Compiled only with the Arm DSP extension and linked only when the model has a packed matmul layer. */
    dspPacked: z.boolean().optional(),
  })),
});
export type KernelProfile = z.infer<typeof Profile>;

const ProfilesFile = z.strictObject({
  description: z.string(),
  referenceCore: z.enum(CORE_IDS),
  profiles: z.strictObject(Object.fromEntries(PROFILE_IDS.map((p) => [p, Profile])) as Record<ProfileId, typeof Profile>),
  sources: z.record(z.string(), z.string()),
});

const CoreProfile = z.strictObject({
  /**
   * Cycles per instruction, an older fitted figure: kernel cycles use it only on cores without an
   * `instructionCycles` table (the others: measured instruction classes × that table, step-cost.ts), and for the
   * audio front end on those cores only (stream/frontend-cost.ts).
   */
  cpi: z.number().positive(),
  /** Instruction count relative to the reference core's, per kernel class (`default` for the rest). */
  scale: z.record(z.string(), z.number().positive()).refine((s) => s.default !== undefined, 'needs a default scale'),
  /** Coefficients measured on this core itself, by class: used as they are instead of scaling. */
  classes: z.partialRecord(z.enum(KERNEL_CLASSES), Coefficients).optional(),
  /**
   * `class-mix`: the instruction scale is measured, not `scale`: per kernel class, the instructions QEMU counted for
   * this core's own build over those of the reference core's build for the profile, pooled over the corpus
   * (class-mix.json; simulator/cost/class-mix.ts measuredScale). `scale` then documents the older estimate only.
   */
  scaleFrom: z.literal('class-mix').optional(),
});
/** Cycles per instruction of each class the QEMU plugin counts (targets/qemu/plugin/insn-class.h), zero wait states. */
const InstructionCycles = z.strictObject({
  load: nonneg,
  loadPipelined: nonneg,
  /** LDM/POP/LDRD: a base cost per instruction plus one per word loaded (the plugin counts the words). */
  loadMultiple: nonneg,
  perLoadedWord: nonneg,
  store: nonneg,
  /** STM/PUSH/STRD: a base cost per instruction plus one per word stored (the plugin counts the words). */
  storeMultiple: nonneg,
  perStoredWord: nonneg,
  mul: nonneg,
  div: nonneg,
  branchTaken: nonneg,
  branchNotTaken: nonneg,
  other: nonneg,
  /** Where each number comes from (document and section), or why it is an assumption. */
  sources: z.record(z.string(), z.string()),
});
export type InstructionCycles = z.infer<typeof InstructionCycles>;

const CoreFile = z.strictObject({
  id: z.enum(CORE_IDS),
  name: z.string(),
  isa: z.string(),
  codeSizeScale: z.number().positive(),
  profiles: z.strictObject(Object.fromEntries(PROFILE_IDS.map((p) => [p, CoreProfile])) as Record<ProfileId, typeof CoreProfile>),
  /** Per instruction class, for estimates from QEMU's class counts (`run --count --cycles`). */
  instructionCycles: InstructionCycles.optional(),
  sources: z.record(z.string(), z.string()),
});
export type CoreModel = z.infer<typeof CoreFile>;

/** A simulator data file, checked against its schema: a clear error naming the file and the field otherwise. */
export function parseFile<T>(schema: z.ZodType<T>, relPath: string): T {
  const file = simulatorDataFile(relPath);
  if (!file) throw new Error(`cost data simulator/${relPath} is missing`);
  const r = schema.safeParse(file.json);
  if (!r.success) {
    throw new Error(`invalid cost data ${file.origin}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return r.data;
}

let profilesCache: z.infer<typeof ProfilesFile> | undefined;
export function kernelProfiles(): z.infer<typeof ProfilesFile> {
  return (profilesCache ??= parseFile(ProfilesFile, 'cost/kernel-profiles.json'));
}

const coreCache = new Map<CoreId, CoreModel>();
export function coreModel(id: CoreId): CoreModel {
  let c = coreCache.get(id);
  if (!c) {
    c = parseFile(CoreFile, `cost/cores/${id}.json`);
    if (c.id !== id) throw new Error(`cost data cores/${id}.json declares id ${c.id}`);
    coreCache.set(id, c);
  }
  return c;
}
