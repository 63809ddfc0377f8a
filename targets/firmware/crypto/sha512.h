/* SHA-512 (FIPS 180-4 §6.4), streaming: init, update any number of times, final. Portable C99, no tables
 * beyond the 80 round constants, no allocation. */
#ifndef TF_SHA512_H
#define TF_SHA512_H

#include <stddef.h>
#include <stdint.h>

#define SHA512_DIGEST_BYTES 64u
#define SHA512_BLOCK_BYTES 128u

typedef struct {
  uint64_t state[8];
  uint64_t total_bytes;
  uint8_t block[SHA512_BLOCK_BYTES];
  uint32_t block_used;
} sha512_ctx;

void sha512_init(sha512_ctx *ctx);
void sha512_update(sha512_ctx *ctx, const uint8_t *data, size_t len);
void sha512_final(sha512_ctx *ctx, uint8_t digest[SHA512_DIGEST_BYTES]);
/* One call for a message already in memory (or memory-mapped flash). */
void sha512(const uint8_t *data, size_t len, uint8_t digest[SHA512_DIGEST_BYTES]);

#endif
