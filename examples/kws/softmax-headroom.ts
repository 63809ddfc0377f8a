// The logits' calibration headroom of the bundled keyword model (compiler/calibrate/calibrate.ts): kws-model.ts
// compiles with it and quantization-aware training (train.ts) fine-tunes for it. Its own module so training does not
// load the compiler's tfjs backends.
export const KWS_SOFTMAX_HEADROOM = 16;
