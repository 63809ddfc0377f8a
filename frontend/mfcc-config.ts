// The MLPerf Tiny keyword-spotting front end's parameters (one second of 16 kHz audio → 49×10 MFCC).
export const SAMPLE_RATE = 16000;
export const CLIP_SAMPLES = 16000;
/** 30 ms frames every 20 ms, no padding: 1 + (16000 - 480) / 320 = 49 frames. */
export const FRAME_LENGTH = 480;
export const FRAME_STEP = 320;
/** tf.signal.stft's default: the smallest power of two holding a frame. */
export const FFT_LENGTH = 512;
export const SPECTRUM_BINS = FFT_LENGTH / 2 + 1;
export const MEL_BANDS = 40;
export const MEL_LOWER_HZ = 20;
export const MEL_UPPER_HZ = 4000;
/** Added before the log so silent bands stay finite. */
export const LOG_OFFSET = 1e-6;
export const MFCC_COEFFICIENTS = 10;
export const NUM_FRAMES = 1 + Math.floor((CLIP_SAMPLES - FRAME_LENGTH) / FRAME_STEP);
export const FEATURE_COUNT = NUM_FRAMES * MFCC_COEFFICIENTS;

/** Input quantization of MLPerf Tiny's int8 KWS model (kws_ref_model.tflite). */
export const MLPERF_INPUT_SCALE = 0.584702909;
export const MLPERF_INPUT_ZERO_POINT = 83;
