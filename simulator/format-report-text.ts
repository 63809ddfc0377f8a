// The terminal report of a simulation: the per-layer table, totals, memory budget, duty cycle.
import type { SimulationResult } from './simulate.ts';
import { BUILD_STACK_MARGIN } from '../targets/firmware/stack-estimate.ts';

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const fixed = (n: number, d: number) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const pct = (used: number, budget: number) => `${fixed((100 * used) / budget, 1)}%`;

function table(header: string[], rows: string[][], rightAlign: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (rightAlign[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatSimulationText(r: SimulationResult): string {
  const out: string[] = [];
  const mhz = r.board.clockHz / 1e6;
  out.push(`${r.model} on ${r.board.id} (${r.board.name}, ${r.board.core} @ ${fixed(mhz, 0)} MHz), ${r.profile} kernels`);
  const rows = r.layers.map((l) => [
    String(l.step), `${l.opType}${l.kernelClass === 'conv1x1' ? ' 1x1' : ''}`, int(l.macs), int(l.cycles), fixed(l.us, 1),
    l.energyUj === null ? '-' : fixed(l.energyUj, 1), int(l.liveBytes),
  ]);
  rows.push([
    '', 'total', int(r.totals.macs), int(r.totals.cycles), fixed(r.totals.latencyMs * 1000, 1),
    r.totals.energyUj === null ? '-' : fixed(r.totals.energyUj, 1), int(r.memory.sram.arena),
  ]);
  out.push(table(['step', 'op', 'MACs', 'cycles', 'µs', 'µJ', 'arena live B'], rows, [true, false, true, true, true, true, true]));
  out.push('');
  const m = r.memory;
  const s = m.sram;
  out.push(
    `SRAM  ${int(s.used)} B of ${int(s.budget)} B (${pct(s.used, s.budget)}): ` +
      `${m.arenaIn === 'sram' ? `arena ${int(s.arena)}` : `arena in PSRAM`} + runtime state ${int(s.runtimeState)} + I/O buffers ${int(s.ioBuffers)} + stack ${int(s.stack)}` +
      `${m.stackOption ? ' (--stack)' : ''}; peak at op ${m.peak.opIndex} ${m.peak.opType}`,
  );
  // `tinyforge build` reserves the estimate + 512 B of stack by default (cli/commands/build.ts).
  const stackRoom = s.budget - (s.used - s.stack);
  const buildStack = Math.ceil((s.stack + BUILD_STACK_MARGIN) / 16) * 16;
  if (m.stackOption && m.stackOption.bytes < m.stackOption.measuredNeed) {
    out.push(`      note: the ${int(m.stackOption.bytes)} B --stack is below the ${int(m.stackOption.measuredNeed)} B this model's kernels were measured to use: the stack would grow into other data`);
  } else if (!m.stackOption && m.fits && stackRoom < buildStack) {
    out.push(`      note: tinyforge build's default stack (${int(buildStack)} B) does not fit here: pass --stack ${int(s.stack)} to ${int(stackRoom)}`);
  }
  if (m.psram) out.push(`PSRAM ${int(m.psram.used)} B of ${int(m.psram.budget)} B${m.arenaIn === 'psram' ? ` (arena ${int(s.arena)} B: slower access, in the cycle counts)` : ''}`);
  const f = m.flash;
  out.push(
    `flash ${int(f.used)} B of ${int(f.budget)} B (${pct(f.used, f.budget)}): weights ${int(f.weights)} + prepare parameters ${int(f.prepareParams)} (op table ${int(f.opTable)}) + runtime code ${int(f.runtimeCode)}`,
  );
  if (f.slots) {
    const sl = f.slots;
    out.push(
      `      layout: code ${int(sl.codeRegionBytes)} B + model slots A at 0x${sl.slotA.toString(16)} and B at 0x${sl.slotB.toString(16)}, ${int(sl.slotBytes)} B each ` +
        `(${int(sl.eraseBytes)} B erase sectors); the model takes ${int(sl.modelSlotBytes)} B of a slot (${pct(sl.modelSlotBytes, sl.slotBytes)})`,
    );
    if (!sl.fitsSlot) out.push(`      note: the model does not fit a model slot (${int(sl.modelSlotBytes)} B of ${int(sl.slotBytes)} B): no slot firmware or model updates on this board`);
    if (!sl.fitsWithSlots && m.fits) out.push(`      note: with both model slots reserved, the code region (${int(sl.codeRegionBytes)} B) cannot hold this plain build`);
  }
  if (m.slotFirmware) {
    const sf = m.slotFirmware;
    out.push(
      `slot firmware SRAM ${int(sf.used)} B of ${int(sf.budget)} B (${pct(sf.used, sf.budget)}): arena ${int(sf.arenaReserved)} reserved (this model ${int(sf.modelArena)}) ` +
        `+ I/O buffers ${int(sf.ioBuffers)} + drift STATS ${int(sf.stats)} + statics ${int(sf.statics)} + stack ${int(sf.stack)}${m.stackOption ? ' (--stack)' : ''}; ` +
        `${sf.fits ? 'fits' : `does not fit: ${sf.problems.join('; ')}`}`,
    );
    out.push(`      statics ${int(sf.statics)} B: the slot boot's, update service's and flash driver's own variables (${sf.staticsHold})`);
    out.push(`      drift STATS ${int(sf.stats)} B: the statistics header and ${sf.statsGroups} channel groups of storage, for whatever model a slot holds (this model keeps ${sf.statsGroupsUsed})`);
  }
  out.push(
    `latency ${fixed(r.totals.latencyMs, 2)} ms (${int(r.totals.cycles)} cycles, ${int(r.totals.instructions)} instructions)` +
      (r.totals.energyUj === null ? '; no power figures for this board' : `; energy ${fixed(r.totals.energyUj, 1)} µJ per inference`),
  );
  out.push(r.layers.every((l) => l.cycleModel === 'instruction-classes')
    ? `cycles: instructions × the QEMU-measured instruction classes × the ${r.board.core} cycle table, plus flash wait states (nothing fitted)`
    : `cycles: instructions × ${r.board.core}'s fitted cycles per instruction (no cycle table for this core yet), plus memory wait states`);
  if (r.duty) {
    const d = r.duty;
    out.push(
      `at ${fixed(d.rateHz, 2)} inferences/s: ${d.verdict}; average current ${fixed(d.averageCurrentMa, 3)} mA (${fixed(d.averagePowerMw, 3)} mW)` +
        (d.battery ? `; a ${int(d.battery.mAh)} mAh${d.battery.volts ? ` @ ${d.battery.volts} V` : ''} battery lasts ${fixed(d.battery.days, 1)} days` : ''),
    );
  }
  if (r.execution) {
    const e = r.execution;
    out.push(
      `ran in the WASM runtime: ${fixed(e.hostMsPerInference, 3)} ms host per inference (${e.runs} runs) for ${fixed(r.totals.latencyMs, 2)} ms simulated: ${fixed(e.speedup, 1)}x faster than the chip`,
    );
    out.push(`output: ${e.outputs.map((o) => `[${o.join(', ')}]`).join(' ')}`);
  }
  return out.join('\n');
}
