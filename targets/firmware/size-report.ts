// The firmware size table: what the ELF holds per section, next to the simulator's prediction of flash and RAM.
import type { SectionSizes } from './section-sizes.ts';
import { codeBytes, ramBytes } from './section-sizes.ts';

export interface SizePrediction {
  /** Simulator's weights + prepare parameters (flash bytes that scale with the model). */
  modelFlash: number;
  /** Simulator's code estimate. */
  code: number;
  /** Simulator's SRAM: arena + I/O buffers + runtime state + stack. */
  ram: number;
}

export interface SizeReport {
  sections: SectionSizes;
  /** Flash bytes besides weights: text + rodata + data. */
  code: number;
  flash: number;
  ram: number;
  prediction?: SizePrediction;
}

export function sizeReport(sections: SectionSizes, prediction?: SizePrediction): SizeReport {
  return {
    sections,
    code: codeBytes(sections),
    flash: codeBytes(sections) + sections.weights,
    ram: ramBytes(sections),
    ...(prediction ? { prediction } : {}),
  };
}

const n = (v: number) => v.toLocaleString('en-US');
function versus(actual: number, predicted: number | undefined): string {
  if (predicted === undefined) return '';
  const pct = predicted === 0 ? 0 : ((actual - predicted) / predicted) * 100;
  return `${n(predicted).padStart(10)}  ${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`;
}

export function formatSizeReport(r: SizeReport): string {
  const s = r.sections;
  const p = r.prediction;
  const rows: [string, number, string][] = [
    ['text', s.text, ''],
    ['rodata', s.rodata, ''],
    ['weights (.tf_weights)', s.weights, versus(s.weights, p?.modelFlash)],
    ['data', s.data, ''],
    ['bss', s.bss, ''],
    ['stack (reserved)', s.stack, ''],
    ['code besides weights', r.code, versus(r.code, p?.code)],
    ['flash total', r.flash, p ? versus(r.flash, p.code + p.modelFlash) : ''],
    ['RAM (data+bss+stack)', r.ram, versus(r.ram, p?.ram)],
  ];
  const head = `${'section'.padEnd(22)}${'bytes'.padStart(10)}${p ? `${'simulator'.padStart(12)}  diff` : ''}`;
  return [head, ...rows.map(([name, v, cmp]) => `${name.padEnd(22)}${n(v).padStart(10)}${cmp ? `  ${cmp}` : ''}`)].join('\n');
}
