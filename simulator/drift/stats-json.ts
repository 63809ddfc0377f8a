// An input-statistics record as JSON (64-bit sums as numbers: exact below 2^53) with each group's mean and variance,
// for --json output; the same shape from the simulator's twin and from a device, so the two compare as they are.
import { groupChannels, groupMoments, type InputStatsRecord } from '../../formats/input-stats/input-stats-record.ts';

export function statsRecordJson(r: InputStatsRecord) {
  return {
    geometry: r.geometry,
    invocations: r.invocations,
    groups: r.groups.map((g, i) => ({ channels: groupChannels(r.geometry, i), count: Number(g.count), sum: Number(g.sum), sumSq: Number(g.sumSq), ...groupMoments(g), hist: g.hist })),
    top1: r.top1,
    top1Hist: r.top1Hist,
  };
}
