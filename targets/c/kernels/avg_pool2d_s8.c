/* AVERAGE_POOL_2D (NHWC), TFLite Micro's reference: the window is clipped to the input, the sum divided by
 * the number of valid elements rounding half away from zero, then clamped. */
#include "tf_dot_s8.h"
#include "tf_fixedpoint.h"
#include "tf_kernel_params.h"

/* Rounded average of a window sum, half away from zero. An empty window (impossible for valid shapes)
 * averages to 0 instead of dividing by zero. */
static inline int32_t window_average(int32_t acc, int32_t count) {
  if (count <= 0) return 0;
  const int32_t half = count / 2;
  return acc > 0 ? (acc + half) / count : (acc - half) / count;
}

#if defined(__ARM_FEATURE_DSP)
/* SXTAB16 of the word rotated by 8: adds bytes 1 and 3 to the halfwords of acc (see tf_sxtb16_ror8). */
static inline uint32_t tf_sxtab16_ror8(uint32_t acc, uint32_t x) {
  uint32_t r;
  __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(acc), "r"(x));
  return r;
}

/* Channels c..c+3 of one window: four channels per word load, summed in halfword lanes (SXTAB16), which
 * cannot overflow for windows of up to 255 elements (|sum| <= 255·128 < 2^15). */
static inline void window_four_channels(const int8_t *first, int32_t rows, int32_t cols, int32_t row_step,
                                        int32_t depth, int32_t count, int32_t act_min, int32_t act_max, int8_t *out) {
  uint32_t even = 0, odd = 0;
  for (int32_t fy = 0; fy < rows; fy++, first += row_step) {
    const int8_t *q = first;
    for (int32_t fx = 0; fx < cols; fx++, q += depth) {
      const uint32_t xv = tf_load_u32(q);
      even = __sxtab16(even, xv);
      odd = tf_sxtab16_ror8(odd, xv);
    }
  }
  out[0] = (int8_t)tf_clamp(window_average((int16_t)even, count), act_min, act_max);
  out[1] = (int8_t)tf_clamp(window_average((int16_t)odd, count), act_min, act_max);
  out[2] = (int8_t)tf_clamp(window_average((int16_t)(even >> 16), count), act_min, act_max);
  out[3] = (int8_t)tf_clamp(window_average((int16_t)(odd >> 16), count), act_min, act_max);
}
#endif

void avg_pool2d_s8(const avg_pool2d_s8_params *p) {
  const int8_t *input = p->input;
  int8_t *out = p->output;
  const int32_t depth = p->depth;
  for (int32_t b = 0; b < p->batches; b++) {
    const int8_t *batch = input + b * p->inH * p->inW * depth;
    for (int32_t oy = 0; oy < p->outH; oy++) {
      const int32_t y0 = oy * p->strideH - p->padH;
      const int32_t fy0 = y0 < 0 ? -y0 : 0;
      const int32_t fy1 = p->filterH < p->inH - y0 ? p->filterH : p->inH - y0;
      for (int32_t ox = 0; ox < p->outW; ox++) {
        const int32_t x0 = ox * p->strideW - p->padW;
        const int32_t fx0 = x0 < 0 ? -x0 : 0;
        const int32_t fx1 = p->filterW < p->inW - x0 ? p->filterW : p->inW - x0;
        const int32_t count = (fy1 - fy0) * (fx1 - fx0);
        int32_t c = 0;
#if defined(__ARM_FEATURE_DSP)
        if (count <= 255) {
          const int8_t *first = batch + ((y0 + fy0) * p->inW + x0 + fx0) * depth;
          for (; c + 4 <= depth; c += 4, out += 4)
            window_four_channels(first + c, fy1 - fy0, fx1 - fx0, p->inW * depth, depth, count, p->actMin, p->actMax,
                                 out);
        }
#endif
        for (; c < depth; c++) {
          int32_t acc = 0;
          for (int32_t fy = fy0; fy < fy1; fy++) {
            const int8_t *q = batch + ((y0 + fy) * p->inW + x0 + fx0) * depth + c;
            for (int32_t fx = fx0; fx < fx1; fx++, q += depth) acc += *q;
          }
          acc = window_average(acc, count);
          *out++ = (int8_t)tf_clamp(acc, p->actMin, p->actMax);
        }
      }
    }
  }
}
