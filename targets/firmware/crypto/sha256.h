/* SHA-256 (FIPS 180-4 §6.2), streaming: init, update any number of times, final. Portable C99, no tables
 * beyond the 64 round constants, no allocation. */
#ifndef TF_SHA256_H
#define TF_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_BYTES 32u
#define SHA256_BLOCK_BYTES 64u

typedef struct {
  uint32_t state[8];
  uint64_t total_bytes;
  uint8_t block[SHA256_BLOCK_BYTES];
  uint32_t block_used;
} sha256_ctx;

void sha256_init(sha256_ctx *ctx);
void sha256_update(sha256_ctx *ctx, const uint8_t *data, size_t len);
void sha256_final(sha256_ctx *ctx, uint8_t digest[SHA256_DIGEST_BYTES]);
/* One call for a message already in memory (or memory-mapped flash). */
void sha256(const uint8_t *data, size_t len, uint8_t digest[SHA256_DIGEST_BYTES]);

#endif
