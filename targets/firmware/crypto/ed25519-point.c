/* edwards25519 group law (RFC 8032 §5.1.4: the complete formulas for a = -1, so one addition formula
 * also serves for doubling and the identity) and point encoding (§5.1.2-5.1.3). */
#include "ed25519-point.h"

/* d = -121665/121666 mod p, 2d, and sqrt(-1) = 2^((p-1)/4) mod p, little-endian. */
static const uint8_t D_BYTES[32] = {
    0xa3, 0x78, 0x59, 0x13, 0xca, 0x4d, 0xeb, 0x75, 0xab, 0xd8, 0x41, 0x41, 0x4d, 0x0a, 0x70, 0x00,
    0x98, 0xe8, 0x79, 0x77, 0x79, 0x40, 0xc7, 0x8c, 0x73, 0xfe, 0x6f, 0x2b, 0xee, 0x6c, 0x03, 0x52,
};
static const uint8_t D2_BYTES[32] = {
    0x59, 0xf1, 0xb2, 0x26, 0x94, 0x9b, 0xd6, 0xeb, 0x56, 0xb1, 0x83, 0x82, 0x9a, 0x14, 0xe0, 0x00,
    0x30, 0xd1, 0xf3, 0xee, 0xf2, 0x80, 0x8e, 0x19, 0xe7, 0xfc, 0xdf, 0x56, 0xdc, 0xd9, 0x06, 0x24,
};
static const uint8_t SQRT_M1_BYTES[32] = {
    0xb0, 0xa0, 0x0e, 0x4a, 0x27, 0x1b, 0xee, 0xc4, 0x78, 0xe4, 0x2f, 0xad, 0x06, 0x18, 0x43, 0x2f,
    0xa7, 0xd7, 0xfb, 0x3d, 0x99, 0x00, 0x4d, 0x2b, 0x0b, 0xdf, 0xc1, 0x4f, 0x80, 0x24, 0x83, 0x2b,
};

void ge25519_identity(ge25519 *r) {
  fe25519_from_int(&r->X, 0);
  fe25519_from_int(&r->Y, 1);
  fe25519_from_int(&r->Z, 1);
  fe25519_from_int(&r->T, 0);
}

void ge25519_base(ge25519 *r) {
  /* The encoding of B: y = 4/5 = 0x6666...6658, sign bit 0. Decoding it reuses the checked path. */
  uint8_t enc[32];
  enc[0] = 0x58;
  for (unsigned i = 1; i < 32; i++) enc[i] = 0x66;
  (void)ge25519_decode(r, enc);
}

int ge25519_decode(ge25519 *r, const uint8_t in[32]) {
  uint8_t canonical[32];
  fe25519 y, yy, u, v, v3, x, vxx, d, neg_u;
  int sign = in[31] >> 7;
  fe25519_from_bytes(&y, in);
  fe25519_to_bytes(canonical, &y);
  /* y must be below p: the encoding with the sign bit cleared must round-trip. */
  uint8_t diff = (uint8_t)((canonical[31] ^ in[31]) & 0x7f);
  for (unsigned i = 0; i < 31; i++) diff |= (uint8_t)(canonical[i] ^ in[i]);
  if (diff) return -1;

  /* x^2 = u / v with u = y^2 - 1, v = d y^2 + 1; candidate root x = u v^3 (u v^7)^((p-5)/8). */
  fe25519 one;
  fe25519_from_int(&one, 1);
  fe25519_from_bytes(&d, D_BYTES);
  fe25519_square(&yy, &y);
  fe25519_sub(&u, &yy, &one);
  fe25519_mul(&v, &d, &yy);
  fe25519_add(&v, &v, &one);
  fe25519_square(&v3, &v);
  fe25519_mul(&v3, &v3, &v); /* v^3 */
  fe25519 uv7;
  fe25519_square(&uv7, &v3);
  fe25519_mul(&uv7, &uv7, &v);
  fe25519_mul(&uv7, &uv7, &u); /* u v^7 */
  fe25519_pow_p58(&x, &uv7);
  fe25519_mul(&x, &x, &v3);
  fe25519_mul(&x, &x, &u);

  fe25519_square(&vxx, &x);
  fe25519_mul(&vxx, &vxx, &v);
  fe25519_neg(&neg_u, &u);
  if (!fe25519_equal(&vxx, &u)) {
    if (!fe25519_equal(&vxx, &neg_u)) return -1; /* u/v is not a square: no point has this y */
    fe25519 sqrt_m1;
    fe25519_from_bytes(&sqrt_m1, SQRT_M1_BYTES);
    fe25519_mul(&x, &x, &sqrt_m1);
  }
  if (fe25519_is_zero(&x) && sign) return -1;
  if (fe25519_is_odd(&x) != sign) fe25519_neg(&x, &x);

  r->X = x;
  r->Y = y;
  fe25519_from_int(&r->Z, 1);
  fe25519_mul(&r->T, &x, &y);
  return 0;
}

void ge25519_encode(uint8_t out[32], const ge25519 *p) {
  fe25519 zinv, x, y;
  fe25519_invert(&zinv, &p->Z);
  fe25519_mul(&x, &p->X, &zinv);
  fe25519_mul(&y, &p->Y, &zinv);
  fe25519_to_bytes(out, &y);
  out[31] = (uint8_t)(out[31] | (fe25519_is_odd(&x) << 7));
}

void ge25519_add(ge25519 *r, const ge25519 *p, const ge25519 *q) {
  fe25519 a, b, c, d, e, f, g, h, t, d2;
  fe25519_from_bytes(&d2, D2_BYTES);
  fe25519_sub(&a, &p->Y, &p->X);
  fe25519_sub(&t, &q->Y, &q->X);
  fe25519_mul(&a, &a, &t); /* A = (Y1-X1)(Y2-X2) */
  fe25519_add(&b, &p->Y, &p->X);
  fe25519_add(&t, &q->Y, &q->X);
  fe25519_mul(&b, &b, &t); /* B = (Y1+X1)(Y2+X2) */
  fe25519_mul(&c, &p->T, &q->T);
  fe25519_mul(&c, &c, &d2); /* C = T1 2d T2 */
  fe25519_mul(&d, &p->Z, &q->Z);
  fe25519_add(&d, &d, &d); /* D = 2 Z1 Z2 */
  fe25519_sub(&e, &b, &a);
  fe25519_sub(&f, &d, &c);
  fe25519_add(&g, &d, &c);
  fe25519_add(&h, &b, &a);
  fe25519_mul(&r->X, &e, &f);
  fe25519_mul(&r->Y, &g, &h);
  fe25519_mul(&r->T, &e, &h);
  fe25519_mul(&r->Z, &f, &g);
}

void ge25519_double(ge25519 *r, const ge25519 *p) {
  fe25519 a, b, c, e, f, g, h, t;
  fe25519_square(&a, &p->X);
  fe25519_square(&b, &p->Y);
  fe25519_square(&c, &p->Z);
  fe25519_add(&c, &c, &c); /* C = 2 Z1^2 */
  fe25519_add(&h, &a, &b);
  fe25519_add(&t, &p->X, &p->Y);
  fe25519_square(&t, &t);
  fe25519_sub(&e, &h, &t); /* E = H - (X1+Y1)^2 */
  fe25519_sub(&g, &a, &b);
  fe25519_add(&f, &c, &g);
  fe25519_mul(&r->X, &e, &f);
  fe25519_mul(&r->Y, &g, &h);
  fe25519_mul(&r->T, &e, &h);
  fe25519_mul(&r->Z, &f, &g);
}

void ge25519_neg(ge25519 *r, const ge25519 *p) {
  fe25519_neg(&r->X, &p->X);
  r->Y = p->Y;
  r->Z = p->Z;
  fe25519_neg(&r->T, &p->T);
}

void ge25519_double_scalar_mul(ge25519 *r, const uint8_t a[32], const ge25519 *p, const uint8_t b[32], const ge25519 *q) {
  ge25519 table[4]; /* 0, P, Q, P+Q: indexed by (bit of a) | (bit of b) << 1 */
  ge25519_identity(&table[0]);
  table[1] = *p;
  table[2] = *q;
  ge25519_add(&table[3], p, q);
  ge25519 acc;
  ge25519_identity(&acc);
  for (int bit = 255; bit >= 0; bit--) {
    ge25519_double(&acc, &acc);
    unsigned index = ((a[bit >> 3] >> (bit & 7)) & 1u) | (((b[bit >> 3] >> (bit & 7)) & 1u) << 1);
    if (index) ge25519_add(&acc, &acc, &table[index]);
  }
  *r = acc;
}
