/* Ed25519 signature verification (RFC 8032 §5.1.7), pure Ed25519 (no context, no prehash), as node:crypto
 * and OpenSSL sign. */
#ifndef TF_ED25519_VERIFY_H
#define TF_ED25519_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#define ED25519_PUBLIC_KEY_BYTES 32u
#define ED25519_SIGNATURE_BYTES 64u

/* 0 when `signature` (R || S) is `public_key`'s signature of the message, -1 otherwise: S not below L,
 * a public key that is no curve point, or [S]B != R + [k]A. */
int ed25519_verify(const uint8_t signature[ED25519_SIGNATURE_BYTES], const uint8_t public_key[ED25519_PUBLIC_KEY_BYTES],
                   const uint8_t *message, size_t message_len);

#endif
