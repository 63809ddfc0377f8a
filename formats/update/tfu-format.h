/* A signed model update (.tfu), version 1, as the firmware reads it: the layout of formats/update/update-format.ts
 * (tests/update/update-format-header.test.ts compiles this header and compares every offset). Little-endian. */
#ifndef TF_TFU_FORMAT_H
#define TF_TFU_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#define TF_UPDATE_MAGIC "TFUP"
#define TF_UPDATE_FORMAT_VERSION 1u
#define TF_UPDATE_HEADER_BYTES 128u
/* The Ed25519 signature covers header bytes [0, TF_UPDATE_SIGNED_BYTES). */
#define TF_UPDATE_SIGNED_BYTES 64u

typedef struct {
  uint8_t magic[4];
  uint16_t format_version;
  uint16_t header_bytes;
  /* A device takes only a model version above the one it runs. */
  uint32_t model_version;
  uint32_t payload_bytes;
  uint8_t payload_sha256[32];
  uint8_t reserved[16]; /* zero */
  uint8_t signature[64];
} tf_update_header;

/* C99 has no _Static_assert: a negative array size stops the build instead. */
typedef char tf_update_header_size_check[sizeof(tf_update_header) == TF_UPDATE_HEADER_BYTES ? 1 : -1];
typedef char tf_update_signed_part_check[offsetof(tf_update_header, signature) == TF_UPDATE_SIGNED_BYTES ? 1 : -1];

#endif
