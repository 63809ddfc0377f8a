// A missing cross compiler is reported with the exact Debian packages to install.
import { afterEach, describe, expect, it } from 'vitest';
import { findCrossToolchain, findQemu, ToolchainMissingError } from '../../targets/toolchain/find-toolchain.ts';

const savedPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = savedPath;
});

describe('toolchain discovery', () => {
  it('names the apt-get line for a missing Arm toolchain', () => {
    process.env.PATH = '/nonexistent';
    expect(() => findCrossToolchain('arm')).toThrow(ToolchainMissingError);
    expect(() => findCrossToolchain('arm')).toThrow('sudo apt-get install -y gcc-arm-none-eabi libnewlib-arm-none-eabi');
  });

  it('names the apt-get line for a missing RISC-V toolchain and QEMU', () => {
    process.env.PATH = '/nonexistent';
    expect(() => findCrossToolchain('riscv')).toThrow('sudo apt-get install -y gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf');
    expect(() => findQemu('riscv')).toThrow('sudo apt-get install -y qemu-system-misc');
  });
});
