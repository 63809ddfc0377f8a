// Compiles and links a firmware image for one board from generated model sources plus the project's
// startup, board and protocol code; writes firmware.elf/.bin/.hex and reads the section sizes. For a board whose
// ROM boots an ESP image (ESP32-C3), firmware.bin is that image and firmware.hex holds it at flash offset 0.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createRequire } from 'node:module';
import { findCrossToolchain, type CrossToolchain } from '../toolchain/find-toolchain.ts';
import { elf32LoadSegments } from '../flash/image/elf32-segments.ts';
import { writeEspImage } from './esp/write-esp-image.ts';
import type { EspImageTarget, FirmwareTarget } from './firmware-targets.ts';
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
  /** A memory.ld to link with instead of the board's (a slot firmware's, from linker-memory.ts). */
  linkerScript?: string;
}

export interface FirmwareImage {
  elf: string;
  bin: string;
  hex: string;
  sizes: SectionSizes;
  toolchain: CrossToolchain;
  /** Every object linked into the image, in link order. */
  objects: CompiledObject[];
  /** What the compiler and the linker warned about, per object and for the link (empty: nothing). */
  warnings: string[];
  /** Marker function addresses for the instruction-count plugin (present when built with profile). */
  markers?: { begin: number; op: number; end: number };
}

function boardSources(target: FirmwareTarget): { sources: string[]; includeDirs: string[]; linkerDirs: string[] } {
  const common = ['main.c', 'selftest-run.c', 'serial-protocol.c', 'crc32.c', 'profile-markers.c', 'input-stats.c'].map((f) => join(FIRMWARE_DIR, 'common', f));
  const board = join(FIRMWARE_DIR, 'boards', target.id, 'board.c');
  // A board folder with its own sections.ld (esp32-c3-devkitm: code in IRAM, data behind it) comes first on the
  // linker's path, so its memory.ld and a slot firmware's generated one INCLUDE that instead of the arch's.
  const boardLd = existsSync(join(FIRMWARE_DIR, 'boards', target.id, 'sections.ld')) ? [join(FIRMWARE_DIR, 'boards', target.id)] : [];
  if (target.arch === 'arm') {
    return {
      sources: [join(FIRMWARE_DIR, 'cortex-m', 'startup.c'), board, ...common],
      includeDirs: [join(FIRMWARE_DIR, 'common'), join(FIRMWARE_DIR, 'cortex-m')],
      linkerDirs: [...boardLd, join(FIRMWARE_DIR, 'cortex-m'), join(FIRMWARE_DIR, 'update')],
    };
  }
  return {
    sources: [join(FIRMWARE_DIR, 'riscv', 'start.S'), join(FIRMWARE_DIR, 'riscv', 'c-start.c'), board, ...common],
    includeDirs: [join(FIRMWARE_DIR, 'common')],
    linkerDirs: [...boardLd, join(FIRMWARE_DIR, 'riscv'), join(FIRMWARE_DIR, 'update')],
  };
}

async function run(tool: string, args: string[], what: string): Promise<string> {
  return (await runTool(tool, args, what)).stdout;
}

/** A tool's output; its stderr of a successful run is what it warned about. */
async function runTool(tool: string, args: string[], what: string): Promise<{ stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(tool, args, { maxBuffer: 64 << 20 });
    return { stdout, stderr };
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    const detail = (e.stderr ?? e.message).trim().split('\n').slice(0, 30).join('\n');
    throw new FirmwareBuildError(`${what} failed:\n${detail}`);
  }
}

/** Compiler flags for a target: the same for every object of every board of one architecture and core. */
function compileFlags(target: FirmwareTarget, toolchain: CrossToolchain, includeDirs: string[], options: Pick<FirmwareBuildOptions, 'optimize' | 'profile'>): string[] {
  return [...recipeCompileFlags(target, options), ...toolchain.includeFlags, ...includeDirs.map((d) => `-I${d}`)];
}

/** The compile flags without the toolchain's and the project's include folders. */
function recipeCompileFlags(target: FirmwareTarget, options: Pick<FirmwareBuildOptions, 'optimize' | 'profile'>): string[] {
  return [
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
  ];
}

/** Link flags besides the objects, linker script and C library. */
function recipeLinkFlags(target: FirmwareTarget, options: Pick<FirmwareBuildOptions, 'stackBytes'>): string[] {
  return [
    ...(target.arch === 'riscv' ? ['-nostdlib'] : []),
    '-Wl,--gc-sections',
    // An ESP image holds segments, not pages: no ELF header mapped into the first one (-n, no page alignment).
    ...(target.espImage ? ['-Wl,-n'] : []),
    ...(options.stackBytes !== undefined ? [`-Wl,--defsym=__stack_size=${options.stackBytes}`] : []),
  ];
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
    compileFlags: recipeCompileFlags(target, options),
    linkFlags: recipeLinkFlags(target, options),
    linkerDirs: board.linkerDirs,
    linkerScript: options.linkerScript ?? linkerScript(target),
  };
}

const linkerScript = (target: FirmwareTarget) => join(FIRMWARE_DIR, 'boards', target.id, 'memory.ld');

export interface CompiledObject {
  source: string;
  object: string;
  /** Board-specific (startup or board file) rather than model, kernel or protocol code. */
  board: boolean;
  /** What the compiler warned about (its stderr), when anything. */
  warnings?: string;
}

/** Compiles each source to its own object in `objDir` (two at a time: the machine is shared). */
export async function compileObjects(
  sources: { path: string; board: boolean }[],
  target: FirmwareTarget,
  objDir: string,
  includeDirs: string[],
  options: Pick<FirmwareBuildOptions, 'optimize' | 'profile'> = {},
): Promise<CompiledObject[]> {
  const toolchain = findCrossToolchain(target.arch);
  mkdirSync(objDir, { recursive: true });
  const flags = compileFlags(target, toolchain, includeDirs, options);
  const objects: CompiledObject[] = sources.map((s, i) => ({ source: s.path, object: join(objDir, `${i}-${basename(s.path)}.o`), board: s.board }));
  let next = 0;
  const worker = async () => {
    while (next < objects.length) {
      const o = objects[next++]!;
      const { stderr } = await runTool(toolchain.gcc, [...flags, '-c', o.source, '-o', o.object], `${target.id}: compiling ${basename(o.source)} with ${toolchain.gcc}`);
      if (stderr.trim()) o.warnings = stderr.trim();
    }
  };
  await Promise.all([worker(), worker()]);
  return objects;
}

/** Links objects with a board's linker script into `elf`; what the linker warned about ('' when nothing). */
export async function linkObjects(objects: string[], target: FirmwareTarget, elf: string, options: Pick<FirmwareBuildOptions, 'stackBytes' | 'linkerScript'> = {}): Promise<string> {
  const toolchain = findCrossToolchain(target.arch);
  const board = boardSources(target);
  const args = [
    ...target.cpuFlags,
    '-nostartfiles',
    ...objects,
    ...recipeLinkFlags(target, options),
    ...board.linkerDirs.map((d) => `-L${d}`),
    '-T',
    options.linkerScript ?? linkerScript(target),
    ...toolchain.linkLibraries,
    '-o',
    elf,
  ];
  return (await runTool(toolchain.gcc, args, `${target.id}: linking firmware with ${toolchain.gcc}`)).stderr.trim();
}

/** The board's own sources (startup and board file), flagged so a test can swap them for another board's. */
export function boardObjectSources(target: FirmwareTarget): { path: string; board: boolean }[] {
  // common/ is every board's; RISC-V startup (riscv/) is one for every RISC-V board, so only board.c differs there.
  const shared = [join(FIRMWARE_DIR, 'common'), join(FIRMWARE_DIR, 'riscv')].map((d) => d + sep);
  return boardSources(target).sources.map((path) => ({ path, board: !shared.some((d) => path.startsWith(d)) }));
}

export async function buildFirmware(model: FirmwareSources, options: FirmwareBuildOptions): Promise<FirmwareImage> {
  const { target, outDir } = options;
  const toolchain = findCrossToolchain(target.arch);
  const board = boardSources(target);
  mkdirSync(outDir, { recursive: true });
  const elf = join(outDir, 'firmware.elf');
  const objects = await compileObjects(
    [...boardObjectSources(target), ...model.sources.map((path) => ({ path, board: false }))],
    target,
    join(outDir, 'obj'),
    [...model.includeDirs, ...board.includeDirs],
    options,
  );
  const linkWarnings = await linkObjects(objects.map((o) => o.object), target, elf, options);
  const bin = join(outDir, 'firmware.bin');
  const sizes = readSectionSizes(toolchain.size, elf);
  const hex = join(outDir, 'firmware.hex');
  let flashImage: { address: number; bytes: Uint8Array };
  if (target.espImage) {
    flashImage = { address: 0, bytes: espImageFromElf(new Uint8Array(readFileSync(elf)), target.espImage, elf) };
    writeFileSync(bin, flashImage.bytes);
  } else {
    await run(toolchain.objcopy, ['-O', 'binary', elf, bin], 'objcopy');
    flashImage = { address: sizes.flashBase, bytes: new Uint8Array(readFileSync(bin)) };
  }
  writeFileSync(hex, new MemoryMap([[flashImage.address, flashImage.bytes]]).asHexString());
  const warnings = [...objects.flatMap((o) => (o.warnings ? [`${basename(o.source)}: ${o.warnings}`] : [])), ...(linkWarnings ? [`link: ${linkWarnings}`] : [])];
  const result: FirmwareImage = { elf, bin, hex, sizes, toolchain, objects, warnings };
  if (options.profile) result.markers = await markerAddresses(toolchain, elf);
  return result;
}

/** The ELF's loadable segments as an ESP image; each must run where it is loaded (the ROM copies nothing twice). */
function espImageFromElf(file: Uint8Array, esp: EspImageTarget, elf: string): Uint8Array {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const phoff = view.getUint32(28, true);
  const phentsize = view.getUint16(42, true);
  for (let i = 0; i < view.getUint16(44, true); i++) {
    const at = phoff + i * phentsize;
    if (view.getUint32(at, true) === 1 && view.getUint32(at + 16, true) > 0 && view.getUint32(at + 8, true) !== view.getUint32(at + 12, true)) {
      throw new FirmwareBuildError(`${elf}: segment ${i} loads at 0x${view.getUint32(at + 12, true).toString(16)} but runs at 0x${view.getUint32(at + 8, true).toString(16)}; the ROM loads segments where they run (fix the linker script)`);
    }
  }
  try {
    const segments = elf32LoadSegments(file).map((s) => ({ address: s.address, data: s.bytes }));
    return writeEspImage({ chip: esp.chip, entry: view.getUint32(24, true), segments, loadable: esp.loadable });
  } catch (err) {
    throw new FirmwareBuildError(`${elf}: cannot make an ESP image: ${(err as Error).message}`);
  }
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
