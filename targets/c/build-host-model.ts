// Builds the generated C of a model into a program for the build machine (targets/c/host/host-main.c), with
// optional sanitizers: the generated code and kernels checked by ASan/UBSan outside any emulator.
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { CompiledModel } from '../../compiler/compile-model.ts';
import { C_KERNELS_DIR, kernelSources, writeModelSources } from '../firmware/model-firmware.ts';
import { findHostCompiler } from '../toolchain/find-toolchain.ts';

const execFileAsync = promisify(execFile);
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
  const args = [
    '-std=c99', '-ffp-contract=off', '-O1', '-g', '-Wall', '-Wextra', '-Werror',
    ...(options.sanitize ? ['-fsanitize=address,undefined', '-fno-sanitize-recover=all', '-fno-omit-frame-pointer'] : []),
    `-I${srcDir}`, `-I${C_KERNELS_DIR}`,
    hostMain, join(srcDir, 'model.c'), ...kernelSources(emitted.kernels),
    '-o', executable,
  ];
  try {
    await execFileAsync(findHostCompiler(), args, { maxBuffer: 16 << 20 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`host build of the generated C failed:\n${(e.stderr ?? e.message).trim().split('\n').slice(0, 30).join('\n')}`);
  }
  return { executable, inputBytes: emitted.inputBytes, outputBytes: emitted.outputBytes };
}
