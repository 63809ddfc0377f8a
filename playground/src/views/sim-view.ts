// The simulation panel: the verdict, budget gauges, latency/energy totals, per-layer charts, the memory map and the
// duty cycle on a battery.
import type { Battery, SimulationResult } from '../../../browser.ts';
import type { Analysis } from '../pipeline.ts';
import { byId, el, fixed, int } from '../dom.ts';
import { batteryCurve, gauge, layerBars, memoryMap } from './charts.ts';

export function renderSimulation(a: Analysis, battery: Battery | undefined, rateHz: number | undefined): void {
  const { sim, board } = a;
  const m = sim.memory;
  byId('sim-verdict').replaceChildren(
    el('p', { class: sim.fits ? 'verdict ok' : 'verdict bad' }, sim.fits ? `Fits ${board.name} (${board.id}, ${board.core} at ${fixed(board.clockHz / 1e6, 0)} MHz).` : sim.refusal ?? 'does not fit'),
    el('p', {}, `${int(sim.totals.macs)} MACs · ${int(sim.totals.cycles)} cycles · latency ${fixed(sim.totals.latencyMs, 3)} ms · energy ${sim.totals.energyUj === null ? '— (no power figures for this board)' : `${fixed(sim.totals.energyUj, 1)} µJ`} per inference · kernels costed: ${sim.profile}`),
    el('p', {}, `SRAM ${int(m.sram.used)} B = arena ${int(m.sram.arena)}${m.arenaIn === 'psram' ? ' (in PSRAM, not counted)' : ''} + runtime state ${int(m.sram.runtimeState)} + I/O buffers ${int(m.sram.ioBuffers)} + stack ${int(m.sram.stack)} · flash ${int(m.flash.used)} B = weights ${int(m.flash.weights)} + prepare parameters ${int(m.flash.prepareParams)} + runtime code ${int(m.flash.runtimeCode)}`),
  );
  gauge(byId<HTMLCanvasElement>('gauge-sram'), 'SRAM', [
    ...(m.arenaIn === 'sram' ? [{ label: 'arena', bytes: m.sram.arena }] : []),
    { label: 'runtime state', bytes: m.sram.runtimeState }, { label: 'I/O buffers', bytes: m.sram.ioBuffers }, { label: 'stack', bytes: m.sram.stack },
  ], m.sram.budget);
  gauge(byId<HTMLCanvasElement>('gauge-flash'), 'flash', [
    { label: 'weights', bytes: m.flash.weights }, { label: 'prepare parameters', bytes: m.flash.prepareParams }, { label: 'runtime code', bytes: m.flash.runtimeCode },
  ], m.flash.budget);
  layerBars(byId<HTMLCanvasElement>('chart-latency'), sim, 'latency');
  layerBars(byId<HTMLCanvasElement>('chart-energy'), sim, 'energy');
  memoryMap(byId<HTMLCanvasElement>('chart-memory'), sim);
  renderDuty(sim, battery, rateHz, a);
}

function renderDuty(sim: SimulationResult, battery: Battery | undefined, rateHz: number | undefined, a: Analysis): void {
  const box = byId('duty');
  const canvas = byId<HTMLCanvasElement>('chart-battery');
  canvas.parentElement!.hidden = true;
  if (!a.board.power) {
    box.replaceChildren(el('p', {}, `${a.board.id} has no power figures: no duty-cycle or battery estimate.`));
    return;
  }
  if (!sim.fits) {
    box.replaceChildren(el('p', {}, `No duty cycle or battery estimate: the model does not fit ${a.board.id}.`));
    return;
  }
  if (!sim.duty || rateHz === undefined) {
    box.replaceChildren(el('p', {}, 'Give an inference rate for the duty cycle and battery life.'));
    return;
  }
  const d = sim.duty;
  box.replaceChildren(
    el('p', { class: d.realTime ? 'verdict ok' : 'verdict bad' }, d.verdict),
    el('p', {}, `average ${fixed(d.averageCurrentMa * 1000, 1)} µA at ${a.board.power.supplyVoltage} V (${fixed(d.averagePowerMw, 3)} mW), ${fixed(d.duty * 100, 2)}% busy` +
      (d.battery ? ` · battery ${d.battery.mAh} mAh${d.battery.volts ? `@${d.battery.volts} V` : ''}: ${fixed(d.battery.days, 1)} days (${fixed(d.battery.hours, 0)} h)` : '')),
  );
  if (battery) {
    canvas.parentElement!.hidden = false;
    batteryCurve(canvas, a.board, sim.totals.latencyMs, battery, rateHz);
  }
}
