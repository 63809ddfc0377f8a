/* CONV_2D, any filter, stride, dilation and padding: two output pixels' receptive fields are gathered
 * into the scratch buffer (im2col; padding taps read as the input zero point, which the folded bias
 * expects), then multiplied by the weight rows like a 1×1 convolution. */
#include <string.h>

#include "tf_matmul_rows_s8.h"
#include "tf_kernel_params.h"

static void gather_pixel(const conv2d_s8_params *p, const int8_t *batch_input, int32_t oy, int32_t ox, int8_t *row) {
  const int32_t ic = p->input_c;
  const int8_t zero_point = (int8_t)(-p->input_offset);
  for (int32_t ky = 0; ky < p->filter_h; ky++) {
    const int32_t iy = oy * p->stride_h - p->pad_h + ky * p->dilation_h;
    for (int32_t kx = 0; kx < p->filter_w; kx++) {
      const int32_t ix = ox * p->stride_w - p->pad_w + kx * p->dilation_w;
      int8_t *dst = row + (ky * p->filter_w + kx) * ic;
      if (iy < 0 || iy >= p->input_h || ix < 0 || ix >= p->input_w) memset(dst, zero_point, (size_t)ic);
      else memcpy(dst, batch_input + (iy * p->input_w + ix) * ic, (size_t)ic);
    }
  }
}

void conv2d_s8(const conv2d_s8_params *p) {
  const int32_t n = p->filter_h * p->filter_w * p->input_c;
  const int32_t row_stride = (n + 15) & ~15;
  const int32_t channels = p->output_c;
  const int32_t pixels = p->output_h * p->output_w;
  int8_t *rows = p->scratch;
  int8_t *output = p->output;
  for (int32_t b = 0; b < p->batches; b++) {
    const int8_t *batch_input = (const int8_t *)p->input + b * p->input_h * p->input_w * p->input_c;
    int8_t *batch_output = output + b * pixels * channels;
    int32_t px = 0;
    for (; px + 2 <= pixels; px += 2) {
      gather_pixel(p, batch_input, px / p->output_w, px % p->output_w, rows);
      gather_pixel(p, batch_input, (px + 1) / p->output_w, (px + 1) % p->output_w, rows + row_stride);
      tf_matmul_rows_s8(rows, rows + row_stride, p->filter, p->folded_bias, p->multipliers, p->shifts, n, channels,
                        batch_output + px * channels, batch_output + (px + 1) * channels, p->output_offset,
                        p->act_min, p->act_max);
    }
    if (px < pixels) {
      gather_pixel(p, batch_input, px / p->output_w, px % p->output_w, rows);
      tf_matmul_rows_s8(rows, 0, p->filter, p->folded_bias, p->multipliers, p->shifts, n, channels,
                        batch_output + px * channels, 0, p->output_offset, p->act_min, p->act_max);
    }
  }
}
