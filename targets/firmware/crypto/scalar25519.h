/* Scalars modulo the group order L = 2^252 + 27742317777372353535851937790883648493 (RFC 8032 §5.1). */
#ifndef TF_SCALAR25519_H
#define TF_SCALAR25519_H

#include <stdint.h>

/* out = in mod L, `in` a 512-bit little-endian number (a SHA-512 digest), out 32 bytes little-endian. */
void sc25519_reduce512(uint8_t out[32], const uint8_t in[64]);
/* 1 when the 256-bit little-endian `s` is below L (RFC 8032 §5.1.7 refuses any other S). */
int sc25519_is_canonical(const uint8_t s[32]);

#endif
