// The library API (`import { compile, run, simulate } from 'tinyforge'`) gives what the CLI gives.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile, CompileInputError, ModelFileError, run, simulate, simulationJson } from '../../index.ts';
import { tinyforge } from '../cli/run-cli.ts';
import { corpusDir, goldenCases } from '../conformance-corpus.ts';

const model = (name: string) => join(corpusDir(), 'models', `${name}.tflite`);
const calibration = join(corpusDir(), 'calibration', 'hello_world_calib_x.npy');

describe('library API', () => {
  it('compile() quantizes a float model to the same int8 .tflite and blob as `tinyforge compile`', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tf-api-'));
    expect(tinyforge(['compile', model('hello_world_float'), '--calibration', calibration, '--out', out]).code).toBe(0);
    const result = await compile(model('hello_world_float'), { calibration });
    expect(result.quantization?.calibration.samples).toBeGreaterThan(0);
    expect(Buffer.from(result.blob).equals(readFileSync(join(out, 'model.tfb')))).toBe(true);
    expect(Buffer.from(result.tflite).equals(readFileSync(join(out, 'model_int8.tflite')))).toBe(true);
  });

  it('compile() takes an int8 model as it is, from a path or from bytes', async () => {
    const bytes = new Uint8Array(readFileSync(model('kws_ref_model')));
    const fromPath = await compile(model('kws_ref_model'));
    const fromBytes = await compile(bytes, { name: 'kws_ref_model' });
    expect(fromPath.tflite).toEqual(bytes);
    expect(fromBytes.blob).toEqual(fromPath.blob);
    expect(fromPath.quantization).toBeUndefined();
  });

  it('compile() refuses a float model without calibration data, saying what to give', async () => {
    await expect(compile(model('hello_world_float'))).rejects.toThrow(CompileInputError);
    await expect(compile(model('hello_world_float'))).rejects.toThrow(/float model: give \{ calibration/);
  });

  it('run() gives TensorFlow Lite Micro\'s bytes for every golden case, from a path, bytes or a compile() result', async () => {
    const compiled = await compile(model('kws_ref_model'));
    for (const c of goldenCases('kws_ref_model')) {
      expect(run(compiled, c.input)[0]).toEqual(c.output);
      expect(run(model('kws_ref_model'), [c.input], { variant: 'scalar' })[0]).toEqual(c.output);
      expect(run(compiled.blob, c.input)[0]).toEqual(c.output);
    }
  });

  it('simulate() reports what `tinyforge simulate --json` reports', () => {
    // Host timings (execution.hostMsPerInference, runs, speedup) differ from run to run; the rest is deterministic.
    const withoutTimings = ({ execution, ...rest }: { execution?: { outputs: unknown } }) => ({ ...rest, outputs: execution?.outputs });
    const cli = JSON.parse(tinyforge(['simulate', model('kws_ref_model'), '--board', 'nucleo-l4r5zi', '--json']).stdout) as { execution: { outputs: unknown } };
    const lib = simulationJson(simulate(model('kws_ref_model'), { board: 'nucleo-l4r5zi' })) as { execution?: { outputs: unknown } };
    expect(cli.execution.outputs).toBeDefined();
    expect(withoutTimings(lib)).toEqual(withoutTimings(cli));
  });

  it('a path that names no model is a ModelFileError', () => {
    expect(() => run('no/such/model.tflite', new Uint8Array(1))).toThrow(ModelFileError);
  });
});
