// The TypeScript twin of the firmware's input statistics (targets/firmware/common/input-stats.c): the same update
// over the same int8 values, giving the same record byte for byte (tests/firmware/input-stats.test.ts runs both).
import { STATS_BINS, type InputStatsRecord, type StatsGeometry } from '../../formats/input-stats/input-stats-record.ts';

export class InputStats {
  private record: InputStatsRecord;

  constructor(readonly geometry: StatsGeometry) {
    this.record = InputStats.empty(geometry);
  }

  private static empty(geometry: StatsGeometry): InputStatsRecord {
    return {
      geometry,
      invocations: 0,
      groups: Array.from({ length: geometry.groups }, () => ({ count: 0n, sum: 0n, sumSq: 0n, hist: new Array<number>(STATS_BINS).fill(0) })),
      top1: new Array<number>(geometry.classes).fill(0),
      top1Hist: new Array<number>(STATS_BINS).fill(0),
    };
  }

  reset(): void {
    this.record = InputStats.empty(this.geometry);
  }

  /** One inference: the model's first input as int8, and its output (for the top-1 class) when it is a classifier. */
  update(input: Int8Array, output?: Int8Array): void {
    const { channels, stride, groups, elements, classes } = this.geometry;
    const outer = elements / (channels * stride);
    let p = 0;
    for (let o = 0; o < outer; o++) {
      for (let c = 0; c < channels; c++) {
        const st = this.record.groups[Math.floor((c * groups) / channels)]!;
        let sum = 0, sumSq = 0;
        for (let k = 0; k < stride; k++) {
          const v = input[p++]!;
          sum += v;
          sumSq += v * v;
          st.hist[(v + 128) >> 4]!++;
        }
        st.count += BigInt(stride);
        st.sum += BigInt(sum);
        st.sumSq += BigInt(sumSq);
      }
    }
    if (classes > 0 && output) {
      let top = 0;
      for (let k = 1; k < classes; k++) if (output[k]! > output[top]!) top = k;
      this.record.top1[top]!++;
      this.record.top1Hist[(output[top]! + 128) >> 4]!++;
    }
    this.record.invocations++;
  }

  snapshot(): InputStatsRecord {
    return structuredClone(this.record);
  }
}
