// Each structural fault the reader knows ends in a ModelFormatError that says where and what;
// models using ops tinyforge cannot run end in one UnsupportedOpsError listing all of them.
import { Builder } from 'flatbuffers';
import { describe, expect, it } from 'vitest';
import { loadTfliteGraph, readTflite } from '../../compiler/tflite/read-tflite.ts';
import { tfliteToGraph } from '../../compiler/tflite/to-ir.ts';
import { writeTflite } from '../../compiler/tflite/write-tflite.ts';
import { ModelFormatError } from '../../compiler/tflite/model-format-error.ts';
import { UnsupportedOpsError } from '../../compiler/ir/unsupported-ops.ts';
import { graphMacs } from '../../compiler/ir/macs.ts';
import { SUPPORTED_OPS } from '../../formats/ir/op-types.ts';
import type { TfliteModel } from '../../compiler/tflite/tflite-model.ts';
import { tinyModel } from './tiny-model.ts';

/** Writes a broken variant of the tiny model and returns the error loading it throws. */
function loadError(breakIt: (m: TfliteModel) => void): unknown {
  const model = tinyModel();
  breakIt(model);
  try {
    loadTfliteGraph(writeTflite(model), 'tiny.tflite');
  } catch (e) {
    return e;
  }
  throw new Error('the broken model loaded');
}

function formatError(breakIt: (m: TfliteModel) => void): ModelFormatError {
  const e = loadError(breakIt);
  expect(e).toBeInstanceOf(ModelFormatError);
  return e as ModelFormatError;
}

describe('the tiny model', () => {
  it('loads into the IR with typed attributes and MACs', () => {
    const graph = loadTfliteGraph(writeTflite(tinyModel()), 'tiny');
    expect(graph.ops.map((op) => [op.type, op.attrs])).toEqual([
      ['CONV_2D', { padding: 'SAME', strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, activation: 'RELU6' }],
      ['AVERAGE_POOL_2D', { padding: 'VALID', strideH: 2, strideW: 2, filterH: 2, filterW: 2, activation: 'NONE' }],
      ['RESHAPE', { newShape: [1, 12] }],
    ]);
    expect(graph.tensors[1]!.quant).toEqual({ scale: [Math.fround(0.1), Math.fround(0.2), Math.fround(0.3)], zeroPoint: [0, 0, 0], axis: 0 });
    expect([...new Int32Array(graph.tensors[2]!.data!.buffer)]).toEqual([100, -200, 300]);
    expect(graph.tensors[0]!.data).toBeUndefined();
    expect(graphMacs(graph)).toBe(1 * 4 * 4 * 3 * 1 * 1 * 2);
  });
});

describe('ModelFormatError', () => {
  it('names a wrong file identifier', () => {
    const bytes = writeTflite(tinyModel());
    bytes.set(new TextEncoder().encode('TFL2'), 4);
    expect(() => readTflite(bytes, 'tiny.tflite')).toThrow(ModelFormatError);
    expect(() => readTflite(bytes, 'tiny.tflite')).toThrow('tiny.tflite: file header (byte 4): file identifier is "TFL2", expected "TFL3"');
  });

  it('names a schema version other than 3', () => {
    expect(formatError((m) => { m.version = 2; }).message)
      .toBe('tiny.tflite: model: schema version is 2; tinyforge reads version 3 (every converter since TensorFlow 1.x writes it): re-convert the model');
  });

  it('names a file too short to hold a header', () => {
    expect(() => readTflite(new Uint8Array(5))).toThrow('5 bytes is too short for a TFLite file');
  });

  it('names a truncated file with the offset that runs out', () => {
    const bytes = writeTflite(tinyModel());
    const e = (() => { try { readTflite(bytes.slice(0, bytes.length - 40)); } catch (err) { return err; } })();
    expect(e).toBeInstanceOf(ModelFormatError);
    expect((e as ModelFormatError).problem).toMatch(/outside the \d+-byte file|runs past the end/);
  });

  it('names a graph cycle', () => {
    const e = formatError((m) => {
      // conv reads the pool's output, the pool reads the conv's output.
      m.subgraphs[0]!.operators[0]!.inputs[0] = 4;
    });
    expect(e.message).toBe("tiny.tflite: op 0 (CONV_2D): input 0 reads tensor 4 'pool', which op 1 produces later: " +
      'the graph has a cycle or its ops are out of order');
  });

  it('names a tensor that nothing produces', () => {
    const e = formatError((m) => { m.subgraphs[0]!.inputs = []; });
    expect(e.message).toContain("op 0 (CONV_2D): input 0 reads tensor 0 'input', which no op produces and which is neither a constant nor a graph input");
  });

  it('names a graph output that is never produced', () => {
    const e = formatError((m) => { m.subgraphs[0]!.operators.pop(); });
    expect(e.message).toContain("graph output 0: tensor 5 'output' is never produced");
  });

  it('names a tensor written twice', () => {
    const e = formatError((m) => { m.subgraphs[0]!.operators[1]!.outputs = [3]; });
    expect(e.message).toContain("op 1 (AVERAGE_POOL_2D): writes tensor 3 'conv', which op 0 already produces");
  });

  it('names a negative dimension, but accepts -1 in shape_signature', () => {
    const e = formatError((m) => { m.subgraphs[0]!.tensors[4]!.shape = [1, -2, 2, 3]; });
    expect(e.where).toBe("tensor 4 'pool'");
    expect(e.problem).toContain('dimension 1 of shape [1, -2, 2, 3] is negative (-2)');

    const model = tinyModel();
    model.subgraphs[0]!.tensors[0]!.shapeSignature = [-1, 4, 4, 2];
    expect(readTflite(writeTflite(model)).subgraphs[0]!.tensors[0]!.shapeSignature).toEqual([-1, 4, 4, 2]);
    expect(formatError((m) => { m.subgraphs[0]!.tensors[0]!.shapeSignature = [-3, 4, 4, 2]; }).problem)
      .toContain('only -1 (unknown) may be negative');
  });

  it('names a constant buffer whose size does not match shape x type', () => {
    const e = formatError((m) => { m.buffers[1]!.data = new Uint8Array(5); });
    expect(e.message).toBe("tiny.tflite: tensor 1 'filter': constant buffer 1 holds 5 bytes but shape [3, 1, 1, 2] of INT8 needs 6");
  });

  it.each([
    ['buffer index', (m: TfliteModel) => { m.subgraphs[0]!.tensors[3]!.buffer = 9; },
      "tensor 3 'conv'", 'buffer index 9 is out of range (the model has 5 buffers)'],
    ['op input index', (m: TfliteModel) => { m.subgraphs[0]!.operators[1]!.inputs[0] = 42; },
      'op 1 input 0', 'tensor index 42 is out of range (the subgraph has 7 tensors)'],
    ['op output index', (m: TfliteModel) => { m.subgraphs[0]!.operators[1]!.outputs[0] = -1; },
      'op 1 output 0', 'tensor index -1 is out of range (the subgraph has 7 tensors)'],
    ['opcode index', (m: TfliteModel) => { m.subgraphs[0]!.operators[2]!.opcodeIndex = 3; },
      'op 2', 'opcode index 3 is out of range (the model has 3 operator codes)'],
    ['graph output index', (m: TfliteModel) => { m.subgraphs[0]!.outputs = [7]; },
      'graph output 0', 'tensor index 7 is out of range (the subgraph has 7 tensors)'],
    ['metadata buffer index', (m: TfliteModel) => { m.metadata[0]!.buffer = 5; },
      'metadata 0', 'buffer index 5 is out of range (the model has 5 buffers)'],
  ])('names an out-of-range %s', (_what, breakIt, where, problem) => {
    const e = formatError(breakIt);
    // Faults found at a known file position also carry it: "op 2 (byte 416)".
    expect(e.where.replace(/ \(byte \d+\)$/, '')).toBe(where);
    expect(e.problem).toBe(problem);
  });

  it('names per-axis quantization that does not fit the quantized dimension', () => {
    const e = formatError((m) => { m.subgraphs[0]!.tensors[1]!.quantization!.quantizedDimension = 3; });
    expect(e.problem).toBe('per-axis quantization has 3 scales but dimension 3 of shape [3, 1, 1, 2] is 2');
  });

  it('names options that do not fit the op, and strides below 1', () => {
    expect(formatError((m) => {
      const pool = m.subgraphs[0]!.operators[1]!;
      m.subgraphs[0]!.operators[0]!.builtinOptions = pool.builtinOptions;
    }).message).toContain('op 0 (CONV_2D): carries Pool2DOptions, expected Conv2DOptions');
    expect(formatError((m) => { delete m.subgraphs[0]!.operators[0]!.builtinOptions; }).message)
      .toContain('op 0 (CONV_2D): has no Conv2DOptions');
    expect(formatError((m) => {
      const o = m.subgraphs[0]!.operators[1]!.builtinOptions!;
      if (o.type === 'Pool2DOptions') o.strideH = 0;
    }).message).toContain('op 1 (AVERAGE_POOL_2D): stride_h is 0, must be at least 1');
  });

  it('names external buffer data that lies past the end of the file', () => {
    const bytes = writeTflite(tinyModel(), { externalBuffers: true });
    expect(() => readTflite(bytes.slice(0, bytes.length - 12))).toThrow(/buffer \d+: external data at offset \d+, \d+ bytes, runs past the end/);
  });

  it('refuses aliased tables that would decode a small file into a huge model', () => {
    // 20000 buffer entries all pointing at one 10 KB buffer: ~90 KB of file, 200 MB if decoded naively.
    const b = new Builder(1024);
    b.prep(16, 10240);
    const data = b.createByteVector(new Uint8Array(10240));
    b.startObject(3);
    b.addFieldOffset(0, data, 0);
    const buffer = b.endObject();
    b.startVector(4, 20000, 4);
    for (let i = 0; i < 20000; i++) b.addOffset(buffer);
    const buffers = b.endVector();
    b.startObject(8);
    b.addFieldInt32(0, 3, 0);
    b.addFieldOffset(4, buffers, 0);
    b.finish(b.endObject(), 'TFL3');
    expect(() => readTflite(b.asUint8Array())).toThrow(/tables or vectors are aliased, the file is corrupt/);
  });
});

describe('UnsupportedOpsError', () => {
  function withUnsupportedOps(m: TfliteModel) {
    m.operatorCodes.push(
      { builtinCode: 41, name: 'SUB', deprecatedBuiltinCode: 41, version: 1 },
      { builtinCode: 32, name: 'CUSTOM', deprecatedBuiltinCode: 32, customCode: 'MyOp', version: 1 },
      { builtinCode: 150, name: 'GELU', deprecatedBuiltinCode: 127, version: 1 },
    );
    const sg = m.subgraphs[0]!;
    const extra = (opcodeIndex: number, input: number) => {
      const out = sg.tensors.length;
      sg.tensors.push({ index: out, name: `t${out}`, shape: [1, 12], type: 'INT8', buffer: 0, isVariable: false, isSparse: false });
      sg.operators.push({ index: sg.operators.length, opcodeIndex, inputs: [input, input], outputs: [out], intermediates: [], builtinOptionsType: 0 });
      return out;
    };
    let t = extra(3, 5);
    t = extra(4, t);
    t = extra(3, t);
    t = extra(5, t);
    sg.outputs = [t];
  }

  it('lists every unsupported op by name and count, with the supported ones', () => {
    const e = loadError(withUnsupportedOps);
    expect(e).toBeInstanceOf(UnsupportedOpsError);
    const u = e as UnsupportedOpsError;
    expect(u.unsupported).toEqual([
      { name: 'SUB', count: 2, opIndices: [3, 5] },
      { name: 'CUSTOM(MyOp)', count: 1, opIndices: [4] },
      { name: 'GELU', count: 1, opIndices: [6] },
    ]);
    expect(u.message).toContain('tiny.tflite: 4 unsupported ops: SUB x2 (ops 3, 5); CUSTOM(MyOp) x1 (op 4); GELU x1 (op 6).');
    expect(u.message).toContain(`tinyforge supports: ${SUPPORTED_OPS.join(', ')}.`);
  });

  it('reads op codes above 127 from builtin_code, not the saturated deprecated field', () => {
    const model = tinyModel();
    withUnsupportedOps(model);
    expect(readTflite(writeTflite(model)).operatorCodes[5]).toEqual(
      { builtinCode: 150, name: 'GELU', deprecatedBuiltinCode: 127, version: 1 });
  });

  it('comes after the structural checks', () => {
    const e = loadError((m) => {
      withUnsupportedOps(m);
      m.subgraphs[0]!.operators[0]!.inputs[0] = 4;
    });
    expect(e).toBeInstanceOf(ModelFormatError);
  });

  it('is thrown by tfliteToGraph, while readTflite still reads the model', () => {
    const model = tinyModel();
    withUnsupportedOps(model);
    const raw = readTflite(writeTflite(model));
    expect(raw.subgraphs[0]!.operators).toHaveLength(7);
    expect(() => tfliteToGraph(raw)).toThrow(UnsupportedOpsError);
  });
});

describe('readTflite input', () => {
  it('copies constant data out of a Node Buffer instead of aliasing it', () => {
    const file = Buffer.concat([Buffer.alloc(3), Buffer.from(writeTflite(tinyModel()))]).subarray(3);
    const model = readTflite(file);
    const filter = model.buffers[1]!.data;
    expect(filter.byteOffset).toBe(0);
    expect(filter.buffer).not.toBe(file.buffer);
    expect([...filter]).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
