// The zero-copy path a loop of inferences takes (input views, invokeInPlace, output views) and the plain
// invoke(), both through the generated step sequence, give TensorFlow Lite Micro's bytes on every corpus model.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compileTflite } from '../../compiler/compile-model.ts';
import { writeBlob } from '../../compiler/emit/blob/write-blob.ts';
import { Runtime, RuntimeError } from '../../runtime-as/index.ts';
import { boundSequence, stepSequence } from '../../runtime-as/host/step-sequence.ts';
import { corpusModelNames, goldenCases, readMeta, readModel } from '../conformance-corpus.ts';

const runnable = corpusModelNames().filter((name) => readMeta(name).cases.length > 0);

describe('Runtime: input views, invokeInPlace, output views', () => {
  for (const name of runnable) {
    for (const variant of ['scalar', 'simd'] as const) {
      it(`${name} (${variant}) answers every golden case in place and through invoke()`, () => {
        const runtime = Runtime.create(writeBlob(compileTflite(readModel(name), name)), { variant });
        const input = runtime.inputView(0);
        const output = runtime.outputView(0);
        // Twice round: an inference never depends on what the one before left in the arena.
        for (let round = 0; round < 2; round++) {
          for (const c of goldenCases(name)) {
            input.set(c.input);
            runtime.invokeInPlace();
            expect(Buffer.from(output).equals(Buffer.from(c.output))).toBe(true);
            expect(Buffer.from(runtime.invoke(c.input)[0]).equals(Buffer.from(c.output))).toBe(true);
          }
        }
        // The same views every time: nothing is allocated per inference.
        expect(runtime.inputView(0)).toBe(input);
        expect(runtime.outputView(0)).toBe(output);
      });
    }
  }

  it('the views lie inside the arena, at the planned offsets', () => {
    const runtime = Runtime.create(writeBlob(compileTflite(readModel('kws_ref_model'), 'kws_ref_model')));
    const [inT, outT] = [runtime.inputs[0], runtime.outputs[0]];
    expect(runtime.inputView(0).byteOffset).toBe(runtime.memory.arenaOffset + inT.arenaOffset);
    expect(runtime.inputView(0).length).toBe(inT.bytes);
    expect(runtime.outputView(0).byteOffset).toBe(runtime.memory.arenaOffset + outT.arenaOffset);
    expect(runtime.outputView(0).length).toBe(outT.bytes);
  });

  it('names the inputs and outputs there are when asked for one more', () => {
    const runtime = Runtime.create(writeBlob(compileTflite(readModel('hello_world_int8'), 'hello_world_int8')));
    expect(() => runtime.inputView(1)).toThrow(RuntimeError);
    expect(() => runtime.inputView(1)).toThrow('model has 1 input(s), no input 1');
    expect(() => runtime.outputView(2)).toThrow('model has 1 output(s), no output 2');
  });
});

describe('stepSequence: the kernel calls as one function', () => {
  afterEach(() => vi.unstubAllGlobals());

  const recorded = () => {
    const log: string[] = [];
    const calls = [
      { fn: (...a: number[]) => log.push(`a(${a.join(',')})`), args: [1, -2, 2147483647] },
      { fn: (...a: number[]) => log.push(`b(${a.join(',')})`), args: [] },
      { fn: (...a: number[]) => log.push(`a(${a.join(',')})`), args: [-2147483648, 0] },
    ];
    return { log, calls };
  };

  it('makes every call in order with its arguments', () => {
    const { log, calls } = recorded();
    const run = stepSequence(calls);
    run();
    run();
    expect(log).toEqual(['a(1,-2,2147483647)', 'b()', 'a(-2147483648,0)', 'a(1,-2,2147483647)', 'b()', 'a(-2147483648,0)']);
  });

  it('binds the calls instead where code generation is refused (a strict Content-Security-Policy)', () => {
    let refused = 0;
    vi.stubGlobal('Function', function refuse() {
      refused++;
      throw new EvalError('Code generation from strings disallowed for this context');
    });
    const { log, calls } = recorded();
    stepSequence(calls)();
    expect(refused).toBe(1);
    expect(log).toEqual(['a(1,-2,2147483647)', 'b()', 'a(-2147483648,0)']);
    const again = recorded();
    boundSequence(again.calls)();
    expect(again.log).toEqual(log);
  });

  it('refuses an argument that is not an integer (only integers reach the generated source)', () => {
    expect(() => stepSequence([{ fn: () => 0, args: [1.5] }])).toThrow('kernel argument 1.5 is not an integer');
  });
});
