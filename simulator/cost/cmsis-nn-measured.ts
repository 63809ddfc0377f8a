// CMSIS-NN's own instruction counts and classes per corpus layer (cost/cmsis-nn-measured.json): measured under QEMU
// beside the project (no CMSIS-NN code is in this repository; the file's provenance says which CMSIS-NN files and
// commits, compiler, flags and QEMU). The `optimized` profile's coefficients are fitted on it
// (bench/fit-optimized-profile.ts) and its class mix is pooled from it, for the kernel classes it covers.
import { z } from 'zod';
import { simulatorDataFile } from '../data-file.ts';
import { KERNEL_CLASSES, type KernelClass } from './kernel-class.ts';
import { SUM_FIELDS_LIST } from './class-sum-fields.ts';

const count = z.number().int().nonnegative();
const CLASS_FIELDS = SUM_FIELDS_LIST.filter((f): f is Exclude<typeof f, 'calls' | 'instructions'> => f !== 'calls' && f !== 'instructions');
const Classes = z.strictObject(Object.fromEntries(CLASS_FIELDS.map((f) => [f, count])) as Record<(typeof CLASS_FIELDS)[number], typeof count>);
const Layer = z.strictObject({
  step: count,
  opIndex: count,
  opType: z.string(),
  /** The CMSIS-NN function CMSIS-NN's wrapper picks for this layer. */
  cmsisNn: z.string(),
  kernelClass: z.enum(KERNEL_CLASSES),
  calls: count,
  macs: count,
  outputs: count,
  pixels: count,
  /** Filter taps over all output pixels (SimStep.taps). */
  taps: count,
  bytesRead: count,
  bytesWritten: count,
  instructions: count,
  classes: Classes,
});
/** The same shape as class-mix.ts's ClassSumsData (declared here: class-mix.ts imports this file). */
export type ClassSumsData = Record<(typeof SUM_FIELDS_LIST)[number], number>;
export type CmsisNnLayer = z.infer<typeof Layer>;
const File = z.strictObject({
  description: z.string(),
  provenance: z.strictObject({
    cmsisNnFiles: z.array(z.strictObject({ repo: z.string(), path: z.string(), commit: z.string().regex(/^[0-9a-f]{40}$/), revision: z.string(), use: z.string() })),
    compiler: z.string(),
    flags: z.array(z.string()),
    qemu: z.string(),
    date: z.string(),
    harness: z.string(),
  }),
  models: z.record(z.string(), z.array(Layer)),
});
export type CmsisNnMeasuredFile = z.infer<typeof File>;

let cache: CmsisNnMeasuredFile | undefined;
export function cmsisNnMeasured(): CmsisNnMeasuredFile {
  if (cache) return cache;
  const file = simulatorDataFile('cost/cmsis-nn-measured.json');
  if (!file) throw new Error('cost data simulator/cost/cmsis-nn-measured.json is missing');
  const r = File.safeParse(file.json);
  if (!r.success) throw new Error(`invalid ${file.origin}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return (cache = r.data);
}

/** Every measured layer of the corpus, with its model's name. */
export function cmsisNnLayers(): (CmsisNnLayer & { model: string })[] {
  return Object.entries(cmsisNnMeasured().models).flatMap(([model, layers]) => layers.map((l) => ({ ...l, model })));
}

const sumsCache = new Map<string, ClassSumsData | undefined>();
/** One kernel class's measured CMSIS-NN calls summed over the corpus; undefined for a class not measured. */
export function cmsisNnClassSums(kernelClass: KernelClass | string): ClassSumsData | undefined {
  if (sumsCache.has(kernelClass)) return sumsCache.get(kernelClass);
  const layers = cmsisNnLayers().filter((l) => l.kernelClass === kernelClass);
  let sums: ClassSumsData | undefined;
  if (layers.length) {
    sums = Object.fromEntries(SUM_FIELDS_LIST.map((f) => [f, 0])) as ClassSumsData;
    for (const l of layers) {
      sums.calls += l.calls;
      sums.instructions += l.instructions;
      for (const f of CLASS_FIELDS) sums[f] += l.classes[f];
    }
  }
  sumsCache.set(kernelClass, sums);
  return sums;
}
