/* Reduction mod L by binary long division: shift the 512 input bits in one at a time from the top and
 * subtract L whenever the remainder reaches it. 512 steps of 9-word arithmetic: slow next to Barrett, but
 * it runs once per verification, beside 256 point doublings that cost far more. */
#include "scalar25519.h"

#define WORDS 9 /* the remainder stays below 2L < 2^254; one spare word holds the shifted-in bit */

static const uint32_t L_WORDS[WORDS] = {
    0x5cf5d3edu, 0x5812631au, 0xa2f79cd6u, 0x14def9deu, 0x00000000u, 0x00000000u, 0x00000000u, 0x10000000u, 0,
};

/* 1 when a >= b. */
static int at_least(const uint32_t a[WORDS], const uint32_t b[WORDS]) {
  for (int i = WORDS - 1; i >= 0; i--) {
    if (a[i] != b[i]) return a[i] > b[i];
  }
  return 1;
}

static void subtract(uint32_t a[WORDS], const uint32_t b[WORDS]) {
  uint64_t borrow = 0;
  for (unsigned i = 0; i < WORDS; i++) {
    uint64_t d = (uint64_t)a[i] - b[i] - borrow;
    a[i] = (uint32_t)d;
    borrow = (d >> 63) & 1u;
  }
}

void sc25519_reduce512(uint8_t out[32], const uint8_t in[64]) {
  uint32_t r[WORDS] = {0};
  for (int bit = 511; bit >= 0; bit--) {
    for (int i = WORDS - 1; i > 0; i--) r[i] = (r[i] << 1) | (r[i - 1] >> 31);
    r[0] = (r[0] << 1) | ((in[bit >> 3] >> (bit & 7)) & 1u);
    if (at_least(r, L_WORDS)) subtract(r, L_WORDS);
  }
  for (unsigned i = 0; i < 32; i++) out[i] = (uint8_t)(r[i >> 2] >> (8u * (i & 3u)));
}

int sc25519_is_canonical(const uint8_t s[32]) {
  uint32_t w[WORDS] = {0};
  for (unsigned i = 0; i < 32; i++) w[i >> 2] |= (uint32_t)s[i] << (8u * (i & 3u));
  return !at_least(w, L_WORDS);
}
