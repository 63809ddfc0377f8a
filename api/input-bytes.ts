// A model's input given as a file's bytes: raw bytes of all inputs concatenated in graph order, or a .npy (int8 as
// is; float32 quantized with the input's scale and zero point). `run --input` / `simulate --input` on Node and the
// playground's upload both read inputs so; the size check is the caller's.
import { readNpy } from '../compiler/input-data/npy.ts';
import { quantizeFloat32ToInt8 } from '../compiler/input-data/quantize-input.ts';
import type { IoTensor } from '../runtime-as/index.ts';

export class InputFileError extends Error {
  override name = 'InputFileError';
}

/** `origin` names the file in messages; a name ending in `.npy` is read as NumPy, anything else as raw bytes. */
export function inputBytes(bytes: Uint8Array, origin: string, inputs: readonly IoTensor[]): Uint8Array {
  if (!origin.toLowerCase().endsWith('.npy')) return bytes;
  const npy = readNpy(bytes, origin);
  if (inputs.length !== 1) {
    if (npy.dtype === 'int8' || npy.dtype === 'uint8') return npy.data;
    throw new InputFileError(`${origin}: a float .npy can feed a model with one input only; this one has ${inputs.length}`);
  }
  const t = inputs[0]!;
  if (npy.dtype === t.dtype) return npy.data;
  if (npy.dtype === 'float32' && t.dtype === 'int8' && t.scale !== undefined) {
    return quantizeFloat32ToInt8(new Float32Array(npy.data.buffer, npy.data.byteOffset, npy.data.length / 4), t.scale, t.zeroPoint ?? 0);
  }
  throw new InputFileError(`${origin}: .npy holds ${npy.dtype}, the model input '${t.name}' is ${t.dtype}`);
}
