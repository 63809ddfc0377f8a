// The simulator's view of a compiled model: per kernel call, its work counts and the constant
// bytes it touches; per tensor, its arena placement. Built from the blob (always present) and,
// when the model came from a .tflite, the IR (exact output element counts, filter shapes, names). Without the IR,
// output pixels, element counts and depth multipliers come from the kernels' own parameters (blob-step-geometry.ts).
import type { CompiledModel } from '../compiler/compile-model.ts';
import { packMatmul } from '../compiler/emit/c/matmul-packed.ts';
import { elementCount, type Graph } from '../formats/ir/graph.ts';
import { PointerKind } from '../formats/blob/blob-format.ts';
import type { BlobModel } from '../runtime-as/host/read-blob.ts';
import { blobStepDepthMultiplier, blobStepOutputs, blobStepPixels, blobStepTaps } from './blob-step-geometry.ts';
import { kernelClass, type KernelClass } from './cost/kernel-class.ts';

export interface SimStep {
  step: number;
  opIndex: number;
  opType: string;
  kernel: string;
  kernelClass: KernelClass;
  macs: number;
  bytesRead: number;
  bytesWritten: number;
  /** Output elements written (each requantized by MAC kernels). */
  outputs: number;
  /** Output positions (elements over the innermost, channel dimension): kernels pay a loop setup per pixel. */
  pixels: number;
  /** Filter taps over all output pixels (pixels × filter height × filter width) of a convolution, 0 for other
   * kernels: im2col-style kernels (CMSIS-NN's) pay a copy per tap. Optional for steps written by hand. */
  taps?: number;
  scratchBytes: number;
  /** Bytes of the constant section this call points into (weights and prepare data, with alignment). */
  constBytes: number;
  pointerCount: number;
  scalarCount: number;
  /** Every arena pointer of the call is the same buffer (a reshape over its input: nothing to copy). */
  inPlace: boolean;
  /** Bytes the firmware copies from its input buffer into the arena before this call (the first call only). */
  inputCopyBytes: number;
}

export interface SimTensor {
  tensor: number;
  name: string;
  offset: number;
  bytes: number;
  firstStep: number;
  lastStep: number;
}

export interface SimModel {
  name: string;
  steps: SimStep[];
  tensors: SimTensor[];
  scratch: { step: number; offset: number; bytes: number }[];
  arenaBytes: number;
  liveBytes: number[];
  /** Step whose buffers reach highest in the arena. */
  peakStep: number;
  constBytes: number;
  /** Bytes of constant graph tensors (weights, biases) within constBytes, alignment included; undefined for a bare blob. */
  weightBytes?: number;
  /** How many more constant bytes a Cortex-M DSP firmware holds: its 1×1 convs and fully connected layers carry the
   * packed layout (compiler/emit/c/matmul-packed.ts) instead of their int8 weights and parameters. */
  dspConstDeltaBytes?: number;
  /** The deepest row those packed layers widen on the stack (0: none). */
  dspPackedDepth?: number;
  inputs: BlobModel['inputs'];
  outputs: BlobModel['outputs'];
}

/** Sizes of the constant items by offset: each runs to the next item's offset (padding included). */
function constItemSizes(blob: BlobModel): Map<number, number> {
  const offsets = [...new Set(blob.steps.flatMap((s) => s.pointers.filter((p) => p.kind === PointerKind.Const).map((p) => p.offset)))].sort((a, b) => a - b);
  const sizes = new Map<number, number>();
  offsets.forEach((o, i) => sizes.set(o, (offsets[i + 1] ?? blob.constBytes) - o));
  return sizes;
}

/** Constant bytes of graph tensors as the blob lays them out (16-aligned pool, first use first). */
function weightBytesOf(compiled: CompiledModel, blob: BlobModel): number {
  const sizes = constItemSizes(blob);
  const seen = new Set<number>();
  let total = 0;
  compiled.prepared.forEach((p, s) => {
    const refs = p.layout.pointers.map((n) => p.pointers[n as keyof typeof p.pointers]);
    refs.forEach((ref, k) => {
      const ptr = blob.steps[s].pointers[k];
      if (ref.kind === 'tensor' && ptr.kind === PointerKind.Const && !seen.has(ptr.offset)) {
        seen.add(ptr.offset);
        total += sizes.get(ptr.offset) ?? 0;
      }
    });
  });
  return total;
}

function dspPackedOf(compiled: CompiledModel, blob: BlobModel): { constDelta: number; depth: number } {
  const sizes = constItemSizes(blob);
  let constDelta = 0, depth = 0;
  compiled.prepared.forEach((p, s) => {
    const packed = packMatmul(compiled.graph, p);
    if (!packed) return;
    const offsets = new Set(blob.steps[s].pointers.filter((x) => x.kind === PointerKind.Const).map((x) => x.offset));
    constDelta += Math.ceil((packed.words.length * 4) / 16) * 16 - [...offsets].reduce((n, o) => n + (sizes.get(o) ?? 0), 0);
    depth = Math.max(depth, packed.depth);
  });
  return { constDelta, depth };
}

function filterShape(graph: Graph | undefined, opIndex: number): number[] | undefined {
  const op = graph?.ops.find((o) => o.index === opIndex);
  const w = op && op.inputs[1] !== undefined && op.inputs[1] >= 0 ? graph!.tensors[op.inputs[1]] : undefined;
  return w?.shape;
}

function attrsOf(graph: Graph | undefined, opIndex: number): { strideH?: number; strideW?: number; depthMultiplier?: number } | undefined {
  return graph?.ops.find((o) => o.index === opIndex)?.attrs as { strideH?: number; strideW?: number; depthMultiplier?: number } | undefined;
}

function stridesOf(graph: Graph | undefined, opIndex: number): [number, number] | undefined {
  const a = attrsOf(graph, opIndex);
  return a?.strideH !== undefined && a.strideW !== undefined ? [a.strideH, a.strideW] : undefined;
}

export function simModel(blob: BlobModel, compiled?: CompiledModel): SimModel {
  const graph = compiled?.graph;
  const sizes = constItemSizes(blob);
  const stepsPerOp = new Map<number, number>();
  for (const s of blob.steps) stepsPerOp.set(s.opIndex, (stepsPerOp.get(s.opIndex) ?? 0) + 1);
  const names = new Map<number, string>();
  if (graph) for (const t of graph.tensors) names.set(t.id, t.name);
  for (const t of [...blob.inputs, ...blob.outputs]) names.set(t.tensor, t.name);

  const steps: SimStep[] = blob.steps.map((s, step) => {
    const op = graph?.ops.find((o) => o.index === s.opIndex);
    // With the IR and one call per op, outputs are exact element counts; otherwise the call's own parameters say.
    const outputs = op && stepsPerOp.get(s.opIndex) === 1
      ? op.outputs.reduce((n, t) => n + elementCount(graph!.tensors[t].shape), 0)
      : blobStepOutputs(s);
    const outShape = op && stepsPerOp.get(s.opIndex) === 1 ? graph!.tensors[op.outputs[0]].shape : undefined;
    const pixels = outShape ? (outShape.length > 1 ? elementCount(outShape.slice(0, -1)) : 1) : blobStepPixels(s) ?? 1;
    const filter = filterShape(graph, s.opIndex);
    const convolution = s.opType === 'CONV_2D' || s.opType === 'DEPTHWISE_CONV_2D';
    const taps = !convolution ? 0 : outShape && filter?.length === 4 ? pixels * filter[1]! * filter[2]! : blobStepTaps(s) ?? 0;
    const constOffsets = new Set(s.pointers.filter((p) => p.kind === PointerKind.Const).map((p) => p.offset));
    return {
      step, opIndex: s.opIndex, opType: s.opType, kernel: s.kernel,
      kernelClass: kernelClass(s.opType, s.kernel, filter, stridesOf(graph, s.opIndex), graph ? attrsOf(graph, s.opIndex)?.depthMultiplier : blobStepDepthMultiplier(s)),
      macs: s.macs, bytesRead: s.bytesRead, bytesWritten: s.bytesWritten, outputs, pixels, taps,
      scratchBytes: s.scratchBytes,
      constBytes: [...constOffsets].reduce((n, o) => n + (sizes.get(o) ?? 0), 0),
      pointerCount: s.pointers.length, scalarCount: s.scalars.length,
      inPlace: new Set(s.pointers.filter((p) => p.kind === PointerKind.Arena).map((p) => p.offset)).size === 1,
      inputCopyBytes: step === 0 ? blob.inputs.reduce((n, t) => n + t.bytes, 0) : 0,
    };
  });
  const scratch = blob.steps
    .map((s, step) => ({ step, offset: s.scratchOffset, bytes: s.scratchBytes }))
    .filter((s) => s.bytes > 0);
  let peakStep = 0;
  if (compiled) peakStep = compiled.plan.peak.step;
  else {
    // A bare blob has no heights: take the step with the most live bytes.
    blob.liveBytes.forEach((b, s) => { if (b > blob.liveBytes[peakStep]) peakStep = s; });
  }
  return {
    name: blob.name,
    steps,
    tensors: blob.placements.map((p) => ({ ...p, name: names.get(p.tensor) ?? `t${p.tensor}` })),
    scratch,
    arenaBytes: blob.arenaBytes,
    liveBytes: blob.liveBytes,
    peakStep,
    constBytes: blob.constBytes,
    weightBytes: compiled ? weightBytesOf(compiled, blob) : undefined,
    ...(compiled ? (({ constDelta, depth }) => ({ dspConstDeltaBytes: constDelta, dspPackedDepth: depth }))(dspPackedOf(compiled, blob)) : {}),
    inputs: blob.inputs,
    outputs: blob.outputs,
  };
}
