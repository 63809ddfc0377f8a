// Reads and checks a model blob (see compiler/emit/blob/blob-format.ts).
import { crc32 } from '../../lib/crc32.ts';
import {
  BLOB_HEADER_BYTES, BLOB_MAGIC, BLOB_VERSION, DTYPE_CODES, PointerKind,
} from '../../formats/blob/blob-format.ts';
import type { DType } from '../../formats/ir/graph.ts';
import { BlobFormatError } from './blob-format-error.ts';
import { ByteReader } from './byte-reader.ts';

export interface IoTensor {
  tensor: number;
  name: string;
  shape: number[];
  dtype: DType;
  bytes: number;
  arenaOffset: number;
  scale?: number;
  zeroPoint?: number;
}

export interface BlobStep {
  kernel: string;
  opType: string;
  opIndex: number;
  scratchBytes: number;
  scratchOffset: number;
  macs: number;
  bytesRead: number;
  bytesWritten: number;
  pointers: { kind: PointerKind; offset: number }[];
  scalars: number[];
}

export interface BlobModel {
  name: string;
  version: number;
  constBytes: number;
  arenaBytes: number;
  inputs: IoTensor[];
  outputs: IoTensor[];
  steps: BlobStep[];
  placements: { tensor: number; offset: number; bytes: number; firstStep: number; lastStep: number }[];
  liveBytes: number[];
  constants: Uint8Array;
  /** Where the constants end: optional sections (a self-test, formats/blob/blob-format.ts) fill the rest. */
  constantsEnd: number;
  totalBytes: number;
}

export function isBlob(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && new TextDecoder().decode(bytes.subarray(0, 4)) === BLOB_MAGIC;
}

export function readBlob(bytes: Uint8Array): BlobModel {
  if (bytes.length < BLOB_HEADER_BYTES) {
    throw new BlobFormatError(`not a tinyforge model blob: ${bytes.length} B is shorter than the ${BLOB_HEADER_BYTES} B header`);
  }
  if (!isBlob(bytes)) throw new BlobFormatError(`not a tinyforge model blob: the file does not start with "${BLOB_MAGIC}"`);
  const r = new ByteReader(bytes, 4);
  const version = r.u16();
  if (version !== BLOB_VERSION) {
    throw new BlobFormatError(
      `model blob format version ${version}, this runtime reads version ${BLOB_VERSION}: recompile the model with this tinyforge`,
    );
  }
  const headerBytes = r.u16();
  const total = r.u32();
  const crc = r.u32();
  if (headerBytes !== BLOB_HEADER_BYTES || total !== bytes.length) {
    throw new BlobFormatError(`model blob truncated or padded: header says ${total} B, file has ${bytes.length} B`);
  }
  const actual = crc32(bytes.subarray(BLOB_HEADER_BYTES));
  if (actual !== crc) {
    throw new BlobFormatError(
      `model blob is corrupt: CRC-32 0x${actual.toString(16).padStart(8, '0')} != 0x${crc.toString(16).padStart(8, '0')} recorded; recompile or copy the file again`,
    );
  }
  const constBytes = r.u32();
  const arenaBytes = r.u32();
  const ioCount = r.u32();
  const stepCount = r.u32();
  const name = r.str('model name');
  const inputs: IoTensor[] = [];
  const outputs: IoTensor[] = [];
  for (let i = 0; i < ioCount; i++) {
    const direction = r.u8();
    const dtype = DTYPE_CODES[r.u8()];
    if (!dtype) throw new BlobFormatError(`model blob: I/O tensor ${i} has an unknown type code`);
    const rank = r.u8();
    const hasQuant = r.u8() === 1;
    const tensor = r.i32();
    const arenaOffset = r.u32();
    const size = r.u32();
    const shape = Array.from({ length: rank }, () => r.u32());
    const scale = r.f32();
    const zeroPoint = r.i32();
    const tname = r.str();
    const t: IoTensor = { tensor, name: tname, shape, dtype, bytes: size, arenaOffset, ...(hasQuant ? { scale, zeroPoint } : {}) };
    (direction === 0 ? inputs : outputs).push(t);
  }
  const steps: BlobStep[] = [];
  for (let s = 0; s < stepCount; s++) {
    const kernel = r.str();
    const opType = r.str();
    const opIndex = r.u32();
    const scratchBytes = r.u32();
    const scratchOffset = r.u32();
    const macs = r.f64();
    const bytesRead = r.f64();
    const bytesWritten = r.f64();
    const nPtr = r.u8();
    const nScalar = r.u16();
    const pointers = Array.from({ length: nPtr }, () => ({ kind: r.u8() as PointerKind, offset: r.u32() }));
    const scalars = Array.from({ length: nScalar }, () => r.i32());
    for (const p of pointers) {
      const limit = p.kind === PointerKind.Arena ? arenaBytes : p.kind === PointerKind.Const ? constBytes : 1;
      if (p.kind > PointerKind.Const || p.offset >= Math.max(limit, 1)) {
        throw new BlobFormatError(`model blob: step ${s} (${kernel}) points outside its ${PointerKind[p.kind] ?? 'unknown'} region`);
      }
    }
    steps.push({ kernel, opType, opIndex, scratchBytes, scratchOffset, macs, bytesRead, bytesWritten, pointers, scalars });
  }
  const nPlacements = r.u32();
  if (nPlacements > bytes.length) throw new BlobFormatError('model blob: placement count is larger than the file');
  const placements = Array.from({ length: nPlacements }, () => ({
    tensor: r.i32(), offset: r.u32(), bytes: r.u32(), firstStep: r.i32(), lastStep: r.i32(),
  }));
  const nLive = r.u32();
  if (nLive > bytes.length) throw new BlobFormatError('model blob: live-bytes count is larger than the file');
  const liveBytes = Array.from({ length: nLive }, () => r.u32());
  r.align(16);
  const constants = r.bytes(constBytes, 'constants');
  for (const t of [...inputs, ...outputs]) {
    if (t.arenaOffset + t.bytes > arenaBytes) throw new BlobFormatError(`model blob: I/O tensor ${t.name} lies outside the arena`);
  }
  return { name, version, constBytes, arenaBytes, inputs, outputs, steps, placements, liveBytes, constants, constantsEnd: r.at, totalBytes: bytes.length };
}
