// The example models the playground ships: the int8 models of tinyforge's conformance corpus (tests/corpus/models,
// Apache-2.0, see its NOTICE), copied into the build as models/<id>.tflite.
export interface Example {
  id: string;
  title: string;
}

export const EXAMPLES: readonly Example[] = [
  { id: 'kws_ref_model', title: 'Keyword spotting — MLPerf Tiny DS-CNN (54 KB)' },
  { id: 'micro_speech_quantized', title: 'micro_speech yes/no — TensorFlow Lite Micro (19 KB)' },
  { id: 'hello_world_int8', title: 'hello_world sine — TensorFlow Lite Micro (3 KB)' },
  { id: 'ad01_int8', title: 'Anomaly detection — MLPerf Tiny FC autoencoder (277 KB)' },
  { id: 'pretrainedResnet_quant', title: 'Image classification — MLPerf Tiny ResNet-8 (98 KB)' },
  { id: 'vww_96_int8', title: 'Visual wake words — MLPerf Tiny MobileNetV1 96×96 (333 KB)' },
];

/** Where an example lies in the built page, relative to index.html. */
export const exampleUrl = (id: string) => `models/${id}.tflite`;
