#include "tf_matmul_packed_s8.h"

#if defined(__ARM_FEATURE_DSP)
#include <arm_acle.h>

#include "tf_dot_s8.h"
#include "tf_requant_fast.h"

/* Rows a and b widened into halfword pairs, interleaved per 4 values as the weights are: even bytes of a, of
 * b, then odd bytes of a, of b. */
static inline void widen_rows(const int8_t *a, const int8_t *b, int32_t n, int32_t *xw) {
  for (int32_t k = 0; k < n; k += 4, xw += 4) {
    const uint32_t va = tf_load_u32(a + k), vb = tf_load_u32(b + k);
    xw[0] = (int32_t)__sxtb16(va);
    xw[1] = (int32_t)__sxtb16(vb);
    xw[2] = tf_sxtb16_ror8(va);
    xw[3] = tf_sxtb16_ror8(vb);
  }
}

/* One block of 4 input values for 2 rows × 2 channels: 2 LDRD (inputs), 1 LDM (4 weight words), 8 SMLAD. The
 * weight registers are fixed (r8..r11) because LDM fills registers in ascending order from ascending addresses. */
#define TF_PACKED_BLOCK                                                                                      \
  "ldrd   %[xa], %[xb], [%[xw]], #8\n\t"                                                                      \
  "ldm    %[w]!, {r8, r9, r10, r11}\n\t"                                                                      \
  "smlad  %[a00], %[xa], r8, %[a00]\n\t"                                                                      \
  "smlad  %[a10], %[xb], r8, %[a10]\n\t"                                                                      \
  "smlad  %[a01], %[xa], r9, %[a01]\n\t"                                                                      \
  "smlad  %[a11], %[xb], r9, %[a11]\n\t"                                                                      \
  "ldrd   %[xa], %[xb], [%[xw]], #8\n\t"                                                                      \
  "smlad  %[a00], %[xa], r10, %[a00]\n\t"                                                                     \
  "smlad  %[a10], %[xb], r10, %[a10]\n\t"                                                                     \
  "smlad  %[a01], %[xa], r11, %[a01]\n\t"                                                                     \
  "smlad  %[a11], %[xb], r11, %[a11]\n\t"

/* The requantized value of a doubled accumulator before clamping (tf_requant_fast_apply without the doubling). */
static inline __attribute__((always_inline)) int32_t requant(int32_t acc2, const int32_t *q) {
  const int32_t s = tf_smmulr(acc2, q[0]);
  return (s + (s >> 31) + q[1]) >> q[2];
}

/* The activation clamp: one SSAT when it is the whole int8 range (no fused activation, or RELU with the zero
 * point at -128), else two compares. */
static inline __attribute__((always_inline)) int32_t clamp(int32_t v, int full_range, int32_t lo, int32_t hi) {
  return full_range ? __ssat(v, 8) : v < lo ? lo : v > hi ? hi : v;
}

/* Every channel pair for the widened rows xw (n values each, a multiple of 8): results to out_a[c] and out_b[c].
 * Per pair the layout holds the 4 accumulator starts, the weights, then both channels' requantization constants,
 * so one pointer walks it all. Out of line and without a variable-length array, so that the frame pointer is not
 * one more register taken from the loop. */
static __attribute__((noinline)) void channel_pairs(const int32_t *xw, const int32_t *w, int32_t n, int32_t channels,
                                                    int8_t *out_a, int8_t *out_b, int32_t lo, int32_t hi) {
  const int32_t *xw_end = xw + n;
  const int full_range = lo == -128 && hi == 127;
  for (int32_t c = 0; c < channels; c += 2) {
    int32_t a00 = w[0], a01 = w[1], a10 = w[2], a11 = w[3];
    w += 4;
    const int32_t *x = xw;
    int32_t xa, xb;
    __asm__ volatile("1:\n\t" TF_PACKED_BLOCK TF_PACKED_BLOCK
                     "cmp    %[xw], %[end]\n\t"
                     "bne    1b"
                     : [a00] "+r"(a00), [a01] "+r"(a01), [a10] "+r"(a10), [a11] "+r"(a11), [xw] "+r"(x),
                       [w] "+r"(w), [xa] "=&r"(xa), [xb] "=&r"(xb)
                     : [end] "r"(xw_end)
                     : "r8", "r9", "r10", "r11", "cc", "memory");
    /* All four results before any store: an int8 store may alias the layout, and would force its reload. */
    const int32_t q[6] = {w[0], w[1], w[2], w[3], w[4], w[5]};
    int32_t v00 = requant(a00, q), v10 = requant(a10, q), v01 = requant(a01, q + 3), v11 = requant(a11, q + 3);
    if (full_range) {
      v00 = clamp(v00, 1, lo, hi), v10 = clamp(v10, 1, lo, hi), v01 = clamp(v01, 1, lo, hi), v11 = clamp(v11, 1, lo, hi);
    } else {
      v00 = clamp(v00, 0, lo, hi), v10 = clamp(v10, 0, lo, hi), v01 = clamp(v01, 0, lo, hi), v11 = clamp(v11, 0, lo, hi);
    }
    out_a[c] = (int8_t)v00;
    out_b[c] = (int8_t)v10;
    out_a[c + 1] = (int8_t)v01;
    out_b[c + 1] = (int8_t)v11;
    w += 6;
  }
}

void tf_matmul_packed_s8(const tf_matmul_packed_s8_params *p) {
  const int32_t n = p->depth, channels = p->channels;
  /* Two rows widened: 4·n bytes of stack, as deep as the layer needs (tf_matmul_packed_stack_bytes in the
   * compiler's estimate). */
  int32_t widened[n];
  const int8_t *x = p->input;
  int8_t *out = p->output;
  for (int32_t r = 0; r < p->rows; r += 2, x += 2 * n, out += 2 * channels) {
    /* An odd last row goes through as both rows, and both results land on the same output. */
    const int two = p->rows - r >= 2;
    widen_rows(x, two ? x + n : x, n, widened);
    channel_pairs(widened, p->packed, n, channels, out, two ? out + channels : out, p->act_min, p->act_max);
  }
}
#endif
