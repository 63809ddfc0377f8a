// NOR flash as the bootloaders see it: erased bytes read 0xFF, programming can only clear bits (new = old AND
// data), and only whole sectors/pages can be erased back to 0xFF.
export class FlashMemory {
  readonly bytes: Uint8Array;
  /** Start offset (relative to base) of each sector, plus the end as the last entry. */
  private readonly bounds: number[];

  constructor(
    readonly base: number,
    readonly sectorSizes: readonly number[],
  ) {
    this.bounds = [0];
    for (const s of sectorSizes) this.bounds.push(this.bounds[this.bounds.length - 1]! + s);
    this.bytes = new Uint8Array(this.size).fill(0xff);
  }

  get size(): number {
    return this.bounds[this.bounds.length - 1]!;
  }

  get sectorCount(): number {
    return this.sectorSizes.length;
  }

  contains(addr: number, length: number): boolean {
    return addr >= this.base && addr + length <= this.base + this.size && length >= 0;
  }

  /** Index of the sector holding `addr`, or -1 if outside the flash. */
  sectorAt(addr: number): number {
    const off = addr - this.base;
    if (off < 0 || off >= this.size) return -1;
    let lo = 0;
    let hi = this.sectorSizes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.bounds[mid]! <= off) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  sectorStart(index: number): number {
    return this.base + this.bounds[index]!;
  }

  eraseSector(index: number): void {
    this.bytes.fill(0xff, this.bounds[index]!, this.bounds[index + 1]!);
    this.applyStuck();
  }

  eraseAll(): void {
    this.bytes.fill(0xff);
    this.applyStuck();
  }

  /** Worn cells: offset → bits that read 0 whatever is written or erased (to test verify failures). */
  private readonly stuck = new Map<number, number>();

  /** Programs bytes: each bit can only go from 1 to 0. */
  program(addr: number, data: Uint8Array): void {
    const off = addr - this.base;
    for (let i = 0; i < data.length; i++) this.bytes[off + i]! &= data[i]!;
    this.applyStuck();
  }

  /** Makes the bits in `mask` of the byte at `addr` stuck at 0, as in a worn-out cell. */
  stuckLow(addr: number, mask: number): void {
    this.stuck.set(addr - this.base, mask);
    this.applyStuck();
  }

  private applyStuck(): void {
    for (const [off, mask] of this.stuck) this.bytes[off]! &= ~mask & 0xff;
  }

  read(addr: number, length: number): Uint8Array {
    const off = addr - this.base;
    return this.bytes.slice(off, off + length);
  }
}
