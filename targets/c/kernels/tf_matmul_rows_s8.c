#include "tf_matmul_rows_s8.h"

#include "tf_dot_s8.h"

void tf_matmul_rows_s8(const int8_t *x, int32_t rows, const int8_t *weights, const int32_t *bias,
                       const int32_t *multipliers, const int32_t *shifts, int32_t n, int32_t channels, int8_t *out,
                       int32_t output_offset, int32_t act_min, int32_t act_max) {
  int32_t c = 0;
#if defined(__ARM_FEATURE_DSP)
  /* Rows up to this long are widened once on the stack (n int32 = two rows of halfword pairs); longer ones
   * per weight row. A fixed array, not a VLA: a VLA costs the frame pointer register the inner loop needs. */
  enum { WIDEN_MAX = 64 };
  int32_t widened[WIDEN_MAX];
  const int widen = n <= WIDEN_MAX && rows == 2;
  if (widen) tf_widen_2_rows(x, n, widened);
#endif
  for (; c + 2 <= channels; c += 2) {
    const int8_t *w = weights + c * n;
    if (rows == 2) {
      int32_t acc[4] = {bias[c], bias[c + 1], bias[c], bias[c + 1]};
#if defined(__ARM_FEATURE_DSP)
      if (widen) {
        tf_dot_2x2_widened(widened, w, n, acc);
        /* The n % 4 tail, byte by byte. */
        for (int32_t k = n & ~3; k < n; k++) {
          const int32_t xa = x[k], xb = x[n + k], wa = w[k], wb = w[n + k];
          acc[0] = tf_add_wrap(acc[0], xa * wa);
          acc[1] = tf_add_wrap(acc[1], xa * wb);
          acc[2] = tf_add_wrap(acc[2], xb * wa);
          acc[3] = tf_add_wrap(acc[3], xb * wb);
        }
      } else {
        tf_dot_2x2(x, w, n, acc);
      }
#else
      tf_dot_2x2(x, w, n, acc);
#endif
      const tf_requant_channel q0 = tf_requant_setup(multipliers[c], shifts[c]);
      out[c] = tf_requant_apply(acc[0], &q0, output_offset, act_min, act_max);
      out[channels + c] = tf_requant_apply(acc[2], &q0, output_offset, act_min, act_max);
      const tf_requant_channel q1 = tf_requant_setup(multipliers[c + 1], shifts[c + 1]);
      out[c + 1] = tf_requant_apply(acc[1], &q1, output_offset, act_min, act_max);
      out[channels + c + 1] = tf_requant_apply(acc[3], &q1, output_offset, act_min, act_max);
    } else {
      int32_t acc[2] = {bias[c], bias[c + 1]};
      tf_dot_1x2(x, w, n, acc);
      out[c] = tf_requantize(acc[0], multipliers[c], shifts[c], output_offset, act_min, act_max);
      out[c + 1] = tf_requantize(acc[1], multipliers[c + 1], shifts[c + 1], output_offset, act_min, act_max);
    }
  }
  if (c < channels) {
    const int8_t *w = weights + c * n;
    for (int32_t r = 0; r < rows; r++)
      out[r * channels + c] = tf_requantize(tf_dot_1x1(x + r * n, w, n, bias[c]), multipliers[c], shifts[c],
                                            output_offset, act_min, act_max);
  }
}
