#include "tf_matmul_rows_s8.h"

#include "tf_dot_s8.h"
#include "tf_requant_fast.h"

#if defined(__ARM_FEATURE_DSP)
/* Channel c's results for both rows: out[0] from acc_a, out[channels] from acc_b. fast_ok: both accumulators
 * are known to be below 2^29 in magnitude and the output offset within ±256 (tf_requant_fast.h). Always
 * inlined: as a call, its ten arguments cost more than the requantization. */
static inline __attribute__((always_inline)) void requant_column(int32_t acc_a, int32_t acc_b, int32_t multiplier,
                                                                 int32_t shift, int fast_ok, int8_t *out,
                                                                 int32_t channels, int32_t output_offset,
                                                                 int32_t act_min, int32_t act_max) {
  tf_requant_fast f;
  if (fast_ok && tf_requant_fast_setup(multiplier, shift, output_offset, &f)) {
    out[0] = (int8_t)tf_clamp(tf_requant_fast_apply(tf_shl_wrap(acc_a, 1), &f), act_min, act_max);
    out[channels] = (int8_t)tf_clamp(tf_requant_fast_apply(tf_shl_wrap(acc_b, 1), &f), act_min, act_max);
    return;
  }
  const tf_requant_channel q = tf_requant_setup(multiplier, shift);
  out[0] = tf_requant_apply(acc_a, &q, output_offset, act_min, act_max);
  out[channels] = tf_requant_apply(acc_b, &q, output_offset, act_min, act_max);
}

/* |bias| < 2^28: with n < 2^14 raw int8 products, |acc| <= |bias| + n·2^14 < 2^29. */
static inline int bias_small(int32_t bias) { return (uint32_t)bias + (1u << 28) < (1u << 29); }

/* Rows up to this long are widened once on the stack (n int32 = two rows of halfword pairs). A fixed array, not
 * a VLA: a VLA costs the frame pointer register. n <= 64 also keeps |acc| <= |bias| + n·2^14 small, as
 * bias_small assumes. */
enum { WIDEN_MAX = 64 };

/* The common case on its own (two rows of n <= WIDEN_MAX, n a multiple of 4, an even number of channels), out
 * of line so that its few live values stay in registers across the channel loop. */
static __attribute__((noinline)) void two_widened_rows(const int8_t *x, const int8_t *w, const int32_t *bias,
                                                       const int32_t *multipliers, const int32_t *shifts, int32_t n,
                                                       int32_t channels, int8_t *out, int32_t output_offset,
                                                       int32_t act_min, int32_t act_max) {
  int32_t widened[WIDEN_MAX];
  tf_widen_2_rows(x, n, widened);
  const int offset_ok = output_offset >= -256 && output_offset <= 256;
  for (int32_t c = 0; c < channels; c += 2, w += 2 * n) {
    int32_t acc[4] = {bias[c], bias[c + 1], bias[c], bias[c + 1]};
    tf_dot_2x2_widened(widened, w, n, acc);
    requant_column(acc[0], acc[2], multipliers[c], shifts[c], offset_ok && bias_small(bias[c]), out + c, channels,
                   output_offset, act_min, act_max);
    requant_column(acc[1], acc[3], multipliers[c + 1], shifts[c + 1], offset_ok && bias_small(bias[c + 1]),
                   out + c + 1, channels, output_offset, act_min, act_max);
  }
}
#endif

/* Any rows, n and channel count. Out of line: its stack frame is not the widened case's. */
static __attribute__((noinline)) void any_rows(const int8_t *x, int32_t rows, const int8_t *weights,
                                               const int32_t *bias, const int32_t *multipliers, const int32_t *shifts,
                                               int32_t n, int32_t channels, int8_t *out, int32_t output_offset,
                                               int32_t act_min, int32_t act_max) {
  int32_t c = 0;
  for (; c + 2 <= channels; c += 2) {
    const int8_t *w = weights + c * n;
    if (rows == 2) {
      int32_t acc[4] = {bias[c], bias[c + 1], bias[c], bias[c + 1]};
      tf_dot_2x2(x, w, n, acc);
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

void tf_matmul_rows_s8(const int8_t *x, int32_t rows, const int8_t *weights, const int32_t *bias,
                       const int32_t *multipliers, const int32_t *shifts, int32_t n, int32_t channels, int8_t *out,
                       int32_t output_offset, int32_t act_min, int32_t act_max) {
#if defined(__ARM_FEATURE_DSP)
  if (rows == 2 && n <= WIDEN_MAX && (n & 3) == 0 && (channels & 1) == 0) {
    two_widened_rows(x, weights, bias, multipliers, shifts, n, channels, out, output_offset, act_min, act_max);
    return;
  }
#endif
  any_rows(x, rows, weights, bias, multipliers, shifts, n, channels, out, output_offset, act_min, act_max);
}
