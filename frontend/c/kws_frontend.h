/* Fixed-point keyword-spotting front end: one second of 16 kHz int16 audio -> 49x10 int8 MFCC features, the same
 * numbers as the AssemblyScript twin (frontend/assembly/) and within a stated error of the float
 * front end (frontend/mfcc-float.ts). Integer arithmetic only; C99, no libm. */
#ifndef KWS_FRONTEND_H
#define KWS_FRONTEND_H
#include <stdint.h>

#define KWS_CLIP_SAMPLES 16000
#define KWS_FRAMES 49
#define KWS_COEFFICIENTS 10
#define KWS_FEATURES (KWS_FRAMES * KWS_COEFFICIENTS)

/* Working memory (3.3 KB): callers own it so the firmware decides where it lives. */
typedef struct {
  int32_t re[256];
  int32_t im[256];
  int32_t magnitude[257];
  int32_t log_mel[40];
} kws_frontend_scratch_t;

/* samples: `count` <= 16000 samples (shorter clips are zero-padded). out: 490 int8, frame-major.
 * 1/scale = quant_multiplier * 2^-quant_shift (see featureQuantization in fixed-point-format.ts).
 * Returns 0, or -1 when count or quant_shift (0…40) is out of range. */
int kws_frontend(const int16_t *samples, int32_t count, int8_t *out, kws_frontend_scratch_t *scratch,
                 int32_t quant_multiplier, int32_t quant_shift, int32_t zero_point);

#endif
