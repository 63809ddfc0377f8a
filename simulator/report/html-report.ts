// The simulation as one self-contained HTML file: inline CSS and SVG, no scripts, no network.
import type { SimulationResult } from '../simulate.ts';
import { barChartSvg, escapeXml, gaugeSvg, memoryMapSvg, opColour, type MapBar } from './svg-charts.ts';

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const fixed = (n: number, d: number) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

export function htmlReport(r: SimulationResult): string {
  const m = r.memory;
  const opTypes = [...new Set(r.layers.map((l) => l.opType))];
  const stepLabel = (l: (typeof r.layers)[number]) => `${l.step} ${l.opType}${l.kernelClass === 'conv1x1' ? ' 1x1' : ''}`;
  const bars: MapBar[] = [
    ...r.sim.tensors.map((t) => ({ label: t.name, offset: t.offset, bytes: t.bytes, firstStep: t.firstStep, lastStep: t.lastStep, kind: 'tensor' as const })),
    ...r.sim.scratch.map((s) => ({ label: `scratch of step ${s.step}`, offset: s.offset, bytes: s.bytes, firstStep: s.step, lastStep: s.step, kind: 'scratch' as const })),
  ];
  const sramSegments = [
    ...(m.arenaIn === 'sram' ? [{ label: 'arena', bytes: m.sram.arena, colour: '#4e79a7' }] : []),
    { label: 'runtime state', bytes: m.sram.runtimeState, colour: '#f28e2b' },
    { label: 'I/O buffers', bytes: m.sram.ioBuffers, colour: '#59a14f' },
    { label: 'stack', bytes: m.sram.stack, colour: '#b07aa1' },
  ];
  const flashSegments = [
    { label: 'weights', bytes: m.flash.weights, colour: '#4e79a7' },
    { label: 'prepare parameters', bytes: m.flash.prepareParams, colour: '#f28e2b' },
    { label: 'runtime code', bytes: m.flash.runtimeCode, colour: '#76b7b2' },
  ];
  const verdict = r.fits
    ? `<p class="verdict ok">Fits ${escapeXml(r.board.id)}.</p>`
    : `<p class="verdict bad">${escapeXml(r.refusal ?? 'does not fit')}</p>`;
  const layerRows = r.layers
    .map((l) => `<tr><td>${l.step}</td><td>${escapeXml(l.opType)}</td><td>${escapeXml(l.kernel)}</td><td>${int(l.macs)}</td><td>${int(l.cycles)}</td><td>${fixed(l.us, 1)}</td><td>${l.energyUj === null ? '-' : fixed(l.energyUj, 1)}</td><td>${int(l.liveBytes)}</td></tr>`)
    .join('');
  const duty = r.duty
    ? `<h2>Duty cycle</h2><p>${escapeXml(r.duty.verdict)}.</p><p>At ${fixed(r.duty.rateHz, 2)} inferences/s: average current ${fixed(r.duty.averageCurrentMa, 3)} mA, ${fixed(r.duty.averagePowerMw, 3)} mW` +
      (r.duty.battery ? `; a ${int(r.duty.battery.mAh)} mAh battery lasts ${fixed(r.duty.battery.days, 1)} days.` : '.') + '</p>'
    : '';
  const exec = r.execution
    ? `<h2>Execution</h2><p>Ran in the WASM runtime: ${fixed(r.execution.hostMsPerInference, 3)} ms of host time per inference for ${fixed(r.totals.latencyMs, 2)} ms simulated (${fixed(r.execution.speedup, 1)}× faster than the chip). Output: <code>${escapeXml(r.execution.outputs.map((o) => `[${o.join(', ')}]`).join(' '))}</code></p>`
    : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>tinyforge simulate: ${escapeXml(r.model)} on ${escapeXml(r.board.id)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 24px; color: #222; max-width: 960px; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
table { border-collapse: collapse; font-size: 12px; } td, th { border: 1px solid #ccc; padding: 2px 6px; text-align: right; }
td:nth-child(2), td:nth-child(3), th { text-align: left; }
.verdict { font-weight: bold; padding: 6px 10px; } .ok { background: #e3f4e1; } .bad { background: #fde2e2; }
.legend span { display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 12px; }
svg { display: block; margin: 8px 0; }
</style></head><body>
<h1>${escapeXml(r.model)} on ${escapeXml(r.board.name)} (${escapeXml(r.board.core)} @ ${fixed(r.board.clockHz / 1e6, 0)} MHz)</h1>
${verdict}
<p>Latency <b>${fixed(r.totals.latencyMs, 2)} ms</b> (${int(r.totals.cycles)} cycles, ${int(r.totals.macs)} MACs, ${escapeXml(r.profile)} kernels)${r.totals.energyUj === null ? '; no power figures for this board' : `; energy <b>${fixed(r.totals.energyUj, 1)} µJ</b> per inference`}.</p>
<h2>Budgets</h2>
${gaugeSvg('SRAM', sramSegments, m.sram.budget)}
${gaugeSvg('flash', flashSegments, m.flash.budget)}
${m.psram ? gaugeSvg('PSRAM', [{ label: 'arena', bytes: m.psram.used, colour: '#4e79a7' }], m.psram.budget) : ''}
<h2>Arena memory map over time</h2>
<p class="legend">Each buffer is a bar from its first to its last step, at its arena offset.<span style="background:#4e79a7"></span><span style="background:#59a14f;margin-left:0"></span>tensors<span style="background:#e15759"></span>scratch<span style="background:#fde2e2"></span>peak step (${m.peak.step}, op ${m.peak.opIndex} ${escapeXml(m.peak.opType)})</p>
${memoryMapSvg(bars, r.layers.length, Math.max(r.sim.arenaBytes, 1), m.peak.step, r.layers.map((l) => l.opType))}
<h2>Latency per layer</h2>
${barChartSvg(r.layers.map((l) => ({ label: stepLabel(l), value: l.us, colour: opColour(l.opType, opTypes) })), 'µs', 'latency')}
${r.totals.energyUj === null ? '' : `<h2>Energy per layer</h2>\n${barChartSvg(r.layers.map((l) => ({ label: stepLabel(l), value: l.energyUj ?? 0, colour: opColour(l.opType, opTypes) })), 'µJ', 'energy')}`}
${duty}
${exec}
<h2>Layers</h2>
<table><tr><th>step</th><th>op</th><th>kernel</th><th>MACs</th><th>cycles</th><th>µs</th><th>µJ</th><th>arena live B</th></tr>${layerRows}</table>
<h2>Memory</h2>
<table>
<tr><th>SRAM part</th><th>bytes</th></tr>
<tr><td>arena${m.arenaIn === 'psram' ? ' (in PSRAM)' : ''}</td><td>${int(m.sram.arena)}</td></tr>
<tr><td>runtime state</td><td>${int(m.sram.runtimeState)}</td></tr>
<tr><td>I/O buffers</td><td>${int(m.sram.ioBuffers)}</td></tr>
<tr><td>stack</td><td>${int(m.sram.stack)}</td></tr>
<tr><th>flash part</th><th>bytes</th></tr>
<tr><td>weights</td><td>${int(m.flash.weights)}</td></tr>
<tr><td>prepare parameters (op table ${int(m.flash.opTable)})</td><td>${int(m.flash.prepareParams)}</td></tr>
<tr><td>runtime code</td><td>${int(m.flash.runtimeCode)}</td></tr>
</table>
<p style="font-size:11px;color:#666">tinyforge simulate: cycle counts from the cost model (simulator/cost), times at the board clock, energy from the board's active current and supply voltage.</p>
</body></html>
`;
}
