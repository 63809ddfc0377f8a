/* The int8 activations TFLite Micro computes through gemmlowp's Q4 fixed point (LOGISTIC, TANH), as
 * runtime-as/assembly/q4-activation.ts: inputs beyond the radius saturate, the rest are rescaled to Q4, go
 * through the Q0 function and are shifted down to the output's 8 bits. Inline, so each kernel keeps its
 * own straight-line loop. */
#ifndef TF_Q4_ACTIVATION_H
#define TF_Q4_ACTIVATION_H

#include <stdint.h>

#include "tf_gemmlowp_exp.h"

/* Which Q4 function: its output is int8 with scale 1/256 and zero point -128 (logistic) or 1/128 and 0 (tanh). */
typedef enum { TF_Q4_LOGISTIC, TF_Q4_TANH } tf_q4_activation;

/* Maps `size` int8 inputs to `out` (may be `in`) through the activation. */
static inline void tf_map_q4_activation(tf_q4_activation activation, const int8_t *in, int8_t *out, int32_t size,
                                        int32_t input_zero_point, int32_t input_range_radius,
                                        int32_t input_multiplier, int32_t input_left_shift) {
  for (int32_t i = 0; i < size; i++) {
    const int32_t x = in[i] - input_zero_point;
    int32_t v;
    if (x <= -input_range_radius) {
      v = -128;
    } else if (x >= input_range_radius) {
      v = 127;
    } else {
      const int32_t in_q4 = tf_mbqm(x, input_multiplier, input_left_shift);
      v = activation == TF_Q4_TANH ? tf_clamp(tf_rdbpot(tf_tanh_fixed(in_q4, 4), 31 - 7), -128, 127)
                                   : tf_clamp(tf_rdbpot(tf_logistic_fixed(in_q4, 4), 31 - 8) - 128, -128, 127);
    }
    out[i] = (int8_t)v;
  }
}

#endif
