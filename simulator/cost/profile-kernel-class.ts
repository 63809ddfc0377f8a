// The kernel class a step is costed as under a profile. Usually the simulator's own class (kernel-class.ts), but
// the code a profile stands for may run an op through another kernel than tinyforge does: microTVM's CMSIS-NN backend
// calls a convolution over one input channel as a depthwise convolution with a channel multiplier
// (kernel-profiles.json `lowering`, with its source).
import type { SimStep } from '../sim-model.ts';
import type { KernelClass } from './kernel-class.ts';
import { kernelProfiles, type ProfileId } from './cost-data.ts';

type StepShape = Pick<SimStep, 'kernelClass' | 'macs' | 'outputs' | 'pixels' | 'taps'>;

/** Input channels of a convolution from its work counters: MACs = outputs × filter taps per pixel × input channels. */
export function convInputChannels(s: StepShape): number | undefined {
  if (!s.taps || !s.pixels || !s.outputs) return undefined;
  return s.macs / (s.outputs * (s.taps / s.pixels));
}

export function profileKernelClass(s: StepShape, profile: ProfileId): KernelClass {
  const lowering = kernelProfiles().profiles[profile].lowering;
  if (lowering && (s.kernelClass === 'conv' || s.kernelClass === 'conv1x1') && convInputChannels(s) === 1) return lowering.convOneInputChannel;
  return s.kernelClass;
}
