// The runtime's public API: what the compiler, the simulator, the CLI and library users call. A model arrives as a
// blob (the bytes of a `.tfb`, or `writeBlob(compiled)`); the runtime knows nothing of the compiler.
export { Runtime, RuntimeError } from './host/runtime.ts';
export type { InvokeHooks, IoTensor, OpStats, RuntimeMemory, RuntimeOptions } from './host/runtime.ts';
export { isBlob, readBlob } from './host/read-blob.ts';
export type { BlobModel, BlobStep } from './host/read-blob.ts';
export { BlobFormatError } from './host/blob-format-error.ts';
export type { KernelVariant } from './host/kernel-module.ts';
