/* Arithmetic modulo p = 2^255 - 19, the field of Curve25519 / edwards25519 (RFC 8032 §5.1).
 * An element is 16 signed limbs of 16 bits (radix 2^16) held in 64-bit integers: sums and differences need
 * no carry, products fit without overflow, and the code stays plain C99 on 32-bit cores. Not constant
 * time: the firmware only verifies signatures, and a verifier handles no secret. */
#ifndef TF_FIELD25519_H
#define TF_FIELD25519_H

#include <stdint.h>

typedef struct {
  int64_t v[16];
} fe25519;

void fe25519_from_int(fe25519 *r, int64_t small);
/* Bytes little-endian; the top bit (bit 255) is ignored. */
void fe25519_from_bytes(fe25519 *r, const uint8_t in[32]);
/* The canonical encoding: the unique representative in [0, p). */
void fe25519_to_bytes(uint8_t out[32], const fe25519 *a);
void fe25519_add(fe25519 *r, const fe25519 *a, const fe25519 *b);
void fe25519_sub(fe25519 *r, const fe25519 *a, const fe25519 *b);
void fe25519_neg(fe25519 *r, const fe25519 *a);
void fe25519_mul(fe25519 *r, const fe25519 *a, const fe25519 *b);
void fe25519_square(fe25519 *r, const fe25519 *a);
/* a^(p-2) = 1/a (0 for 0). */
void fe25519_invert(fe25519 *r, const fe25519 *a);
/* a^((p-5)/8), the exponent the square root of a fraction needs (RFC 8032 §5.1.3). */
void fe25519_pow_p58(fe25519 *r, const fe25519 *a);
int fe25519_equal(const fe25519 *a, const fe25519 *b);
int fe25519_is_zero(const fe25519 *a);
/* The low bit of the canonical encoding: RFC 8032 calls an odd x "negative". */
int fe25519_is_odd(const fe25519 *a);

#endif
