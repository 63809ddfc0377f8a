// tinyforge as a library: `import { compile, run, simulate } from 'tinyforge'`. The same code the CLI runs.
export { compile, CompileInputError, type CompileOptions, type CompileResult } from './api/compile.ts';
export { run, type RunOptions } from './api/run.ts';
export { simulate, type SimulateOptions } from './api/simulate.ts';
export { loadModelFile, openModel, ModelFileError, type LoadedModel } from './api/load-model.ts';
export { simulationJson } from './simulator/simulation-json.ts';
export type { SimulationResult } from './simulator/simulate.ts';
export { Runtime, RuntimeError, readBlob, isBlob, BlobFormatError } from './runtime-as/index.ts';
export type { BlobModel, IoTensor, KernelVariant, OpStats, RuntimeOptions } from './runtime-as/index.ts';
export { loadBoard, loadAllBoards, loadBoardFile } from './targets/boards/load-board.ts';
export type { Board } from './targets/boards/board-schema.ts';
export type { CompiledModel } from './compiler/compile-model.ts';
export type { Graph, Op, Tensor, DType } from './formats/ir/graph.ts';
