// Writes float MFCC features of the data set beside the model, so the model can be quantized and its int8 accuracy
// measured without espeak-ng or a generated data set:
//   calibration-x.npy  float32 [240, 49, 10, 1]  20 training clips per class (representative inputs)
//   test-x.npy         float32 [n, 49, 10, 1]    the whole test split (unseen voices)
//   test-y.npy         int32   [n]               its labels, in labels.txt order
//
//   npx tsx examples/kws/export-features.ts [--data DIR] [--out DIR]
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeNpy } from '../../compiler/input-data/npy.ts';
import { calibrationClips, loadFeatures, readManifest, type FeatureSet } from './data/dataset.ts';
import { DEFAULT_OUT as DEFAULT_DATA } from './data/generate.ts';
import { MFCC_COEFFICIENTS, NUM_FRAMES } from '../../frontend/mfcc-config.ts';
import { DEFAULT_MODEL_DIR } from './train.ts';

function npyFeatures(set: FeatureSet): Uint8Array {
  return writeNpy({ dtype: 'float32', shape: [set.y.length, NUM_FRAMES, MFCC_COEFFICIENTS, 1], data: new Uint8Array(set.x.buffer, set.x.byteOffset, set.x.byteLength) });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { data: { type: 'string', default: DEFAULT_DATA }, out: { type: 'string', default: DEFAULT_MODEL_DIR } } });
  try {
    const clips = readManifest(values.data!).clips;
    const calibration = calibrationClips(clips);
    const test = loadFeatures(values.data!, clips.filter((c) => c.split === 'test'));
    writeFileSync(join(values.out!, 'calibration-x.npy'), npyFeatures(loadFeatures(values.data!, calibration)));
    writeFileSync(join(values.out!, 'test-x.npy'), npyFeatures(test));
    writeFileSync(join(values.out!, 'test-y.npy'), writeNpy({ dtype: 'int32', shape: [test.y.length], data: new Uint8Array(test.y.buffer) }));
    console.log(`wrote calibration-x.npy (${calibration.length} clips), test-x.npy and test-y.npy (${test.y.length} clips) to ${relative(process.cwd(), values.out!)}`);
  } catch (e) {
    console.error(`export-features: ${(e as Error).message}`);
    process.exit(1);
  }
}
