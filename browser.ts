// tinyforge in a browser: the part of the library that needs no file system, no child process and no serial port —
// int8 compile, the WASM runtime, the simulator, the board catalog, the reports. A bundler builds it with each
// I/O leaf replaced by its `.browser.ts` twin beside it (the kernel .wasm as an asset, the board and cost JSON
// inlined, CRC-32 in JavaScript): playground/vite.config.ts does so, and refuses any Node module that slips in.
// Paths are Node's: here a model is bytes (`Uint8Array`) or a `compile()` result.
import { compileInt8Tflite, isFloatGraph, type CompileResult } from './api/compile-int8.ts';
import { loadTfliteGraph } from './compiler/tflite/read-tflite.ts';
import { openModelBytes } from './api/open-model.ts';
import { runModel, type RunOptions } from './api/run-model.ts';
import { simulateModel, type SimulateOptions } from './api/simulate-model.ts';
import type { SimulationResult } from './simulator/simulate.ts';

export { CompileInputError, type CompileResult } from './api/compile-int8.ts';
export { summarize, type ModelSummary } from './api/model-summary.ts';
export type { RunOptions } from './api/run-model.ts';
export type { SimulateOptions } from './api/simulate-model.ts';
export { simulationJson } from './simulator/simulation-json.ts';
export { htmlReport } from './simulator/report/html-report.ts';
export { zeroPointInput, type SimulationResult } from './simulator/simulate.ts';
export { dutyCycle, parseBattery, BatterySpecError, type Battery, type DutyCycleResult } from './simulator/energy.ts';
export { inputBytes, InputFileError } from './api/input-bytes.ts';
export { PROFILE_IDS, type ProfileId } from './simulator/cost/cost-data.ts';
export { Runtime, RuntimeError, readBlob, isBlob, BlobFormatError } from './runtime-as/index.ts';
export type { BlobModel, IoTensor, KernelVariant, OpStats } from './runtime-as/index.ts';
export { loadKernelModules } from './runtime-as/host/kernel-module.ts';
export { listBoards, loadBoard, loadAllBoards, parseBoard, BoardFileError } from './targets/boards/load-board.ts';
export type { Board } from './targets/boards/board-schema.ts';
export { writeCArray } from './compiler/emit/c-array/write-c-array.ts';
export { emitModelC } from './compiler/emit/c/emit-model-c.ts';
export { SeededRandom } from './lib/seeded-random.ts';
export { streamDetect, DEFAULT_AVERAGE_MS, DEFAULT_STRIDE_MS, DEFAULT_THRESHOLD, type StreamResult } from './simulator/stream/stream-detect.ts';
export { KeywordStream, type Detection, type WindowScores } from './simulator/stream/keyword-stream.ts';
export { KeywordClassifier, KeywordModelError } from './simulator/stream/keyword-classifier.ts';
export { loadFrontendModule } from './frontend/fixed-frontend-wasm.ts';
export { readWav, WavFormatError } from './frontend/wav.ts';
export { CLIP_SAMPLES, FEATURE_COUNT, SAMPLE_RATE } from './frontend/mfcc-config.ts';

/** A float (or hybrid) .tflite: quantize it first (browser-quantize.ts, with calibration data). */
export function isFloatTflite(tflite: Uint8Array): boolean {
  return isFloatGraph(loadTfliteGraph(tflite));
}

/** An int8 .tflite's bytes → kernel calls, arena plan, blob (a float model is refused: quantize it first). */
export function compile(tflite: Uint8Array, options: { name?: string } = {}): CompileResult {
  return compileInt8Tflite(tflite, options.name);
}

/** One inference: inputs as raw tensor bytes in graph order, outputs likewise. */
export function run(model: Uint8Array | CompileResult, inputs: Uint8Array | readonly Uint8Array[], options: RunOptions = {}): Uint8Array[] {
  return runModel(openModelBytes(model), inputs, options);
}

/** The model on a board, as `tinyforge simulate` reports it. */
export function simulate(model: Uint8Array | CompileResult, options: SimulateOptions): SimulationResult {
  return simulateModel(openModelBytes(model), options);
}

// Flashing over Web Serial: the CLI's protocol code on the browser's serial port.
export { flashTargetOf, type FlashTarget } from './targets/flash/board-flash.ts';
export { flashBoardImage, flashEsp32Parts, openingLine, type BoardImageResult } from './targets/flash/flash-board-image.ts';
export { parseImage, type FlashImage } from './targets/flash/image/parse-image.ts';
export { WebSerialLink, type WebSerialPort } from './targets/flash/web-serial-link.ts';
export { FlashError } from './targets/flash/flash-error.ts';
export type { ProgressSink } from './targets/flash/progress-sink.ts';

// Signed model updates over Web Serial: the CLI's update protocol (tinyforge update) on the browser's serial port.
export { sendUpdate, UpdateRolledBackError, type UpdateOutcome } from './targets/update/send-update.ts';
export { UpdateRefusedError } from './targets/update/update-protocol.ts';
export { confirmedText, failedVerdict, type FailedUpdate } from './targets/update/update-verdict.ts';
export { SLOT_REGIONS, slotFlashOffsets } from './targets/firmware/update/slot-regions.ts';

// Firmware in the page: a prebuilt slot firmware (playground/vite/slot-firmware.ts) given its owner's key, and the
// model as its signed slot A, in one Intel HEX.
export { selftestVectors } from './api/selftest-vectors.ts';
export { slotPayload } from './targets/firmware/update/slot-payload.ts';
export { slotImage, SlotImageError } from './targets/firmware/update/slot-image.ts';
export { patchSlotKey, SlotKeyPatchError } from './targets/firmware/update/slot-key-patch.ts';
export { assembleUpdate, unsignedUpdateHeader } from './formats/update/update-file.ts';
export { UPDATE_SIGNED_BYTES } from './formats/update/update-format.ts';
export { writeIntelHex } from './targets/flash/image/write-intel-hex.ts';
export { sealEspImage } from './targets/firmware/esp/esp-image-format.ts';
