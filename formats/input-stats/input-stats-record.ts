// The input statistics the firmware keeps for drift monitoring (targets/firmware/common/input-stats.h): which
// elements form a channel, and the STATS record's bytes. Shared by the compiler (the geometry in model.h), the
// host that reads a device, and the simulator's twin (simulator/drift/), so the three cannot disagree.
export const STATS_MAGIC = 0x31535446; // "TFS1"
export const STATS_BINS = 16;
export const STATS_MAX_GROUPS = 16;
export const STATS_MAX_CLASSES = 16;
/** Geometry words, top-1 counts and histogram; then the groups. */
const HEADER_BYTES = 32 + 4 * (STATS_MAX_CLASSES + STATS_BINS);
const GROUP_BYTES = 24 + 4 * STATS_BINS;
export const statsRecordBytes = (groups: number) => HEADER_BYTES + groups * GROUP_BYTES;
/** The firmware's static RAM for the statistics: its tf_input_stats (the header and a 32-bit pointer) and the groups. */
export const statsRamBytes = (g: Pick<StatsGeometry, 'groups'>) => HEADER_BYTES + 4 + g.groups * GROUP_BYTES;

export interface StatsGeometry {
  /** Length of the channel axis: the input's innermost axis longer than 1 (1 when there is none). */
  channels: number;
  /** Elements between two channels: the product of the axes after the channel axis. */
  stride: number;
  /** Statistics kept: channels folded into at most STATS_MAX_GROUPS groups (group = ⌊channel·groups/channels⌋). */
  groups: number;
  elements: number;
  /** Outputs over which the top-1 class is tracked (a classifier with 2..16 int8 outputs), else 0. */
  classes: number;
}

/** The geometry for a model's first input (shape) and first output (element count and type). */
export function statsGeometry(inputShape: readonly number[], output?: { elements: number; dtype: string }): StatsGeometry {
  const elements = inputShape.reduce((a, b) => a * b, 1);
  let axis = -1;
  for (let i = inputShape.length - 1; i >= 0; i--) {
    if (inputShape[i]! > 1) {
      axis = i;
      break;
    }
  }
  const channels = axis < 0 ? 1 : inputShape[axis]!;
  const stride = axis < 0 ? Math.max(1, elements) : inputShape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const classes = output && output.dtype === 'int8' && output.elements >= 2 && output.elements <= STATS_MAX_CLASSES ? output.elements : 0;
  return { channels, stride, groups: Math.min(channels, STATS_MAX_GROUPS), elements, classes };
}

/** The input channels a statistics group covers. */
export function groupChannels(g: StatsGeometry, group: number): { first: number; last: number } {
  let first = -1, last = -1;
  for (let c = 0; c < g.channels; c++) {
    if (Math.floor((c * g.groups) / g.channels) === group) {
      if (first < 0) first = c;
      last = c;
    }
  }
  return { first, last };
}

export interface GroupStats {
  count: bigint;
  sum: bigint;
  sumSq: bigint;
  hist: number[];
}

export interface InputStatsRecord {
  geometry: StatsGeometry;
  invocations: number;
  /** One per group (geometry.groups). */
  groups: GroupStats[];
  /** Per class, how often it was the top-1 (geometry.classes entries). */
  top1: number[];
  /** Histogram of the top-1 class's int8 score. */
  top1Hist: number[];
}

export class StatsRecordError extends Error {
  override name = 'StatsRecordError';
}

export function decodeStatsRecord(bytes: Uint8Array): InputStatsRecord {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u = (at: number) => v.getUint32(at, true);
  if (bytes.length < HEADER_BYTES || u(0) !== STATS_MAGIC) throw new StatsRecordError(`not a STATS record (${bytes.length} B${bytes.length >= 4 ? `, magic 0x${u(0).toString(16)}` : ''}; expected magic 0x${STATS_MAGIC.toString(16)} "TFS1": firmware of another tinyforge version?)`);
  const geometry: StatsGeometry = { channels: u(4), stride: u(8), groups: u(12), elements: u(16), classes: u(20) };
  if (geometry.groups > STATS_MAX_GROUPS || geometry.classes > STATS_MAX_CLASSES) throw new StatsRecordError(`STATS record with ${geometry.groups} groups and ${geometry.classes} classes: out of range`);
  if (bytes.length !== statsRecordBytes(geometry.groups)) throw new StatsRecordError(`a STATS record of ${geometry.groups} groups has ${statsRecordBytes(geometry.groups)} bytes, got ${bytes.length}`);
  const groups: GroupStats[] = [];
  for (let g = 0; g < geometry.groups; g++) {
    const at = HEADER_BYTES + g * GROUP_BYTES;
    groups.push({
      count: v.getBigUint64(at, true), sum: v.getBigInt64(at + 8, true), sumSq: v.getBigUint64(at + 16, true),
      hist: Array.from({ length: STATS_BINS }, (_, b) => u(at + 24 + 4 * b)),
    });
  }
  const top = 32;
  return {
    geometry, invocations: u(24), groups,
    top1: Array.from({ length: geometry.classes }, (_, k) => u(top + 4 * k)),
    top1Hist: Array.from({ length: STATS_BINS }, (_, b) => u(top + 4 * STATS_MAX_CLASSES + 4 * b)),
  };
}

/** The record's bytes as the firmware sends them (unused classes zero). */
export function encodeStatsRecord(r: InputStatsRecord): Uint8Array {
  const bytes = new Uint8Array(statsRecordBytes(r.geometry.groups));
  const v = new DataView(bytes.buffer);
  const g = r.geometry;
  [STATS_MAGIC, g.channels, g.stride, g.groups, g.elements, g.classes, r.invocations, g.elements / (g.channels * g.stride)].forEach((x, i) => v.setUint32(4 * i, x, true));
  r.groups.forEach((s, i) => {
    const at = HEADER_BYTES + i * GROUP_BYTES;
    v.setBigUint64(at, s.count, true);
    v.setBigInt64(at + 8, s.sum, true);
    v.setBigUint64(at + 16, s.sumSq, true);
    s.hist.forEach((h, b) => v.setUint32(at + 24 + 4 * b, h, true));
  });
  const top = 32;
  r.top1.forEach((c, k) => v.setUint32(top + 4 * k, c, true));
  r.top1Hist.forEach((c, b) => v.setUint32(top + 4 * STATS_MAX_CLASSES + 4 * b, c, true));
  return bytes;
}

/** Mean and (population) variance of a group, from its exact sums. */
export function groupMoments(s: GroupStats): { mean: number; variance: number } {
  if (s.count === 0n) return { mean: NaN, variance: NaN };
  const n = Number(s.count);
  const mean = Number(s.sum) / n;
  // n·Σx² − (Σx)² is exact in integers; one division at the end.
  const variance = Number(s.count * s.sumSq - s.sum * s.sum) / (n * n);
  return { mean, variance };
}
