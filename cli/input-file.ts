// `--input FILE` of run and simulate: raw bytes of all inputs concatenated in graph order, or a .npy (int8 as is;
// float32 quantized with the input's scale and zero point). The reading itself is api/input-bytes.ts.
import { readFileSync } from 'node:fs';
import { InputFileError, inputBytes } from '../api/input-bytes.ts';
import type { IoTensor } from '../runtime-as/index.ts';
import { CliError, EXIT } from './cli-error.ts';

export function readInputFile(path: string, inputs: IoTensor[]): Uint8Array {
  try {
    return inputBytes(new Uint8Array(readFileSync(path)), path, inputs);
  } catch (err) {
    if (err instanceof InputFileError) throw new CliError(err.message, EXIT.badInput);
    throw err;
  }
}
