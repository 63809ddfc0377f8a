// How well the simulator's 'tinyforge' cost profile predicts tinyforge's real firmware: builds the firmware
// for each corpus model, counts instructions per kernel call under QEMU (TCG plugin) on Cortex-M4F and
// rv32imc, and prints measured vs predicted per model, the worst call, and the measured vs estimated
// stack and code. This is the data kernel-profiles.json's 'tinyforge' coefficients were fitted on;
// --calls FILE also writes every kernel call's work counters and measured instructions as JSON, to refit them.
//   npx tsx bench/simulator-calibration.ts [--calls calls.json] [model ...]
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileTflite } from '../compiler/compile-model.ts';
import { writeBlob } from '../compiler/emit/blob/write-blob.ts';
import { readBlob } from '../runtime-as/host/read-blob.ts';
import { measureFirmware } from '../simulator/calibrate/measure-firmware.ts';
import { simulate } from '../simulator/simulate.ts';
import { loadBoard, type Board } from '../targets/boards/load-board.ts';
import { corpusDir } from '../tests/conformance-corpus.ts';

const MODELS = ['kws_ref_model', 'vww_96_int8', 'pretrainedResnet_quant', 'ad01_int8', 'micro_speech_quantized', 'hello_world_int8'];
// The QEMU machine and the catalog board whose core it emulates (clock and memories do not matter here).
const TARGETS: [string, string][] = [['qemu-mps2-an386', 'qemu-mps2-an386'], ['qemu-riscv32', 'esp32-c3-devkitm']];

const dir = corpusDir();
const pct = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%`;
const args = process.argv.slice(2);
const callsAt = args.indexOf('--calls');
const callsFile = callsAt >= 0 ? args.splice(callsAt, 2)[1] : undefined;
if (callsAt >= 0 && !callsFile) {
  console.error('simulator-calibration: --calls needs a file name');
  process.exit(1);
}
const names = args.length ? args : MODELS;
const calls: object[] = [];
console.log('target            model                    measured instr   predicted   total err  worst call        stack meas/est   code meas/est');
for (const [targetId, boardId] of TARGETS) {
  const board: Board = loadBoard(boardId);
  for (const name of names) {
    const path = join(dir, 'models', `${name}.tflite`);
    if (!existsSync(path)) throw new Error(`no corpus model ${path}`);
    const compiled = compileTflite(new Uint8Array(readFileSync(path)), name);
    const blob = readBlob(writeBlob(compiled));
    let fw;
    try {
      fw = await measureFirmware(compiled, blob, mkdtempSync(join(tmpdir(), `tf-cal-${name}-`)), targetId);
    } catch (err) {
      console.log(`${targetId.padEnd(17)} ${name.padEnd(24)} cannot build or run: ${(err as Error).message.split('\n')[0]}`);
      continue;
    }
    const sim = simulate(blob, compiled, { board, execute: false });
    let worst = { err: 0, label: '' };
    sim.layers.forEach((l, i) => {
      const measured = fw.stepInstructions[i];
      const st = sim.sim.steps[i];
      calls.push({
        target: targetId, model: name, step: i, kernel: st.kernel, kernelClass: st.kernelClass, macs: st.macs, outputs: st.outputs,
        pixels: st.pixels, bytesRead: st.bytesRead, bytesWritten: st.bytesWritten, inPlace: st.inPlace, measured, predicted: l.instructions,
      });
      if (measured < 1000) return; // a reshape in place: a handful of instructions
      const err = l.instructions / measured - 1;
      if (Math.abs(err) > Math.abs(worst.err)) worst = { err, label: `${i} ${l.kernelClass}` };
    });
    const total = sim.totals.instructions / fw.totalInstructions - 1;
    console.log(
      `${targetId.padEnd(17)} ${name.padEnd(24)} ${fw.totalInstructions.toLocaleString('en-US').padStart(14)} ${sim.totals.instructions.toLocaleString('en-US').padStart(11)}   ${pct(total).padStart(8)}  ${`${pct(worst.err)} (${worst.label})`.padEnd(17)} ${`${fw.stackUsed}/${sim.memory.sram.stack}`.padEnd(16)} ${fw.sections.text + 258}/${sim.memory.flash.runtimeCode}`,
    );
  }
}
if (callsFile) writeFileSync(callsFile, JSON.stringify(calls, null, 1));
