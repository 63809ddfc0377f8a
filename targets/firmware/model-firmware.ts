// From a compiled model to a firmware image for a board: generated model.c/model.h and self-test vectors
// written next to the image (src/), linked with the C kernels the model calls and the board's startup code.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CompiledModel } from '../../compiler/compile-model.ts';
import { emitModelC, type EmitCOptions, type EmittedModelC } from '../../compiler/emit/c/emit-model-c.ts';
import { emitSelftestC, type SelftestVector } from '../../compiler/emit/c/emit-selftest-c.ts';
import { buildFirmware, FirmwareBuildError, type FirmwareImage, type FirmwareSources } from './build-firmware.ts';
import type { FirmwareTarget } from './firmware-targets.ts';

export const C_KERNELS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'c', 'kernels');

/** The kernel files a model needs: one `<kernel>.c` per called kernel plus the shared `tf_*.c` helpers. */
export function kernelSources(kernels: readonly string[]): string[] {
  const missing = kernels.filter((k) => !existsSync(join(C_KERNELS_DIR, `${k}.c`)));
  if (missing.length) {
    throw new FirmwareBuildError(`no C kernel for ${missing.join(', ')} in targets/c/kernels/; the firmware cannot run this model yet`);
  }
  const helpers = readdirSync(C_KERNELS_DIR).filter((f) => f.startsWith('tf_') && f.endsWith('.c'));
  return [...kernels.map((k) => `${k}.c`), ...helpers].map((f) => join(C_KERNELS_DIR, f));
}

/** Writes model.h, model.c and selftest-vectors.c into `srcDir`. */
export function writeModelSources(
  model: CompiledModel, srcDir: string, vectors: readonly SelftestVector[], name?: string, emitOptions?: EmitCOptions,
): EmittedModelC {
  const emitted = emitModelC(model, name, emitOptions);
  mkdirSync(srcDir, { recursive: true });
  writeFileSync(join(srcDir, 'model.h'), emitted.header);
  writeFileSync(join(srcDir, 'model.c'), emitted.source);
  writeFileSync(join(srcDir, 'selftest-vectors.c'), emitSelftestC(vectors, emitted.inputBytes, emitted.outputBytes));
  return emitted;
}

export interface ModelFirmwareOptions {
  target: FirmwareTarget;
  outDir: string;
  selftest: readonly SelftestVector[];
  name?: string;
  profile?: boolean;
  optimize?: '-O2' | '-Os' | '-O3';
  stackBytes?: number;
}

export interface ModelFirmware {
  image: FirmwareImage;
  emitted: EmittedModelC;
  srcDir: string;
}

/** The model's part of a firmware build: writes model.h, model.c and selftest-vectors.c into `srcDir` and names
 * them with the kernels they call. `buildModelFirmware` compiles it; `tinyforge export` copies it into a project. */
export function modelFirmwareSources(model: CompiledModel, srcDir: string, vectors: readonly SelftestVector[], name?: string): FirmwareSources & { emitted: EmittedModelC } {
  const emitted = writeModelSources(model, srcDir, vectors, name);
  return {
    sources: [join(srcDir, 'model.c'), join(srcDir, 'selftest-vectors.c'), ...kernelSources(emitted.kernels)],
    includeDirs: [srcDir, C_KERNELS_DIR],
    emitted,
  };
}

export async function buildModelFirmware(model: CompiledModel, options: ModelFirmwareOptions): Promise<ModelFirmware> {
  const srcDir = join(options.outDir, 'src');
  const { emitted, ...sources } = modelFirmwareSources(model, srcDir, options.selftest, options.name);
  const image = await buildFirmware(
    sources,
    { target: options.target, outDir: options.outDir, profile: options.profile, optimize: options.optimize, stackBytes: options.stackBytes },
  );
  return { image, emitted, srcDir };
}
