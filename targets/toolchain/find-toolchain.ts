// Locates the cross compilers, QEMU and the host C compiler on PATH. A missing tool is reported with the
// exact Debian packages to install, never as a spawn ENOENT.
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export type Arch = 'arm' | 'riscv';

export class ToolchainMissingError extends Error {
  override name = 'ToolchainMissingError';
}

/** Full path of `program` on PATH, or undefined. */
export function whichProgram(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, program);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

function requireProgram(program: string, packages: string, purpose: string): string {
  const found = whichProgram(program);
  if (!found) {
    throw new ToolchainMissingError(
      `${program} not found on PATH (needed ${purpose}); install it with: sudo apt-get install -y ${packages}`,
    );
  }
  return found;
}

export interface CrossToolchain {
  arch: Arch;
  gcc: string;
  objcopy: string;
  size: string;
  nm: string;
  /** Appended to the link: C library and libgcc for the target. */
  linkLibraries: string[];
  /** Added to every compile: where the C library's headers are, when the compiler does not know. */
  includeFlags: string[];
}

/** newlib-nano and libgcc for Cortex-M links (the CMake export writes the same). */
export const ARM_LINK_LIBRARIES = ['--specs=nano.specs', '-lc', '-lgcc'] as const;

const ARM_PACKAGES = 'gcc-arm-none-eabi libnewlib-arm-none-eabi';
const RISCV_PACKAGES = 'gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf';
const PICOLIBC = '/usr/lib/picolibc/riscv64-unknown-elf';

export function findCrossToolchain(arch: Arch): CrossToolchain {
  if (arch === 'arm') {
    const need = (tool: string) => requireProgram(`arm-none-eabi-${tool}`, ARM_PACKAGES, 'to build Cortex-M firmware');
    return {
      arch,
      gcc: need('gcc'),
      objcopy: need('objcopy'),
      size: need('size'),
      nm: need('nm'),
      // newlib-nano: only memcpy/memset-class functions get linked, and nano keeps them small.
      linkLibraries: [...ARM_LINK_LIBRARIES],
      includeFlags: [],
    };
  }
  const need = (tool: string) => requireProgram(`riscv64-unknown-elf-${tool}`, RISCV_PACKAGES, 'to build RISC-V firmware');
  const gcc = need('gcc');
  // Debian's riscv64 gcc has no rv32imc multilib: link the rv32im libraries explicitly (a plain -lgcc picks rv64).
  const libc = join(PICOLIBC, 'lib', 'release', 'rv32im', 'ilp32', 'libc.a');
  if (!existsSync(libc)) {
    throw new ToolchainMissingError(`picolibc for rv32im not found at ${libc}; install it with: sudo apt-get install -y ${RISCV_PACKAGES}`);
  }
  const libgcc = findRv32imLibgcc();
  return {
    arch,
    gcc,
    objcopy: need('objcopy'),
    size: need('size'),
    nm: need('nm'),
    linkLibraries: [libc, libgcc],
    includeFlags: ['-isystem', join(PICOLIBC, 'include')],
  };
}

function findRv32imLibgcc(): string {
  const root = '/usr/lib/gcc/riscv64-unknown-elf';
  const versions = existsSync(root) ? readdirSync(root) : [];
  for (const v of versions.sort().reverse()) {
    const lib = join(root, v, 'rv32im', 'ilp32', 'libgcc.a');
    if (existsSync(lib)) return lib;
  }
  throw new ToolchainMissingError(
    `libgcc for rv32im/ilp32 not found under ${root}; install it with: sudo apt-get install -y ${RISCV_PACKAGES}`,
  );
}

export function findQemu(arch: Arch): string {
  return arch === 'arm'
    ? requireProgram('qemu-system-arm', 'qemu-system-arm', 'to run Cortex-M firmware')
    : requireProgram('qemu-system-riscv32', 'qemu-system-misc', 'to run RISC-V firmware');
}

export function findHostCompiler(): string {
  return requireProgram('gcc', 'gcc', 'to build host code (the QEMU plugin, host builds of generated C)');
}
