// Builds the hello-world model the demo runs: a tiny network that learns sin(x) on [0, 2π),
// trained here with @tensorflow/tfjs, saved as a LayersModel, then compiled to int8 with `tinyforge compile`.
// Run: npx tsx examples/hello-world/build-model.ts   (deterministic: fixed seeds; ~10 s)
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeNpy } from '../../compiler/input-data/npy.ts';
import { main } from '../../cli/main.ts';
import { SeededRandom } from '../../lib/seeded-random.ts';

const here = dirname(fileURLToPath(import.meta.url));
const modelDir = join(here, 'model');
const calibrationPath = join(here, 'calibration.npy');

await tf.setBackend('cpu');
const rng = new SeededRandom(2026);
const random = () => rng.next();
const n = 1000;
const xs = Float32Array.from({ length: n }, () => random() * 2 * Math.PI);
const ys = xs.map((x) => Math.sin(x) + (random() - 0.5) * 0.1);

const init = (seed: number) => tf.initializers.glorotUniform({ seed });
const model = tf.sequential({
  name: 'hello_world',
  layers: [
    tf.layers.dense({ inputShape: [1], units: 16, activation: 'relu', kernelInitializer: init(1) }),
    tf.layers.dense({ units: 16, activation: 'relu', kernelInitializer: init(2) }),
    tf.layers.dense({ units: 1, kernelInitializer: init(3) }),
  ],
});
model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
const history = await model.fit(tf.tensor2d(xs, [n, 1]), tf.tensor2d(ys, [n, 1]), {
  epochs: 300, batchSize: 100, shuffle: false, verbose: 0,
});
const loss = history.history.loss.at(-1) as number;
console.log(`trained hello_world: final loss (MSE) ${loss.toFixed(4)}`);

// Save as a LayersModel folder (model.json + weights.bin), the format `tinyforge compile` imports.
mkdirSync(modelDir, { recursive: true });
await model.save(tf.io.withSaveHandler(async (artifacts) => {
  writeFileSync(join(modelDir, 'weights.bin'), new Uint8Array(artifacts.weightData as ArrayBuffer));
  writeFileSync(join(modelDir, 'model.json'), JSON.stringify({
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    convertedBy: null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
  }, null, 1));
  return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
}));
writeFileSync(calibrationPath, writeNpy({ dtype: 'float32', shape: [n, 1], data: new Uint8Array(xs.buffer) }));

process.exitCode = await main(['compile', modelDir, '--calibration', calibrationPath, '--out', join(here, 'compiled'), '--name', 'hello_world_model']);
