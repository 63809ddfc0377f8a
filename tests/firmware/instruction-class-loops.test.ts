// The instruction-class plugin on two hand-written loops whose every class count can be derived from the listing
// (tests/firmware/loops/*.S): exact counts, not plausibility. Thumb-2 on mps2-an386 (Cortex-M4), RV32IMC on virt.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { insnCountPlugin } from '../../targets/qemu/insn-count-plugin.ts';
import { parseInstructionLog, type InstructionClasses } from '../../targets/qemu/instruction-counts.ts';

const loops = join(import.meta.dirname, 'loops');

function markers(nm: string, elf: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of execFileSync(nm, [elf], { encoding: 'utf8' }).split('\n')) {
    const m = /^([0-9a-f]+) t (mark_\w+)$/.exec(line.trim());
    if (m) out[m[2]!] = parseInt(m[1]!, 16);
  }
  return out;
}

/** Builds the loop, runs it under QEMU with the plugin (classes=1) and returns the begin→op stretch. */
function countLoop(arch: 'arm' | 'riscv'): { instructions: number; classes: InstructionClasses } {
  const dir = mkdtempSync(join(tmpdir(), 'tf-loop-'));
  const elf = join(dir, 'loop.elf');
  const log = join(dir, 'insn.log');
  const arm = arch === 'arm';
  if (arm) {
    execFileSync('arm-none-eabi-gcc', ['-mcpu=cortex-m4', '-mthumb', '-nostdlib', '-nostartfiles', '-Wl,-Ttext=0', '-Wl,-e,0', '-o', elf, join(loops, 'thumb2-loop.S')]);
  } else {
    execFileSync('riscv64-unknown-elf-gcc', ['-march=rv32imc', '-mabi=ilp32', '-mno-relax', '-nostdlib', '-nostartfiles', '-Wl,-Ttext=0x80000000', '-o', elf, join(loops, 'rv32-loop.S')]);
  }
  const m = markers(arm ? 'arm-none-eabi-nm' : 'riscv64-unknown-elf-nm', elf);
  const hex = (n: number) => `0x${n.toString(16)}`;
  const flash = arm ? 'flash=0x0:0x400000' : 'flash=0x80000000:0x80400000';
  const plugin = `${insnCountPlugin()},out=${log},begin=${hex(m.mark_begin!)},op=${hex(m.mark_op!)},end=${hex(m.mark_end!)},classes=1,${flash}`;
  const machine = arm
    ? ['qemu-system-arm', '-M', 'mps2-an386', '-semihosting-config', 'enable=on,target=native']
    : ['qemu-system-riscv32', '-M', 'virt', '-bios', 'none'];
  execFileSync(machine[0]!, [...machine.slice(1), '-display', 'none', '-monitor', 'none', '-serial', 'null', '-plugin', plugin, '-d', 'plugin', '-kernel', elf], { timeout: 30_000 });
  const [inv] = parseInstructionLog(readFileSync(log, 'utf8'));
  return { instructions: inv!.steps[0]!, classes: inv!.stepClasses![0]! };
}

describe('instruction classes on hand-counted loops', () => {
  it('Thumb-2 (mps2-an386): single, pipelined and multiple loads, PUSH words, SMLAD, UDIV, both branch outcomes', () => {
    const { instructions, classes } = countLoop('arm');
    // 4 set-up instructions + 10 × 10 in the loop + BL to the op marker + its BX LR.
    expect(instructions).toBe(106);
    expect(classes).toEqual({
      load: 1 + 10, loadPipelined: 1 + 10, loadMultiple: 10 + 10, store: 10, storeMultiple: 10, mul: 10, div: 10,
      // BNE taken 9 times; BL mark_op; the begin marker's BX LR returning (its outcome is seen when the next block starts).
      branchTaken: 9 + 1 + 1, branchNotTaken: 1, other: 2 + 10,
      flashLoads: 2 + 10, // two literal-pool loads, ten weight words
      sramLoads: 10 + 10 * 2 + 10 * 2, // LDR, LDMIA of two, POP of two
      storedWords: 10 * 2, // PUSH of two
    });
  });

  it('RV32IMC (virt): loads split flash/SRAM, MUL, DIVU, compressed forms classed as their full ones', () => {
    const { instructions, classes } = countLoop('riscv');
    // 6 set-up instructions (la, li of a 32-bit constant: two each) + 10 × 9 + JAL to the op marker + its RET.
    expect(instructions).toBe(98);
    expect(classes).toEqual({
      load: 10, loadPipelined: 10, loadMultiple: 0, store: 10, storeMultiple: 0, mul: 10, div: 10,
      branchTaken: 9 + 1 + 1, branchNotTaken: 1, other: 6 + 30,
      flashLoads: 10, sramLoads: 10, storedWords: 0,
    });
  });
});
