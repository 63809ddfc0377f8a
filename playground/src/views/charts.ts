// The simulation drawn with Chart.js: budget gauges (half doughnuts), per-layer latency and energy (bars), the
// arena's memory map over time (floating bars: one per buffer and step, from its offset to its end), and battery
// life against the inference rate (a line).
import {
  ArcElement, BarController, BarElement, CategoryScale, Chart, DoughnutController, Legend, LinearScale, LineController,
  LineElement, LogarithmicScale, PointElement, Title, Tooltip, type ChartConfiguration, type ChartType, type DefaultDataPoint,
} from 'chart.js';
import { dutyCycle, type Battery, type Board, type SimulationResult } from '../../../browser.ts';
import { int } from '../dom.ts';

Chart.register(ArcElement, BarController, BarElement, CategoryScale, DoughnutController, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Title, Tooltip);
Chart.defaults.animation = false;
Chart.defaults.font.family = 'system-ui, sans-serif';

const charts = new Map<HTMLCanvasElement, { destroy(): void }>();
function draw<T extends ChartType, D = DefaultDataPoint<T>>(canvas: HTMLCanvasElement, config: ChartConfiguration<T, D>): Chart<T, D> {
  charts.get(canvas)?.destroy();
  const chart = new Chart<T, D>(canvas, config);
  charts.set(canvas, chart);
  return chart;
}

const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#9c755f', '#ff9da7'];
const stepLabel = (l: SimulationResult['layers'][number]) => `${l.step} ${l.opType}${l.kernelClass === 'conv1x1' ? ' 1×1' : ''}`;

export interface GaugeSegment {
  label: string;
  bytes: number;
}

/** Used parts against the budget; over budget the free part is gone and the title says by how much. */
export function gauge(canvas: HTMLCanvasElement, title: string, segments: GaugeSegment[], budget: number): void {
  const used = segments.reduce((n, s) => n + s.bytes, 0);
  const free = Math.max(0, budget - used);
  const pct = budget > 0 ? (100 * used) / budget : Infinity;
  draw(canvas, {
    type: 'doughnut',
    data: {
      labels: [...segments.map((s) => s.label), 'free'],
      datasets: [{ data: [...segments.map((s) => s.bytes), free], backgroundColor: [...segments.map((_, i) => PALETTE[i % PALETTE.length]!), used > budget ? '#e15759' : '#e6e6e6'] }],
    },
    options: {
      circumference: 180, rotation: -90, cutout: '60%', maintainAspectRatio: false,
      plugins: {
        title: { display: true, text: `${title}: ${int(used)} of ${int(budget)} B (${pct.toFixed(1)}%)${used > budget ? ' — OVER BUDGET' : ''}` },
        legend: { position: 'bottom' },
        tooltip: { callbacks: { label: (c) => `${c.label}: ${int(Number(c.raw))} B` } },
      },
    },
  });
}

export function layerBars(canvas: HTMLCanvasElement, sim: SimulationResult, what: 'latency' | 'energy'): void {
  const values = sim.layers.map((l) => (what === 'latency' ? l.us : l.energyUj ?? 0));
  draw(canvas, {
    type: 'bar',
    data: { labels: sim.layers.map(stepLabel), datasets: [{ label: what === 'latency' ? 'latency (µs)' : 'energy (µJ)', data: values, backgroundColor: what === 'latency' ? '#4e79a7' : '#f28e2b' }] },
    options: {
      maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, title: { display: true, text: what === 'latency' ? 'µs' : 'µJ' } } },
      plugins: {
        legend: { display: false },
        title: { display: true, text: what === 'latency' ? `per-layer latency: ${sim.totals.latencyMs.toFixed(3)} ms in all` : `per-layer energy: ${sim.totals.energyUj?.toFixed(1) ?? '—'} µJ in all` },
      },
    },
  });
}

/** Arena offset (y) against kernel-call step (x): each buffer a bar from its offset to its end, at every step it is alive. */
export function memoryMap(canvas: HTMLCanvasElement, sim: SimulationResult): void {
  const steps = sim.layers.length;
  const buffers = [
    ...sim.sim.tensors.map((t) => ({ label: t.name, offset: t.offset, bytes: t.bytes, first: t.firstStep, last: t.lastStep, scratch: false })),
    ...sim.sim.scratch.map((s) => ({ label: `scratch of step ${s.step}`, offset: s.offset, bytes: s.bytes, first: s.step, last: s.step, scratch: true })),
  ];
  draw(canvas, {
    type: 'bar',
    data: {
      labels: sim.layers.map(stepLabel),
      datasets: buffers.map((b, i) => ({
        label: `${b.label} (${int(b.bytes)} B at ${int(b.offset)})`,
        data: Array.from({ length: steps }, (_, s) => (s >= b.first && s <= b.last ? [b.offset, b.offset + b.bytes] as [number, number] : null)),
        backgroundColor: b.scratch ? '#e15759cc' : `${PALETTE[i % PALETTE.length]}cc`,
        borderColor: '#1d3557', borderWidth: 0.5, grouped: false, barPercentage: 1, categoryPercentage: 1,
      })),
    },
    options: {
      maintainAspectRatio: false,
      scales: { y: { min: 0, max: Math.max(1, sim.sim.arenaBytes), title: { display: true, text: 'arena offset (B)' } } },
      plugins: {
        legend: { display: false },
        title: { display: true, text: `memory map over time: arena ${int(sim.sim.arenaBytes)} B, peak at step ${sim.sim.peakStep}` },
        tooltip: { callbacks: { label: (c) => c.dataset.label ?? '' } },
      },
    },
  });
}

/** Battery life (days) over inference rates from one a minute up to what the board sustains. */
export function batteryCurve(canvas: HTMLCanvasElement, board: Board, latencyMs: number, battery: Battery, chosenHz: number): void {
  if (!board.power) return;
  const power = board.power;
  const maxHz = 1000 / latencyMs;
  const rates: number[] = [];
  for (let r = 1 / 60; r < maxHz; r *= 1.25) rates.push(r);
  rates.push(maxHz);
  const days = rates.map((r) => dutyCycle(latencyMs, power, r, battery).battery!.days);
  const chosen = dutyCycle(latencyMs, power, chosenHz, battery);
  draw(canvas, {
    type: 'line',
    data: {
      datasets: [{ label: 'battery life (days)', data: rates.map((x, i) => ({ x, y: days[i]! })), borderColor: '#59a14f', pointRadius: 0 }],
    },
    options: {
      maintainAspectRatio: false,
      scales: {
        y: { type: 'logarithmic', title: { display: true, text: 'days' } },
        x: { type: 'logarithmic', min: rates[0], max: maxHz, title: { display: true, text: 'inferences per second' } },
      },
      plugins: {
        legend: { display: false },
        title: { display: true, text: `${battery.mAh} mAh${battery.volts ? ` at ${battery.volts} V` : ''}: ${chosen.battery!.days.toFixed(1)} days at ${chosenHz} inferences/s (${chosen.realTime ? 'real time' : 'NOT real time'})` },
      },
    },
  });
}
