// `--input FILE` of run and simulate: raw bytes of all inputs concatenated in graph order, or a .npy (int8 as is;
// float32 quantized with the input's scale and zero point).
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { readNpy } from '../compiler/input-data/npy.ts';
import { quantizeFloat32ToInt8 } from '../compiler/input-data/quantize-input.ts';
import type { IoTensor } from '../runtime-as/index.ts';
import { CliError, EXIT } from './cli-error.ts';

export function readInputFile(path: string, inputs: IoTensor[]): Uint8Array {
  const bytes = new Uint8Array(readFileSync(path));
  if (extname(path).toLowerCase() !== '.npy') return bytes;
  const npy = readNpy(bytes, path);
  if (inputs.length !== 1) {
    if (npy.dtype === 'int8' || npy.dtype === 'uint8') return npy.data;
    throw new CliError(`${path}: a float .npy can feed a model with one input only; this one has ${inputs.length}`, EXIT.badInput);
  }
  const t = inputs[0];
  if (npy.dtype === t.dtype) return npy.data;
  if (npy.dtype === 'float32' && t.dtype === 'int8' && t.scale !== undefined) {
    return quantizeFloat32ToInt8(new Float32Array(npy.data.buffer, npy.data.byteOffset, npy.data.length / 4), t.scale, t.zeroPoint ?? 0);
  }
  throw new CliError(`${path}: .npy holds ${npy.dtype}, the model input '${t.name}' is ${t.dtype}`, EXIT.badInput);
}
