// The graph as `tinyforge inspect` lists it: ops in execution order, shapes, output quantization, kernels,
// parameters, weight bytes and MACs, then the totals.
import type { ModelSummary } from '../../../browser.ts';
import { el, int } from '../dom.ts';
import type { Analysis } from '../pipeline.ts';

type SummaryTensor = ModelSummary['tensors'][number];

function quantText(t: SummaryTensor | undefined): string {
  if (!t) return '';
  if (t.scale === undefined) return t.dtype;
  if (Array.isArray(t.scale)) return `${t.dtype} per-axis(${t.quantizedDimension}) ×${t.scale.length}`;
  return `${t.dtype} s=${Number(t.scale).toPrecision(4)} zp=${t.zeroPoint}`;
}

const shapes = (list: number[][]) => list.map((s) => `[${s.join('×')}]`).join(' ');

export function renderGraph(container: HTMLElement, s: ModelSummary): void {
  const t = s.totals;
  const header = ['#', 'op', 'kernel', 'inputs', 'output', 'output quantization', 'params', 'weights (B)', 'MACs'];
  const rows = s.ops.map((o) => {
    const weightBytes = o.inputs.filter((i) => i >= 0 && s.tensors[i]?.constant).reduce((n, i) => n + (s.tensors[i]?.bytes ?? 0), 0);
    return el('tr', {},
      el('td', { class: 'num' }, o.index), el('td', {}, o.type), el('td', { class: 'kernel' }, o.kernels.join(', ')),
      el('td', {}, shapes(o.inputShapes)), el('td', {}, shapes(o.outputShapes)),
      el('td', {}, o.outputs.map((i) => quantText(s.tensors[i])).join(' ')),
      el('td', { class: 'num' }, int(o.params)), el('td', { class: 'num' }, int(weightBytes)), el('td', { class: 'num' }, int(o.macs)));
  });
  container.replaceChildren(
    el('p', { class: 'totals' },
      `${s.name}: ${s.ops.length} ops, ${s.tensors.length} tensors · ${int(t.macs)} MACs · weights ${int(t.weightBytes)} B (${int(t.params)} parameters) · arena ${int(t.arenaBytes)} B, peak at op ${t.peak.opIndex} ${t.peak.opType}`),
    el('div', { class: 'scroll' },
      el('table', { id: 'graph-table' },
        el('thead', {}, el('tr', {}, ...header.map((h) => el('th', {}, h)))),
        el('tbody', {}, ...rows))),
  );
}

/** What the int8 compile made of the graph: kernel calls, the arena plan, the blob and the .tflite. */
export function renderCompileSummary(container: HTMLElement, a: Analysis): void {
  const c = a.result.compiled;
  container.textContent = `int8 compile in ${a.timings.compileMs.toFixed(1)} ms: ${c.graph.ops.length} ops → ${c.prepared.length} kernel calls `
    + `(${[...new Set(c.prepared.map((p) => p.layout.name))].join(', ')}); arena plan ${int(c.plan.arenaBytes)} B; `
    + `runtime blob ${int(a.result.blob.length)} B; int8 .tflite ${int(a.result.tflite.length)} B`;
}
