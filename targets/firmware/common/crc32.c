#include "crc32.h"

uint32_t tf_crc32_update(uint32_t crc, const uint8_t *data, uint32_t n) {
  /* Bitwise: a few hundred bytes per frame do not justify a 1 KB table in flash. */
  crc = ~crc;
  for (uint32_t i = 0; i < n; i++) {
    crc ^= data[i];
    for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}
