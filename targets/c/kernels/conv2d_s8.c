/* CONV_2D, any filter, stride, dilation and padding: two output pixels' receptive fields are gathered
 * into the scratch buffer (im2col; padding taps read as the input zero point, which the folded bias
 * expects), then multiplied by the weight rows like a 1×1 convolution. */
#include "tf_matmul_rows_s8.h"
#include "tf_kernel_params.h"

static inline void fill_bytes(int8_t *dst, int8_t value, int32_t n) {
  for (int32_t i = 0; i < n; i++) dst[i] = value;
}

static inline void copy_bytes(int8_t *dst, const int8_t *src, int32_t n) {
  for (int32_t i = 0; i < n; i++) dst[i] = src[i];
}

/* The receptive field of one output pixel, tap row by tap row. Without horizontal dilation a tap row is
 * one contiguous run of input bytes, clipped at the edges (short runs: a byte loop beats a memcpy call). */
static void gather_pixel(const conv2d_s8_params *p, const int8_t *batch_input, int32_t oy, int32_t ox, int8_t *row) {
  const int32_t ic = p->input_c, fw = p->filter_w;
  const int8_t zero_point = (int8_t)(-p->input_offset);
  const int32_t ix0 = ox * p->stride_w - p->pad_w;
  for (int32_t ky = 0; ky < p->filter_h; ky++, row += fw * ic) {
    const int32_t iy = oy * p->stride_h - p->pad_h + ky * p->dilation_h;
    if (iy < 0 || iy >= p->input_h) {
      fill_bytes(row, zero_point, fw * ic);
      continue;
    }
    const int8_t *line = batch_input + iy * p->input_w * ic;
    if (p->dilation_w == 1) {
      const int32_t first = ix0 < 0 ? -ix0 : 0;
      const int32_t end = ix0 + fw > p->input_w ? p->input_w - ix0 : fw;
      fill_bytes(row, zero_point, first * ic);
      if (end > first) copy_bytes(row + first * ic, line + (ix0 + first) * ic, (end - first) * ic);
      fill_bytes(row + (end > first ? end : first) * ic, zero_point, (fw - (end > first ? end : first)) * ic);
      continue;
    }
    for (int32_t kx = 0; kx < fw; kx++) {
      const int32_t ix = ix0 + kx * p->dilation_w;
      if (ix < 0 || ix >= p->input_w) fill_bytes(row + kx * ic, zero_point, ic);
      else copy_bytes(row + kx * ic, line + ix * ic, ic);
    }
  }
}

void conv2d_s8(const conv2d_s8_params *p) {
  const int32_t n = p->filter_h * p->filter_w * p->input_c;
  const int32_t channels = p->output_c;
  const int32_t pixels = p->output_h * p->output_w;
  int8_t *rows = p->scratch; /* two rows of n bytes, back to back as tf_matmul_rows_s8 expects */
  int8_t *output = p->output;
  for (int32_t b = 0; b < p->batches; b++) {
    const int8_t *batch_input = (const int8_t *)p->input + b * p->input_h * p->input_w * p->input_c;
    int8_t *batch_output = output + b * pixels * channels;
    for (int32_t px = 0; px < pixels; px += 2) {
      const int32_t count = pixels - px >= 2 ? 2 : 1;
      for (int32_t r = 0; r < count; r++)
        gather_pixel(p, batch_input, (px + r) / p->output_w, (px + r) % p->output_w, rows + r * n);
      tf_matmul_rows_s8(rows, count, p->filter, p->folded_bias, p->multipliers, p->shifts, n, channels,
                        batch_output + px * channels, p->output_offset, p->act_min, p->act_max);
    }
  }
}
