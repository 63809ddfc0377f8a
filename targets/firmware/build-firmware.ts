// Compiles and links a firmware image for one board from generated model sources plus the project's
// startup, board and protocol code; writes firmware.elf/.bin/.hex and reads the section sizes.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createRequire } from 'node:module';
import { findCrossToolchain, type CrossToolchain } from '../toolchain/find-toolchain.ts';
import type { FirmwareTarget } from './firmware-targets.ts';
import { readSectionSizes, type SectionSizes } from './section-sizes.ts';

const execFileAsync = promisify(execFile);
// nrf-intel-hex is CommonJS whose typings declare an ES default export: load it as what it is.
const MemoryMap = createRequire(import.meta.url)('nrf-intel-hex') as typeof import('nrf-intel-hex').default;
export const FIRMWARE_DIR = dirname(fileURLToPath(import.meta.url));

export class FirmwareBuildError extends Error {
  override name = 'FirmwareBuildError';
}

export interface FirmwareSources {
  /** C files of the model (model.c, selftest-vectors.c) and its kernels. */
  sources: string[];
  /** Directories with model.h and the kernel headers. */
  includeDirs: string[];
}

export interface FirmwareBuildOptions {
  target: FirmwareTarget;
  outDir: string;
  /** Call the instruction-count markers around the inference and after each kernel call. */
  profile?: boolean;
  optimize?: '-O2' | '-Os' | '-O3';
  /** Stack reserved by the linker script (default 16 KiB). */
  stackBytes?: number;
}

export interface FirmwareImage {
  elf: string;
  bin: string;
  hex: string;
  sizes: SectionSizes;
  toolchain: CrossToolchain;
  /** Marker function addresses for the instruction-count plugin (present when built with profile). */
  markers?: { begin: number; op: number; end: number };
}

function boardSources(target: FirmwareTarget): { sources: string[]; includeDirs: string[]; linkerDirs: string[] } {
  const common = ['main.c', 'selftest-run.c', 'serial-protocol.c', 'profile-markers.c'].map((f) => join(FIRMWARE_DIR, 'common', f));
  const board = join(FIRMWARE_DIR, 'boards', target.id, 'board.c');
  if (target.arch === 'arm') {
    return {
      sources: [join(FIRMWARE_DIR, 'cortex-m', 'startup.c'), board, ...common],
      includeDirs: [join(FIRMWARE_DIR, 'common'), join(FIRMWARE_DIR, 'cortex-m')],
      linkerDirs: [join(FIRMWARE_DIR, 'cortex-m')],
    };
  }
  return {
    sources: [join(FIRMWARE_DIR, 'riscv', 'start.S'), join(FIRMWARE_DIR, 'riscv', 'c-start.c'), board, ...common],
    includeDirs: [join(FIRMWARE_DIR, 'common')],
    linkerDirs: [join(FIRMWARE_DIR, 'riscv')],
  };
}

async function run(tool: string, args: string[], what: string): Promise<string> {
  try {
    const { stdout } = await execFileAsync(tool, args, { maxBuffer: 64 << 20 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    const detail = (e.stderr ?? e.message).trim().split('\n').slice(0, 30).join('\n');
    throw new FirmwareBuildError(`${what} failed:\n${detail}`);
  }
}

/** Everything a compiler needs to build the firmware, as files and flags: `buildFirmware` runs it, the CMake
 * export (targets/export/cmake-project.ts) writes it into a CMakeLists.txt. */
export interface FirmwareRecipe {
  /** C and assembly sources: the board's startup, board.c, main.c and the rest of common/, then the model's. */
  sources: string[];
  includeDirs: string[];
  /** Flags for every compile (core, optimization, warnings, freestanding). */
  compileFlags: string[];
  /** Flags for the link only, besides the linker script and the C library. */
  linkFlags: string[];
  /** Directories the linker script INCLUDEs from, and the board's script. */
  linkerDirs: string[];
  linkerScript: string;
}

export function firmwareRecipe(model: FirmwareSources, options: Omit<FirmwareBuildOptions, 'outDir'>): FirmwareRecipe {
  const { target } = options;
  const board = boardSources(target);
  return {
    sources: [...board.sources, ...model.sources],
    includeDirs: [...model.includeDirs, ...board.includeDirs],
    compileFlags: [
      ...target.cpuFlags,
      options.optimize ?? '-O2',
      '-std=c99',
      // Float kernels (quantize, mean) must round like the WASM runtime: no fused multiply-add.
      '-ffp-contract=off',
      '-g',
      '-ffreestanding',
      '-nostartfiles',
      '-ffunction-sections',
      '-fdata-sections',
      '-Wall',
      '-Wextra',
      '-Werror=implicit-function-declaration',
      ...(options.profile ? ['-DTF_PROFILE'] : []),
    ],
    linkFlags: [
      ...(target.arch === 'riscv' ? ['-nostdlib'] : []),
      '-Wl,--gc-sections',
      ...(options.stackBytes !== undefined ? [`-Wl,--defsym=__stack_size=${options.stackBytes}`] : []),
    ],
    linkerDirs: board.linkerDirs,
    linkerScript: join(FIRMWARE_DIR, 'boards', target.id, 'memory.ld'),
  };
}

export async function buildFirmware(model: FirmwareSources, options: FirmwareBuildOptions): Promise<FirmwareImage> {
  const { target, outDir } = options;
  const toolchain = findCrossToolchain(target.arch);
  const recipe = firmwareRecipe(model, options);
  mkdirSync(outDir, { recursive: true });
  const elf = join(outDir, 'firmware.elf');
  const args = [
    ...recipe.compileFlags,
    ...toolchain.includeFlags,
    ...recipe.includeDirs.map((d) => `-I${d}`),
    ...recipe.sources,
    ...recipe.linkFlags,
    ...recipe.linkerDirs.map((d) => `-L${d}`),
    '-T',
    recipe.linkerScript,
    ...toolchain.linkLibraries,
    '-o',
    elf,
  ];
  await run(toolchain.gcc, args, `${target.id}: compiling firmware with ${toolchain.gcc}`);
  const bin = join(outDir, 'firmware.bin');
  await run(toolchain.objcopy, ['-O', 'binary', elf, bin], 'objcopy');
  const sizes = readSectionSizes(toolchain.size, elf);
  const hex = join(outDir, 'firmware.hex');
  const image = new MemoryMap([[sizes.flashBase, new Uint8Array(readFileSync(bin))]]);
  writeFileSync(hex, image.asHexString());
  const result: FirmwareImage = { elf, bin, hex, sizes, toolchain };
  if (options.profile) result.markers = await markerAddresses(toolchain, elf);
  return result;
}

async function markerAddresses(toolchain: CrossToolchain, elf: string): Promise<{ begin: number; op: number; end: number }> {
  const symbols = new Map<string, number>();
  for (const line of (await run(toolchain.nm, [elf], 'nm')).split('\n')) {
    const [addr, , name] = line.trim().split(/\s+/);
    if (name) symbols.set(name, parseInt(addr, 16));
  }
  const get = (name: string) => {
    const a = symbols.get(name);
    if (a === undefined) throw new FirmwareBuildError(`${elf}: marker ${name} missing`);
    return (a & ~1) >>> 0; // a Thumb symbol's low bit marks the instruction set, not the address
  };
  return { begin: get('tf_mark_invoke_begin'), op: get('tf_mark_op_end'), end: get('tf_mark_invoke_end') };
}
