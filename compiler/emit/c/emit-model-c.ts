// Ahead-of-time C for a compiled model: model.h / model.c with no interpreter. One kernel call per prepared
// op, its parameters a `static const` struct (in flash), weights as `const` arrays in their own section,
// and one static arena sized by the planner. The kernels are those of targets/c/kernels/.
import type { CompiledModel } from '../../compile-model.ts';
import { tensorBytes, type Graph, type Tensor } from '../../../formats/ir/graph.ts';
import type { BufferRef, PreparedOp } from '../../prepare/kernel-layout.ts';
import { cArrayBody, cCommentText, cIdentifier, cInt, cStringLiteral } from './c-literals.ts';
import { MATMUL_PACKED_EXTRA_WORDS, packMatmul } from './matmul-packed.ts';
import { paramsStructName } from './params-struct-name.ts';
import { statsGeometry } from '../../../formats/input-stats/input-stats-record.ts';

export class CEmitError extends Error {
  override name = 'CEmitError';
}

export interface EmittedModelC {
  /** The C identifier used in function names: tf_<cName>_invoke. */
  cName: string;
  header: string;
  source: string;
  /** Kernel names the source calls (their files in targets/c/kernels/ must be linked). */
  kernels: string[];
  inputBytes: number;
  outputBytes: number;
  arenaBytes: number;
}

function shapeText(t: Tensor): string {
  return `[${t.shape.join(',')}]`;
}

function describeTensor(graph: Graph, id: number): string {
  const t = graph.tensors[id];
  return `t${id} ${t.dtype} ${shapeText(t)}${t.name ? ` "${cCommentText(t.name)}"` : ''}`;
}

function constantArray(name: string, bytes: Uint8Array, dtype: string | undefined, comment: string): string {
  const attr = 'TF_WEIGHT_ATTR';
  if (dtype === 'int8') {
    const v = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    return `/* ${comment} */\nstatic const int8_t ${name}[${v.length}] ${attr} = {\n${cArrayBody(v, 24)}\n};\n`;
  }
  if (bytes.length % 4 === 0 && (dtype === undefined || dtype === 'int32' || dtype === 'float32')) {
    const copy = new Uint8Array(bytes); // aligned copy for the Int32Array view
    const v = new Int32Array(copy.buffer, 0, copy.length / 4);
    return `/* ${comment} */\nstatic const int32_t ${name}[${v.length}] ${attr} = {\n${cArrayBody(v, 8)}\n};\n`;
  }
  return `/* ${comment} */\nstatic const uint8_t ${name}[${bytes.length}] ${attr} = {\n${cArrayBody(bytes, 24)}\n};\n`;
}

export interface EmitCOptions {
  /** Put weights in their own `.tf_weights` section (default), or leave them in plain `.rodata` for build
   * systems whose linker scripts do not know that section (ESP-IDF). */
  weightSection?: boolean;
}

export function emitModelC(model: CompiledModel, name: string = model.graph.name, options: EmitCOptions = {}): EmittedModelC {
  const { graph, prepared, plan } = model;
  const cName = cIdentifier(name);
  const upper = cName.toUpperCase();
  const placement = new Map(plan.tensors.map((p) => [p.tensor, p]));
  const arenaOffset = (id: number, why: string): number => {
    const p = placement.get(id);
    if (!p) throw new CEmitError(`tensor ${id} (${graph.tensors[id]?.name}) is ${why} but has no place in the arena plan`);
    return p.offset;
  };

  const weights: string[] = [];
  // Where constant arrays go: the model's list, or (while a packed step is emitted) that step's generic branch.
  let weightsTarget = weights;
  let weightPrefix = 'tf_w';
  const weightName = new Map<number, string>();
  const constName = (id: number): string => {
    let n = weightName.get(id);
    if (n) return n;
    const t = graph.tensors[id];
    n = `${weightPrefix}${id}`;
    weightName.set(id, n);
    weightsTarget.push(constantArray(n, t.data!, t.dtype, describeTensor(graph, id)));
    return n;
  };

  const steps: string[] = [];
  const calls: string[] = [];
  const kernels = new Set<string>();
  prepared.forEach((p: PreparedOp, step) => {
    const op = graph.ops.find((o) => o.index === p.opIndex);
    const opText = op ? `op ${op.index} ${op.type}` : `op ${p.opIndex}`;
    kernels.add(p.layout.name);
    // A 1×1 conv or fully connected layer the DSP kernel can take gets its packed layout in DSP builds, and its generic parameters
    // (with their own copy of the int8 weights) everywhere else: each build holds only what it calls.
    const packed = packMatmul(graph, p);
    const shared = { weights: weightsTarget, names: new Map(weightName) };
    if (packed) {
      weightsTarget = [];
      weightPrefix = `tf_s${step}_w`;
      weightName.clear();
    }
    const fields: string[] = [];
    const notes: string[] = [];
    for (const field of p.layout.pointers) {
      const ref = (p.pointers as Record<string, BufferRef>)[field];
      let value: string;
      switch (ref.kind) {
        case 'none':
          value = '0';
          break;
        case 'scratch': {
          const s = plan.scratch.find((x) => x.step === step);
          if (!s) throw new CEmitError(`step ${step} (${opText}) uses scratch but the arena plan has none for it`);
          value = `tf_arena + ${s.offset}`;
          notes.push(`${field}: ${s.bytes} B scratch at arena+${s.offset}`);
          break;
        }
        case 'const': {
          const n = `tf_s${step}_${field}`;
          weightsTarget.push(constantArray(n, ref.data, undefined, `step ${step} ${p.layout.name}.${field} (computed at compile time)`));
          value = n;
          break;
        }
        case 'tensor': {
          const t = graph.tensors[ref.tensor];
          if (!t) throw new CEmitError(`step ${step} (${opText}): ${field} names tensor ${ref.tensor}, which does not exist`);
          if (t.data) {
            value = constName(ref.tensor);
            notes.push(`${field}: ${describeTensor(graph, ref.tensor)} (flash)`);
          } else {
            const off = arenaOffset(ref.tensor, `${field} of step ${step} (${opText})`);
            value = `tf_arena + ${off}`;
            notes.push(`${field}: ${describeTensor(graph, ref.tensor)} at arena+${off}`);
          }
          break;
        }
      }
      fields.push(`    .${field} = ${value},`);
    }
    for (const s of p.layout.scalars) fields.push(`    .${s} = ${cInt((p.scalars as Record<string, number>)[s])},`);
    steps.push(
      `/* step ${step}: ${opText} → ${p.layout.name}${p.counters.macs ? `, ${p.counters.macs} MACs` : ''}\n` +
        notes.map((n) => ` *   ${n}\n`).join('') +
        ` */\nstatic const ${paramsStructName(p.layout.name)} tf_step${step} = {\n${fields.join('\n')}\n};\n`,
    );
    const ins = op ? op.inputs.filter((i) => i >= 0 && !graph.tensors[i].data).map((i) => shapeText(graph.tensors[i])) : [];
    const outs = op ? op.outputs.map((i) => shapeText(graph.tensors[i])) : [];
    let call = `${p.layout.name}(&tf_step${step});`;
    if (packed) {
      const generic = [...weightsTarget, steps.pop()!].join('\n');
      weightsTarget = shared.weights;
      weightPrefix = 'tf_w';
      weightName.clear();
      for (const [k, v] of shared.names) weightName.set(k, v);
      const inputRef = (p.pointers as Record<string, BufferRef>).input, outputRef = (p.pointers as Record<string, BufferRef>).output;
      const at = (ref: BufferRef, what: string) =>
        ref.kind === 'tensor' ? `tf_arena + ${arenaOffset(ref.tensor, `${what} of step ${step} (${opText})`)}` : '0';
      const pairs = packed.channels / 2;
      steps.push(
        `#if defined(__ARM_FEATURE_DSP) && !defined(TF_NO_PACKED_MATMUL)\n` +
          `/* step ${step}: ${opText} → tf_matmul_packed_s8 (DSP layout: ${pairs} channel pairs of ` +
          `${MATMUL_PACKED_EXTRA_WORDS} start and requantization words + ${packed.depth} weight words) */\n` +
          `static const int32_t tf_s${step}_packed[${packed.words.length}] TF_WEIGHT_ATTR = {\n${cArrayBody(packed.words, 8)}\n};\n` +
          `static const tf_matmul_packed_s8_params tf_step${step} = {\n` +
          `    .input = (const int8_t *)(${at(inputRef, 'input')}),\n    .packed = tf_s${step}_packed,\n` +
          `    .output = ${at(outputRef, 'output')},\n    .rows = ${packed.rows},\n    .depth = ${packed.depth},\n` +
          `    .channels = ${packed.channels},\n    .act_min = ${cInt(packed.actMin)},\n    .act_max = ${cInt(packed.actMax)},\n};\n` +
          `#else\n${generic}#endif\n`,
      );
      call = `\n#if defined(__ARM_FEATURE_DSP) && !defined(TF_NO_PACKED_MATMUL)\n  tf_matmul_packed_s8(&tf_step${step});\n#else\n  ${call}\n#endif`;
    }
    calls.push(`  /* ${opText} ${ins.join(' ')} → ${outs.join(' ')} */\n  ${call}\n  TF_MARK_OP_END();`);
  });

  const io = (ids: number[], what: 'input' | 'output') =>
    ids.map((id) => {
      const t = graph.tensors[id];
      if (t.data) throw new CEmitError(`graph ${what} t${id} is a constant; a model's ${what}s must be computed tensors`);
      return { id, t, offset: arenaOffset(id, `a graph ${what}`), bytes: tensorBytes(t) };
    });
  const inputs = io(graph.inputs, 'input');
  const outputs = io(graph.outputs, 'output');
  const inputBytes = inputs.reduce((a, x) => a + x.bytes, 0);
  const outputBytes = outputs.reduce((a, x) => a + x.bytes, 0);
  const stats = statsGeometry(inputs[0]?.t.shape ?? [], outputs[0] && { elements: outputs[0].bytes, dtype: outputs[0].t.dtype });

  const copyIn: string[] = [];
  let pos = 0;
  for (const x of inputs) {
    copyIn.push(`  memcpy(tf_arena + ${x.offset}, input + ${pos}, ${x.bytes}); /* ${describeTensor(graph, x.id)} */`);
    pos += x.bytes;
  }
  const copyOut: string[] = [];
  pos = 0;
  for (const x of outputs) {
    copyOut.push(`  memcpy(output + ${pos}, tf_arena + ${x.offset}, ${x.bytes}); /* ${describeTensor(graph, x.id)} */`);
    pos += x.bytes;
  }

  const infoTable = (kind: 'input' | 'output', list: typeof inputs) => {
    const shapes = list.map((x, i) => `static const int32_t tf_${kind}${i}_shape[${Math.max(1, x.t.shape.length)}] = {${x.t.shape.length ? x.t.shape.join(', ') : '0'}};`);
    const entries = list.map((x, i) => {
      const scale = x.t.quant?.scale[0] ?? 0;
      const zp = x.t.quant?.zeroPoint[0] ?? 0;
      return `  {${cStringLiteral(x.t.name)}, ${cStringLiteral(x.t.dtype)}, ${x.t.shape.length}, tf_${kind}${i}_shape, ${x.bytes}, ${Number.isFinite(scale) ? `${scale.toPrecision(9)}f` : '0.0f'}, ${zp}},`;
    });
    return `${shapes.join('\n')}\nstatic const tf_tensor_info tf_${kind}s[${list.length}] = {\n${entries.join('\n')}\n};\n`;
  };

  const header = `/* Generated by tinyforge (compiler/emit/c) for model "${cCommentText(name)}". Do not edit. */
#ifndef TF_${upper}_MODEL_H
#define TF_${upper}_MODEL_H

#include <stdint.h>

#define TF_${upper}_MODEL_INPUT_BYTES ${inputBytes}
#define TF_${upper}_MODEL_OUTPUT_BYTES ${outputBytes}
#define TF_${upper}_MODEL_ARENA_BYTES ${plan.arenaBytes}

#ifndef TF_TENSOR_INFO_DEFINED
#define TF_TENSOR_INFO_DEFINED
typedef struct {
  const char *name;
  const char *dtype;
  int32_t rank;
  const int32_t *shape;
  int32_t bytes;
  float scale;      /* 0 when the tensor is not quantized */
  int32_t zero_point;
} tf_tensor_info;
#endif

/* Runs one inference. input: all inputs concatenated in graph order (${inputBytes} bytes);
 * output: all outputs concatenated (${outputBytes} bytes). Returns 0. Not reentrant: one static arena. */
int tf_${cName}_invoke(const int8_t *input, int8_t *output);

int tf_${cName}_input_count(void);
int tf_${cName}_output_count(void);
/* Shape and quantization of input/output i, or a null pointer when i is out of range. */
const tf_tensor_info *tf_${cName}_input(int i);
const tf_tensor_info *tf_${cName}_output(int i);

/* Model-independent names for the firmware's main.c. */
#define TF_MODEL_NAME ${cStringLiteral(name)}
#define TF_MODEL_INPUT_BYTES TF_${upper}_MODEL_INPUT_BYTES
#define TF_MODEL_OUTPUT_BYTES TF_${upper}_MODEL_OUTPUT_BYTES
#define TF_MODEL_ARENA_BYTES TF_${upper}_MODEL_ARENA_BYTES
#define TF_MODEL_INVOKE tf_${cName}_invoke
/* Drift statistics over the first input (formats/input-stats: channel axis, classes of a classifier output). */
#define TF_MODEL_STATS_CHANNELS ${stats.channels}
#define TF_MODEL_STATS_STRIDE ${stats.stride}
#define TF_MODEL_STATS_ELEMENTS ${inputs[0]?.t.dtype === 'int8' ? stats.elements : 0}
#define TF_MODEL_STATS_CLASSES ${stats.classes}
#define TF_MODEL_STATS_GROUPS ${stats.groups}

#endif
`;

  const source = `/* Generated by tinyforge (compiler/emit/c) for model "${cCommentText(name)}": ${prepared.length} kernel calls,
 * ${plan.arenaBytes} B arena. Do not edit. */
#include <string.h>

#include "model.h"
#include "tf_kernel_params.h"
#include "tf_matmul_packed_s8.h"

#ifdef TF_PROFILE
#include "profile-markers.h"
#else
#define TF_MARK_OP_END() ((void)0)
#endif

/* Weights and compile-time parameters: read-only, placed in flash in their own section so size reports
 * can tell them from code. */
#ifndef TF_WEIGHT_ATTR
#define TF_WEIGHT_ATTR ${options.weightSection === false ? '__attribute__((aligned(16)))' : '__attribute__((section(".tf_weights"), aligned(16)))'}
#endif

/* Every activation and scratch buffer, at the offsets the planner chose. */
static int8_t tf_arena[${Math.max(16, plan.arenaBytes)}] __attribute__((aligned(16)));

${weights.join('\n')}
${steps.join('\n')}
int tf_${cName}_invoke(const int8_t *input, int8_t *output) {
${copyIn.join('\n')}
${calls.join('\n')}
${copyOut.join('\n')}
  return 0;
}

${infoTable('input', inputs)}
${infoTable('output', outputs)}
int tf_${cName}_input_count(void) { return ${inputs.length}; }
int tf_${cName}_output_count(void) { return ${outputs.length}; }
const tf_tensor_info *tf_${cName}_input(int i) { return i >= 0 && i < ${inputs.length} ? &tf_inputs[i] : 0; }
const tf_tensor_info *tf_${cName}_output(int i) { return i >= 0 && i < ${outputs.length} ? &tf_outputs[i] : 0; }
`;
  return { cName, header, source, kernels: [...kernels].sort(), inputBytes, outputBytes, arenaBytes: plan.arenaBytes };
}
