/* Points of edwards25519 (-x^2 + y^2 = 1 + d x^2 y^2 over GF(2^255 - 19)) in extended coordinates
 * (X:Y:Z:T), x = X/Z, y = Y/Z, x*y = T/Z, with RFC 8032 §5.1.3-5.1.4's decoding, encoding and formulas. */
#ifndef TF_ED25519_POINT_H
#define TF_ED25519_POINT_H

#include <stdint.h>

#include "field25519.h"

typedef struct {
  fe25519 X, Y, Z, T;
} ge25519;

void ge25519_identity(ge25519 *r);
/* The base point B (RFC 8032 §5.1: y = 4/5, x even). */
void ge25519_base(ge25519 *r);
/* 0 when `in` is the canonical encoding of a curve point, -1 otherwise (y >= p, x^2 has no root, or x = 0
 * with the sign bit set). */
int ge25519_decode(ge25519 *r, const uint8_t in[32]);
void ge25519_encode(uint8_t out[32], const ge25519 *p);
void ge25519_add(ge25519 *r, const ge25519 *p, const ge25519 *q);
void ge25519_double(ge25519 *r, const ge25519 *p);
void ge25519_neg(ge25519 *r, const ge25519 *p);
/* [a]P + [b]Q for 256-bit little-endian scalars, one shared doubling chain (Straus / Shamir's trick). */
void ge25519_double_scalar_mul(ge25519 *r, const uint8_t a[32], const ge25519 *p, const uint8_t b[32], const ge25519 *q);

#endif
