// The function behind `tinyforge run --board qemu-…`: one inference on the emulated board, with counts.
import { describe, expect, it } from 'vitest';
import { formatInstructionTable, instructionsJson, runModelOnQemu } from '../../targets/qemu/run-on-qemu.ts';
import { readMeta } from '../conformance-corpus.ts';
import { loadCorpusModel } from './int8-corpus-models.ts';

describe('runModelOnQemu', () => {
  it('returns the output and per-op instruction counts shaped for --json', async () => {
    const { compiled, cases } = loadCorpusModel('micro_speech_quantized');
    const { output, count } = await runModelOnQemu(compiled, 'qemu-riscv32', cases[1].input, { count: true });
    expect(output).toEqual(cases[1].output);
    const json = instructionsJson(count!);
    expect(json.ops.map((o) => o.op)).toEqual(['RESHAPE', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'SOFTMAX']);
    // MACs as the corpus counts them (conv, depthwise, fully connected only).
    expect(json.ops.map((o) => o.macs)).toEqual(readMeta('micro_speech_quantized').ops.map((o) => o.macs ?? 0));
    expect(json.ops.reduce((a, o) => a + o.instructions, 0)).toBeLessThanOrEqual(json.instructions);
    expect(formatInstructionTable(count!)).toMatch(/total: [\d,]+ instructions per inference, [\d.]+ per MAC$/);
  }, 120_000);

  it('rejects a board QEMU does not emulate, and a wrong input size', async () => {
    const { compiled, cases } = loadCorpusModel('hello_world_int8');
    await expect(runModelOnQemu(compiled, 'nrf52840-dk', cases[0].input)).rejects.toThrow(/tinyforge runs models on qemu-mps2-an386 and qemu-riscv32/);
    await expect(runModelOnQemu(compiled, 'qemu-mps2-an386', new Uint8Array(3))).rejects.toThrow('input 0 has 3 bytes; the model takes 1');
  }, 120_000);
});
