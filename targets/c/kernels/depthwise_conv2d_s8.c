/* DEPTHWISE_CONV_2D, TFLite Micro's reference arithmetic: acc = Σ (x + input_offset)·w over the taps
 * inside the input, plus bias, requantized per channel. Filter layout [1, fh, fw, in_c × multiplier].
 * With the DSP extension and multiplier 1, four channels share each word load: SXTB16 widens them,
 * SADD16 adds the offset, SMLABB/SMLATT accumulate each lane into its own channel. */
#include "tf_dot_s8.h"
#include "tf_fixedpoint.h"
#include "tf_kernel_params.h"

static int8_t one_channel(const depthwise_conv2d_s8_params *p, const int8_t *batch_input, int32_t iy0, int32_t ix0,
                          int32_t oc, int32_t ic) {
  const int8_t *filter = p->filter;
  const int32_t *bias = p->bias;
  const int32_t out_c = p->input_c * p->depth_multiplier;
  int32_t acc = 0;
  for (int32_t ky = 0; ky < p->filter_h; ky++) {
    const int32_t iy = iy0 + ky * p->dilation_h;
    if (iy < 0 || iy >= p->input_h) continue;
    for (int32_t kx = 0; kx < p->filter_w; kx++) {
      const int32_t ix = ix0 + kx * p->dilation_w;
      if (ix < 0 || ix >= p->input_w) continue;
      int32_t x = batch_input[(iy * p->input_w + ix) * p->input_c + ic];
      int32_t w = filter[(ky * p->filter_w + kx) * out_c + oc];
      acc = tf_add_wrap(acc, (x + p->input_offset) * w);
    }
  }
  if (bias) acc = tf_add_wrap(acc, bias[oc]);
  return tf_requantize(acc, ((const int32_t *)p->multipliers)[oc], ((const int32_t *)p->shifts)[oc], p->output_offset,
                       p->act_min, p->act_max);
}

#if defined(__ARM_FEATURE_DSP)
/* First tap index t in [0, taps) with 0 <= origin + t·dilation < size, and one past the last. */
static inline void tap_range(int32_t origin, int32_t dilation, int32_t taps, int32_t size, int32_t *first,
                             int32_t *end) {
  int32_t t0 = 0, t1 = taps;
  while (t0 < taps && origin + t0 * dilation < 0) t0++;
  while (t1 > t0 && origin + (t1 - 1) * dilation >= size) t1--;
  *first = t0;
  *end = t1;
}

/* All channels of one output pixel in groups of four (multiplier 1); returns how many it wrote. */
static int32_t pixel_four_channels(const depthwise_conv2d_s8_params *p, const int8_t *batch_input, int32_t iy0,
                                   int32_t ix0, int8_t *out) {
  const int32_t channels = p->input_c;
  int32_t ky0, ky1, kx0, kx1;
  tap_range(iy0, p->dilation_h, p->filter_h, p->input_h, &ky0, &ky1);
  tap_range(ix0, p->dilation_w, p->filter_w, p->input_w, &kx0, &kx1);
  const int32_t taps_x = kx1 - kx0;
  const int32_t x_step = p->dilation_w * channels;
  const int32_t x_row = p->dilation_h * p->input_w * channels;
  const int32_t w_row = p->filter_w * channels;
  const int8_t *x_first = batch_input + ((iy0 + ky0 * p->dilation_h) * p->input_w + ix0 + kx0 * p->dilation_w) * channels;
  const int8_t *w_first = (const int8_t *)p->filter + (ky0 * p->filter_w + kx0) * channels;
  const int32_t *bias = p->bias;
  const int32_t *multipliers = p->multipliers, *shifts = p->shifts;
  /* Locals, not p->...: the int8 stores below may alias anything, which would force reloads. */
  const int32_t output_offset = p->output_offset, act_min = p->act_min, act_max = p->act_max;
  const uint32_t offset2 = ((uint32_t)p->input_offset & 0xFFFFu) * 0x10001u;
  int32_t c = 0;
#define TF_DW_TAP(xv, wv)                                                          \
  do {                                                                             \
    const int32_t x_e = (int32_t)__sadd16(__sxtb16(xv), offset2);                  \
    const int32_t x_o = (int32_t)__sadd16((uint32_t)tf_sxtb16_ror8(xv), offset2); \
    const int32_t w_e = (int32_t)__sxtb16(wv), w_o = tf_sxtb16_ror8(wv);           \
    a0 = __smlabb(x_e, w_e, a0);                                                   \
    a2 = __smlatt(x_e, w_e, a2);                                                   \
    a1 = __smlabb(x_o, w_o, a1);                                                   \
    a3 = __smlatt(x_o, w_o, a3);                                                   \
  } while (0)
  for (; c + 4 <= channels; c += 4) {
    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    const int8_t *x_line = x_first + c, *w_line = w_first + c;
    for (int32_t ky = ky0; ky < ky1; ky++, x_line += x_row, w_line += w_row) {
      if (taps_x == 3) {
        /* The common 3-wide window, unrolled: no tap counter, offsets folded into the loads. */
        uint32_t xv = tf_load_u32(x_line), wv = tf_load_u32(w_line);
        TF_DW_TAP(xv, wv);
        xv = tf_load_u32(x_line + x_step);
        wv = tf_load_u32(w_line + channels);
        TF_DW_TAP(xv, wv);
        xv = tf_load_u32(x_line + 2 * x_step);
        wv = tf_load_u32(w_line + 2 * channels);
        TF_DW_TAP(xv, wv);
        continue;
      }
      const int8_t *x = x_line, *w = w_line;
      for (int32_t t = 0; t < taps_x; t++, x += x_step, w += channels) {
        const uint32_t xv = tf_load_u32(x), wv = tf_load_u32(w);
        TF_DW_TAP(xv, wv);
      }
    }
    if (bias) {
      a0 = tf_add_wrap(a0, bias[c]);
      a1 = tf_add_wrap(a1, bias[c + 1]);
      a2 = tf_add_wrap(a2, bias[c + 2]);
      a3 = tf_add_wrap(a3, bias[c + 3]);
    }
    out[c] = tf_requantize(a0, multipliers[c], shifts[c], output_offset, act_min, act_max);
    out[c + 1] = tf_requantize(a1, multipliers[c + 1], shifts[c + 1], output_offset, act_min, act_max);
    out[c + 2] = tf_requantize(a2, multipliers[c + 2], shifts[c + 2], output_offset, act_min, act_max);
    out[c + 3] = tf_requantize(a3, multipliers[c + 3], shifts[c + 3], output_offset, act_min, act_max);
  }
#undef TF_DW_TAP
  return c;
}
#endif

void depthwise_conv2d_s8(const depthwise_conv2d_s8_params *p) {
  const int8_t *input = p->input;
  int8_t *output = p->output;
  const int32_t out_c = p->input_c * p->depth_multiplier;
  for (int32_t b = 0; b < p->batches; b++) {
    const int8_t *batch_input = input + b * p->input_h * p->input_w * p->input_c;
    for (int32_t oy = 0; oy < p->output_h; oy++) {
      const int32_t iy0 = oy * p->stride_h - p->pad_h;
      for (int32_t ox = 0; ox < p->output_w; ox++) {
        const int32_t ix0 = ox * p->stride_w - p->pad_w;
        int8_t *out = output + ((b * p->output_h + oy) * p->output_w + ox) * out_c;
        int32_t c = 0;
#if defined(__ARM_FEATURE_DSP)
        if (p->depth_multiplier == 1) c = pixel_four_channels(p, batch_input, iy0, ix0, out);
#endif
        for (; c < out_c; c++) out[c] = one_channel(p, batch_input, iy0, ix0, c, c / p->depth_multiplier);
      }
    }
  }
}
