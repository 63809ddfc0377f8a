/* Int8 dot products of raw rows (the input offset is folded into the bias beforehand), the inner loop of
 * 1×1 conv, im2col conv and fully connected. Rows are `n` apart for inputs and weights alike, so one
 * register serves as both strides. With the Cortex-M DSP extension four int8 pairs go through two SXTB16
 * and two SMLAD; elsewhere plain C. Sums wrap as int32, like the reference. */
#ifndef TF_DOT_S8_H
#define TF_DOT_S8_H

#include <stdint.h>

#include "tf_fixedpoint.h"

#if defined(__ARM_FEATURE_DSP)
#include <arm_acle.h>

/* SXTB16 of the word rotated by 8: bytes 1 and 3. GCC 12 does not fold a rotate into SXTB16 (and its
 * arm_acle.h has no __sxtb16_ror), so the one-instruction form is written out. */
static inline int32_t tf_sxtb16_ror8(uint32_t x) {
  int32_t r;
  __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
  return r;
}
#endif

static inline uint32_t tf_load_u32(const int8_t *p) {
  uint32_t v;
  __builtin_memcpy(&v, p, 4); /* one LDR (Cortex-M4/M7 load unaligned words), even under -ffreestanding */
  return v;
}

/* Rows x and x+n against weight rows w and w+n:
 * acc[0] += x·w, acc[1] += x·(w+n), acc[2] += (x+n)·w, acc[3] += (x+n)·(w+n). */
static inline void tf_dot_2x2(const int8_t *x, const int8_t *w, int32_t n, int32_t acc[4]) {
  int32_t a00 = acc[0], a01 = acc[1], a10 = acc[2], a11 = acc[3];
  int32_t k = 0;
#if defined(__ARM_FEATURE_DSP)
  const int8_t *end = x + (n & ~3);
  for (; x < end; x += 4, w += 4) {
    uint32_t wa = tf_load_u32(w), wb = tf_load_u32(w + n);
    int32_t wa_e = (int32_t)__sxtb16(wa), wa_o = tf_sxtb16_ror8(wa);
    int32_t wb_e = (int32_t)__sxtb16(wb), wb_o = tf_sxtb16_ror8(wb);
    uint32_t xv = tf_load_u32(x);
    int32_t x_e = (int32_t)__sxtb16(xv), x_o = tf_sxtb16_ror8(xv);
    a00 = __smlad(x_e, wa_e, a00);
    a00 = __smlad(x_o, wa_o, a00);
    a01 = __smlad(x_e, wb_e, a01);
    a01 = __smlad(x_o, wb_o, a01);
    xv = tf_load_u32(x + n);
    x_e = (int32_t)__sxtb16(xv);
    x_o = tf_sxtb16_ror8(xv);
    a10 = __smlad(x_e, wa_e, a10);
    a10 = __smlad(x_o, wa_o, a10);
    a11 = __smlad(x_e, wb_e, a11);
    a11 = __smlad(x_o, wb_o, a11);
  }
  k = n & ~3;
  x -= k;
  w -= k;
#endif
  for (; k < n; k++) {
    int32_t xa = x[k], xb = x[n + k], wa = w[k], wb = w[n + k];
    a00 = tf_add_wrap(a00, xa * wa);
    a01 = tf_add_wrap(a01, xa * wb);
    a10 = tf_add_wrap(a10, xb * wa);
    a11 = tf_add_wrap(a11, xb * wb);
  }
  acc[0] = a00;
  acc[1] = a01;
  acc[2] = a10;
  acc[3] = a11;
}

#if defined(__ARM_FEATURE_DSP)
/* Two input rows x and x+n widened once into halfword pairs, interleaved per 4 values so that each LDRD of
 * tf_dot_2x2_widened fetches one pair for both rows: xw[4k] = even bytes of x, xw[4k+1] = even bytes of x+n,
 * xw[4k+2], xw[4k+3] the odd bytes of x and x+n (k < n/4). */
static inline void tf_widen_2_rows(const int8_t *x, int32_t n, int32_t *xw) {
  for (int32_t k = 0; k + 4 <= n; k += 4, xw += 4) {
    const uint32_t a = tf_load_u32(x + k), b = tf_load_u32(x + n + k);
    xw[0] = (int32_t)__sxtb16(a);
    xw[1] = (int32_t)__sxtb16(b);
    xw[2] = tf_sxtb16_ror8(a);
    xw[3] = tf_sxtb16_ror8(b);
  }
}

/* tf_dot_2x2 over the first n & ~3 values with the input rows already widened (tf_widen_2_rows): the
 * input words are widened once per row pair instead of once per weight row pair. Written out in assembly
 * because the compiler runs out of registers here and reloads the loop bound every iteration: per 16
 * multiply-accumulates, 2 LDRD (inputs), 2 LDR (weights), 4 SXTB16, 8 SMLAD and the loop test. */
static inline void tf_dot_2x2_widened(const int32_t *xw, const int8_t *w, int32_t n, int32_t acc[4]) {
  int32_t a00 = acc[0], a01 = acc[1], a10 = acc[2], a11 = acc[3];
  const int32_t *end = xw + (n & ~3);
  if (xw < end) {
    int32_t xa, xb, wa, wb, t;
    __asm__ volatile(
        "1:\n\t"
        "ldrd   %[xa], %[xb], [%[xw]], #8\n\t" /* even halves of both input rows */
        "ldr    %[wb], [%[w], %[n]]\n\t"
        "ldr    %[wa], [%[w]], #4\n\t"
        "sxtb16 %[t], %[wa]\n\t"
        "smlad  %[a00], %[xa], %[t], %[a00]\n\t"
        "smlad  %[a10], %[xb], %[t], %[a10]\n\t"
        "sxtb16 %[t], %[wb]\n\t"
        "smlad  %[a01], %[xa], %[t], %[a01]\n\t"
        "smlad  %[a11], %[xb], %[t], %[a11]\n\t"
        "ldrd   %[xa], %[xb], [%[xw]], #8\n\t" /* odd halves */
        "sxtb16 %[t], %[wa], ror #8\n\t"
        "smlad  %[a00], %[xa], %[t], %[a00]\n\t"
        "smlad  %[a10], %[xb], %[t], %[a10]\n\t"
        "sxtb16 %[t], %[wb], ror #8\n\t"
        "smlad  %[a01], %[xa], %[t], %[a01]\n\t"
        "smlad  %[a11], %[xb], %[t], %[a11]\n\t"
        "cmp    %[xw], %[end]\n\t"
        "bne    1b"
        : [a00] "+r"(a00), [a01] "+r"(a01), [a10] "+r"(a10), [a11] "+r"(a11), [xw] "+r"(xw), [w] "+r"(w),
          [xa] "=&r"(xa), [xb] "=&r"(xb), [wa] "=&r"(wa), [wb] "=&r"(wb), [t] "=&r"(t)
        : [n] "r"(n), [end] "r"(end)
        : "cc", "memory");
  }
  acc[0] = a00;
  acc[1] = a01;
  acc[2] = a10;
  acc[3] = a11;
}
#endif

/* One row x against weight rows w and w+n: acc[0] += x·w, acc[1] += x·(w+n). */
static inline void tf_dot_1x2(const int8_t *x, const int8_t *w, int32_t n, int32_t acc[2]) {
  int32_t a0 = acc[0], a1 = acc[1];
  int32_t k = 0;
#if defined(__ARM_FEATURE_DSP)
  for (; k + 4 <= n; k += 4) {
    uint32_t xv = tf_load_u32(x + k), wa = tf_load_u32(w + k), wb = tf_load_u32(w + n + k);
    int32_t x_e = (int32_t)__sxtb16(xv), x_o = tf_sxtb16_ror8(xv);
    a0 = __smlad(x_e, (int32_t)__sxtb16(wa), a0);
    a0 = __smlad(x_o, tf_sxtb16_ror8(wa), a0);
    a1 = __smlad(x_e, (int32_t)__sxtb16(wb), a1);
    a1 = __smlad(x_o, tf_sxtb16_ror8(wb), a1);
  }
#endif
  for (; k < n; k++) {
    a0 = tf_add_wrap(a0, (int32_t)x[k] * (int32_t)w[k]);
    a1 = tf_add_wrap(a1, (int32_t)x[k] * (int32_t)w[n + k]);
  }
  acc[0] = a0;
  acc[1] = a1;
}

/* One input row against one weight row. */
static inline int32_t tf_dot_1x1(const int8_t *x, const int8_t *w, int32_t n, int32_t acc) {
  int32_t k = 0;
#if defined(__ARM_FEATURE_DSP)
  for (; k + 4 <= n; k += 4) {
    uint32_t xv = tf_load_u32(x + k), wv = tf_load_u32(w + k);
    acc = __smlad((int32_t)__sxtb16(xv), (int32_t)__sxtb16(wv), acc);
    acc = __smlad(tf_sxtb16_ror8(xv), tf_sxtb16_ror8(wv), acc);
  }
#endif
  for (; k < n; k++) acc = tf_add_wrap(acc, (int32_t)x[k] * (int32_t)w[k]);
  return acc;
}

#endif
