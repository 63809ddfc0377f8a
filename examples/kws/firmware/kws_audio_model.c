/* Keyword spotting on the board: one second of int16 audio -> the C front end -> the int8 model, served by the
 * firmware's main.c as if it were one model (INVOKE frame: 32,000 bytes of little-endian int16 audio in,
 * 490 int8 features followed by the model's int8 scores out), so the host gets both and can compare them with the
 * simulator's. kws_inner_model.h is generated beside the model (run-kws-on-qemu.ts): the keyword model's own
 * model.h and the front end's quantization, the model's input scale and zero point. */
#include <string.h>

#include "kws_frontend.h"
#include "kws_inner_model.h"

#if TF_MODEL_INPUT_BYTES != KWS_FEATURES
#error "the keyword model must take the front end's 490 int8 features"
#endif

/* Aligned copies: the serial buffer is a byte array. */
static int16_t audio[KWS_CLIP_SAMPLES];
static int8_t features[KWS_FEATURES];
static kws_frontend_scratch_t scratch;

int kws_audio_invoke(const int8_t *input, int8_t *output) {
  memcpy(audio, input, sizeof audio);
  int status = kws_frontend(audio, KWS_CLIP_SAMPLES, features, &scratch, KWS_QUANT_MULTIPLIER, KWS_QUANT_SHIFT, KWS_ZERO_POINT);
  if (status != 0) return 1;
  memcpy(output, features, KWS_FEATURES);
  return TF_MODEL_INVOKE(features, output + KWS_FEATURES);
}
