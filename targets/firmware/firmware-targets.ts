// The boards tinyforge can build firmware for: compiler flags, startup flavour, board directory, and how
// (if at all) QEMU emulates them.
import type { Arch } from '../toolchain/find-toolchain.ts';

export interface FirmwareTarget {
  id: string;
  arch: Arch;
  description: string;
  /** Code-generation flags for the core (CPU, FPU, ABI). */
  cpuFlags: string[];
  /** QEMU invocation for emulated boards; undefined for real hardware. */
  qemu?: { machine: string; extraArgs: string[] };
  /** The board's ROM boots an ESP image: firmware.bin is written in that format (esp/write-esp-image.ts). */
  espImage?: EspImageTarget;
}

export interface EspImageTarget {
  chip: 'ESP32-C3';
  /** RAM the ROM may load segments into while it runs (its own stack and data lie above). */
  /** `physical`: the address of `start` on the data bus, where two buses see one memory. */
  loadable: { name: string; start: number; end: number; physical?: number }[];
}

/** Same code generation for the ESP32-C3 and its QEMU stand-in, so QEMU runs the kernels the C3 runs. */
const RV32IMC = ['-march=rv32imc_zicsr', '-mabi=ilp32'];
const CORTEX_M4F = ['-mcpu=cortex-m4', '-mthumb', '-mfloat-abi=hard', '-mfpu=fpv4-sp-d16'];

export const FIRMWARE_TARGETS: readonly FirmwareTarget[] = [
  {
    id: 'qemu-mps2-an386',
    arch: 'arm',
    description: 'QEMU mps2-an386, Cortex-M4F (CMSDK UART0, semihosting exit)',
    cpuFlags: CORTEX_M4F,
    qemu: { machine: 'mps2-an386', extraArgs: ['-semihosting-config', 'enable=on,target=native'] },
  },
  {
    id: 'qemu-riscv32',
    arch: 'riscv',
    description: 'QEMU virt rv32imc, the ESP32-C3 stand-in (16550 UART, test-device exit)',
    cpuFlags: RV32IMC,
    qemu: { machine: 'virt', extraArgs: ['-bios', 'none'] },
  },
  {
    id: 'esp32-c3-devkitm',
    arch: 'riscv',
    description: 'ESP32-C3-DevKitM-1, bare metal: an ESP image the ROM loads into IRAM/DRAM from flash 0x0 (UART0 115200)',
    cpuFlags: RV32IMC,
    espImage: {
      chip: 'ESP32-C3',
      loadable: [
        { name: 'IRAM', start: 0x40380000, end: 0x403dc710, physical: 0x3fc80000 },
        { name: 'DRAM', start: 0x3fc80000, end: 0x3fcdc710 },
      ],
    },
  },
  { id: 'nucleo-l4r5zi', arch: 'arm', description: 'NUCLEO-L4R5ZI, STM32L4R5 Cortex-M4F (LPUART1 VCP)', cpuFlags: CORTEX_M4F },
  {
    id: 'stm32f746g-disco',
    arch: 'arm',
    description: 'STM32F746G-DISCO, Cortex-M7 (USART1 VCP)',
    cpuFlags: ['-mcpu=cortex-m7', '-mthumb', '-mfloat-abi=hard', '-mfpu=fpv5-sp-d16'],
  },
  { id: 'nrf52840-dk', arch: 'arm', description: 'nRF52840-DK, Cortex-M4F (UART0 on P0.06/P0.08)', cpuFlags: CORTEX_M4F },
];

export class UnknownBoardError extends Error {
  override name = 'UnknownBoardError';
}

export function firmwareTarget(id: string): FirmwareTarget {
  const t = FIRMWARE_TARGETS.find((b) => b.id === id);
  if (!t) {
    throw new UnknownBoardError(`unknown board '${id}'; firmware boards are: ${FIRMWARE_TARGETS.map((b) => b.id).join(', ')}`);
  }
  return t;
}

/** A QEMU board's target with another code generation (e.g. Cortex-M3 flags: the kernels' plain C path) and/or another
 * machine with its memory map and UART (mps2-an385: a Cortex-M3 CPU): how instruction mixes are measured per core. */
export function measuredTarget(id: string, variant: { cpuFlags?: string[]; machine?: string }): FirmwareTarget {
  const t = firmwareTarget(id);
  return {
    ...t,
    ...(variant.cpuFlags ? { cpuFlags: variant.cpuFlags } : {}),
    ...(variant.machine && t.qemu ? { qemu: { ...t.qemu, machine: variant.machine } } : {}),
  };
}
