// One-second window of audio → the fixed-point front end (the AssemblyScript twin, as in the simulator) → the int8
// model in the WASM runtime → class scores. The front end writes features in the model's input quantization.
import type { BlobModel } from '../../runtime-as/host/read-blob.ts';
import { Runtime } from '../../runtime-as/host/runtime.ts';
import { createFixedFrontend, type FixedFrontend } from '../../frontend/fixed-frontend-wasm.ts';
import { featureQuantization } from '../../frontend/fixed-point-format.ts';
import { FEATURE_COUNT } from '../../frontend/mfcc-config.ts';

export interface Classification {
  features: Int8Array;
  /** The int8 output tensor as the model wrote it. */
  scores: Int8Array;
  /** Scores as probabilities (dequantized). */
  probabilities: number[];
  top: number;
  label: string;
  probability: number;
}

export class KeywordModelError extends Error {
  override name = 'KeywordModelError';
}

export class KeywordClassifier {
  private readonly frontend: FixedFrontend;
  private readonly runtime: Runtime;

  constructor(readonly blob: BlobModel, readonly labels: readonly string[]) {
    const input = blob.inputs[0];
    const output = blob.outputs[0];
    if (blob.inputs.length !== 1 || !input || input.dtype !== 'int8' || input.bytes !== FEATURE_COUNT || input.scale === undefined) {
      const got = blob.inputs.map((t) => `${t.dtype} [${t.shape.join(',')}]`).join(', ');
      throw new KeywordModelError(`${blob.name} takes ${got}; a keyword model takes one int8 input of ${FEATURE_COUNT} features (49×10 MFCC)`);
    }
    if (blob.outputs.length !== 1 || !output || output.dtype !== 'int8' || output.bytes !== labels.length) {
      throw new KeywordModelError(`${blob.name} has ${output?.bytes ?? 0} int8 outputs for ${labels.length} labels: one output per label`);
    }
    this.frontend = createFixedFrontend(featureQuantization(input.scale, input.zeroPoint ?? 0));
    this.runtime = Runtime.create(blob);
  }

  classify(samples: Int16Array): Classification {
    const features = this.frontend.features(samples);
    const [y] = this.runtime.invoke(new Uint8Array(features.buffer, features.byteOffset, features.byteLength));
    const scores = new Int8Array(y!.buffer, y!.byteOffset, y!.byteLength).slice();
    const o = this.blob.outputs[0]!;
    const probabilities = Array.from(scores, (q) => (q - (o.zeroPoint ?? 0)) * (o.scale ?? 1));
    let top = 0;
    for (let i = 1; i < scores.length; i++) if (scores[i]! > scores[top]!) top = i;
    return { features, scores, probabilities, top, label: this.labels[top]!, probability: probabilities[top]! };
  }
}
