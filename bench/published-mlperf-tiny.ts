// Published MLPerf Tiny v1.0 results for microTVM + CMSIS-NN on NUCLEO-L4R5ZI (closed division, OctoML): what the
// simulator's NUCLEO-L4R5ZI figures are compared with. Latency = 1 / median throughput of the performance run
// (tiny_results_v1.0, closed/OctoML/results/microtvm_cmsis_nn/NUCLEO_L4R5ZI/<bm>/performance/results.txt);
// energy = median energy per inference of the energy run (…/<bm>/energy/results.txt), at 1.8 V.
export interface PublishedResult {
  benchmark: string;
  /** The corpus model that is this benchmark's reference model. */
  model: string;
  ms: number;
  uJ?: number;
}

export const PUBLISHED_L4R5: PublishedResult[] = [
  { benchmark: 'keyword spotting (kws)', model: 'kws_ref_model', ms: 1000 / 10.019, uJ: 5230.273 },
  { benchmark: 'visual wake words (vww)', model: 'vww_96_int8', ms: 1000 / 3.320, uJ: 15531.354 },
  { benchmark: 'image classification (ic)', model: 'pretrainedResnet_quant', ms: 1000 / 2.567, uJ: 20236.298 },
  { benchmark: 'anomaly detection (ad)', model: 'ad01_int8', ms: 1000 / 116.212, uJ: 443.184 },
];
