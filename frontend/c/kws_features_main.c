/* Host harness for tests: reads little-endian int16 samples on stdin (<= 16000), writes the 490 int8 features on
 * stdout. Usage: kws_features QUANT_MULTIPLIER QUANT_SHIFT ZERO_POINT */
#include <stdio.h>
#include <stdlib.h>
#include "kws_frontend.h"

int main(int argc, char **argv) {
  static int16_t samples[KWS_CLIP_SAMPLES + 1];
  static kws_frontend_scratch_t scratch;
  int8_t out[KWS_FEATURES];
  if (argc != 4) {
    fprintf(stderr, "usage: %s QUANT_MULTIPLIER QUANT_SHIFT ZERO_POINT < samples.s16le\n", argv[0]);
    return 2;
  }
  size_t n = fread(samples, sizeof(int16_t), KWS_CLIP_SAMPLES + 1, stdin);
  if (n > KWS_CLIP_SAMPLES) {
    fprintf(stderr, "kws_features: more than %d samples on stdin: pass one second of 16 kHz audio\n", KWS_CLIP_SAMPLES);
    return 1;
  }
  if (kws_frontend(samples, (int32_t)n, out, &scratch, (int32_t)strtol(argv[1], 0, 10), (int32_t)strtol(argv[2], 0, 10),
                   (int32_t)strtol(argv[3], 0, 10)) != 0) return 1;
  fwrite(out, 1, KWS_FEATURES, stdout);
  return 0;
}
