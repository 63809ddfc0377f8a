#include "serial-protocol.h"
#include "board.h"

static uint32_t read_u32(void) {
  uint32_t v = 0;
  for (int i = 0; i < 4; i++) v |= (uint32_t)board_getc() << (8 * i);
  return v;
}

static void wait_sync(void) {
  static const uint8_t sync[3] = {'T', 'F', 'Q'};
  int matched = 0;
  while (matched < 3) {
    uint8_t c = board_getc();
    if (c == sync[matched]) matched++;
    else matched = (c == sync[0]) ? 1 : 0;
  }
}

uint8_t tf_read_request(uint8_t *payload, uint32_t capacity, uint32_t *len, int *crc_ok) {
  wait_sync();
  uint8_t head[5];
  head[0] = board_getc();
  uint32_t n = read_u32();
  for (int i = 0; i < 4; i++) head[1 + i] = (uint8_t)(n >> (8 * i));
  uint32_t crc = tf_crc32_update(0, head, 5);
  for (uint32_t i = 0; i < n; i++) {
    uint8_t c = board_getc();
    crc = tf_crc32_update(crc, &c, 1);
    if (i < capacity) payload[i] = c;
  }
  *crc_ok = read_u32() == crc;
  *len = n;
  return head[0];
}

static void put_bytes(const uint8_t *p, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) board_putc(p[i]);
}

void tf_send_response(uint8_t status, const uint8_t *a, uint32_t a_len, const uint8_t *b, uint32_t b_len) {
  uint32_t n = a_len + b_len;
  uint8_t head[8] = {'T', 'F', 'R', status, (uint8_t)n, (uint8_t)(n >> 8), (uint8_t)(n >> 16), (uint8_t)(n >> 24)};
  uint32_t crc = tf_crc32_update(0, head + 3, 5);
  crc = tf_crc32_update(crc, a, a_len);
  crc = tf_crc32_update(crc, b, b_len);
  uint8_t tail[4] = {(uint8_t)crc, (uint8_t)(crc >> 8), (uint8_t)(crc >> 16), (uint8_t)(crc >> 24)};
  put_bytes(head, 8);
  put_bytes(a, a_len);
  put_bytes(b, b_len);
  put_bytes(tail, 4);
}
