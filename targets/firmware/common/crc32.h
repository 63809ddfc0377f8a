/* CRC-32 (IEEE, as zlib), shared by the serial protocol's frames and the model blob check. */
#ifndef TF_CRC32_H
#define TF_CRC32_H

#include <stdint.h>

/* Continues `crc` (0 to start) over `n` bytes. */
uint32_t tf_crc32_update(uint32_t crc, const uint8_t *data, uint32_t n);

#endif
