// NumPy .npy files (format versions 1–3): the common way to hand tensors between Python and tinyforge.

export type NpyDtype = 'int8' | 'uint8' | 'int16' | 'int32' | 'int64' | 'float32' | 'float64';

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  /** Raw little-endian element bytes, C order. */
  data: Uint8Array;
}

export class NpyFormatError extends Error {
  override name = 'NpyFormatError';
}

const DESCR: Record<string, NpyDtype> = {
  '|i1': 'int8', '<i1': 'int8', '|u1': 'uint8', '<u1': 'uint8', '<i2': 'int16', '<i4': 'int32', '<i8': 'int64',
  '<f4': 'float32', '<f8': 'float64',
};
const WRITE_DESCR: Record<NpyDtype, string> = {
  int8: '|i1', uint8: '|u1', int16: '<i2', int32: '<i4', int64: '<i8', float32: '<f4', float64: '<f8',
};
const SIZE: Record<NpyDtype, number> = { int8: 1, uint8: 1, int16: 2, int32: 4, int64: 8, float32: 4, float64: 8 };

export function readNpy(bytes: Uint8Array, what = '.npy file'): NpyArray {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) {
    throw new NpyFormatError(`${what} is not a NumPy .npy file (no \\x93NUMPY magic)`);
  }
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  if (headerStart + headerLen > bytes.length) throw new NpyFormatError(`${what}: header runs past the end of the file`);
  const header = new TextDecoder().decode(bytes.subarray(headerStart, headerStart + headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new NpyFormatError(`${what}: unreadable header ${header.trim()}`);
  const dtype = DESCR[descr];
  if (!dtype) throw new NpyFormatError(`${what}: element type '${descr}' is not supported (use int8, uint8, int16, int32, int64, float32 or float64, little-endian)`);
  if (fortran === 'True') throw new NpyFormatError(`${what}: Fortran-ordered arrays are not supported; save with np.ascontiguousarray`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const start = headerStart + headerLen;
  const need = count * SIZE[dtype];
  if (bytes.length - start < need) {
    throw new NpyFormatError(`${what}: shape [${shape.join(',')}] ${dtype} needs ${need} data bytes, the file has ${bytes.length - start}`);
  }
  return { dtype, shape, data: bytes.slice(start, start + need) };
}

export function writeNpy(array: NpyArray): Uint8Array {
  const descr = WRITE_DESCR[array.dtype];
  const shape = array.shape.length === 1 ? `(${array.shape[0]},)` : `(${array.shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + array.data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(array.data, 10 + header.length);
  return out;
}
