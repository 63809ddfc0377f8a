// A simulation as JSON (`tinyforge simulate --json`, and the library's `simulationJson()`): the headline fields
// first (fit, budgets, latency, energy), then per-layer figures and the details.
import type { SimulationResult } from './simulate.ts';

/** The JSON shape: the fields the issue fixes first, then the details. */
export function simulationJson(r: SimulationResult) {
  return {
    board: r.board.id,
    fits: r.fits,
    sram: { used: r.memory.sram.used, budget: r.memory.sram.budget },
    flash: { used: r.memory.flash.used, budget: r.memory.flash.budget, ...(r.memory.flash.slots ? { slots: r.memory.flash.slots } : {}) },
    latencyMs: r.totals.latencyMs,
    energyUj: r.totals.energyUj,
    layers: r.layers.map((l) => ({
      step: l.step, opIndex: l.opIndex, op: l.opType, kernel: l.kernel, kernelClass: l.kernelClass,
      macs: l.macs, instructions: l.instructions, cycles: l.cycles, stallCycles: l.stallCycles,
      us: l.us, energyUj: l.energyUj, liveBytes: l.liveBytes, cyclesPerInstruction: l.cyclesPerInstruction,
    })),
    /** How kernel cycles were estimated: QEMU-measured instruction classes × the core's cycle table, or an old fitted CPI. */
    cycleModel: r.layers.every((l) => l.cycleModel === 'instruction-classes') ? 'instruction-classes' : 'fitted-cpi',
    model: r.model,
    kernels: r.profile,
    core: r.board.core,
    clockHz: r.board.clockHz,
    cycles: r.totals.cycles,
    macs: r.totals.macs,
    memory: r.memory,
    ...(r.refusal ? { refusal: r.refusal, suggestedBoard: r.suggestedBoard ?? null } : {}),
    ...(r.duty ? { dutyCycle: r.duty } : {}),
    ...(r.execution ? { execution: r.execution } : {}),
  };
}
