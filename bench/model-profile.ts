// Per kernel call times of one corpus model in the SIMD runtime (median over repeated invocations):
// which steps dominate, with their shapes (the kernel's int32 scalars) and MACs.
import { compileTflite } from '../compiler/compile-model.ts';
import { Runtime } from '../runtime-as/host/runtime.ts';
import { goldenCases, readModel } from '../tests/conformance-corpus.ts';
import { writeBlob } from '../compiler/emit/blob/write-blob.ts';

export interface StepProfile {
  step: number;
  opType: string;
  kernel: string;
  macs: number;
  medianUs: number;
}

export function profileModel(name: string, runs = 300): StepProfile[] {
  const compiled = compileTflite(readModel(name), name);
  const rt = Runtime.create(writeBlob(compiled), { variant: 'simd', profile: true });
  const input = goldenCases(name)[0].input;
  const samples = rt.ops.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    rt.invoke(input);
    rt.lastStepTimesUs.forEach((t, s) => samples[s].push(t));
  }
  return rt.ops.map((o, s) => {
    const sorted = samples[s].sort((a, b) => a - b);
    return { step: o.step, opType: o.opType, kernel: o.kernel, macs: o.macs, medianUs: sorted[sorted.length >> 1] };
  });
}
