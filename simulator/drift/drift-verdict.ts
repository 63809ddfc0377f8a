// Is a device's input still what the model was calibrated on? Per statistics group (an input channel, or a few),
// the population stability index of the 16-bin histograms, the mean's shift in reference standard deviations
// and the variance ratio; the verdict is PSI's usual reading (below 0.1 stable, 0.1–0.25 a moderate shift to
// watch, above 0.25 drifting), with the channels that moved most named.
import { groupChannels, groupMoments, STATS_BINS, type InputStatsRecord } from '../../formats/input-stats/input-stats-record.ts';

export const PSI_WATCH = 0.1;
export const PSI_ALARM = 0.25;
/** Proportions floored so an empty bin on one side gives a large finite term, not infinity (a common convention). */
const PSI_FLOOR = 1e-4;
/** Fewer inferences than this and the histograms are too noisy to call drift: said in the verdict. */
export const MIN_INVOCATIONS = 10;

export interface ChannelDrift {
  group: number;
  /** "channel 3" or "channels 600–639". */
  name: string;
  psi: number;
  mean: number;
  referenceMean: number;
  /** (mean − reference mean) / reference standard deviation (a floor of one int8 step). */
  meanShiftSd: number;
  varianceRatio: number;
}

export interface DriftVerdict {
  verdict: 'stable' | 'watch' | 'drifting';
  message: string;
  thresholds: { psiWatch: number; psiAlarm: number; minInvocations: number };
  invocations: number;
  referenceSamples: number;
  maxPsi: number;
  channels: ChannelDrift[];
  /** The top-1 class mix, when both sides track classes. */
  classes?: { psi: number; observed: number[]; reference: number[] };
}

export class DriftCompareError extends Error {
  override name = 'DriftCompareError';
}

/** Population stability index of two histograms (counts), over proportions floored at PSI_FLOOR. */
export function psi(observed: readonly number[], reference: readonly number[]): number {
  const no = observed.reduce((a, b) => a + b, 0), nr = reference.reduce((a, b) => a + b, 0);
  if (no === 0 || nr === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < observed.length; i++) {
    const a = Math.max(observed[i]! / no, PSI_FLOOR), e = Math.max(reference[i]! / nr, PSI_FLOOR);
    sum += (a - e) * Math.log(a / e);
  }
  return sum;
}

export function compareStats(observed: InputStatsRecord, reference: InputStatsRecord): DriftVerdict {
  const go = observed.geometry, gr = reference.geometry;
  if (go.channels !== gr.channels || go.stride !== gr.stride || go.groups !== gr.groups || go.elements !== gr.elements) {
    throw new DriftCompareError(`the device keeps statistics over ${go.elements} input values in ${go.groups} group(s) of ${go.channels} channel(s), the reference over ${gr.elements} in ${gr.groups} of ${gr.channels}: it runs another model than the reference was computed for`);
  }
  if (observed.invocations === 0) throw new DriftCompareError('no inferences since the statistics were last reset: nothing to compare yet');
  const channels: ChannelDrift[] = observed.groups.map((o, g) => {
    const r = reference.groups[g]!;
    const mo = groupMoments(o), mr = groupMoments(r);
    const { first, last } = groupChannels(go, g);
    return {
      group: g, name: first === last ? `channel ${first}` : `channels ${first}–${last}`,
      psi: psi(o.hist, r.hist), mean: mo.mean, referenceMean: mr.mean,
      meanShiftSd: (mo.mean - mr.mean) / Math.max(1, Math.sqrt(mr.variance)),
      varianceRatio: mo.variance / Math.max(1e-9, mr.variance),
    };
  });
  const maxPsi = Math.max(...channels.map((c) => c.psi));
  const ranked = [...channels].sort((a, b) => b.psi - a.psi);
  const verdict = maxPsi > PSI_ALARM ? 'drifting' : maxPsi > PSI_WATCH ? 'watch' : 'stable';
  const names = (list: ChannelDrift[]) => {
    const single = list.every((c) => c.name.startsWith('channel '));
    return single ? `channel${list.length > 1 ? 's' : ''} ${list.map((c) => c.name.slice(8)).join(', ')}` : list.map((c) => c.name).join(', ');
  };
  let message: string;
  if (verdict === 'drifting') {
    const moved = ranked.filter((c) => c.psi > PSI_ALARM).slice(0, 3);
    message = `drifting: ${names(moved)} moved most, PSI ${moved[0]!.psi.toFixed(2)} > ${PSI_ALARM} (${channels.filter((c) => c.psi > PSI_ALARM).length} of ${channels.length} over)`;
  } else if (verdict === 'watch') {
    message = `watch: ${names(ranked.slice(0, 1))} shifted, PSI ${maxPsi.toFixed(2)} > ${PSI_WATCH} (drift alarm at ${PSI_ALARM})`;
  } else {
    message = `stable: largest PSI ${maxPsi.toFixed(2)} (${ranked[0]!.name}) ≤ ${PSI_WATCH}`;
  }
  if (observed.invocations < MIN_INVOCATIONS) message += ` — only ${observed.invocations} inference(s) so far (fewer than ${MIN_INVOCATIONS}): a noisy estimate`;
  const result: DriftVerdict = {
    verdict, message, thresholds: { psiWatch: PSI_WATCH, psiAlarm: PSI_ALARM, minInvocations: MIN_INVOCATIONS },
    invocations: observed.invocations, referenceSamples: reference.invocations, maxPsi, channels,
  };
  if (go.classes > 0 && gr.classes === go.classes && reference.top1.some((c) => c > 0)) {
    result.classes = { psi: psi(observed.top1, reference.top1), observed: observed.top1, reference: reference.top1 };
  }
  return result;
}

export function formatDrift(v: DriftVerdict, labels?: readonly string[], observedOn = 'on the device'): string {
  const lines = [
    `${v.invocations} inference(s) ${observedOn} against ${v.referenceSamples} calibration sample(s); PSI per channel over ${STATS_BINS} bins of the int8 input (stable ≤ ${v.thresholds.psiWatch}, drifting > ${v.thresholds.psiAlarm})`,
    `${'channel'.padEnd(16)} ${'PSI'.padStart(7)} ${'mean'.padStart(8)} ${'calib.'.padStart(8)} ${'shift σ'.padStart(8)} ${'var ratio'.padStart(10)}`,
    ...v.channels.map((c) => `${c.name.padEnd(16)} ${c.psi.toFixed(3).padStart(7)} ${c.mean.toFixed(2).padStart(8)} ${c.referenceMean.toFixed(2).padStart(8)} ${c.meanShiftSd.toFixed(2).padStart(8)} ${c.varianceRatio.toFixed(2).padStart(10)}${c.psi > v.thresholds.psiAlarm ? '  DRIFT' : c.psi > v.thresholds.psiWatch ? '  watch' : ''}`),
  ];
  if (v.classes) {
    const name = (k: number) => labels?.[k] ?? `class ${k}`;
    const share = (counts: number[]) => { const n = counts.reduce((a, b) => a + b, 0); return counts.map((c, k) => [k, c / n] as const).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k, p]) => `${name(k)} ${(p * 100).toFixed(0)}%`).join(', '); };
    lines.push(`top-1 classes: PSI ${v.classes.psi.toFixed(3)} (observed: ${share(v.classes.observed)}; calibration: ${share(v.classes.reference)})`);
  }
  lines.push(v.message);
  return lines.join('\n');
}
