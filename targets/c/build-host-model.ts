// Builds the generated C of a model into a program for the build machine (targets/c/host/host-main.c), with
// optional sanitizers: the generated code and kernels checked by ASan/UBSan outside any emulator.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CompiledModel } from '../../compiler/compile-model.ts';
import { C_KERNELS_DIR, kernelSources, writeModelSources } from '../firmware/model-firmware.ts';
import { compileHostProgram } from '../toolchain/compile-host-program.ts';

const hostMain = join(dirname(fileURLToPath(import.meta.url)), 'host', 'host-main.c');

export interface HostModelBuild {
  executable: string;
  inputBytes: number;
  outputBytes: number;
}

export async function buildHostModel(
  model: CompiledModel,
  outDir: string,
  options: { sanitize?: boolean; name?: string } = {},
): Promise<HostModelBuild> {
  const srcDir = join(outDir, 'src');
  const emitted = writeModelSources(model, srcDir, [], options.name);
  const executable = join(outDir, 'model-host');
  await compileHostProgram({ sources: [hostMain, join(srcDir, 'model.c'), ...kernelSources(emitted.kernels)], includeDirs: [srcDir, C_KERNELS_DIR], executable, sanitize: options.sanitize, what: 'the generated C' });
  return { executable, inputBytes: emitted.inputBytes, outputBytes: emitted.outputBytes };
}
