// The example models the playground ships: the int8 models of tinyforge's conformance corpus (tests/corpus/models,
// Apache-2.0, see its NOTICE), copied into the build as models/<id>.tflite, and tinyforge's own keyword model as
// its TF.js float files with calibration data (examples/kws/model), quantized in the page.
export interface ExampleFile {
  /** Where the page fetches it, relative to index.html. */
  url: string;
  /** Where the build takes it from, relative to the repository. */
  source: string;
}

export interface Example {
  id: string;
  title: string;
  /** The model: an int8 .tflite, or a TF.js model.json (its weight shards follow in `shards`). */
  model: ExampleFile;
  shards?: ExampleFile[];
  /** Calibration samples for a float model. */
  calibration?: ExampleFile[];
}

const corpus = (id: string, title: string): Example => ({ id, title, model: { url: `models/${id}.tflite`, source: `tests/corpus/models/${id}.tflite` } });
const kwsDir = 'examples/kws/model';

export const EXAMPLES: readonly Example[] = [
  corpus('kws_ref_model', 'Keyword spotting — MLPerf Tiny DS-CNN (54 KB)'),
  corpus('micro_speech_quantized', 'micro_speech yes/no — TensorFlow Lite Micro (19 KB)'),
  corpus('hello_world_int8', 'hello_world sine — TensorFlow Lite Micro (3 KB)'),
  corpus('ad01_int8', 'Anomaly detection — MLPerf Tiny FC autoencoder (277 KB)'),
  corpus('pretrainedResnet_quant', 'Image classification — MLPerf Tiny ResNet-8 (98 KB)'),
  corpus('vww_96_int8', 'Visual wake words — MLPerf Tiny MobileNetV1 96×96 (333 KB)'),
  {
    id: 'kws_tinyforge',
    title: "Keyword spotting — tinyforge's own model, TF.js float + calibration, quantized in the page",
    model: { url: 'models/kws_tinyforge/model.json', source: `${kwsDir}/model.json` },
    shards: [{ url: 'models/kws_tinyforge/weights.bin', source: `${kwsDir}/weights.bin` }],
    calibration: [{ url: 'models/kws_tinyforge/calibration-x.npy', source: `${kwsDir}/calibration-x.npy` }],
  },
];

/** Where a corpus example's .tflite lies in the built page, relative to index.html. */
export const exampleUrl = (id: string) => EXAMPLES.find((e) => e.id === id)?.model.url ?? `models/${id}.tflite`;

export const exampleFiles = (e: Example): ExampleFile[] => [e.model, ...(e.shards ?? []), ...(e.calibration ?? [])];
