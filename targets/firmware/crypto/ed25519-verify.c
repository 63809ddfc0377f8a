/* RFC 8032 §5.1.7: decode A, k = SHA-512(R || A || M) mod L, accept when [S]B - [k]A encodes to R.
 * Comparing encodings also refuses a non-canonical R; the group equation is checked without the cofactor,
 * the check OpenSSL (and so node:crypto) makes. */
#include "ed25519-verify.h"

#include "ed25519-point.h"
#include "scalar25519.h"
#include "sha512.h"

int ed25519_verify(const uint8_t signature[ED25519_SIGNATURE_BYTES], const uint8_t public_key[ED25519_PUBLIC_KEY_BYTES],
                   const uint8_t *message, size_t message_len) {
  const uint8_t *r_enc = signature;
  const uint8_t *s = signature + 32;
  if (!sc25519_is_canonical(s)) return -1;
  ge25519 a, neg_a, base, check;
  if (ge25519_decode(&a, public_key) != 0) return -1;

  uint8_t digest[SHA512_DIGEST_BYTES], k[32];
  sha512_ctx h;
  sha512_init(&h);
  sha512_update(&h, r_enc, 32);
  sha512_update(&h, public_key, ED25519_PUBLIC_KEY_BYTES);
  sha512_update(&h, message, message_len);
  sha512_final(&h, digest);
  sc25519_reduce512(k, digest);

  ge25519_base(&base);
  ge25519_neg(&neg_a, &a);
  ge25519_double_scalar_mul(&check, s, &base, k, &neg_a); /* [S]B + [k](-A) */
  uint8_t check_enc[32];
  ge25519_encode(check_enc, &check);
  uint8_t diff = 0;
  for (unsigned i = 0; i < 32; i++) diff |= (uint8_t)(check_enc[i] ^ r_enc[i]);
  return diff == 0 ? 0 : -1;
}
