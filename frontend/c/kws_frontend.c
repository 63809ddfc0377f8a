/* The fixed-point front end; the algorithm and its number formats are described in fixed-point-format.ts.
 * Relies on arithmetic right shifts of negative signed integers (gcc, clang, arm-none-eabi-gcc all do this). */
#include "kws_frontend.h"
#include "kws_frontend_tables.h"

#define FRAME_LENGTH 480
#define FRAME_STEP 320
#define HALF_FFT 256
#define SPECTRUM_BINS 257
#define MEL_BANDS 40
#define FRAME_PEAK_BIT 20
#define LOG_OFFSET_Q58 288230376152LL
#define LN2_Q30 744261118LL /* round(ln 2 * 2^30) */

static int64_t round_shift(int64_t x, int n) {
  return n <= 0 ? x : (x + ((int64_t)1 << (n - 1))) >> n;
}

/* round(num / den) half away from zero, den > 0. */
static int64_t round_div(int64_t num, int64_t den) {
  return num >= 0 ? (num + den / 2) / den : -((-num + den / 2) / den);
}

/* Count of leading zero bits, by binary search (portable C99, five steps). */
static int clz32(uint32_t x) {
  int n = 0;
  if (x == 0) return 32;
  if (!(x & 0xFFFF0000u)) { n += 16; x <<= 16; }
  if (!(x & 0xFF000000u)) { n += 8; x <<= 8; }
  if (!(x & 0xF0000000u)) { n += 4; x <<= 4; }
  if (!(x & 0xC0000000u)) { n += 2; x <<= 2; }
  if (!(x & 0x80000000u)) n += 1;
  return n;
}

static int clz64(uint64_t x) {
  return (x >> 32) ? clz32((uint32_t)(x >> 32)) : 32 + clz32((uint32_t)x);
}

/* round(sqrt(p)): a 32-bit digit-by-digit root of p's top bits, one Newton step from above, then exact
 * correction (so the result never depends on how good the estimate was), then rounding. */
static uint32_t isqrt_round(uint64_t p) {
  if (p == 0) return 0;
  int bits = 64 - clz64(p);
  int sh = bits > 32 ? (bits - 31) & ~1 : 0; /* even, so that sqrt(p >> sh) = sqrt(p) >> sh/2 */
  uint32_t t = (uint32_t)(p >> sh), rem = t, root = 0;
  uint32_t bit = (uint32_t)1 << ((31 - clz32(t)) & ~1);
  while (bit != 0) {
    if (rem >= root + bit) { rem -= root + bit; root = (root >> 1) + bit; }
    else root >>= 1;
    bit >>= 2;
  }
  uint64_t x = (uint64_t)(root + 1) << (sh / 2); /* >= sqrt(p) */
  if (sh > 0) x = (x + p / x) >> 1;
  while (x * x > p) x--;
  while ((x + 1) * (x + 1) <= p) x++;
  if (p - x * x > x) x++; /* p >= (x + 1/2)^2 */
  return (uint32_t)x;
}

/* log2(y) in Q24 for y >= 1: integer part from the leading bit, fraction by repeated squaring. */
static int64_t log2_q24(uint64_t y) {
  int e = 63 - clz64(y);
  uint64_t m = e >= 30 ? y >> (e - 30) : y << (30 - e); /* [2^30, 2^31) */
  int64_t frac = 0;
  for (int i = 1; i <= 24; i++) {
    m = (m * m) >> 30;
    if (m >= ((uint64_t)1 << 31)) { m >>= 1; frac |= (int64_t)1 << (24 - i); }
  }
  return ((int64_t)e << 24) + frac;
}

static void fft256(int32_t *re, int32_t *im) {
  for (int i = 0, j = 0; i < HALF_FFT; i++) {
    if (j > i) {
      int32_t t = re[i]; re[i] = re[j]; re[j] = t;
      t = im[i]; im[i] = im[j]; im[j] = t;
    }
    int bit = HALF_FFT >> 1;
    while (j & bit) { j ^= bit; bit >>= 1; }
    j |= bit;
  }
  for (int half = 1; half < HALF_FFT; half <<= 1) {
    int stride = HALF_FFT / (2 * half);
    for (int start = 0; start < HALF_FFT; start += 2 * half) {
      for (int k = 0; k < half; k++) {
        int64_t c = FFT_COS_Q30[k * stride], s = FFT_SIN_Q30[k * stride];
        int a = start + k, b = a + half;
        int32_t tr = (int32_t)round_shift(re[b] * c - im[b] * s, 30);
        int32_t ti = (int32_t)round_shift(re[b] * s + im[b] * c, 30);
        re[b] = re[a] - tr; im[b] = im[a] - ti;
        re[a] += tr; im[a] += ti;
      }
    }
  }
}

int kws_frontend(const int16_t *samples, int32_t count, int8_t *out, kws_frontend_scratch_t *scratch,
                 int32_t quant_multiplier, int32_t quant_shift, int32_t zero_point) {
  if (count < 0 || count > KWS_CLIP_SAMPLES || quant_shift < 0 || quant_shift > 40) return -1;
  /* The reference divides by the largest sample value; a clip without a positive sample uses its largest magnitude. */
  int32_t max = 0, max_abs = 0;
  for (int32_t i = 0; i < count; i++) {
    int32_t v = samples[i];
    if (v > max) max = v;
    if ((v < 0 ? -v : v) > max_abs) max_abs = v < 0 ? -v : v;
  }
  int64_t divisor = max > 0 ? max : max_abs;
  /* One division per clip: samples are scaled by 2^47/divisor, i.e. to Q23 after a 24-bit rounding shift. */
  int64_t reciprocal = divisor > 0 ? round_div((int64_t)1 << 47, divisor) : 0;
  int32_t *re = scratch->re, *im = scratch->im;
  int first_bin = SPECTRUM_BINS, last_bin = 0;
  for (int j = 0; j < MEL_BANDS; j++) {
    if (MEL_START[j] < first_bin) first_bin = MEL_START[j];
    if (MEL_START[j] + MEL_LENGTH[j] - 1 > last_bin) last_bin = MEL_START[j] + MEL_LENGTH[j] - 1;
  }
  for (int f = 0; f < KWS_FRAMES; f++) {
    int32_t peak = 0;
    for (int n = 0; n < 2 * HALF_FFT; n++) {
      int32_t v = 0;
      int32_t at = f * FRAME_STEP + n;
      if (n < FRAME_LENGTH && at < count && divisor > 0) {
        int64_t s = round_shift((int64_t)samples[at] * reciprocal, 24);
        if (s > (1 << 23)) s = 1 << 23;
        if (s < -(1 << 23)) s = -(1 << 23);
        v = (int32_t)round_shift(s * HANN_Q30[n], 30);
      }
      if (n & 1) im[n >> 1] = v; else re[n >> 1] = v;
      if ((v < 0 ? -v : v) > peak) peak = v < 0 ? -v : v;
    }
    /* Block scaling: the frame's peak to [2^20, 2^21). */
    int sh = peak == 0 ? 0 : clz32((uint32_t)peak) - (31 - FRAME_PEAK_BIT);
    if (sh > 0) {
      for (int i = 0; i < HALF_FFT; i++) { re[i] *= (int32_t)1 << sh; im[i] *= (int32_t)1 << sh; }
    } else if (sh < 0) {
      for (int i = 0; i < HALF_FFT; i++) { re[i] = (int32_t)round_shift(re[i], -sh); im[i] = (int32_t)round_shift(im[i], -sh); }
    }
    fft256(re, im);
    /* Real-FFT split: X_k = (A + B)/2 + W^k (A - B)/(2i), A = Z_k, B = conj(Z_{256-k}); only for the bins the
     * mel bands read (1…128 of 0…256: the DC bin and everything above 4 kHz have no weight). */
    for (int k = first_bin; k <= last_bin; k++) {
      int ka = k & (HALF_FFT - 1), kb = (HALF_FFT - k) & (HALF_FFT - 1);
      int64_t ar = re[ka], ai = im[ka], br = re[kb], bi = -(int64_t)im[kb];
      int64_t er = ar + br, ei = ai + bi;  /* 2E */
      int64_t or_ = ai - bi, oi = br - ar; /* 2O = (A - B) / i */
      int64_t c = SPLIT_COS_Q30[k], s = SPLIT_SIN_Q30[k];
      int64_t xr = round_shift(er + round_shift(or_ * c - oi * s, 30), 1);
      int64_t xi = round_shift(ei + round_shift(or_ * s + oi * c, 30), 1);
      scratch->magnitude[k] = (int32_t)isqrt_round((uint64_t)(xr * xr + xi * xi));
    }
    int64_t eps = round_shift(LOG_OFFSET_Q58, FRAME_PEAK_BIT - sh);
    for (int j = 0; j < MEL_BANDS; j++) {
      int64_t mel = 0;
      const int32_t *w = &MEL_WEIGHTS_Q15[MEL_OFFSET[j]];
      const int32_t *m = &scratch->magnitude[MEL_START[j]];
      for (int k = 0; k < MEL_LENGTH[j]; k++) mel += (int64_t)w[k] * m[k];
      int64_t t = log2_q24((uint64_t)(mel + eps)) - ((int64_t)(38 + sh) << 24);
      scratch->log_mel[j] = (int32_t)round_shift(t * LN2_Q30, 32);
    }
    for (int c = 0; c < KWS_COEFFICIENTS; c++) {
      int64_t acc = 0;
      for (int j = 0; j < MEL_BANDS; j++) acc += (int64_t)DCT_Q30[c * MEL_BANDS + j] * scratch->log_mel[j];
      int64_t coeff = round_shift(acc, 30); /* Q22 */
      int64_t prod = coeff * quant_multiplier;
      int n = 22 + quant_shift;
      int64_t mag = ((prod < 0 ? -prod : prod) + ((int64_t)1 << (n - 1))) >> n;
      int64_t q = (prod < 0 ? -mag : mag) + zero_point;
      out[f * KWS_COEFFICIENTS + c] = (int8_t)(q < -128 ? -128 : q > 127 ? 127 : q);
    }
  }
  return 0;
}
