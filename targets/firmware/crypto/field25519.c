/* Field arithmetic mod 2^255 - 19 in radix 2^16. 2^256 = 38 (mod p), so a limb carried out of the top
 * re-enters at the bottom multiplied by 38. */
#include "field25519.h"

/* floor(x / 2^16) without relying on how C shifts negative numbers (implementation-defined in C99):
 * bias x into the unsigned range, shift, remove the bias. Valid for |x| < 2^62. */
static int64_t floor_div_2_16(int64_t x) {
  return (int64_t)(((uint64_t)x + ((uint64_t)1 << 62)) >> 16) - ((int64_t)1 << 46);
}

static int64_t floor_div_2_15(int64_t x) {
  return (int64_t)(((uint64_t)x + ((uint64_t)1 << 62)) >> 15) - ((int64_t)1 << 47);
}

/* Brings every limb back near [0, 2^16) keeping the value mod p. */
static void carry(fe25519 *a) {
  for (unsigned i = 0; i < 16; i++) {
    int64_t c = floor_div_2_16(a->v[i]);
    a->v[i] -= c * 65536;
    if (i < 15)
      a->v[i + 1] += c;
    else
      a->v[0] += 38 * c;
  }
}

void fe25519_from_int(fe25519 *r, int64_t small) {
  for (unsigned i = 0; i < 16; i++) r->v[i] = 0;
  r->v[0] = small;
  carry(r);
  carry(r);
}

void fe25519_from_bytes(fe25519 *r, const uint8_t in[32]) {
  for (unsigned i = 0; i < 16; i++) r->v[i] = (int64_t)in[2 * i] | ((int64_t)in[2 * i + 1] << 8);
  r->v[15] &= 0x7fff;
}

void fe25519_to_bytes(uint8_t out[32], const fe25519 *a) {
  fe25519 t = *a;
  carry(&t);
  carry(&t);
  /* Exact normalization into [0, 2^255): carry limb to limb, fold bits 255 and up back in as 19 each
   * (2^255 = 19 mod p). A few passes settle any carry the fold itself creates. */
  for (unsigned pass = 0; pass < 3; pass++) {
    for (unsigned i = 0; i < 15; i++) {
      int64_t c = floor_div_2_16(t.v[i]);
      t.v[i] -= c * 65536;
      t.v[i + 1] += c;
    }
    int64_t top = floor_div_2_15(t.v[15]);
    t.v[15] -= top * 32768;
    t.v[0] += 19 * top;
  }
  /* Now 0 <= t < 2^255 < 2p: subtract p once if t >= p. */
  int64_t m[16];
  int64_t borrow = 0;
  for (unsigned i = 0; i < 16; i++) {
    int64_t limb_of_p = i == 0 ? 0xffed : i == 15 ? 0x7fff : 0xffff;
    m[i] = t.v[i] - limb_of_p - borrow;
    borrow = m[i] < 0;
    m[i] += borrow * 65536;
  }
  const int64_t *src = borrow ? t.v : m; /* a borrow out of the top means t < p */
  for (unsigned i = 0; i < 16; i++) {
    out[2 * i] = (uint8_t)(src[i] & 0xff);
    out[2 * i + 1] = (uint8_t)((src[i] >> 8) & 0xff);
  }
}

void fe25519_add(fe25519 *r, const fe25519 *a, const fe25519 *b) {
  for (unsigned i = 0; i < 16; i++) r->v[i] = a->v[i] + b->v[i];
}

void fe25519_sub(fe25519 *r, const fe25519 *a, const fe25519 *b) {
  for (unsigned i = 0; i < 16; i++) r->v[i] = a->v[i] - b->v[i];
}

void fe25519_neg(fe25519 *r, const fe25519 *a) {
  for (unsigned i = 0; i < 16; i++) r->v[i] = -a->v[i];
}

void fe25519_mul(fe25519 *r, const fe25519 *a, const fe25519 *b) {
  /* Inputs come from carry() plus at most a couple of additions: limbs below 2^18 in magnitude, so each
   * column sum stays below 2^41 and the folded top half below 2^47. */
  int64_t t[31];
  for (unsigned i = 0; i < 31; i++) t[i] = 0;
  for (unsigned i = 0; i < 16; i++)
    for (unsigned j = 0; j < 16; j++) t[i + j] += a->v[i] * b->v[j];
  for (unsigned i = 0; i < 15; i++) t[i] += 38 * t[i + 16];
  for (unsigned i = 0; i < 16; i++) r->v[i] = t[i];
  carry(r);
  carry(r);
}

void fe25519_square(fe25519 *r, const fe25519 *a) { fe25519_mul(r, a, a); }

/* r = a^e for an exponent given by its highest bit and a predicate on each bit below. Both exponents used
 * here are all ones except for one or two bits, so they are written as the bits that are zero. */
static void pow_all_ones_except(fe25519 *r, const fe25519 *a, int top_bit, int zero_bit_1, int zero_bit_2) {
  fe25519 acc = *a; /* the top bit is set */
  for (int bit = top_bit - 1; bit >= 0; bit--) {
    fe25519_square(&acc, &acc);
    if (bit != zero_bit_1 && bit != zero_bit_2) fe25519_mul(&acc, &acc, a);
  }
  *r = acc;
}

void fe25519_invert(fe25519 *r, const fe25519 *a) {
  /* p - 2 = 2^255 - 21: bits 254..0 set except bits 2 and 4. */
  pow_all_ones_except(r, a, 254, 4, 2);
}

void fe25519_pow_p58(fe25519 *r, const fe25519 *a) {
  /* (p - 5) / 8 = 2^252 - 3: bits 251..0 set except bit 1. */
  pow_all_ones_except(r, a, 251, 1, -1);
}

int fe25519_equal(const fe25519 *a, const fe25519 *b) {
  uint8_t x[32], y[32];
  fe25519_to_bytes(x, a);
  fe25519_to_bytes(y, b);
  uint8_t diff = 0;
  for (unsigned i = 0; i < 32; i++) diff |= (uint8_t)(x[i] ^ y[i]);
  return diff == 0;
}

int fe25519_is_zero(const fe25519 *a) {
  fe25519 zero;
  fe25519_from_int(&zero, 0);
  return fe25519_equal(a, &zero);
}

int fe25519_is_odd(const fe25519 *a) {
  uint8_t x[32];
  fe25519_to_bytes(x, a);
  return x[0] & 1;
}
