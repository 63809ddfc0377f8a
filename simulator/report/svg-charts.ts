// Inline SVG charts for the HTML report: no library, no network, plain markup.

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const num = (n: number, d = 1) => n.toLocaleString('en-US', { maximumFractionDigits: d });

/** A colour per op type, stable across charts. */
const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
export function opColour(opType: string, all: string[]): string {
  return PALETTE[Math.max(0, all.indexOf(opType)) % PALETTE.length];
}

export interface MapBar {
  label: string;
  offset: number;
  bytes: number;
  firstStep: number;
  lastStep: number;
  kind: 'tensor' | 'scratch';
}

/** Arena map over time: x = step, y = arena offset; one rectangle per buffer over its lifetime. */
export function memoryMapSvg(bars: MapBar[], steps: number, arenaBytes: number, peakStep: number, stepLabels: string[]): string {
  const W = 900;
  const H = 390;
  const left = 70;
  const bottom = 90;
  const top = 10;
  const plotW = W - left - 10;
  const plotH = H - top - bottom;
  const xs = (s: number) => left + (plotW * s) / Math.max(1, steps);
  const ys = (off: number) => top + plotH - (plotH * off) / Math.max(1, arenaBytes);
  const parts: string[] = [];
  parts.push(`<rect class="peak" x="${xs(peakStep)}" y="${top}" width="${xs(peakStep + 1) - xs(peakStep)}" height="${plotH}" fill="#fde2e2"/>`);
  const TENSOR_COLOURS = ['#4e79a7', '#59a14f', '#76b7b2', '#9c755f', '#edc948', '#b07aa1'];
  bars.forEach((b, i) => {
    const x0 = xs(Math.max(0, b.firstStep));
    const x1 = xs(Math.min(steps, b.lastStep + 1));
    const y0 = ys(b.offset + b.bytes);
    const h = Math.max(1, ys(b.offset) - y0);
    const fill = b.kind === 'scratch' ? '#e15759' : TENSOR_COLOURS[i % TENSOR_COLOURS.length];
    parts.push(
      `<rect class="buffer" x="${x0.toFixed(1)}" y="${y0.toFixed(1)}" width="${Math.max(1, x1 - x0 - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${fill}" fill-opacity="0.75" stroke="#1d3557" stroke-width="0.5">` +
        `<title>${escapeXml(b.label)}: ${int(b.bytes)} B at offset ${int(b.offset)}, steps ${b.firstStep}..${b.lastStep}</title></rect>`,
    );
  });
  // Axes: offsets on the left, step numbers and op types below.
  parts.push(`<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" stroke="#333"/>`);
  parts.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="#333"/>`);
  for (let i = 0; i <= 4; i++) {
    const off = (arenaBytes * i) / 4;
    parts.push(`<text x="${left - 6}" y="${ys(off) + 4}" text-anchor="end" font-size="11">${int(off)}</text>`);
  }
  const every = Math.max(1, Math.ceil(steps / 40));
  for (let s = 0; s < steps; s += every) {
    const x = (xs(s) + xs(s + 1)) / 2;
    parts.push(`<text x="${x}" y="${top + plotH + 14}" text-anchor="middle" font-size="10">${s}</text>`);
    parts.push(`<text transform="translate(${x},${top + plotH + 22}) rotate(35)" font-size="9" fill="#555">${escapeXml(stepLabels[s] ?? '')}</text>`);
  }
  parts.push(`<text x="12" y="${top + plotH / 2}" transform="rotate(-90 12 ${top + plotH / 2})" text-anchor="middle" font-size="11">arena offset (B)</text>`);
  return `<svg class="chart memory-map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="arena memory map over time">${parts.join('')}</svg>`;
}

export interface BarDatum {
  label: string;
  value: number;
  colour: string;
}

/** Horizontal bars, one per layer, labelled with the value. */
export function barChartSvg(data: BarDatum[], unit: string, className: string): string {
  const rowH = 18;
  const left = 190;
  const W = 900;
  const H = data.length * rowH + 10;
  const max = Math.max(1e-12, ...data.map((d) => d.value));
  const plotW = W - left - 110;
  const rows = data.map((d, i) => {
    const y = 5 + i * rowH;
    const w = Math.max(d.value > 0 ? 1 : 0, (plotW * d.value) / max);
    return (
      `<text x="${left - 6}" y="${y + 13}" text-anchor="end" font-size="11">${escapeXml(d.label)}</text>` +
      `<rect class="bar" x="${left}" y="${y + 2}" width="${w.toFixed(1)}" height="${rowH - 5}" fill="${d.colour}"><title>${escapeXml(d.label)}: ${num(d.value, 2)} ${unit}</title></rect>` +
      `<text x="${left + w + 5}" y="${y + 13}" font-size="11">${num(d.value, 1)} ${unit}</text>`
    );
  });
  return `<svg class="chart ${className}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img">${rows.join('')}</svg>`;
}

export interface GaugeSegment {
  label: string;
  bytes: number;
  colour: string;
}

/** A budget gauge: stacked segments over the budget, red beyond it. */
export function gaugeSvg(title: string, segments: GaugeSegment[], budget: number): string {
  const W = 900;
  const H = 64;
  const left = 10;
  const plotW = W - 20;
  const used = segments.reduce((n, s) => n + s.bytes, 0);
  const scale = Math.max(used, budget);
  const parts: string[] = [];
  parts.push(`<rect x="${left}" y="20" width="${plotW}" height="22" fill="#eee" stroke="#999"/>`);
  let x = left;
  for (const s of segments) {
    const w = (plotW * s.bytes) / scale;
    if (w <= 0) continue;
    parts.push(`<rect class="segment" x="${x.toFixed(1)}" y="20" width="${w.toFixed(1)}" height="22" fill="${s.colour}"><title>${escapeXml(s.label)}: ${int(s.bytes)} B</title></rect>`);
    x += w;
  }
  const bx = left + (plotW * budget) / scale;
  parts.push(`<line x1="${bx.toFixed(1)}" y1="14" x2="${bx.toFixed(1)}" y2="48" stroke="${used > budget ? '#c00' : '#333'}" stroke-width="2"/>`);
  const ratio = budget > 0 ? (100 * used) / budget : Infinity;
  parts.push(`<text x="${left}" y="13" font-size="12" font-weight="bold">${escapeXml(title)}: ${int(used)} B of ${int(budget)} B (${num(ratio, 1)}%)${used > budget ? ' — OVER BUDGET' : ''}</text>`);
  let lx = left;
  for (const s of segments) {
    parts.push(`<rect x="${lx}" y="50" width="10" height="10" fill="${s.colour}"/><text x="${lx + 14}" y="59" font-size="10">${escapeXml(s.label)} ${int(s.bytes)} B</text>`);
    lx += 30 + (s.label.length + int(s.bytes).length) * 6.2;
  }
  return `<svg class="chart gauge" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img">${parts.join('')}</svg>`;
}
