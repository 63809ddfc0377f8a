// The size report of a firmware image, read from the ELF's section table (`size -A`).
import { execFileSync } from 'node:child_process';

export interface SectionSizes {
  /** Machine code (with the vector table and unwind index). */
  text: number;
  /** Constants other than weights: parameter structs, strings, lookup tables. */
  rodata: number;
  /** Model weights and biases (the `.tf_weights` section). */
  weights: number;
  /** Initialized RAM (its initial image also occupies flash). */
  data: number;
  /** Zeroed RAM: the tensor arena, I/O buffers. */
  bss: number;
  stack: number;
  /** Address of the first flash byte (where the .bin starts). */
  flashBase: number;
}

export function readSectionSizes(sizeTool: string, elf: string): SectionSizes {
  const text = execFileSync(sizeTool, ['-A', '-d', elf], { encoding: 'utf8' });
  const sections = new Map<string, { size: number; addr: number }>();
  for (const line of text.split('\n')) {
    const m = /^(\.\S+)\s+(\d+)\s+(\d+)/.exec(line.trim());
    if (m) sections.set(m[1], { size: Number(m[2]), addr: Number(m[3]) });
  }
  const size = (name: string) => sections.get(name)?.size ?? 0;
  const textSection = sections.get('.text');
  if (!textSection) throw new Error(`${elf} has no .text section`);
  return {
    text: size('.text') + size('.ARM.exidx'),
    rodata: size('.rodata'),
    weights: size('.tf_weights'),
    data: size('.data'),
    bss: size('.bss'),
    stack: size('.stack'),
    flashBase: textSection.addr,
  };
}

/** Flash bytes besides the weights (what the issue calls "code besides the model"). */
export function codeBytes(s: SectionSizes): number {
  return s.text + s.rodata + s.data;
}

export function ramBytes(s: SectionSizes): number {
  return s.data + s.bss + s.stack;
}
