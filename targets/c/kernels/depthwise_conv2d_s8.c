/* DEPTHWISE_CONV_2D, TFLite Micro's reference arithmetic: acc = Σ (x + input_offset)·w over the taps
 * inside the input, plus bias, requantized per channel. Filter layout [1, fh, fw, in_c × multiplier].
 * With the DSP extension and multiplier 1, four channels share each word load: SXTB16 widens them,
 * SADD16 adds the offset, SMLABB/SMLATT accumulate each lane into its own channel. */
#include "tf_dot_s8.h"
#include "tf_fixedpoint.h"
#include "tf_kernel_params.h"
#include "tf_requant_fast.h"

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

#if defined(__ARM_FEATURE_DSP)
/* Widest padded input row (in 4-channel words) that dw3x3_block buffers on the stack: 3 rows of it. */
#define TF_DW3_MAX_WIDTH 16

static int dw3x3_applies(const depthwise_conv2d_s8_params *p) {
  const int32_t width = (p->output_w - 1) * p->stride_w + 3;
  return p->depth_multiplier == 1 && p->filter_h == 3 && p->filter_w == 3 && p->dilation_h == 1 && p->dilation_w == 1 &&
         width <= TF_DW3_MAX_WIDTH;
}

/* One input row of channels c..c+3, each pixel widened to two halfword-pair words (channels c, c+2 and
 * c+1, c+3), padded left and right with the input zero point (a whole row of it outside the input). */
static void dw3x3_fill_row(const depthwise_conv2d_s8_params *p, const int8_t *batch_input, int32_t iy, int32_t c,
                           uint32_t zero_points, uint32_t *row, int32_t width) {
  int32_t j = 0;
  if (iy >= 0 && iy < p->input_h) {
    const int32_t step = p->input_c;
    int32_t ix = -p->pad_w;
    for (; j < width && ix < 0; j++, ix++) row[2 * j] = row[2 * j + 1] = zero_points;
    const int8_t *x = batch_input + (iy * p->input_w + ix) * step + c;
    for (; j < width && ix < p->input_w; j++, ix++, x += step) {
      const uint32_t xv = tf_load_u32(x);
      row[2 * j] = __sxtb16(xv);
      row[2 * j + 1] = (uint32_t)tf_sxtb16_ror8(xv);
    }
  }
  for (; j < width; j++) row[2 * j] = row[2 * j + 1] = zero_points;
}

/* What the output rows of a 4-channel block need besides their three input rows. */
typedef struct {
  int32_t w_pairs[18]; /* 9 taps × (even, odd) channel halfword pairs, doubled on the fast path */
  int32_t bias[4];     /* folded, doubled on the fast path */
  tf_requant_fast fast[4];
  const int32_t *multipliers, *shifts; /* the block's first channel, for the exact path */
  int32_t all_fast, output_offset, act_min, act_max, stride, count, channels;
} dw3x3_block_state;

/* One output row. Out of line so that the compiler keeps the row's state in registers, not copies of it on the
 * stack. */
static __attribute__((noinline)) void dw3x3_row(const uint32_t *r0, const uint32_t *r1, const uint32_t *r2,
                                                 const dw3x3_block_state *a, int8_t *out) {
  const int32_t *w = a->w_pairs;
  const int32_t act_min = a->act_min, act_max = a->act_max, step = 2 * a->stride;
  for (int32_t ox = 0; ox < a->count; ox++, r0 += step, r1 += step, r2 += step, out += a->channels) {
    int32_t a0 = a->bias[0], a1 = a->bias[1], a2 = a->bias[2], a3 = a->bias[3];
#define TF_DW3_TAP(x, t)                      \
  do {                                        \
    const int32_t x_e = (int32_t)(x)[0];      \
    const int32_t x_o = (int32_t)(x)[1];      \
    a0 = __smlabb(x_e, w[2 * (t)], a0);       \
    a2 = __smlatt(x_e, w[2 * (t)], a2);       \
    a1 = __smlabb(x_o, w[2 * (t) + 1], a1);   \
    a3 = __smlatt(x_o, w[2 * (t) + 1], a3);   \
  } while (0)
    TF_DW3_TAP(r0, 0);
    TF_DW3_TAP(r0 + 2, 1);
    TF_DW3_TAP(r0 + 4, 2);
    TF_DW3_TAP(r1, 3);
    TF_DW3_TAP(r1 + 2, 4);
    TF_DW3_TAP(r1 + 4, 5);
    TF_DW3_TAP(r2, 6);
    TF_DW3_TAP(r2 + 2, 7);
    TF_DW3_TAP(r2 + 4, 8);
#undef TF_DW3_TAP
    if (a->all_fast) {
      const tf_requant_fast *fast = a->fast;
      const int full_range = act_min == -128 && act_max == 127;
      out[0] = tf_clamp_s8(tf_requant_fast_apply(a0, &fast[0]), full_range, act_min, act_max);
      out[1] = tf_clamp_s8(tf_requant_fast_apply(a1, &fast[1]), full_range, act_min, act_max);
      out[2] = tf_clamp_s8(tf_requant_fast_apply(a2, &fast[2]), full_range, act_min, act_max);
      out[3] = tf_clamp_s8(tf_requant_fast_apply(a3, &fast[3]), full_range, act_min, act_max);
    } else {
      const int32_t acc[4] = {a0, a1, a2, a3};
      for (int32_t k = 0; k < 4; k++)
        out[k] = tf_requantize(acc[k], a->multipliers[k], a->shifts[k], a->output_offset, act_min, act_max);
    }
  }
}

/* 3×3, dilation 1, multiplier 1: channels c..c+3 of every output pixel. The three input rows a output row
 * needs are buffered as padded, widened 4-channel words, so every window is complete: padding taps read the
 * zero point, and with the input offset folded into the bias (acc = bias + off·Σw + Σ x·w) a zero-point tap
 * adds zp·w = -off·w, cancelling its share, which is what the reference's skipping it amounts to. The row
 * buffers form a ring, so stride 1 fills one new row. When the whole block can requantize on the fast path
 * (tf_requant_fast.h), weights and bias are doubled so that the accumulators come out as the 2·acc it takes. */
static void dw3x3_block(const depthwise_conv2d_s8_params *p, int32_t c, int8_t *output) {
  const int32_t channels = p->input_c;
  const int32_t width = (p->output_w - 1) * p->stride_w + 3;
  const int8_t *filter = (const int8_t *)p->filter + c;
  const int32_t *bias = p->bias;
  dw3x3_block_state st;
  st.multipliers = (const int32_t *)p->multipliers + c;
  st.shifts = (const int32_t *)p->shifts + c;
  st.all_fast = p->output_offset >= -256 && p->output_offset <= 256;
  for (int32_t k = 0; k < 4; k++) {
    int32_t w_sum = 0, w_abs = 0;
    for (int32_t t = 0; t < 9; t++) {
      const int32_t wk = filter[t * channels + k];
      w_sum += wk;
      w_abs += wk < 0 ? -wk : wk;
    }
    const int32_t folded = tf_add_wrap(bias ? bias[c + k] : 0, tf_mul_wrap(p->input_offset, w_sum));
    st.bias[k] = folded;
    /* Raw inputs are int8, so |acc| <= |folded bias| + 128·Σ|w| (at most 2^31 + 2^21: no uint32 wrap). */
    const uint32_t bound = (folded < 0 ? 0u - (uint32_t)folded : (uint32_t)folded) + 128u * (uint32_t)w_abs;
    st.all_fast &= bound < (1u << 29) &&
                   tf_requant_fast_setup(st.multipliers[k], st.shifts[k], p->output_offset, &st.fast[k]);
  }
  for (int32_t t = 0; t < 9; t++) {
    const uint32_t wv = tf_load_u32(filter + t * channels);
    const uint32_t w_e = __sxtb16(wv), w_o = (uint32_t)tf_sxtb16_ror8(wv);
    st.w_pairs[2 * t] = (int32_t)(st.all_fast ? __sadd16(w_e, w_e) : w_e);
    st.w_pairs[2 * t + 1] = (int32_t)(st.all_fast ? __sadd16(w_o, w_o) : w_o);
  }
  if (st.all_fast)
    for (int32_t k = 0; k < 4; k++) st.bias[k] *= 2;
  st.output_offset = p->output_offset;
  st.act_min = p->act_min;
  st.act_max = p->act_max;
  st.stride = p->stride_w;
  st.count = p->output_w;
  st.channels = channels;
  const uint32_t zero_points = (uint32_t)(uint16_t)(-p->input_offset) * 0x10001u;
  uint32_t rows[3][2 * TF_DW3_MAX_WIDTH]; /* fixed, not a VLA: a VLA costs the frame pointer register */
  for (int32_t b = 0; b < p->batches; b++) {
    const int8_t *batch_input = (const int8_t *)p->input + b * p->input_h * p->input_w * channels;
    int8_t *out = output + b * p->output_h * p->output_w * channels + c;
    uint32_t *r0 = rows[0], *r1 = rows[1], *r2 = rows[2];
    int32_t buffered_top = -1000000; /* input row held in r0 */
    for (int32_t oy = 0; oy < p->output_h; oy++, out += p->output_w * channels) {
      const int32_t top = oy * p->stride_h - p->pad_h;
      if (top - buffered_top == 1) {
        /* Stride 1 shifts the window down one row: keep the two rows already buffered. */
        uint32_t *const spare = r0;
        r0 = r1;
        r1 = r2;
        r2 = spare;
        dw3x3_fill_row(p, batch_input, top + 2, c, zero_points, r2, width);
      } else {
        dw3x3_fill_row(p, batch_input, top, c, zero_points, r0, width);
        dw3x3_fill_row(p, batch_input, top + 1, c, zero_points, r1, width);
        dw3x3_fill_row(p, batch_input, top + 2, c, zero_points, r2, width);
      }
      buffered_top = top;
      dw3x3_row(r0, r1, r2, &st, out);
    }
  }
}
#endif

/* Channels c_first.. of every output pixel, any shape. Out of line: its stack frame is not the 3×3 path's. */
static __attribute__((noinline)) void any_shape(const depthwise_conv2d_s8_params *p, int32_t c_first) {
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
        int32_t c = c_first;
#if defined(__ARM_FEATURE_DSP)
        if (p->depth_multiplier == 1 && c == 0) c = pixel_four_channels(p, batch_input, iy0, ix0, out);
#endif
        for (; c < out_c; c++) out[c] = one_channel(p, batch_input, iy0, ix0, c, c / p->depth_multiplier);
      }
    }
  }
}

void depthwise_conv2d_s8(const depthwise_conv2d_s8_params *p) {
  int32_t c_first = 0; /* channels below this are done by the 3×3 block path */
#if defined(__ARM_FEATURE_DSP)
  const int32_t out_c = p->input_c * p->depth_multiplier;
  if (dw3x3_applies(p)) {
    for (; c_first + 4 <= out_c; c_first += 4) dw3x3_block(p, c_first, p->output);
    if (c_first == out_c) return;
  }
#endif
  any_shape(p, c_first);
}
