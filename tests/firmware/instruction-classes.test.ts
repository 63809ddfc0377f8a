// Instruction classes counted by the QEMU plugin (classes=1): each op's instructions split into loads, stores,
// multiplies, divides, taken and not-taken branches and the rest, with its loads split between flash and SRAM.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileTflite } from '../../compiler/compile-model.ts';
import { linkerRegions } from '../../targets/firmware/linker-memory.ts';
import type { InstructionClasses } from '../../targets/qemu/instruction-counts.ts';
import { runOnQemu, type OpInstructions } from '../../targets/qemu/run-on-qemu.ts';
import { coreModel } from '../../simulator/cost/cost-data.ts';
import { cyclesOfClasses } from '../../simulator/cost/instruction-cycles.ts';
import { tinyforge } from '../cli/run-cli.ts';
import { corpusDir, goldenCases, readModel } from '../conformance-corpus.ts';

const total = (c: InstructionClasses) =>
  c.load + c.loadPipelined + c.loadMultiple + c.store + c.storeMultiple + c.mul + c.div + c.branchTaken + c.branchNotTaken + c.other;

describe('instruction classes on qemu-mps2-an386 (kws_ref_model)', () => {
  let ops: OpInstructions[];
  let again: OpInstructions[];
  beforeAll(async () => {
    const model = compileTflite(readModel('kws_ref_model'), 'kws_ref_model');
    const input = goldenCases('kws_ref_model')[0]!.input;
    const run = () => runOnQemu(model, { board: 'qemu-mps2-an386', inputs: [input], count: true, classes: true, timeoutMs: 120_000 });
    ops = (await run()).counts![0]!.ops;
    again = (await run()).counts![0]!.ops;
  }, 300_000);

  it('splits every op\'s instructions exactly: the classes add up to the count', () => {
    for (const o of ops) expect(total(o.classes!), `${o.index} ${o.kernel}`).toBe(o.instructions);
  });

  it('is repeatable to the instruction', () => {
    expect(again.map((o) => o.classes)).toEqual(ops.map((o) => o.classes));
  });

  it('sees the 1×1 convolutions as SMLAD pairs: one multiply per two MACs, plus one per output to requantize', () => {
    for (const o of ops.filter((op) => op.kernel === 'conv2d_1x1_s8')) {
      const outputs = 25 * 5 * 64; // each 1×1 layer of the DS-CNN writes 25×5 pixels of 64 channels
      // The packed kernel (tf_matmul_packed_s8) takes pixels two by two: the odd 125th goes through as both rows,
      // one more pixel's SMLADs (64 × 64 / 2) and requantizations (64).
      expect(o.classes!.mul).toBe(o.macs / 2 + outputs + (64 * 64) / 2 + 64);
    }
  });

  it('finds the weights in flash and the activations in SRAM, and branches both ways', () => {
    for (const o of ops.filter((op) => op.macs > 0)) {
      expect(o.classes!.flashLoads, o.kernel).toBeGreaterThan(0);
      expect(o.classes!.sramLoads, o.kernel).toBeGreaterThan(o.macs / 64);
      expect(o.classes!.branchTaken).toBeGreaterThan(0);
      expect(o.classes!.branchNotTaken).toBeGreaterThan(0);
    }
  });
});

describe('instruction classifier (insn-class.h), on QEMU\'s disassembly', () => {
  // A host program that classifies one disassembled instruction per line, as the plugin does at translation.
  const exe = join(mkdtempSync(join(tmpdir(), 'tf-class-')), 'classify');
  beforeAll(() => {
    const src = join(exe, '..', 'classify.c');
    writeFileSync(src, [
      '#include <stdio.h>',
      '#include "insn-class.h"',
      'int main(void) {',
      '  char line[256];',
      '  enum insn_class prev = CLASS_OTHER;',
      '  while (fgets(line, sizeof line, stdin)) { prev = insn_class_of(line, prev); printf("%s\\n", insn_class_names[prev]); }',
      '  return 0;',
      '}',
    ].join('\n'));
    execFileSync('gcc', ['-O1', '-Wall', '-Werror', '-I', join(import.meta.dirname, '..', '..', 'targets', 'qemu', 'plugin'), '-o', exe, src]);
  });
  const classify = (lines: string[]) => execFileSync(exe, { input: lines.join('\n') + '\n', encoding: 'utf8' }).trim().split('\n');

  it('sorts Thumb-2 instructions as a Cortex-M pipeline costs them', () => {
    expect(classify([
      'adds r0, r1, #1', 'ldr r3, [r2, #4]', 'ldr.w r4, [r2], #4', 'ldrsb r5, [r1]', 'str r3, [sp, #8]', 'ldrb r0, [r1]',
      'ldmia r0!, {r1, r2}', 'pop {r4, r5, pc}', 'ldrd r0, r1, [r2]', 'push {r4, lr}', 'strd r0, r1, [sp]', 'vldr s0, [r0]',
      'smlad r0, r1, r2, r0', 'smlabb r3, r4, r5, r3', 'smmulr r0, r1, r2', 'mul r0, r1', 'vfma.f32 s0, s1, s2',
      'sdiv r0, r1, r2', 'udiv r0, r1, r2', 'bne #0x1c', 'b.w #0x400', 'bl #0x2000', 'bx lr', 'cbz r0, #0x10', 'bls #0x8',
      'bic r0, r0, #1', 'bfi r0, r1, #0, #8', 'it ne', 'sxtb16 r0, r1',
    ])).toEqual([
      'other', 'load', 'loadPipelined', 'loadPipelined', 'store', 'loadPipelined',
      'loadMultiple', 'loadMultiple', 'loadMultiple', 'storeMultiple', 'storeMultiple', 'load',
      'mul', 'mul', 'mul', 'mul', 'mul',
      'div', 'div', 'branch', 'branch', 'branch', 'branch', 'branch', 'branch',
      'other', 'other', 'other', 'other',
    ]);
  });

  it('sorts RV32IMC instructions (compressed forms as their full ones)', () => {
    expect(classify(['addi a0,a0,1', 'lw a5,0(a4)', 'c.lw a4,4(a5)', 'sw a5,8(sp)', 'mul a0,a1,a2', 'mulh a0,a1,a2', 'div a0,a1,a2',
      'remu a0,a1,a2', 'beq a0,a1,8', 'c.j -4', 'jalr ra', 'lui a0,0x10',
      // as QEMU's RISC-V disassembler prints them: the encoding first
      '00052783          lw                      a5,0(a0)', '4198              c.lw                    a4,0(a1)', '02e787b3          mul                     a5,a5,a4'])).toEqual([
      'other', 'load', 'loadPipelined', 'store', 'mul', 'mul', 'div', 'div', 'branch', 'branch', 'branch', 'other',
      'load', 'loadPipelined', 'mul',
    ]);
  });
});

describe('linker regions', () => {
  it('reads the FLASH, model slot and RAM regions the firmware is linked with', () => {
    expect(linkerRegions('qemu-mps2-an386')).toEqual([
      { name: 'FLASH', origin: 0, length: 2 * 1024 * 1024 },
      { name: 'SLOT_A', origin: 0x20_0000, length: 1024 * 1024 },
      { name: 'SLOT_B', origin: 0x30_0000, length: 1024 * 1024 },
      { name: 'RAM', origin: 0x2000_0000, length: 4 * 1024 * 1024 },
    ]);
  });
});

describe('tinyforge run --count --cycles', () => {
  it('estimates each op\'s cycles from its classes and the core\'s cycles per class, every number sourced', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-cycles-'));
    writeFileSync(join(dir, 'x.bin'), goldenCases('kws_ref_model')[0]!.input);
    const r = tinyforge(['run', join(corpusDir(), 'models', 'kws_ref_model.tflite'), '--board', 'qemu-mps2-an386', '--input', join(dir, 'x.bin'),
      '--output', join(dir, 'y.bin'), '--count', '--cycles', '--json'], { timeoutMs: 300_000 });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { cycles: number; ops: { instructions: number; cycles: number; classes: InstructionClasses }[] };
    const table = coreModel('cortex-m4').instructionCycles!;
    for (const core of ['cortex-m4', 'cortex-m7', 'cortex-m33', 'rv32imc'] as const) {
      const t = coreModel(core).instructionCycles!;
      for (const field of Object.keys(t).filter((k) => k !== 'sources')) expect(t.sources[field], `${core} ${field}`).toMatch(/\w{10,}/);
    }
    for (const o of out.ops) expect(o.cycles).toBe(cyclesOfClasses(o.classes, table));
    expect(out.cycles).toBe(out.ops.reduce((a, o) => a + o.cycles, 0));
    // Every class costs at least one cycle on the M4, and loads two: CPI lies above 1.
    const instructions = out.ops.reduce((a, o) => a + o.instructions, 0);
    expect(out.cycles / instructions).toBeGreaterThan(1.1);
    expect(out.cycles / instructions).toBeLessThan(2);
  }, 300_000);

  it('estimates RV32IMC cycles on qemu-riscv32 with the rv32imc table (ESP32-C3 core)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-cycles-'));
    writeFileSync(join(dir, 'x.bin'), new Uint8Array(1));
    const r = tinyforge(['run', join(corpusDir(), 'models', 'hello_world_int8.tflite'), '--board', 'qemu-riscv32', '--input', join(dir, 'x.bin'),
      '--output', join(dir, 'y.bin'), '--count', '--cycles', '--json']);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { cycles: number; ops: { instructions: number; cycles: number; classes: InstructionClasses }[] };
    const table = coreModel('rv32imc').instructionCycles!;
    for (const o of out.ops) expect(o.cycles).toBe(cyclesOfClasses(o.classes, table));
    // RV32IMC's loads and multiplies are seen (the disassembly's leading encoding is skipped).
    expect(out.ops.reduce((a, o) => a + o.classes.load + o.classes.loadPipelined, 0)).toBeGreaterThan(0);
    expect(out.ops.reduce((a, o) => a + o.classes.mul, 0)).toBeGreaterThan(0);
  });

});
