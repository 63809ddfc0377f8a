// The fixed-point front end in AssemblyScript: the same integer algorithm and tables as the C twin
// (../c/kws_frontend.c), so both give identical int8 features. Formats: ../fixed-point-format.ts.
import { DCT_Q30, FFT_COS_Q30, FFT_SIN_Q30, HANN_Q30, MEL_LENGTH, MEL_OFFSET, MEL_START, MEL_WEIGHTS_Q15, SPLIT_COS_Q30, SPLIT_SIN_Q30 } from './tables';

const CLIP_SAMPLES: i32 = 16000;
const FRAMES: i32 = 49;
const COEFFICIENTS: i32 = 10;
const FRAME_LENGTH: i32 = 480;
const FRAME_STEP: i32 = 320;
const HALF_FFT: i32 = 256;
const MEL_BANDS: i32 = 40;
const FRAME_PEAK_BIT: i32 = 20;
const LOG_OFFSET_Q58: i64 = 288230376152;
const LN2_Q30: i64 = 744261118;

/** Scratch layout (bytes from the scratch pointer): re[256] i32, im[256] i32, magnitude[257] i32, logMel[40] i32. */
export const SCRATCH_BYTES: i32 = (256 + 256 + 257 + 40) * 4;

/** First byte after the module's static data (tables): the host puts samples, scratch and output from here. */
export function heap_base(): usize {
  return __heap_base;
}

export function scratch_bytes(): i32 {
  return SCRATCH_BYTES;
}

@inline function tab(table: usize, i: i32): i64 {
  return <i64>load<i32>(table + (<usize>i << 2));
}

@inline function roundShift(x: i64, n: i32): i64 {
  return n <= 0 ? x : (x + (<i64>1 << <i64>(n - 1))) >> <i64>n;
}

function roundDiv(num: i64, den: i64): i64 {
  return num >= 0 ? (num + den / 2) / den : -((-num + den / 2) / den);
}

// round(√p): a 32-bit digit-by-digit root of p's top bits, one Newton step from above, then exact correction
// (the result never depends on how good the estimate was), then rounding. Same steps as the C twin.
function isqrtRound(p: u64): u64 {
  if (p == 0) return 0;
  const bits = 64 - <i32>clz<u64>(p);
  const sh = bits > 32 ? (bits - 31) & ~1 : 0;
  const t = <u32>(p >> <u64>sh);
  let rem = t;
  let root: u32 = 0;
  let bit: u32 = <u32>1 << ((31 - clz<u32>(t)) & ~1);
  while (bit != 0) {
    if (rem >= root + bit) {
      rem -= root + bit;
      root = (root >> 1) + bit;
    } else root >>= 1;
    bit >>= 2;
  }
  let x: u64 = <u64>(root + 1) << <u64>(sh / 2);
  if (sh > 0) x = (x + p / x) >> 1;
  while (x * x > p) x--;
  while ((x + 1) * (x + 1) <= p) x++;
  if (p - x * x > x) x++;
  return x;
}

function log2Q24(y: u64): i64 {
  const e = 63 - <i32>clz<u64>(y);
  let m: u64 = e >= 30 ? y >> <u64>(e - 30) : y << <u64>(30 - e);
  let frac: i64 = 0;
  for (let i = 1; i <= 24; i++) {
    m = (m * m) >> 30;
    if (m >= (<u64>1 << 31)) {
      m >>= 1;
      frac |= <i64>1 << <i64>(24 - i);
    }
  }
  return (<i64>e << 24) + frac;
}

function fft256(re: usize, im: usize): void {
  let j = 0;
  for (let i = 0; i < HALF_FFT; i++) {
    if (j > i) {
      const ia = re + (<usize>i << 2), ja = re + (<usize>j << 2);
      let t = load<i32>(ia); store<i32>(ia, load<i32>(ja)); store<i32>(ja, t);
      const ib = im + (<usize>i << 2), jb = im + (<usize>j << 2);
      t = load<i32>(ib); store<i32>(ib, load<i32>(jb)); store<i32>(jb, t);
    }
    let bit = HALF_FFT >> 1;
    while (j & bit) { j ^= bit; bit >>= 1; }
    j |= bit;
  }
  for (let half = 1; half < HALF_FFT; half <<= 1) {
    const stride = HALF_FFT / (2 * half);
    for (let start = 0; start < HALF_FFT; start += 2 * half) {
      for (let k = 0; k < half; k++) {
        const c = tab(FFT_COS_Q30, k * stride), s = tab(FFT_SIN_Q30, k * stride);
        const ra = re + (<usize>(start + k) << 2), ia = im + (<usize>(start + k) << 2);
        const rb = ra + (<usize>half << 2), ib = ia + (<usize>half << 2);
        const br = <i64>load<i32>(rb), bi = <i64>load<i32>(ib);
        const tr = <i32>roundShift(br * c - bi * s, 30);
        const ti = <i32>roundShift(br * s + bi * c, 30);
        const ar = load<i32>(ra), ai = load<i32>(ia);
        store<i32>(rb, ar - tr); store<i32>(ib, ai - ti);
        store<i32>(ra, ar + tr); store<i32>(ia, ai + ti);
      }
    }
  }
}

/**
 * samples: `count` ≤ 16000 int16 (zero-padded to one second); out: 490 int8, frame-major; scratch: SCRATCH_BYTES.
 * 1/scale = quantMultiplier · 2^-quantShift. Returns 0, or -1 when count or quantShift (0…40) is out of range.
 */
export function kws_frontend(samples: usize, count: i32, out: usize, scratch: usize, quantMultiplier: i32, quantShift: i32, zeroPoint: i32): i32 {
  if (count < 0 || count > CLIP_SAMPLES || quantShift < 0 || quantShift > 40) return -1;
  let max: i32 = 0, maxAbs: i32 = 0;
  for (let i = 0; i < count; i++) {
    const v = <i32>load<i16>(samples + (<usize>i << 1));
    if (v > max) max = v;
    const a = v < 0 ? -v : v;
    if (a > maxAbs) maxAbs = a;
  }
  const divisor: i64 = max > 0 ? max : maxAbs;
  // One division per clip: samples are scaled by 2^47/divisor, i.e. to Q23 after a 24-bit rounding shift.
  const reciprocal: i64 = divisor > 0 ? roundDiv(<i64>1 << 47, divisor) : 0;
  let firstBin: i32 = HALF_FFT + 1, lastBin: i32 = 0;
  for (let j = 0; j < MEL_BANDS; j++) {
    const start = load<i32>(MEL_START + (<usize>j << 2));
    const end = start + load<i32>(MEL_LENGTH + (<usize>j << 2)) - 1;
    if (start < firstBin) firstBin = start;
    if (end > lastBin) lastBin = end;
  }
  const re = scratch, im = scratch + 1024, magnitude = scratch + 2048, logMel = scratch + 2048 + 257 * 4;
  for (let f = 0; f < FRAMES; f++) {
    let peak: i32 = 0;
    for (let n = 0; n < 2 * HALF_FFT; n++) {
      let v: i32 = 0;
      const at = f * FRAME_STEP + n;
      if (n < FRAME_LENGTH && at < count && divisor > 0) {
        let s = roundShift(<i64>load<i16>(samples + (<usize>at << 1)) * reciprocal, 24);
        if (s > (<i64>1 << 23)) s = <i64>1 << 23;
        if (s < -(<i64>1 << 23)) s = -(<i64>1 << 23);
        v = <i32>roundShift(s * tab(HANN_Q30, n), 30);
      }
      store<i32>((n & 1 ? im : re) + (<usize>(n >> 1) << 2), v);
      const a = v < 0 ? -v : v;
      if (a > peak) peak = a;
    }
    const sh: i32 = peak == 0 ? 0 : <i32>clz<u32>(<u32>peak) - (31 - FRAME_PEAK_BIT);
    if (sh != 0) {
      for (let i = 0; i < HALF_FFT; i++) {
        const pr = re + (<usize>i << 2), pi = im + (<usize>i << 2);
        if (sh > 0) {
          store<i32>(pr, load<i32>(pr) * (1 << sh));
          store<i32>(pi, load<i32>(pi) * (1 << sh));
        } else {
          store<i32>(pr, <i32>roundShift(<i64>load<i32>(pr), -sh));
          store<i32>(pi, <i32>roundShift(<i64>load<i32>(pi), -sh));
        }
      }
    }
    fft256(re, im);
    // Real-FFT split, only for the bins the mel bands read (the DC bin and everything above 4 kHz have no weight).
    for (let k = firstBin; k <= lastBin; k++) {
      const ka = k & (HALF_FFT - 1), kb = (HALF_FFT - k) & (HALF_FFT - 1);
      const ar = <i64>load<i32>(re + (<usize>ka << 2)), ai = <i64>load<i32>(im + (<usize>ka << 2));
      const br = <i64>load<i32>(re + (<usize>kb << 2)), bi = -<i64>load<i32>(im + (<usize>kb << 2));
      const er = ar + br, ei = ai + bi;
      const or = ai - bi, oi = br - ar;
      const c = tab(SPLIT_COS_Q30, k), s = tab(SPLIT_SIN_Q30, k);
      const xr = roundShift(er + roundShift(or * c - oi * s, 30), 1);
      const xi = roundShift(ei + roundShift(or * s + oi * c, 30), 1);
      store<i32>(magnitude + (<usize>k << 2), <i32>isqrtRound(<u64>(xr * xr + xi * xi)));
    }
    const eps = roundShift(LOG_OFFSET_Q58, FRAME_PEAK_BIT - sh);
    for (let j = 0; j < MEL_BANDS; j++) {
      let mel: i64 = 0;
      const w = MEL_WEIGHTS_Q15 + (<usize>load<i32>(MEL_OFFSET + (<usize>j << 2)) << 2);
      const m = magnitude + (<usize>load<i32>(MEL_START + (<usize>j << 2)) << 2);
      const len = load<i32>(MEL_LENGTH + (<usize>j << 2));
      for (let k = 0; k < len; k++) mel += <i64>load<i32>(w + (<usize>k << 2)) * <i64>load<i32>(m + (<usize>k << 2));
      const t = log2Q24(<u64>(mel + eps)) - (<i64>(38 + sh) << 24);
      store<i32>(logMel + (<usize>j << 2), <i32>roundShift(t * LN2_Q30, 32));
    }
    for (let c = 0; c < COEFFICIENTS; c++) {
      let acc: i64 = 0;
      for (let j = 0; j < MEL_BANDS; j++) acc += tab(DCT_Q30, c * MEL_BANDS + j) * <i64>load<i32>(logMel + (<usize>j << 2));
      const coeff = roundShift(acc, 30);
      const prod = coeff * <i64>quantMultiplier;
      const n = 22 + quantShift;
      const mag = ((prod < 0 ? -prod : prod) + (<i64>1 << <i64>(n - 1))) >> <i64>n;
      let q = (prod < 0 ? -mag : mag) + <i64>zeroPoint;
      if (q < -128) q = -128;
      if (q > 127) q = 127;
      store<i8>(out + <usize>(f * COEFFICIENTS + c), <i8>q);
    }
  }
  return 0;
}
